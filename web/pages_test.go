package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/feed"
	"github.com/noivu/noivu/store"
)

func TestPages(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, dir, 12, 3, 1)
	defer st.Close()
	crawled := day0.Add(2 * time.Hour)
	recordRun(t, st, article.RunStats{SourceID: "sonla", Started: crawled.Add(-time.Minute), Finished: crawled, Fetched: 20, New: 12})
	recordRun(t, st, article.RunStats{SourceID: "binhdinh", Started: crawled, Finished: crawled.Add(time.Minute), Err: "host down"})
	writeBytes(t, filepath.Join(dir, "warc", "noivu-00001.warc.gz"), 1234)
	writeBytes(t, filepath.Join(dir, "index", "gen-1", "store"), 4321)
	_, hs := newTestServer(t, st, Options{DataDir: dir})
	for _, path := range []string{"/", "/sources"} {
		r := get(t, hs, "GET", path)
		if r.code != 200 || !strings.Contains(r.hdr.Get("Content-Security-Policy"), "default-src 'none'") {
			t.Fatalf("%s: %d, CSP %q", path, r.code, r.hdr.Get("Content-Security-Policy"))
		}
		mustContain(t, path, r.body, `<link rel="alternate" type="application/rss+xml"`,
			`href="https://noivu.example.org/feed.atom"`, "opensearch.xml")
	}
	h := get(t, hs, "GET", "/sources")
	mustContain(t, "/sources", h.body, "<svg", "<rect", "Sở Nội vụ tỉnh Bình Định", "chưa bao giờ")
	o := get(t, hs, "GET", "/opml")
	mustContain(t, "/opml", o.body, `xmlUrl="https://noivu.example.org/feed.rss"`,
		`xmlUrl="https://noivu.example.org/sources/gialai/feed.rss"`,
		`xmlUrl="https://noivu.example.org/provinces/binh-dinh/feed.rss"`)
	os := get(t, hs, "GET", "/opensearch.xml")
	mustContain(t, "/opensearch.xml", os.body, `template="https://noivu.example.org/feed.rss?q={searchTerms}"`)
	if r := get(t, hs, "GET", "/healthz"); r.code != 200 || !strings.Contains(r.body, `"status":"ok"`) {
		t.Errorf("/healthz: %d %s", r.code, r.body)
	}
	get(t, hs, "GET", "/nope")
	m := get(t, hs, "GET", "/metrics")
	mustContain(t, "/metrics", m.body, `noivu_http_requests_total{code="200",route="GET /opml"} 1`,
		`noivu_http_requests_total{code="404",route="unmatched"} 1`, `noivu_source_articles{source="sonla"} 12`,
		"noivu_feed_rebuilds_total 1")
	for series, want := range map[string]float64{
		// the end of the last completed pass; a failed pass is no crawl
		`noivu_source_last_crawl_timestamp_seconds{source="sonla"}`: float64(crawled.Unix()),
		`noivu_source_last_run_pages{outcome="new",source="sonla"}`: 12,
		`noivu_archive_bytes`: 1234,
		`noivu_index_bytes`:   4321,
		// runs before the server started are not counted, but the series exist
		`noivu_crawl_pages_total{outcome="new",source="sonla"}`:     0,
		`noivu_crawl_runs_total{result="failed",source="binhdinh"}`: 0,
	} {
		if got, ok := metric(m.body, series); !ok || got != want {
			t.Errorf("/metrics %s = %v (present: %v), want %v", series, got, ok, want)
		}
	}
	for _, series := range []string{`noivu_source_last_crawl_timestamp_seconds{source="binhdinh"}`,
		`noivu_source_last_crawl_timestamp_seconds{source="gialai"}`} {
		if got, ok := metric(m.body, series); ok {
			t.Errorf("/metrics %s = %v: the source never completed a pass", series, got)
		}
	}
	if got, ok := metric(m.body, "noivu_store_bytes"); !ok || got < 4096 {
		t.Errorf("/metrics noivu_store_bytes = %v (present: %v), want the database's size", got, ok)
	}
}

