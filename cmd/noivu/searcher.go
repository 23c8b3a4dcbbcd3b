package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"sync/atomic"

	"github.com/noivu/noivu/index"
	"github.com/noivu/noivu/web"
)

// lazySearcher is serve's Searcher: it answers web.ErrUnavailable (a 503)
// until serve has opened the index, then searches it.
type lazySearcher struct{ ix atomic.Pointer[index.Index] }

var _ web.Searcher = (*lazySearcher)(nil)

func (l *lazySearcher) open() (indexSearcher, error) {
	ix := l.ix.Load()
	if ix == nil {
		return indexSearcher{}, web.ErrUnavailable
	}
	return indexSearcher{ix}, nil
}

func (l *lazySearcher) SearchIDs(ctx context.Context, q, source string, limit int) ([]string, error) {
	s, err := l.open()
	if err != nil {
		return nil, err
	}
	return s.SearchIDs(ctx, q, source, limit)
}

func (l *lazySearcher) SearchAPI(ctx context.Context, p url.Values) (any, error) {
	s, err := l.open()
	if err != nil {
		return nil, err
	}
	return s.SearchAPI(ctx, p)
}

func (l *lazySearcher) Search(ctx context.Context, p web.SearchParams) (web.SearchResults, error) {
	s, err := l.open()
	if err != nil {
		return web.SearchResults{}, err
	}
	return s.Search(ctx, p)
}

// indexSearcher lets the web server search the index it does not know.
type indexSearcher struct{ ix *index.Index }

var _ web.Searcher = indexSearcher{}

func (s indexSearcher) SearchIDs(ctx context.Context, q, source string, limit int) ([]string, error) {
	req := index.Request{Query: q, Sort: index.SortNewest, Size: min(limit, index.MaxSize)}
	if source != "" {
		req.Source = []string{source}
	}
	res, err := s.ix.Search(ctx, req)
	if err != nil {
		return nil, badQuery(err)
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, nil
}

func (s indexSearcher) SearchAPI(ctx context.Context, p url.Values) (any, error) {
	limit := 20
	if v := p.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, fmt.Errorf("%w: limit %q is not a number", web.ErrBadQuery, v)
		}
		limit = n
	}
	req, err := searchRequest(p.Get("q"), p.Get("source"), p.Get("since"), p.Get("until"), p.Get("sort"), limit)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", web.ErrBadQuery, err)
	}
	res, err := s.ix.Search(ctx, req)
	if err != nil {
		return nil, badQuery(err)
	}
	return toSearchJSON(res), nil
}

// badQuery maps the index's errors to the web's: a query error is the
// user's (a 400), an index being rebuilt is search unavailable (a 503).
func badQuery(err error) error {
	switch {
	case errors.Is(err, index.ErrBadQuery):
		return fmt.Errorf("%w: %v", web.ErrBadQuery, err)
	case errors.Is(err, index.ErrReindex):
		// serve is rebuilding the index (serveIndexer.rebuild): a 503.
		return fmt.Errorf("%w: %v", web.ErrUnavailable, err)
	}
	return err
}

func (s indexSearcher) Search(ctx context.Context, p web.SearchParams) (web.SearchResults, error) {
	res, err := s.ix.Search(ctx, index.Request{Query: p.Query, Source: p.Source, Province: p.Province,
		Since: p.Since, Until: p.Until, Sort: p.Sort, From: p.From, Size: p.Size, Facets: p.Facets})
	if err != nil {
		return web.SearchResults{}, badQuery(err)
	}
	out := web.SearchResults{Total: res.Total, Took: res.Took, Sources: facetCounts(res.Facets.Source),
		Province: facetCounts(res.Facets.Province), Years: facetCounts(res.Facets.Year)}
	for _, m := range res.Timeline {
		out.Timeline = append(out.Timeline, web.FacetCount{Value: m.Month, Count: m.Count})
	}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, web.SearchHit{ID: h.ID, URL: h.URL, Title: h.Title, Author: h.Author,
			Published: h.Published, DateOnly: h.DateOnly, Source: h.Source, Province: h.Province, SnippetHTML: h.Snippet})
	}
	return out, nil
}

func facetCounts(fs []index.FacetCount) []web.FacetCount {
	out := make([]web.FacetCount, len(fs))
	for i, f := range fs {
		out[i] = web.FacetCount{Value: f.Value, Count: f.Count}
	}
	return out
}
