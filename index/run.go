package index

import (
	"context"
	"math"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// splitAt is the number of articles from which a search runs in two halves
// at once, one per core, each over half of the index's documents: a query
// that matches most of 100,000 articles costs tens of milliseconds of one
// core to score them all (Bleve has no early termination, and the total
// and the facets need every match anyway); two cores halve that when they
// are free ("cải cách hành", 93,000 hits: 55 → 22 ms). Below it, one
// goroutine is cheaper than two.
const splitAt = 20000

// found is what a search returns: a page of hits with their stored fields,
// the total and, when asked, the facet counts.
type found struct {
	hits   []*search.DocumentMatch
	fields []map[string]interface{}
	total  int
	counts *facetCounts
}

// run executes p on the live snapshot of bi: as Bleve's SearchInContext
// would, but, on a large index, as two searches over the two halves of its
// documents, their pages merged. Both read one snapshot, so their totals
// and facets add up exactly.
func (ix *Index) run(ctx context.Context, bi bleve.Index, p plan) (found, error) {
	adv, err := bi.Advanced()
	if err != nil {
		return found{}, err
	}
	r, err := adv.Reader()
	if err != nil {
		return found{}, err
	}
	defer r.Close()
	if ix.generic {
		r = genericReader{r}
	}
	parts, err := ix.split(r)
	if err != nil {
		return found{}, err
	}
	results := make([]partResult, len(parts))
	if len(parts) == 1 {
		results[0] = ix.runPart(ctx, r, p, parts[0])
	} else {
		var wg sync.WaitGroup
		for i := range parts {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = ix.runPart(ctx, r, p, parts[i])
			}()
		}
		wg.Wait()
	}
	var out found
	var pages [][]*search.DocumentMatch
	for _, res := range results {
		if res.err != nil {
			return found{}, res.err
		}
		out.total += res.total
		pages = append(pages, res.hits)
		if res.counts != nil {
			out.counts = out.counts.add(res.counts)
		}
	}
	out.hits = mergePages(pages, p.order)
	out.hits = out.hits[min(p.from, len(out.hits)):min(p.from+p.size, len(out.hits))]
	for _, dm := range out.hits {
		f, err := storedFieldsOf(r, dm.ID)
		if err != nil {
			return found{}, err
		}
		out.fields = append(out.fields, f)
	}
	if p.facets && out.counts == nil {
		out.counts = &facetCounts{}
	}
	return out, nil
}

// genericReader is an index reader that is not known to be scorch's.
type genericReader struct{ index.IndexReader }

// docRange is a range of Bleve's internal document numbers, [lo, hi); hi
// 0 means no upper bound.
type docRange struct{ lo, hi uint64 }

// splitFrom returns the number of articles from which searches split: the
// default on two cores or more, never on one.
func splitFrom() uint64 {
	if runtime.GOMAXPROCS(0) < 2 {
		return math.MaxUint64
	}
	return splitAt
}

// split returns the ranges the search of r runs over: one, or two halves.
func (ix *Index) split(r index.IndexReader) ([]docRange, error) {
	n, err := r.DocCount()
	if err != nil || n < ix.splitFrom {
		return []docRange{{}}, err
	}
	segs, ok := segmentsOf(r)
	if !ok {
		return []docRange{{}}, nil
	}
	last := len(segs.list) - 1
	total := segs.offsets[last] + segs.list[last].Segment().Count()
	return []docRange{{0, total / 2}, {total / 2, 0}}, nil
}

type partResult struct {
	hits   []*search.DocumentMatch
	total  int
	counts *facetCounts
	err    error
}

// runPart collects the first from+size hits of p among the documents of
// rng, with the total and the facet counts of that range.
func (ix *Index) runPart(ctx context.Context, r index.IndexReader, p plan, rng docRange) (res partResult) {
	q := p.root
	if rng != (docRange{}) {
		q = &rangeQuery{inner: q, rng: rng}
	}
	if p.facets {
		res.counts = &facetCounts{}
		q = &facetQuery{inner: q, tables: &ix.facets, counts: res.counts}
	}
	s, err := q.Searcher(ctx, r, ix.mapping, search.SearcherOptions{Score: p.score})
	if err != nil {
		return partResult{err: err}
	}
	defer s.Close()
	// Sorts keep state while they read a hit's values: each part its own.
	c := collector.NewTopNCollector(p.from+p.size, 0, p.order.Copy())
	if err := c.Collect(ctx, s, r); err != nil {
		return partResult{err: err}
	}
	res.hits, res.total = c.Results(), int(c.Total())
	return res
}

// mergePages merges pages sorted by order into one: on a tie, the page of
// the lower documents first, as one search would have ranked them.
func mergePages(pages [][]*search.DocumentMatch, order search.SortOrder) []*search.DocumentMatch {
	if len(pages) == 1 {
		return pages[0]
	}
	scoring, desc := order.CacheIsScore(), order.CacheDescending()
	var out []*search.DocumentMatch
	for _, page := range pages {
		out = append(out, page...)
	}
	slices.SortStableFunc(out, func(a, b *search.DocumentMatch) int {
		return order.Compare(scoring, desc, a, b)
	})
	return out
}

// storedFieldsOf loads the stored fields of document id, as Bleve loads a
// hit's fields: text as strings, dates as RFC 3339 strings.
func storedFieldsOf(r index.IndexReader, id string) (map[string]interface{}, error) {
	doc, err := r.Document(id)
	if err != nil || doc == nil {
		return nil, err
	}
	out := map[string]interface{}{}
	doc.VisitFields(func(f index.Field) {
		switch v := f.(type) {
		case index.TextField:
			out[f.Name()] = v.Text()
		case index.DateTimeField:
			if t, _, err := v.DateTime(); err == nil {
				out[f.Name()] = t.Format(time.RFC3339Nano)
			}
		case index.BooleanField:
			if b, err := v.Boolean(); err == nil {
				out[f.Name()] = b
			}
		}
	})
	return out, nil
}

// rangeQuery matches what inner matches among the documents of rng.
type rangeQuery struct {
	inner query.Query
	rng   docRange
}

func (q *rangeQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping,
	options search.SearcherOptions) (search.Searcher, error) {
	inner, err := q.inner.Searcher(ctx, r, m, options)
	if err != nil {
		return nil, err
	}
	return &rangeSearcher{Searcher: inner, rng: q.rng}, nil
}

type rangeSearcher struct {
	search.Searcher
	rng     docRange
	started bool
}

func (s *rangeSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	if !s.started && s.rng.lo > 0 {
		return s.Advance(ctx, index.NewIndexInternalID(nil, s.rng.lo))
	}
	s.started = true
	return s.within(ctx)(s.Searcher.Next(ctx))
}

func (s *rangeSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	s.started = true
	if id.Value() < s.rng.lo {
		id = index.NewIndexInternalID(nil, s.rng.lo)
	}
	return s.within(ctx)(s.Searcher.Advance(ctx, id))
}

// within drops a hit past the range.
func (s *rangeSearcher) within(ctx *search.SearchContext) func(*search.DocumentMatch, error) (*search.DocumentMatch, error) {
	return func(dm *search.DocumentMatch, err error) (*search.DocumentMatch, error) {
		if dm != nil && s.rng.hi > 0 && dm.IndexInternalID.Value() >= s.rng.hi {
			ctx.DocumentMatchPool.Put(dm)
			return nil, err
		}
		return dm, err
	}
}
