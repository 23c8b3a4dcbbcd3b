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

// pairPhraseQuery matches a phrase of three syllables or more on a field of
// syllable pairs (analyzerBigram): the pairs of the phrase must all be in
// one article, pair i at the position of pair 0 plus i. It matches and
// scores as Bleve's phrase query over the same pairs does (a hit's score is
// the sum of its pairs' tf-idf term scores), but reads scorch's segments
// directly: Bleve's phrase searcher builds maps of locations for every
// candidate and its term readers copy every location, which made a phrase
// of common syllables cost 2-3 µs per candidate article ("sở nội vụ" took
// 0.1 s on 20,000 articles; three-syllable phrases 0.36 s at p99 on
// 100,000); here the cost is decoding the positions. On an index that is
// not scorch's it is Bleve's phrase query.
//
// Only a cover of the phrase is read (pairs 0, 2, 4, … and the last one):
// pairs that cover every syllable at their offsets are the phrase, so the
// others add nothing but work. A hit scores the sum of the tf-idf of the
// cover's pairs (Bleve's phrase query would sum over every pair).
type pairPhraseQuery struct {
	field string
	pairs []string // the n-1 pairs of an n-syllable phrase, in order
	boost float64
}

func (q *pairPhraseQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping,
	options search.SearcherOptions) (search.Searcher, error) {
	segs, ok := segmentsOf(r)
	if !ok {
		pq := query.NewPhraseQuery(q.pairs, q.field)
		pq.SetBoost(q.boost)
		return pq.Searcher(ctx, r, m, options)
	}
	docs, err := r.DocCount()
	if err != nil {
		return nil, err
	}
	s := &pairPhraseSearcher{segs: segs, scoring: options.Score != "none", boost: q.boost, k: -1}
	for i, p := range q.pairs {
		if i%2 != 0 && i != len(q.pairs)-1 {
			continue // not in the cover: the others already pin this one
		}
		t := slices.IndexFunc(s.terms, func(t *pairTerm) bool { return t.term == p })
		if t < 0 {
			if err := search.RecordTermSearcher(ctx); err != nil {
				return nil, err
			}
			t = len(s.terms)
			s.terms = append(s.terms, &pairTerm{term: p})
		}
		s.units = append(s.units, pairUnit{term: t, offset: uint64(i)})
	}
	for _, t := range s.terms {
		if err := t.open(segs, q.field); err != nil {
			return nil, err
		}
		t.idf = 1 + math.Log(float64(docs)/float64(t.df+1)) // Bleve's tf-idf
	}
	s.SetQueryNorm(1 / math.Sqrt(s.Weight()))
	return s, nil
}

// pairTerm is one distinct pair of a phrase and its postings.
type pairTerm struct {
	term  string
	lists []segment.PostingsList
	df    uint64 // articles that have it
	idf   float64

	it  segment.PostingsIterator // in the current segment
	at  segment.Posting          // the current posting; nil when the segment has no more
	pos []uint64                 // positions of at, sorted
}

// open finds the postings of t in each segment, deleted articles left out.
func (t *pairTerm) open(segs *segments, field string) error {
	var err error
	t.lists, t.df, err = segs.postings(field, t.term)
	return err
}

// pairUnit is one pair of the phrase: which term, at which offset.
type pairUnit struct {
	term   int
	offset uint64
}

type pairPhraseSearcher struct {
	segs      *segments
	terms     []*pairTerm
	units     []pairUnit // the cover
	scoring   bool
	boost     float64
	queryNorm float64

	k       int  // current segment; -1 before the first
	leader  int  // the term with the fewest postings in segment k
	current bool // the terms sit on a match already returned
	done    bool
}

func (s *pairPhraseSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
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
func (s *pairPhraseSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
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
func (s *pairPhraseSearcher) lead() *pairTerm {
	if s.k < 0 || s.k >= len(s.segs.list) {
		return nil
	}
	return s.terms[s.leader]
}

func (s *pairPhraseSearcher) global() uint64 {
	return s.segs.offsets[s.k] + s.terms[s.leader].at.Number()
}

// find returns the first match at or after the lead's posting, moving on
// through the segments.
func (s *pairPhraseSearcher) find(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	for {
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

// nextSegment enters the next segment that holds every pair.
func (s *pairPhraseSearcher) nextSegment() bool {
	for k := s.k + 1; k < len(s.segs.list); k++ {
		if s.enter(k) {
			return true
		}
	}
	s.k = len(s.segs.list)
	return false
}

// enter opens the postings of segment k, intersected, and reads the lead's
// first; it returns false when a pair is missing from the segment.
func (s *pairPhraseSearcher) enter(k int) bool {
	s.k, s.leader = k, 0
	for _, t := range s.terms {
		t.at = nil
	}
	for _, t := range s.terms {
		if t.lists[k] == nil {
			return false // the lead's posting stays nil: find moves on
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
	// Let every iterator walk only the articles that have all the pairs.
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
	if and != nil && len(s.terms) > 1 {
		for _, t := range s.terms {
			t.it.(segment.OptimizablePostingsIterator).ReplaceActual(and)
		}
	}
	l := s.terms[s.leader]
	var err error
	if l.at, err = l.it.Next(); err != nil {
		l.at = nil
	}
	return true
}

// align moves the other pairs to the lead's article, and the lead on to
// theirs when they are past it, until all sit on one article (true) or
// one of them runs out in this segment (false, the lead then nil).
func (s *pairPhraseSearcher) align() (bool, error) {
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

// matches reports whether the pairs that cover the phrase sit at their
// offsets from one another in the current article.
func (s *pairPhraseSearcher) matches() bool {
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
// tf-idf of the cover's pairs (as Bleve scores the terms of a phrase).
func (s *pairPhraseSearcher) match(ctx *search.SearchContext) *search.DocumentMatch {
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

func (s *pairPhraseSearcher) Weight() float64 {
	w := 0.0
	for _, u := range s.units {
		x := s.boost * s.terms[u.term].idf
		w += x * x
	}
	return w
}

func (s *pairPhraseSearcher) SetQueryNorm(norm float64) { s.queryNorm = norm }

// Count estimates the matches: no more than the rarest pair has.
func (s *pairPhraseSearcher) Count() uint64 {
	n := uint64(math.MaxUint64)
	for _, t := range s.terms {
		n = min(n, t.df)
	}
	return n
}

func (s *pairPhraseSearcher) Min() int { return 0 }

func (s *pairPhraseSearcher) Size() int {
	n := 64
	for _, t := range s.terms {
		n += 64 + len(t.term) + 8*len(t.pos)
	}
	return n
}

func (s *pairPhraseSearcher) DocumentMatchPoolSize() int { return 1 }

func (s *pairPhraseSearcher) Close() error { return nil }
