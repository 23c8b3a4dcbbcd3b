package index

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// The orders a Request may ask for.
const (
	SortRelevance = "relevance" // best match first (the default)
	SortNewest    = "newest"    // latest published first, undated last
)

// Bounds on a page of results.
const (
	DefaultSize = 10
	MaxSize     = 100
	maxWindow   = 10000 // From+Size: deeper pages cost every shard a sort
	maxFacet    = 100   // values per facet
	maxMonths   = 1200  // a century of timeline
)

// Request is one search: the query text (see ParseQuery) and filters that
// a user picks outside it. Filters narrow results without changing ranks.
type Request struct {
	Query    string
	Source   []string  // source ids; any of them
	Province []string  // provinces, with or without diacritics, historical or current; any of them
	Since    time.Time // published at or after; zero: no bound
	Until    time.Time // published before (exclusive); zero: no bound
	Sort     string    // SortRelevance ("" too) or SortNewest
	From     int       // hits to skip
	Size     int       // hits to return; 0 means DefaultSize, at most MaxSize
	Facets   bool      // count matches by source, province, year and month
}

// Result is one page of a search.
type Result struct {
	Total    int // articles matching, beyond this page
	Hits     []Hit
	Facets   Facets       // empty unless the request asked for them
	Timeline []MonthCount // matches per month, oldest first, gaps as zeros; with Facets
	Took     time.Duration
}

// Facets count the matching articles by value, most frequent first (years
// newest first).
type Facets struct {
	Source, Province, Year []FacetCount
}

// FacetCount is one value of a facet and the matches that have it.
type FacetCount struct {
	Value string
	Count int
}

// MonthCount is the number of matches published in Month ("2024-03").
type MonthCount struct {
	Month string
	Count int
}

