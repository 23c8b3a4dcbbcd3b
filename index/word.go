package index

import (
	"context"
	"math"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// wordQuery matches one syllable, folded, in any of its fields, the hits
// that hold it as typed (diacritics and all) ranked higher: what termQuery
// builds from Bleve's queries (a disjunction, over the fields, of term
// queries wrapped in exactQuery), in one searcher that reads scorch's
// segments directly and scores as that composition does. A word common
// enough to be in every article cost 0.15 µs per article and field through
// Bleve's term, disjunction and boolean searchers; three such words, which
// researchers type every day, took 100 ms at 100,000 articles. On an index
// that is not scorch's it is that composition.
type wordQuery struct {
	folded string
	exact  string // as typed, when it has diacritics; "" when not
	fields []weighted
	weight float64 // of the folded match: foldedWeight when exact is set
}

// bleveQuery is q as Bleve's queries.
func (q *wordQuery) bleveQuery() query.Query {
	var qs []query.Query
	for _, f := range q.fields {
		match := term(f.name+suffixFolded, q.folded, f.boost*q.weight)
		if q.exact != "" {
			match = &exactQuery{inner: match, field: f.name, terms: []string{q.exact}}
		}
		qs = append(qs, match)
	}
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewDisjunctionQuery(qs)
}

func (q *wordQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping,
	options search.SearcherOptions) (search.Searcher, error) {
	segs, ok := segmentsOf(r)
	if !ok {
		return q.bleveQuery().Searcher(ctx, r, m, options)
	}
	docs, err := r.DocCount()
	if err != nil {
		return nil, err
	}
	s := &wordSearcher{segs: segs, scoring: options.Score != "none", k: -1}
	for _, f := range q.fields {
		if err := search.RecordTermSearcher(ctx); err != nil {
			return nil, err
		}
		wf := &wordField{boost: f.boost * q.weight}
		if err := wf.open(segs, f.name+suffixFolded, q.folded); err != nil {
			return nil, err
		}
		wf.idf = 1 + math.Log(float64(docs)/float64(wf.df+1)) // Bleve's tf-idf
		if q.exact != "" && s.scoring {
			if wf.exact, err = segs.docs(f.name, q.exact); err != nil {
				return nil, err
			}
			if wf.exact == nil { // no bitmaps in these segments
				return q.bleveQuery().Searcher(ctx, r, m, options)
			}
		}
		s.fields = append(s.fields, wf)
	}
	s.SetQueryNorm(1 / math.Sqrt(s.Weight()))
	return s, nil
}

// wordField is the syllable's postings in one field.
type wordField struct {
	boost float64
	idf   float64
	df    uint64
	lists []segment.PostingsList // by segment; nil where absent
	exact []*roaring.Bitmap      // by segment: articles holding the exact form

	it segment.PostingsIterator // in the current segment
	at segment.Posting          // its current posting; nil at the segment's end
}

func (f *wordField) open(segs *segments, field, term string) error {
	var err error
	f.lists, f.df, err = segs.postings(field, term)
	return err
}

type wordSearcher struct {
	segs      *segments
	fields    []*wordField
	scoring   bool
	queryNorm float64
	k         int    // current segment; -1 before the first
	doc       uint64 // local number of the current match in segment k
	current   bool   // a match was returned and not moved from
	done      bool
}

func (s *wordSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if s.done {
		return nil, nil
	}
	if s.current {
		// Move the fields that sat on the match.
		for _, f := range s.fields {
			if f.at != nil && f.at.Number() == s.doc {
				var err error
				if f.at, err = f.it.Next(); err != nil {
					return nil, err
				}
			}
		}
		s.current = false
	}
	return s.find(ctx)
}

// Advance returns the first match at or after id; the current one again
// when id does not pass it, as Bleve's searchers do.
func (s *wordSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	if s.done {
		return nil, nil
	}
	n := id.Value()
	if s.current && s.segs.offsets[s.k]+s.doc >= n {
		return s.match(ctx), nil
	}
	s.current = false
	k, local := s.segs.locate(n)
	if k < s.k {
		return s.find(ctx) // already past it
	}
	if k > s.k {
		s.enter(k)
	}
	for _, f := range s.fields {
		if f.it != nil && (f.at == nil || f.at.Number() < uint64(local)) {
			var err error
			if f.at, err = f.it.Advance(uint64(local)); err != nil {
				return nil, err
			}
		}
	}
	return s.find(ctx)
}

// find returns the match the fields' lowest posting is, moving through the
// segments.
func (s *wordSearcher) find(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	for {
		if s.k >= 0 && s.k < len(s.segs.list) {
			low, any := uint64(math.MaxUint64), false
			for _, f := range s.fields {
				if f.at != nil && f.at.Number() < low {
					low, any = f.at.Number(), true
				}
			}
			if any {
				s.doc, s.current = low, true
				return s.match(ctx), nil
			}
		}
		if s.k+1 >= len(s.segs.list) {
			s.k, s.done = len(s.segs.list), true
			return nil, nil
		}
		s.enter(s.k + 1)
	}
}

// enter opens the fields' postings in segment k and reads their first.
func (s *wordSearcher) enter(k int) {
	s.k = k
	for _, f := range s.fields {
		f.at = nil
		if f.lists[k] == nil {
			f.it = nil
			continue
		}
		f.it = f.lists[k].Iterator(s.scoring, s.scoring, false, f.it)
		var err error
		if f.at, err = f.it.Next(); err != nil {
			f.at = nil
		}
	}
}

// match returns the current article as a hit, scored as Bleve scores the
// disjunction of the fields' term queries (the sum of their tf-idf, times
// the share of fields that match), each field's part multiplied as
// exactQuery does when the article holds the exact form there.
func (s *wordSearcher) match(ctx *search.SearchContext) *search.DocumentMatch {
	dm := ctx.DocumentMatchPool.Get()
	dm.IndexInternalID = index.NewIndexInternalID(dm.IndexInternalID, s.segs.offsets[s.k]+s.doc)
	if !s.scoring {
		return dm
	}
	sum, matched := 0.0, 0
	for _, f := range s.fields {
		if f.at == nil || f.at.Number() != s.doc {
			continue
		}
		score := math.Sqrt(float64(f.at.Frequency())) * f.at.Norm() * f.idf * f.boost * f.idf * s.queryNorm
		if f.exact != nil {
			if bm := f.exact[s.k]; bm != nil && bm.Contains(uint32(s.doc)) {
				score *= 1 + 1/foldedWeight
			}
		}
		sum += score
		matched++
	}
	if len(s.fields) > 1 {
		sum *= float64(matched) / float64(len(s.fields))
	}
	dm.Score = sum
	return dm
}

func (s *wordSearcher) Weight() float64 {
	w := 0.0
	for _, f := range s.fields {
		w += (f.boost * f.idf) * (f.boost * f.idf)
	}
	return w
}

func (s *wordSearcher) SetQueryNorm(norm float64) { s.queryNorm = norm }

func (s *wordSearcher) Count() uint64 {
	n := uint64(0)
	for _, f := range s.fields {
		n += f.df
	}
	return n
}

func (s *wordSearcher) Min() int                   { return 0 }
func (s *wordSearcher) Size() int                  { return 64 + 64*len(s.fields) }
func (s *wordSearcher) DocumentMatchPoolSize() int { return 1 }
func (s *wordSearcher) Close() error               { return nil }
