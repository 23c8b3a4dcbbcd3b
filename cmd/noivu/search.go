package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/index"
)

func runSearch(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "search", "[--config FILE] [--json] [--limit N] [--source ID] [--since YYYY-MM-DD] [--until YYYY-MM-DD] QUERY")
	cfgPath := fs.String("config", "config.yaml", "config `file`")
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	limit := fs.Int("limit", 20, "show at most `N` results (1-100)")
	source := fs.String("source", "", "only articles of the source with this `id` (several: a,b)")
	since := fs.String("since", "", "only articles published on or after this `date` (YYYY-MM-DD)")
	until := fs.String("until", "", "only articles published on or before this `date` (YYYY-MM-DD)")
	sortBy := fs.String("sort", index.SortRelevance, "order: relevance or newest")
	pos, err := parse(fs, e, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return withCode(exitUsage, errors.New(`give a query, e.g. noivu search "cải cách hành chính"`))
	}
	req, err := searchRequest(strings.Join(pos, " "), *source, *since, *until, *sortBy, *limit)
	if err != nil {
		return withCode(exitUsage, err)
	}
	st, ix, err := openSearch(ctx, *cfgPath)
	if err != nil {
		return err
	}
	defer st.Close()
	defer ix.Close()
	if _, err := ix.Sync(ctx, st); err != nil {
		return reindexHint(err, *cfgPath)
	}
	res, err := ix.Search(ctx, req)
	if errors.Is(err, index.ErrBadQuery) {
		return withCode(exitUsage, err)
	}
	if err != nil {
		return reindexHint(err, *cfgPath)
	}
	if *asJSON {
		return printSearchJSON(e, res)
	}
	return printSearchTable(e, res, req)
}

// searchRequest builds the index request from the flags.
func searchRequest(q, source, since, until, sortBy string, limit int) (index.Request, error) {
	req := index.Request{Query: q, Sort: sortBy, Size: limit}
	if limit < 1 || limit > index.MaxSize {
		return req, fmt.Errorf("--limit %d: give 1 to %d", limit, index.MaxSize)
	}
	for _, id := range strings.Split(source, ",") {
		if id = strings.TrimSpace(id); id != "" {
			req.Source = append(req.Source, id)
		}
	}
	var err error
	if since != "" {
		if req.Since, _, err = day(since); err != nil {
			return req, fmt.Errorf("--since: %w", err)
		}
	}
	if until != "" {
		if _, req.Until, err = day(until); err != nil {
			return req, fmt.Errorf("--until: %w", err)
		}
	}
	return req, nil
}

// day parses YYYY-MM-DD into that day's bounds in Vietnam time.
func day(s string) (start, end time.Time, err error) {
	if len(s) != len("2006-01-02") {
		return start, end, fmt.Errorf("%q is not a date: write YYYY-MM-DD", s)
	}
	return index.Period(s)
}

// searchJSON is the output of `search --json`, as DESIGN.md gives it.
type searchJSON struct {
	Total int       `json:"total"`
	Hits  []hitJSON `json:"hits"`
}

type hitJSON struct {
	ID        string  `json:"id"`
	URL       string  `json:"url"`
	Title     string  `json:"title"`
	Author    *string `json:"author"`    // null when the page names no person
	Published *string `json:"published"` // RFC 3339 in +07:00, or null
	Source    string  `json:"source"`
	Snippet   string  `json:"snippet"` // HTML: escaped text, matches in <mark>
}

func printSearchJSON(e env, res index.Result) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(toSearchJSON(res))
}

// toSearchJSON is the shape `search --json` and /api/search share.
func toSearchJSON(res index.Result) searchJSON {
	out := searchJSON{Total: res.Total, Hits: make([]hitJSON, 0, len(res.Hits))}
	for _, h := range res.Hits {
		j := hitJSON{ID: h.ID, URL: h.URL, Title: h.Title, Source: h.Source, Snippet: h.Snippet}
		if h.Author != "" {
			j.Author = &h.Author
		}
		if !h.Published.IsZero() {
			p := h.Published.In(article.VietnamZone).Format(time.RFC3339)
			j.Published = &p
		}
		out.Hits = append(out.Hits, j)
	}
	return out
}

func printSearchTable(e env, res index.Result, req index.Request) error {
	if res.Total == 0 {
		fmt.Fprintf(e.stdout, "no articles match %q\n", req.Query)
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DATE\tSOURCE\tTITLE\tURL")
	for _, h := range res.Hits {
		date := "-"
		if !h.Published.IsZero() {
			date = h.Published.In(article.VietnamZone).Format("2006-01-02")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", date, h.Source, clip(h.Title, 70), h.URL)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%d of %d articles (%s)\n", len(res.Hits), res.Total, res.Took.Round(time.Millisecond))
	return nil
}
