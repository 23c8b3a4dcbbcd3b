package index

import (
	"context"
	"math"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// coverQuery matches a phrase of syllables that is not a single pair of
// common syllables. It reads a cover of the phrase (phraseCover): a term
// for each syllable or pair of syllables, each at its offset in the
// phrase; the terms must all be in one article, each at the position of
// the phrase's start plus its offset. It reads scorch's segments directly:
// Bleve's phrase searcher builds maps of locations for every candidate and
// its term readers copy every location, which made a phrase of common
// syllables cost 2-3 µs per candidate article ("sở nội vụ" took 0.1 s on
// 20,000 articles; three-syllable phrases 0.36 s at p99 on 100,000); here
// the cost is decoding the positions, and only in the articles that hold
// every term. A hit scores the sum of the tf-idf of the cover's terms (as
// Bleve's phrase query sums over its terms). On an index that is not
// scorch's it is Bleve's phrase query over the folded syllables.
type coverQuery struct {
	field     string   // the text field: title, text or author
	syllables []string // folded
	boost     float64
}

// phraseUnit is one term of a phrase's cover: a pair of common syllables
// in the pair field or one syllable in the folded field, offset syllables
// after the phrase's first.
type phraseUnit struct {
	field, term string
	offset      uint64
}

// phraseCover returns terms that pin every syllable of a phrase (folded)
// in field at its place: each common syllable by a pair with a common
// neighbour, the following one if it can (pairs may overlap: their
// postings are far shorter than a common syllable's), every other syllable
// alone.
func phraseCover(field string, s []string) []phraseUnit {
	var out []phraseUnit
	pair := func(i int) phraseUnit { return phraseUnit{field + suffixBigram, s[i] + " " + s[i+1], uint64(i)} }
	for i := 0; i < len(s); {
		switch {
		case i+1 < len(s) && paired(s[i], s[i+1]):
			out, i = append(out, pair(i)), i+2
		case i > 0 && paired(s[i-1], s[i]):
			out, i = append(out, pair(i-1)), i+1
		default:
			out, i = append(out, phraseUnit{field + suffixFolded, s[i], uint64(i)}), i+1
		}
	}
	return out
}

func (q *coverQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping,
	options search.SearcherOptions) (search.Searcher, error) {
	segs, ok := segmentsOf(r)
	if !ok {
		pq := query.NewPhraseQuery(q.syllables, q.field+suffixFolded)
		pq.SetBoost(q.boost)
		return pq.Searcher(ctx, r, m, options)
	}
	docs, err := r.DocCount()
	if err != nil {
		return nil, err
	}
	s := &phraseSearcher{segs: segs, scoring: options.Score != "none", boost: q.boost, k: -1}
	for _, u := range phraseCover(q.field, q.syllables) {
		t := slices.IndexFunc(s.terms, func(t *phraseTerm) bool { return t.field == u.field && t.term == u.term })
		if t < 0 {
			if err := search.RecordTermSearcher(ctx); err != nil {
				return nil, err
			}
			t = len(s.terms)
			s.terms = append(s.terms, &phraseTerm{field: u.field, term: u.term})
		}
		s.units = append(s.units, coverUnit{term: t, offset: u.offset})
	}
	for _, t := range s.terms {
		if err := t.open(segs); err != nil {
			return nil, err
		}
		t.idf = 1 + math.Log(float64(docs)/float64(t.df+1)) // Bleve's tf-idf
	}
	if err := s.openSigs(q.field, q.syllables); err != nil {
		return nil, err
	}
	s.SetQueryNorm(1 / math.Sqrt(s.Weight()))
	return s, nil
}

// openSigs reads which articles hold the signatures of the phrase's pairs
// that are not in the pair field (common.go): only they can hold the
// phrase. Without bitmaps to read, the phrase is not narrowed.
func (s *phraseSearcher) openSigs(field string, syllables []string) error {
	var seen []string
	for i := 0; i+1 < len(syllables); i++ {
		a, b := syllables[i], syllables[i+1]
		if paired(a, b) {
			continue
		}
		sig := string(appendPairSig(nil, a, b))
		if slices.Contains(seen, sig) {
			continue
		}
		seen = append(seen, sig)
		docs, err := s.segs.docs(field+suffixSig, sig)
		if err != nil || docs == nil {
			s.sigs = nil
			return err
		}
		s.sigs = append(s.sigs, docs)
	}
	return nil
}

// phraseTerm is one distinct term of a phrase's cover and its postings.
type phraseTerm struct {
	field, term string
	lists       []segment.PostingsList
	df          uint64 // articles that have it
	idf         float64

	it  segment.PostingsIterator // in the current segment
	at  segment.Posting          // the current posting; nil when the segment has no more
	pos []uint64                 // positions of at, sorted
}

// open finds the postings of t in each segment, deleted articles left out.
func (t *phraseTerm) open(segs *segments) error {
	var err error
	t.lists, t.df, err = segs.postings(t.field, t.term)
	return err
}

// coverUnit is one term of the cover: which term, at which offset.
type coverUnit struct {
	term   int
	offset uint64
}

type phraseSearcher struct {
	segs      *segments
	terms     []*phraseTerm
	units     []coverUnit         // the cover
	sigs      [][]*roaring.Bitmap // by signature, by segment: the articles that may hold the phrase
	scoring   bool
	boost     float64
	queryNorm float64

	k       int  // current segment; -1 before the first
	leader  int  // the term with the fewest postings in segment k
	current bool // the terms sit on a match already returned
	done    bool
	err     error // reading postings failed: find returns it
}

func (s *phraseSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if s.done {
		return nil, nil
	}
	s.current = false
	if lead := s.lead(); lead != nil && lead.at != nil {
		var err error
		if lead.at, err = lead.it.Next(); err != nil {
			return nil, err
		}
	}
	return s.find(ctx)
}

// Advance returns the first match at or after id. Like Bleve's own
// searchers, it returns the current match again when id does not pass it.
func (s *phraseSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	if s.done {
		return nil, nil
	}
	n := id.Value()
	if lead := s.lead(); lead != nil && lead.at != nil && s.global() >= n {
		if s.current {
			return s.match(ctx), nil
		}
		return s.find(ctx) // already there
	}
	s.current = false
	k, local := s.segs.locate(n)
	if k > s.k && !s.enter(k) {
		return s.find(ctx) // not in that segment: on to the next
	}
	if lead := s.lead(); lead.at == nil || lead.at.Number() < uint64(local) {
		var err error
		if lead.at, err = lead.it.Advance(uint64(local)); err != nil {
			return nil, err
		}
	}
	return s.find(ctx)
}

// lead returns the term that leads in the current segment, nil outside.
func (s *phraseSearcher) lead() *phraseTerm {
	if s.k < 0 || s.k >= len(s.segs.list) {
		return nil
	}
	return s.terms[s.leader]
}

func (s *phraseSearcher) global() uint64 {
	return s.segs.offsets[s.k] + s.terms[s.leader].at.Number()
}

// find returns the first match at or after the lead's posting, moving on
// through the segments.
func (s *phraseSearcher) find(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	for {
		if s.err != nil {
			return nil, s.err
		}
		lead := s.lead()
		if lead == nil || lead.at == nil {
			if !s.nextSegment() {
				s.done = true
				return nil, nil
			}
			continue
		}
		ok, err := s.align()
		if err != nil {
			return nil, err
		}
		if !ok {
			continue // the segment ran out
		}
		if s.matches() {
			s.current = true
			return s.match(ctx), nil
		}
		if lead.at, err = lead.it.Next(); err != nil {
			return nil, err
		}
	}
}

// nextSegment enters the next segment that holds every term of the cover.
func (s *phraseSearcher) nextSegment() bool {
	for k := s.k + 1; k < len(s.segs.list); k++ {
		if s.enter(k) {
			return true
		}
	}
	s.k = len(s.segs.list)
	return false
}

// enter opens the postings of segment k, intersected, and reads the lead's
// first; it returns false when a term is missing from the segment.
func (s *phraseSearcher) enter(k int) bool {
	s.k, s.leader = k, 0
	for _, t := range s.terms {
		t.at = nil
	}
	for _, t := range s.terms {
		if t.lists[k] == nil {
			return false // the lead's posting stays nil: find moves on
		}
	}
	for _, sig := range s.sigs {
		if sig[k] == nil {
			return false
		}
	}
	for i, t := range s.terms {
		if t.lists[k].Count() < s.terms[s.leader].lists[k].Count() {
			s.leader = i
		}
	}
	for _, t := range s.terms {
		t.it = t.lists[k].Iterator(s.scoring, s.scoring, true, t.it)
	}
	// Let every iterator walk only the articles that have all the terms
	// and signatures.
	var and *roaring.Bitmap
	for _, t := range s.terms {
		o, ok := t.it.(segment.OptimizablePostingsIterator)
		if !ok || o.ActualBitmap() == nil {
			and = nil
			break
		}
		if and == nil {
			and = o.ActualBitmap().Clone()
		} else {
			and.And(o.ActualBitmap())
		}
	}
	// Without bitmaps (zap keeps none for a term of one posting, which no
	// field with positions has) the signatures go unused: they only
	// narrow, the positions decide.
	if and != nil && (len(s.terms) > 1 || len(s.sigs) > 0) {
		for _, sig := range s.sigs {
			and.And(sig[k])
		}
		for _, t := range s.terms {
			t.it.(segment.OptimizablePostingsIterator).ReplaceActual(and)
		}
	}
	l := s.terms[s.leader]
	var err error
	if l.at, err = l.it.Next(); err != nil {
		l.at, s.err = nil, err
	}
	return true
}

// align moves the other terms to the lead's article, and the lead on to
// theirs when they are past it, until all sit on one article (true) or
// one of them runs out in this segment (false, the lead then nil).
func (s *phraseSearcher) align() (bool, error) {
	lead := s.terms[s.leader]
	var err error
	for lead.at != nil {
		doc, behind := lead.at.Number(), false
		for i, t := range s.terms {
			if i == s.leader {
				continue
			}
			if t.at == nil || t.at.Number() < doc {
				if t.at, err = t.it.Advance(doc); err != nil {
					return false, err
				}
			}
			if t.at == nil {
				lead.at = nil
				return false, nil
			}
			if n := t.at.Number(); n > doc {
				if lead.at, err = lead.it.Advance(n); err != nil {
					return false, err
				}
				behind = true
				break
			}
		}
		if !behind {
			return true, nil
		}
	}
	return false, nil
}

// matches reports whether the terms that cover the phrase sit at their
// offsets from one another in the current article.
func (s *phraseSearcher) matches() bool {
	for _, t := range s.terms {
		t.pos = t.pos[:0]
		for _, l := range t.at.Locations() {
			t.pos = append(t.pos, l.Pos())
		}
		if !slices.IsSorted(t.pos) {
			slices.Sort(t.pos)
		}
	}
	anchor := s.units[0]
	for _, u := range s.units[1:] {
		if len(s.terms[u.term].pos) < len(s.terms[anchor.term].pos) {
			anchor = u
		}
	}
next:
	for _, p := range s.terms[anchor.term].pos {
		if p < anchor.offset+1 { // positions start at 1
			continue
		}
		start := p - anchor.offset
		for _, u := range s.units {
			if u.offset != anchor.offset {
				if _, found := slices.BinarySearch(s.terms[u.term].pos, start+u.offset); !found {
					continue next
				}
			}
		}
		return true
	}
	return false
}

// match returns the current article as a hit, scored as the sum of the
// tf-idf of the cover's terms (as Bleve scores the terms of a phrase).
func (s *phraseSearcher) match(ctx *search.SearchContext) *search.DocumentMatch {
	dm := ctx.DocumentMatchPool.Get()
	dm.IndexInternalID = index.NewIndexInternalID(dm.IndexInternalID, s.global())
	if s.scoring {
		for _, u := range s.units {
			t := s.terms[u.term]
			weight := s.boost * t.idf * s.queryNorm
			dm.Score += math.Sqrt(float64(t.at.Frequency())) * t.at.Norm() * t.idf * weight
		}
	}
	return dm
}

func (s *phraseSearcher) Weight() float64 {
	w := 0.0
	for _, u := range s.units {
		x := s.boost * s.terms[u.term].idf
		w += x * x
	}
	return w
}

func (s *phraseSearcher) SetQueryNorm(norm float64) { s.queryNorm = norm }

// Count estimates the matches: no more than the rarest term has.
func (s *phraseSearcher) Count() uint64 {
	n := uint64(math.MaxUint64)
	for _, t := range s.terms {
		n = min(n, t.df)
	}
	return n
}

func (s *phraseSearcher) Min() int { return 0 }

func (s *phraseSearcher) Size() int {
	n := 64
	for _, t := range s.terms {
		n += 64 + len(t.term) + 8*len(t.pos)
	}
	return n
}

func (s *phraseSearcher) DocumentMatchPoolSize() int { return 1 }

func (s *phraseSearcher) Close() error { return nil }
