package web

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/noivu/noivu/index"
	"github.com/noivu/noivu/store"
)

// indexSearcher is the real search index behind the Searcher interface, as
// cmd/noivu wires it, so that tests of hostile queries meet the real parser
// and its bounds rather than a fake's.
type indexSearcher struct{ ix *index.Index }

// openIndex builds the index of st in dir; it is closed when the test ends.
func openIndex(t testing.TB, dir string, st *store.Store) indexSearcher {
	t.Helper()
	ix, err := index.Open(filepath.Join(dir, "index"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	ix.SetSources(testSources)
	if _, err := ix.Sync(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	return indexSearcher{ix}
}

func indexErr(err error) error {
	if errors.Is(err, index.ErrBadQuery) {
		return fmt.Errorf("%w: %v", ErrBadQuery, err)
	}
	return err
}

func (s indexSearcher) SearchIDs(ctx context.Context, q, source string, limit int) ([]string, error) {
	req := index.Request{Query: q, Sort: index.SortNewest, Size: min(limit, index.MaxSize)}
	if source != "" {
		req.Source = []string{source}
	}
	res, err := s.ix.Search(ctx, req)
	if err != nil {
		return nil, indexErr(err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids, nil
}

func (s indexSearcher) SearchAPI(ctx context.Context, p url.Values) (any, error) {
	size, err := strconv.Atoi(p.Get("limit"))
	if err != nil {
		return nil, fmt.Errorf("limit %q reached the searcher unchecked", p.Get("limit"))
	}
	req := index.Request{Query: p.Get("q"), Sort: p.Get("sort"), Size: size}
	if src := p.Get("source"); src != "" {
		req.Source = strings.Split(src, ",")
	}
	res, err := s.ix.Search(ctx, req)
	if err != nil {
		return nil, indexErr(err)
	}
	type hit struct {
		ID, URL, Title, Author, Source, Snippet string
	}
	out := struct {
		Total int   `json:"total"`
		Hits  []hit `json:"hits"`
	}{Total: res.Total, Hits: []hit{}}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, hit{h.ID, h.URL, h.Title, h.Author, h.Source, h.Snippet})
	}
	return out, nil
}

func (s indexSearcher) Search(ctx context.Context, p SearchParams) (SearchResults, error) {
	res, err := s.ix.Search(ctx, index.Request{Query: p.Query, Source: p.Source, Province: p.Province,
		Since: p.Since, Until: p.Until, Sort: p.Sort, From: p.From, Size: p.Size, Facets: p.Facets})
	if err != nil {
		return SearchResults{}, indexErr(err)
	}
	out := SearchResults{Total: res.Total, Took: res.Took}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, SearchHit{ID: h.ID, URL: h.URL, Title: h.Title, Author: h.Author,
			Published: h.Published, DateOnly: h.DateOnly, Source: h.Source, Province: h.Province, SnippetHTML: h.Snippet})
	}
	for _, f := range res.Facets.Source {
		out.Sources = append(out.Sources, FacetCount{f.Value, f.Count})
	}
	for _, m := range res.Timeline {
		out.Timeline = append(out.Timeline, FacetCount{m.Month, m.Count})
	}
	return out, nil
}
