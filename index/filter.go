package index

import (
	"context"

	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// filterQuery matches what inner matches with a score of zero and no
// weight, so that it narrows a conjunction without changing its ranks.
// Inner is searched without scores, which lets Bleve join the postings of
// a date range's many terms into one bitmap instead of scoring each.
type filterQuery struct {
	inner query.Query
}

func (q *filterQuery) Searcher(ctx context.Context, r index.IndexReader, m mapping.IndexMapping,
	options search.SearcherOptions) (search.Searcher, error) {
	inner, err := q.inner.Searcher(ctx, r, m, search.SearcherOptions{Score: "none"})
	if err != nil {
		return nil, err
	}
	return filterSearcher{inner}, nil
}

type filterSearcher struct {
	search.Searcher
}

func (s filterSearcher) Next(ctx *search.SearchContext) (*search.DocumentMatch, error) {
	return zero(s.Searcher.Next(ctx))
}

func (s filterSearcher) Advance(ctx *search.SearchContext, id index.IndexInternalID) (*search.DocumentMatch, error) {
	return zero(s.Searcher.Advance(ctx, id))
}

func zero(dm *search.DocumentMatch, err error) (*search.DocumentMatch, error) {
	if dm != nil {
		dm.Score = 0
	}
	return dm, err
}

func (filterSearcher) Weight() float64      { return 0 }
func (filterSearcher) SetQueryNorm(float64) {}