// Crawl counters add up the passes the server sees finish, whoever ran
// them, each once: not the passes before it started, not a running one
// until it ends, not the same pass again on the next poll.
func TestCrawlCounters(t *testing.T) {
	st := openStore(t, t.TempDir(), 1, 0, 0)
	defer st.Close()
	at := day0.Add(time.Hour)
	recordRun(t, st, article.RunStats{SourceID: "sonla", Started: at, Finished: at.Add(time.Minute), Fetched: 100, New: 50})
	s, hs := newTestServer(t, st, Options{})
	pages := func(outcome, source string) float64 {
		v, _ := metric(get(t, hs, "GET", "/metrics").body,
			`noivu_crawl_pages_total{outcome="`+outcome+`",source="`+source+`"}`)
		return v
	}
	runs := func(result, source string) float64 {
		v, _ := metric(get(t, hs, "GET", "/metrics").body,
			`noivu_crawl_runs_total{result="`+result+`",source="`+source+`"}`)
		return v
	}
	ctx := context.Background()
	steps := []struct {
		name    string
		do      func()
		fetched float64 // sonla's total after the step
		failed  float64 // binhdinh's failed passes after the step
	}{
		{"before any new pass", func() {}, 0, 0},
		{"a pass over sonla", func() {
			recordRun(t, st, article.RunStats{SourceID: "sonla", Started: at.Add(time.Hour), Finished: at.Add(2 * time.Hour), Fetched: 7, New: 2})
		}, 7, 0},
		{"the same pass polled again", func() {}, 7, 0},
		{"a pass still running", func() {
			if _, err := st.StartRun(ctx, "sonla", at.Add(3*time.Hour)); err != nil {
				t.Fatal(err)
			}
		}, 7, 0},
		{"another sonla pass and a failed binhdinh one", func() {
			recordRun(t, st, article.RunStats{SourceID: "sonla", Started: at.Add(4 * time.Hour), Finished: at.Add(5 * time.Hour), Fetched: 3})
			recordRun(t, st, article.RunStats{SourceID: "binhdinh", Started: at.Add(4 * time.Hour), Finished: at.Add(5 * time.Hour), Fetched: 1, Failed: 1, Err: "host down"})
		}, 10, 1},
	}
	for _, step := range steps {
		step.do()
		if err := s.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		if got := pages("fetched", "sonla"); got != step.fetched {
			t.Errorf("%s: sonla fetched %v, want %v", step.name, got, step.fetched)
		}
		if got := runs("failed", "binhdinh"); got != step.failed {
			t.Errorf("%s: binhdinh failed passes %v, want %v", step.name, got, step.failed)
		}
	}
	if got := pages("new", "sonla"); got != 2 {
		t.Errorf("sonla new %v, want 2 (the pass before the server started is not counted)", got)
	}
	if got := runs("completed", "sonla"); got != 2 {
		t.Errorf("sonla completed passes %v, want 2", got)
	}
	if got := pages("failed", "binhdinh"); got != 1 {
		t.Errorf("binhdinh failed pages %v, want 1", got)
	}
}

// recordRun records a finished crawl pass.
func recordRun(t *testing.T, st *store.Store, r article.RunStats) {
	t.Helper()
	ctx := context.Background()
	id, err := st.StartRun(ctx, r.SourceID, r.Started)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.FinishRun(ctx, id, r); err != nil {
		t.Fatal(err)
	}
}

func writeBytes(t *testing.T, path string, n int) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, make([]byte, n), 0o644); err != nil {
		t.Fatal(err)
	}
}

// metric reads the value of one series (name and labels, as the text
// format writes them) from a /metrics body.
func metric(body, series string) (float64, bool) {
	for _, line := range strings.Split(body, "\n") {
		if v, ok := strings.CutPrefix(line, series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			return f, err == nil
		}
	}
	return 0, false
}

func TestSearchFeeds(t *testing.T) {
	st := openStore(t, t.TempDir(), 10, 10, 0)
	defer st.Close()
	_, hs := newTestServer(t, st, Options{})
	if r := get(t, hs, "GET", "/feed.rss?q=tin"); r.code != 501 || !strings.Contains(r.body, "search index not available") {
		t.Errorf("no searcher: %d %q", r.code, r.body)
	}
	// The searcher's order is kept. (This fake ignores filters: TestSearchFeedsWithIndex
	// checks ?source= and provinces against the real index.)
	want := []string{testArticle("binhdinh", 7).ID, testArticle("sonla", 2).ID, testArticle("binhdinh", 1).ID}
	fs := fakeSearcher(want)
	_, hs2 := newTestServer(t, st, Options{Searcher: fs})
	for _, f := range feed.Formats {
		pf := parseFeed(t, get(t, hs2, "GET", "/feed."+string(f)+"?q=c%E1%BA%A3i+c%C3%A1ch").body)
		if len(pf.Items) != 3 || pf.Items[0].GUID != feed.ItemID(want[0]) || pf.Items[2].GUID != feed.ItemID(want[2]) {
			t.Errorf("%s: search feed items %d", f, len(pf.Items))
		}
		if !strings.Contains(pf.FeedLink, "?q=c%E1%BA%A3i+c%C3%A1ch") {
			t.Errorf("%s: self link %q lacks the query", f, pf.FeedLink)
		}
	}
}

