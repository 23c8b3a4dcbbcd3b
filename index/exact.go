package index

import (
	"bytes"
	"context"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// exactQuery matches what inner matches, the syllables folded, and ranks
// higher the hits that hold the syllables typed with diacritics as typed:
// that is what ranks "thưởng" above "thương" for a query typed "thưởng". A
// hit's score from inner is multiplied by 1 + f/foldedWeight, f being the
// fraction of the exact syllables it holds in the exact field; inner's
// boost carries foldedWeight, so a hit holding them all scores as if it
// matched at full weight, and one holding none keeps its folded score.
//
// Before, the exact syllables were "should" term clauses of a Bleve
// boolean query: their scores came from their own frequencies, but Bleve's
// boolean and disjunction searchers, and decoding those frequencies, cost
// more on each hit than the match itself. Here each exact syllable's
// postings are only asked whether they hold the hit; the hit's tf-idf
// (frequency, length) comes from the folded match.
type exactQuery struct {
	inner query.Query
	field string   // the exact field
	terms []string // syllables with diacritics, as typed
}

func (q *exactQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping,
	options search.SearcherOptions) (search.Searcher, error) {
	inner, err := q.inner.Searcher(ctx, r, m, options)
	if err != nil || options.Score == "none" {
		return inner, err // nothing to rank
	}
	s := &exactSearcher{inner: inner, gain: 1 / (foldedWeight * float64(len(q.terms)))}
	if segs, ok := segmentsOf(r); ok {
		s.segs = segs
		for _, t := range q.terms {
			docs, err := segs.docs(q.field, t)
			if err != nil {
				inner.Close()
				return nil, err
			}
			if docs == nil { // no bitmaps in these segments: read postings
				s.segs, s.docs = nil, nil
				break
			}
			s.docs = append(s.docs, docs)
		}
		if s.segs != nil {
			return s, nil
		}
	}
	for _, t := range q.terms {
		if err := search.RecordTermSearcher(ctx); err != nil {
			s.Close()
			return nil, err
		}
		tfr, err := r.TermFieldReader(ctx, []byte(t), q.field, false, false, false)
		if err != nil {
			s.Close()
			return nil, err
		}
		s.terms = append(s.terms, &exactTerm{reader: tfr})
	}
	return s, nil
}

type exactTerm struct {
	reader index.TermFieldReader
	doc    index.TermFieldDoc
	at     *index.TermFieldDoc // nil before the first read and after the last
	done   bool
}

type exactSearcher struct {
	inner search.Searcher
	gain  float64 // added to the multiplier per exact syllable held
	// Where each exact syllable is: per segment bitmaps on scorch, else
	// postings read in step with the hits.
	segs  *segments
	docs  [][]*roaring.Bitmap // by syllable, by segment
	terms []*exactTerm
}

func (s *exactSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	dm, err := s.inner.Next(ctx)
	if err != nil || dm == nil {
		return dm, err
	}
	return dm, s.boost(ctx, dm)
}

func (s *exactSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	dm, err := s.inner.Advance(ctx, id)
	if err != nil || dm == nil {
		return dm, err
	}
	return dm, s.boost(ctx, dm)
}

// boost multiplies dm's score by 1 + gain per exact syllable it holds.
func (s *exactSearcher) boost(_ *search.SearchContext, dm *search.DocumentMatch) error {
	id := dm.IndexInternalID
	held := 0
	if s.segs != nil {
		k, local := s.segs.locate(id.Value())
		for _, docs := range s.docs {
			if bm := docs[k]; bm != nil && bm.Contains(local) {
				held++
			}
		}
	}
	for _, t := range s.terms {
		if t.done {
			continue
		}
		if t.at == nil || bytes.Compare(t.at.ID, id) < 0 {
			var err error
			if t.at, err = t.reader.Advance(id, t.doc.Reset()); err != nil {
				return err
			}
			t.done = t.at == nil
		}
		if t.at != nil && bytes.Equal(t.at.ID, id) {
			held++
		}
	}
	dm.Score *= 1 + float64(held)*s.gain
	return nil
}

func (s *exactSearcher) Weight() float64        { return s.inner.Weight() }
func (s *exactSearcher) SetQueryNorm(n float64) { s.inner.SetQueryNorm(n) }

func (s *exactSearcher) Count() uint64 { return s.inner.Count() }
func (s *exactSearcher) Min() int      { return s.inner.Min() }

func (s *exactSearcher) Size() int {
	n := s.inner.Size()
	for _, t := range s.terms {
		n += 64 + t.reader.Size()
	}
	return n
}

func (s *exactSearcher) DocumentMatchPoolSize() int { return s.inner.DocumentMatchPoolSize() + 1 }

func (s *exactSearcher) Close() error {
	err := s.inner.Close()
	for _, t := range s.terms {
		if cerr := t.reader.Close(); err == nil {
			err = cerr
		}
	}
	return err
}
