package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/noivu/noivu/feed"
)

func TestPages(t *testing.T) {
	st := openStore(t, t.TempDir(), 12, 3, 1)
	defer st.Close()
	_, hs := newTestServer(t, st, Options{DataDir: t.TempDir()})
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
		"noivu_archive_bytes", "noivu_feed_rebuilds_total 1")
}

func TestSearchFeeds(t *testing.T) {
	st := openStore(t, t.TempDir(), 10, 10, 0)
	defer st.Close()
	_, hs := newTestServer(t, st, Options{})
	if r := get(t, hs, "GET", "/feed.rss?q=tin"); r.code != 501 || !strings.Contains(r.body, "search index not available") {
		t.Errorf("no searcher: %d %q", r.code, r.body)
	}
	// Best-first order from the searcher is kept, and ?source= narrows.
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
		byProvince := parseFeed(t, get(t, hs2, "GET", "/provinces/gia-lai/feed."+string(f)+"?q=x").body)
		if len(byProvince.Items) != 2 {
			t.Errorf("%s: province search kept %d items, want the 2 from binhdinh", f, len(byProvince.Items))
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