// Search runs r. A query or request it cannot accept returns an error
// wrapping ErrBadQuery.
func (ix *Index) Search(ctx context.Context, r Request) (Result, error) {
	start := time.Now()
	p, err := ix.request(r)
	if err != nil {
		return Result{}, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	bi, err := ix.live()
	if err != nil {
		return Result{}, err
	}
	found, err := ix.run(ctx, bi, p)
	if err != nil {
		return Result{}, fmt.Errorf("index: search %q: %w", r.Query, err)
	}
	res := Result{Total: found.total, Hits: make([]Hit, 0, len(found.hits))}
	hl := newHighlighter(ix.mapping)
	for i, dm := range found.hits {
		h := hitFromFields(dm.ID, dm.Score, found.fields[i])
		text, _ := found.fields[i][fieldText].(string)
		h.TitleHTML = hl.whole(h.Title, p.marks.title)
		h.Snippet = hl.snippet(text, p.marks.text)
		res.Hits = append(res.Hits, h)
	}
	if r.Facets {
		res.Facets, res.Timeline = found.counts.facets()
	}
	res.Took = time.Since(start)
	return res, nil
}

// plan is a checked request, ready to run.
type plan struct {
	root       query.Query
	from, size int
	order      search.SortOrder
	score      string // "none" when the order needs no scores
	facets     bool
	marks      marks // what to highlight
}

// request checks r and plans it.
func (ix *Index) request(r Request) (plan, error) {
	q, err := ParseQuery(r.Query)
	if err != nil {
		return plan{}, err
	}
	size := r.Size
	if size == 0 {
		size = DefaultSize
	}
	switch {
	case size < 0 || size > MaxSize:
		return plan{}, badQuery("size %d: ask for 1 to %d hits", r.Size, MaxSize)
	case r.From < 0 || r.From+size > maxWindow:
		return plan{}, badQuery("from %d: results beyond the first %d cannot be paged to; narrow the search", r.From, maxWindow)
	case r.Sort != "" && r.Sort != SortRelevance && r.Sort != SortNewest:
		return plan{}, badQuery("sort %q: use %s or %s", r.Sort, SortRelevance, SortNewest)
	}
	c := newCompiler(ix.mapping)
	cq, err := c.compile(q)
	if err != nil {
		return plan{}, err
	}
	since, until := Intersect(q.Since, q.Until, r.Since, r.Until)
	filters, err := c.requestFilters(r, since, until)
	if err != nil {
		return plan{}, err
	}
	p := plan{root: assemble(cq, filters), from: r.From, size: size, order: sortOrder(r.Sort),
		facets: r.Facets, marks: cq.marks}
	if r.Sort == SortNewest {
		p.score = "none" // newest first needs no scores: skip computing them
	}
	return p, nil
}

// requestFilters adds the request's own filters to those of the query.
func (c *compiler) requestFilters(r Request, since, until time.Time) ([]query.Query, error) {
	filters := c.out.filters
	if len(r.Source) > 0 {
		var qs []query.Query
		for _, s := range r.Source {
			qs = append(qs, c.keyQuery(Clause{Field: fieldSource, Text: s}))
		}
		filters = append(filters, query.NewDisjunctionQuery(qs))
	}
	if len(r.Province) > 0 {
		var qs []query.Query
		for _, p := range r.Province {
			qs = append(qs, c.keyQuery(Clause{Field: fieldProvince, Text: p}))
		}
		filters = append(filters, query.NewDisjunctionQuery(qs))
	}
	if since.IsZero() && until.IsZero() {
		return filters, nil
	}
	for _, t := range []time.Time{since, until} {
		if !t.IsZero() && (t.Year() < 1900 || t.Year() > 2199) {
			return nil, badQuery("date %s is out of range (1900-2199)", t.Format(time.RFC3339))
		}
	}
	if !since.IsZero() && !until.IsZero() && !since.Before(until) {
		return nil, badQuery("the date range is empty: since %s is not before until %s",
			since.Format(time.RFC3339), until.Format(time.RFC3339))
	}
	inclusive, exclusive := true, false
	dr := query.NewDateRangeInclusiveQuery(since, until, &inclusive, &exclusive)
	dr.SetField(fieldPublished)
	return append(filters, dr), nil
}

// assemble joins the scored clauses, the exclusions and the filters. The
// filters are clauses of the conjunction, scored zero (filterQuery), rather
// than Bleve's boolean filter: that one reads every match of the scored
// clauses and then checks the filter, so "của source:x" scored all 100,000
// articles with "của" to keep 1,400; in a conjunction the rarest clause
// leads and the others are only asked about its articles.
func assemble(cq compiled, filters []query.Query) query.Query {
	must := cq.must
	switch len(filters) {
	case 0:
	case 1:
		must = append(must, &filterQuery{filters[0]})
	default:
		must = append(must, &filterQuery{query.NewConjunctionQuery(filters)})
	}
	if len(must)+len(cq.mustNot) == 0 {
		return query.NewMatchAllQuery()
	}
	if len(must) == 1 && len(cq.mustNot) == 0 {
		return must[0]
	}
	return query.NewBooleanQuery(must, nil, cq.mustNot)
}

// sortOrder ranks by score alone, or by date with the id breaking ties.
// A score-only order keeps Bleve's fast path (no stored date or id loaded
// per match: on a common term at 100k articles p99 fell from 189 to 39 ms);
// its ties fall in index order, which is stable, so pages never overlap.
func sortOrder(s string) search.SortOrder {
	if s == SortNewest {
		newest := &search.SortField{Field: fieldPublished, Type: search.SortFieldAsDate, Desc: true,
			Missing: search.SortFieldMissingLast}
		return search.SortOrder{newest, &search.SortDocID{}}
	}
	return search.SortOrder{&search.SortScore{Desc: true}}
}

// timeline orders month counts and fills the months between with zeros.
func timeline(months []FacetCount) []MonthCount {
	if len(months) == 0 {
		return []MonthCount{}
	}
	sort.Slice(months, func(i, j int) bool { return months[i].Value < months[j].Value })
	counts := make(map[string]int, len(months))
	for _, m := range months {
		counts[m.Value] = m.Count
	}
	first, err1 := time.Parse("2006-01", months[0].Value)
	last, err2 := time.Parse("2006-01", months[len(months)-1].Value)
	if err1 != nil || err2 != nil {
		return nil
	}
	var out []MonthCount
	for t := first; !t.After(last) && len(out) < maxMonths; t = t.AddDate(0, 1, 0) {
		m := t.Format("2006-01")
		out = append(out, MonthCount{Month: m, Count: counts[m]})
	}
	return out
}

// String renders a request for logs.
func (r Request) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q", r.Query)
	if len(r.Source) > 0 {
		fmt.Fprintf(&b, " source=%s", strings.Join(r.Source, ","))
	}
	if len(r.Province) > 0 {
		fmt.Fprintf(&b, " province=%s", strings.Join(r.Province, ","))
	}
	return b.String()
}
