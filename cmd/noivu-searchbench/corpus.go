package main

import (
	"math/rand"
	"slices"
	"strings"
	"time"

	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/index"
	"github.com/noivu/noivu/internal/vicorpus"
)

// corpusStart is where the generated corpus's publication dates begin
// (internal/vicorpus spans eleven years from it).
var corpusStart = time.Date(2015, 1, 1, 8, 0, 0, 0, article.VietnamZone)

// query is one benchmark query, engine-neutral: groups of syllables that must
// all match (a group of several is a phrase), and the request's filters.
type query struct {
	kind         string
	groups       [][]string
	sources      []string
	since, until time.Time
	newest       bool
	facets       bool
}

// kinds are the query kinds, in the order the report lists them.
var kinds = []string{"term", "folded", "phrase2", "phrase3", "phrase4", "words3", "filtered", "faceted"}

// text is q in noivu's query language.
func (q query) text() string {
	parts := make([]string, len(q.groups))
	for i, g := range q.groups {
		parts[i] = strings.Join(g, " ")
		if len(g) > 1 {
			parts[i] = `"` + parts[i] + `"`
		}
	}
	return strings.Join(parts, " ")
}

// String describes q for a report: its text and filters.
func (q query) String() string {
	s := q.text()
	if len(q.sources) > 0 {
		s += " source=" + strings.Join(q.sources, ",")
	}
	if !q.since.IsZero() {
		s += " since=" + q.since.Format("2006-01-02") + " until=" + q.until.Format("2006-01-02")
	}
	if q.newest {
		s += " newest"
	}
	if q.facets {
		s += " facets"
	}
	return s
}

// sampler draws syllable sequences from the corpus itself, so that every
// query matches something and frequent syllables are drawn as often as
// researchers type them.
type sampler struct {
	r    *rand.Rand
	docs []article.Article
}

// sentence returns the lower-cased syllables of a random sentence.
func (s sampler) sentence() []string {
	text := s.docs[s.r.Intn(len(s.docs))].Text
	sentences := strings.Split(text, ". ")
	for {
		toks := strings.Fields(strings.TrimSuffix(strings.ToLower(sentences[s.r.Intn(len(sentences))]), "."))
		if len(toks) >= 4 {
			return toks
		}
	}
}

// window returns n adjacent syllables of one sentence.
func (s sampler) window(n int) []string {
	toks := s.sentence()
	i := s.r.Intn(len(toks) - n + 1)
	return toks[i : i+n]
}

// marked returns a syllable that has diacritics.
func (s sampler) marked() string {
	for {
		for _, t := range s.sentence() {
			if index.Fold(t) != t && s.r.Intn(4) == 0 {
				return t
			}
		}
	}
}

// queries returns per queries of each kind, seeded.
func queries(docs []article.Article, per int, seed int64) []query {
	s := sampler{rand.New(rand.NewSource(seed)), docs}
	srcs := vicorpus.Sources()
	one := func(w string) [][]string { return [][]string{{w}} }
	var out []query
	for i := 0; i < per; i++ {
		out = append(out,
			query{kind: "term", groups: one(s.marked())},
			query{kind: "folded", groups: one(index.Fold(s.marked()))},
			query{kind: "phrase2", groups: [][]string{s.window(2)}},
			query{kind: "phrase3", groups: [][]string{s.window(3)}},
			query{kind: "phrase4", groups: [][]string{s.window(4)}})
		var w3 [][]string
		toks := s.sentence()
		for _, j := range s.r.Perm(len(toks))[:3] {
			w3 = append(w3, []string{toks[j]})
		}
		out = append(out, query{kind: "words3", groups: w3})

		f := query{kind: "filtered", groups: one(s.marked()), newest: i%4 == 3}
		if i%2 == 1 {
			f.groups = [][]string{s.window(2 + i%3)}
		}
		for n := 1 + s.r.Intn(3); len(f.sources) < n; {
			if id := srcs[s.r.Intn(len(srcs))].ID; !slices.Contains(f.sources, id) {
				f.sources = append(f.sources, id)
			}
		}
		f.since = corpusStart.AddDate(s.r.Intn(9), s.r.Intn(12), 0)
		f.until = f.since.AddDate(1+s.r.Intn(3), 0, 0)
		out = append(out, f)

		fc := query{kind: "faceted", facets: true}
		switch i % 3 {
		case 0:
			fc.groups = one(s.marked())
		case 1:
			fc.groups = one(index.Fold(s.marked()))
		default:
			fc.groups = [][]string{s.window(2 + s.r.Intn(2))}
		}
		out = append(out, fc)
	}
	return out
}
