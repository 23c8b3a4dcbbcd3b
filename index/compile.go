package index

import (
	"slices"
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Ranking weights. A match in the title counts twice one in the text. When
// a syllable is typed with diacritics, its folded match only admits an
// article: it weighs foldedWeight of an exact match, so articles that have
// the syllable as typed rank above those that only fold to it, even when
// the folded match sits in a short title and the exact one in a long text.
// A syllable typed without diacritics says nothing about them: it is
// matched folded only, at full weight.
const (
	titleBoost   = 2.0
	foldedWeight = 0.02
	// filterBoost keeps source: and province: inside an OR from weighing on
	// the ranking: they select, they do not describe.
	filterBoost = 0.01
)

// weighted is a text field and its weight in a query.
type weighted struct {
	name  string
	boost float64
}

// textFields are the fields a word searches, by clause field.
var textFields = map[string][]weighted{
	"":          {{fieldTitle, titleBoost}, {fieldText, 1}},
	fieldTitle:  {{fieldTitle, 1}},
	fieldAuthor: {{fieldAuthor, 1}},
}

// marks are the folded syllable sequences to highlight in a hit; a single
// word is a sequence of one.
type marks struct {
	title, text [][]string
}

// compiled is a query ready for Bleve.
type compiled struct {
	must    []query.Query // scored; empty: every article
	mustNot []query.Query
	filters []query.Query // not scored
	marks   marks
}

// compiler turns a parsed Query into Bleve queries, analysing words the way
// the exact field was analysed.
type compiler struct {
	exact, key analysis.Analyzer
	terms      int
	out        compiled
}

func newCompiler(im mapping.IndexMapping) *compiler {
	return &compiler{exact: im.AnalyzerNamed(analyzerExact), key: im.AnalyzerNamed(analyzerKey)}
}

// compile translates q. Errors wrap ErrBadQuery.
func (c *compiler) compile(q Query) (compiled, error) {
	for _, cl := range q.Clauses {
		if !cl.Not && (cl.Field == fieldSource || cl.Field == fieldProvince) {
			c.out.filters = append(c.out.filters, c.keyQuery(cl))
			continue
		}
		bq, err := c.clause(cl, !cl.Not)
		if err != nil {
			return compiled{}, err
		}
		switch {
		case bq == nil:
		case cl.Not:
			c.out.mustNot = append(c.out.mustNot, bq)
		default:
			c.out.must = append(c.out.must, bq)
		}
	}
	return c.out, nil
}

// clause compiles one clause, ignoring its Not (the caller places it);
// scoring is false inside an exclusion, where ranking does not matter and
// nothing is highlighted. It returns nil for a clause with no syllables
// ("*", "–"), which constrains nothing.
func (c *compiler) clause(cl Clause, scoring bool) (query.Query, error) {
	switch {
	case cl.Any != nil:
		return c.combine(cl.Any, scoring, true)
	case cl.Group != nil:
		return c.combine(cl.Group, scoring, false)
	case cl.Field == fieldSource || cl.Field == fieldProvince:
		kq := c.keyQuery(cl)
		kq.(boostable).SetBoost(filterBoost)
		return kq, nil
	}
	toks := c.syllables(cl.Text)
	if len(toks) == 0 {
		return nil, nil
	}
	c.terms += len(toks)
	if c.terms > maxTerms {
		return nil, badQuery("too many terms; the limit is %d syllables", maxTerms)
	}
	fields := textFields[cl.Field]
	if scoring {
		c.mark(cl.Field, toks)
	}
	if len(toks) == 1 {
		return termQuery(toks[0], fields, scoring), nil
	}
	return phraseQuery(toks, fields, scoring), nil
}

type boostable interface{ SetBoost(float64) }

// combine compiles an OR (any) or a group.
func (c *compiler) combine(cs []Clause, scoring, any bool) (query.Query, error) {
	var pos, neg []query.Query
	for _, cl := range cs {
		q, err := c.clause(cl, scoring && !cl.Not)
		if err != nil {
			return nil, err
		}
		switch {
		case q == nil:
		case cl.Not:
			neg = append(neg, q)
		default:
			pos = append(pos, q)
		}
	}
	switch {
	case any && len(pos) > 0:
		return query.NewDisjunctionQuery(pos), nil
	case any || len(pos)+len(neg) == 0:
		return nil, nil
	case len(neg) == 0 && len(pos) == 1:
		return pos[0], nil
	case len(pos) == 0:
		// Only exclusions: everything but them.
		return query.NewBooleanQuery([]query.Query{query.NewMatchAllQuery()}, nil, neg), nil
	}
	return query.NewBooleanQuery(pos, nil, neg), nil
}

// keyQuery matches a source id, or a province (historical or current)
// with or without diacritics.
func (c *compiler) keyQuery(cl Clause) query.Query {
	if cl.Field == fieldSource {
		return term(fieldSource, strings.ToLower(strings.TrimSpace(cl.Text)), 1)
	}
	v := cl.Text
	if toks := c.key.Analyze([]byte(strings.TrimSpace(cl.Text))); len(toks) == 1 {
		v = string(toks[0].Term)
	}
	return provinceQuery(v)
}

func provinceQuery(folded string) query.Query {
	return query.NewDisjunctionQuery([]query.Query{
		term(fieldProvince+suffixKey, folded, 1), term(fieldCurProvince+suffixKey, folded, 1)})
}

// syllables analyses a word or phrase as the exact field was.
func (c *compiler) syllables(s string) []string {
	ts := c.exact.Analyze([]byte(s))
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = string(t.Term)
	}
	return out
}