// Search feeds against the real index: a province's sources go to the index
// as its filter, so a small province whose articles are all older than the
// big one's still gets them (a search over every source, filtered
// afterwards, kept none); a province feed pages past one search page;
// ?q= with ?source= gives that source's matches only; and a search feed
// answers a conditional GET with a 304.
func TestSearchFeedsWithIndex(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, dir, 150, 0, 0)
	defer st.Close()
	small := []article.Article{testArticle("binhdinh", 300), testArticle("gialai", 310), testArticle("gialai", 320)}
	for _, a := range small {
		save(t, st, a)
	}
	_, hs := newTestServer(t, st, Options{Searcher: openIndex(t, dir, st)})
	q := "?q=" + url.QueryEscape("nội dung")
	tests := []struct {
		path    string
		want    int
		sources []string
	}{
		{"/provinces/gia-lai/feed.{f}" + q, 3, []string{"binhdinh", "gialai"}},
		{"/provinces/binh-dinh/feed.{f}" + q, 1, []string{"binhdinh"}},
		{"/provinces/son-la/feed.{f}" + q + "&limit=150", 150, []string{"sonla"}},
		{"/feed.{f}" + q, DefaultLimit, []string{"sonla"}},
		{"/feed.{f}" + q + "&source=gialai", 2, []string{"gialai"}},
		{"/feed.{f}" + q + "&source=binhdinh&limit=5", 1, []string{"binhdinh"}},
		{"/feed.{f}" + q + "&source=sonla&limit=7", 7, []string{"sonla"}},
		{"/feed.{f}?q=" + url.QueryEscape(`"gialai số 310"`) + "&source=gialai", 1, []string{"gialai"}},
		{"/feed.{f}?q=" + url.QueryEscape(`"gialai số 310"`) + "&source=binhdinh", 0, nil},
	}
	for _, tt := range tests {
		for _, f := range feed.Formats {
			path := strings.Replace(tt.path, "{f}", string(f), 1)
			r := get(t, hs, "GET", path)
			if r.code != 200 {
				t.Fatalf("%s: %d %s", path, r.code, r.body)
			}
			checkItems(t, path, parseFeed(t, r.body), tt.want, tt.sources...)
		}
	}
	gl := parseFeed(t, get(t, hs, "GET", "/provinces/gia-lai/feed.rss"+q).body)
	for i, a := range small {
		if gl.Items[i].GUID != feed.ItemID(a.ID) {
			t.Errorf("gia-lai search item %d: %s, want %s", i, gl.Items[i].GUID, feed.ItemID(a.ID))
		}
	}
	if r := get(t, hs, "GET", "/feed.rss"+q+"&source=nope"); r.code != 404 {
		t.Errorf("search of an unknown source: %d, want 404", r.code)
	}
	for _, path := range []string{"/feed.atom" + q + "&source=gialai", "/provinces/gia-lai/feed.json" + q} {
		r := get(t, hs, "GET", path)
		etag, lm := r.hdr.Get("ETag"), r.hdr.Get("Last-Modified")
		if etag == "" || lm == "" {
			t.Fatalf("%s: ETag %q Last-Modified %q", path, etag, lm)
		}
		if c := get(t, hs, "GET", path, "If-None-Match", etag); c.code != 304 || c.body != "" {
			t.Errorf("%s If-None-Match: %d, want 304", path, c.code)
		}
		if c := get(t, hs, "GET", path, "If-Modified-Since", lm); c.code != 304 {
			t.Errorf("%s If-Modified-Since: %d, want 304", path, c.code)
		}
	}
}

// /api/search answers the searcher's JSON, a malformed query is the user's
// 400 (on feeds too), and with no index both say 501.
func TestAPISearch(t *testing.T) {
	st := openStore(t, t.TempDir(), 3, 3, 0)
	defer st.Close()
	_, none := newTestServer(t, st, Options{})
	if r := get(t, none, "GET", "/api/search?q=tin"); r.code != 501 {
		t.Errorf("no searcher: %d", r.code)
	}
	_, hs := newTestServer(t, st, Options{Searcher: fakeSearcher{"a", "b"}})
	r := get(t, hs, "GET", "/api/search?q=c%E1%BA%A3i+c%C3%A1ch")
	var out struct {
		Total int      `json:"total"`
		IDs   []string `json:"ids"`
	}
	if r.code != 200 || json.Unmarshal([]byte(r.body), &out) != nil || out.Total != 2 {
		t.Errorf("api search: %d %q", r.code, r.body)
	}
	for _, path := range []string{"/api/search?q=a+(b", "/feed.rss?q=a+(b", "/api/search?q=" + strings.Repeat("x", 3000)} {
		if r := get(t, hs, "GET", path); r.code != 400 {
			t.Errorf("%s: %d %q, want 400", path[:min(len(path), 40)], r.code, r.body)
		}
	}
}

type fakeSearcher []string

// SearchAPI answers like the index would: "(" is a malformed query.
func (fs fakeSearcher) SearchAPI(_ context.Context, p url.Values) (any, error) {
	if strings.Contains(p.Get("q"), "(") {
		return nil, fmt.Errorf("%w: unbalanced parenthesis", ErrBadQuery)
	}
	return map[string]any{"total": len(fs), "ids": []string(fs)}, nil
}

func (fs fakeSearcher) SearchIDs(_ context.Context, q string, source string, limit int) ([]string, error) {
	if strings.Contains(q, "(") {
		return nil, fmt.Errorf("%w: unbalanced parenthesis", ErrBadQuery)
	}
	var out []string
	for _, id := range fs {
		if len(out) < limit {
			out = append(out, id)
		}
	}
	_ = source
	return out, nil
}