func (c *compiler) mark(field string, toks []string) {
	folded := make([]string, len(toks))
	for i, t := range toks {
		folded[i] = Fold(t)
	}
	switch field {
	case "":
		c.out.marks.title = append(c.out.marks.title, folded)
		c.out.marks.text = append(c.out.marks.text, folded)
	case fieldTitle:
		c.out.marks.title = append(c.out.marks.title, folded)
	}
}

// termQuery matches one syllable, folded, in any of fields; typed with
// diacritics, its exact form ranks (see foldedWeight, wordQuery).
func termQuery(tok string, fields []weighted, scoring bool) query.Query {
	q := &wordQuery{folded: Fold(tok), fields: fields, weight: 1}
	if scoring && q.folded != tok {
		q.exact, q.weight = tok, foldedWeight
	}
	return q
}

// phraseQuery matches syllables in order, folded. Two common syllables
// are one term of the pair field and need no positions; any other phrase
// is checked on positions (coverQuery): "cải cách hành chính" becomes the
// pairs [cai cach] [hanh chinh] at offsets 0 and 2, "mức lương cơ sở" the
// syllable muc at 0 and the pairs [luong co] and [co so] at 1 and 2; pairs
// read postings far shorter than those of their syllables. A phrase typed with
// diacritics ranks by its syllables as typed: plain terms of the exact
// field, looked up only in the articles the phrase matched, with no
// positions to check (see foldedWeight and exactQuery). Checking their
// order as well cost more than the phrase.
func phraseQuery(toks []string, fields []weighted, scoring bool) query.Query {
	folded := make([]string, len(toks))
	var marked []string
	for i, t := range toks {
		folded[i] = Fold(t)
		if scoring && folded[i] != t && !slices.Contains(marked, t) {
			marked = append(marked, t)
		}
	}
	weight := 1.0
	if len(marked) > 0 {
		weight = foldedWeight
	}
	var qs []query.Query
	for _, f := range fields {
		var match query.Query
		if len(folded) == 2 && paired(folded[0], folded[1]) {
			match = term(f.name+suffixBigram, folded[0]+" "+folded[1], f.boost*weight)
		} else {
			match = &coverQuery{field: f.name, syllables: folded, boost: f.boost * weight}
		}
		if len(marked) > 0 {
			match = &exactQuery{inner: match, field: f.name, terms: marked}
		}
		qs = append(qs, match)
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}

func term(field, value string, boost float64) query.Query {
	q := query.NewTermQuery(value)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}
