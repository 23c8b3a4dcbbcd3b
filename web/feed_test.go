package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/feed"
)

func parseFeed(t *testing.T, body string) *gofeed.Feed {
	t.Helper()
	f, err := gofeed.NewParser().ParseString(body)
	if err != nil {
		t.Fatalf("gofeed: %v\n%.500s", err, body)
	}
	return f
}

// checkItems checks ids, links, +07:00 dates, newest-first order, content
// and that every item belongs to one of sources.
func checkItems(t *testing.T, path string, f *gofeed.Feed, want int, sources ...string) {
	t.Helper()
	if len(f.Items) != want {
		t.Fatalf("%s: %d items, want %d", path, len(f.Items), want)
	}
	var prev *time.Time
	for i, it := range f.Items {
		if !strings.HasPrefix(it.GUID, "urn:noivu:article:") || !strings.HasPrefix(it.Link, "https://") {
			t.Errorf("%s item %d: guid %q link %q", path, i, it.GUID, it.Link)
		}
		if id, _ := article.IDFor(it.Link); it.GUID != feed.ItemID(id) {
			t.Errorf("%s item %d: guid %q does not derive from the article ID %s", path, i, it.GUID, id)
		}
		if !strings.HasSuffix(it.Published, "+07:00") && !strings.HasSuffix(it.Published, "+0700") {
			t.Errorf("%s item %d: published %q, want +07:00", path, i, it.Published)
		}
		if prev != nil && it.PublishedParsed.After(*prev) {
			t.Errorf("%s item %d: %v is newer than the item before it (%v)", path, i, it.PublishedParsed, prev)
		}
		prev = it.PublishedParsed
		if !strings.Contains(it.Content, "<p>Nội dung bài") {
			t.Errorf("%s item %d: content %q", path, i, it.Content)
		}
		ok := false
		for _, s := range sources {
			ok = ok || strings.Contains(it.Link, "://"+s+".")
		}
		if !ok {
			t.Errorf("%s item %d: %s is from none of %v", path, i, it.Link, sources)
		}
	}
}

func TestFeedsAllScopesAllFormats(t *testing.T) {
	st := openStore(t, t.TempDir(), 60, 5, 3)
	defer st.Close()
	_, hs := newTestServer(t, st, Options{})
	tests := []struct {
		path    string
		want    int
		sources []string
	}{
		{"/feed", 50, []string{"sonla", "binhdinh", "gialai"}},
		{"/sources/binhdinh/feed", 5, []string{"binhdinh"}},
		{"/sources/sonla/feed", 50, []string{"sonla"}},
		{"/provinces/gia-lai/feed", 8, []string{"binhdinh", "gialai"}},
		{"/provinces/son-la/feed", 50, []string{"sonla"}},
		{"/feed", 2, []string{"gialai"}}, // with ?source=
	}
	for i, tt := range tests {
		for _, f := range feed.Formats {
			path := tt.path + "." + string(f)
			if i == len(tests)-1 {
				path += "?source=gialai&limit=2"
			}
			r := get(t, hs, "GET", path)
			if r.code != 200 || r.hdr.Get("Content-Type") != f.ContentType() {
				t.Fatalf("%s: %d %s", path, r.code, r.hdr.Get("Content-Type"))
			}
			pf := parseFeed(t, r.body)
			checkItems(t, path, pf, tt.want, tt.sources...)
			if pf.FeedLink == "" || !strings.HasPrefix(pf.FeedLink, "https://noivu.example.org/") {
				t.Errorf("%s: self link %q", path, pf.FeedLink)
			}
		}
	}
	if r := get(t, hs, "GET", "/sources/nope/feed.rss"); r.code != 404 {
		t.Errorf("unknown source: %d", r.code)
	}
	if r := get(t, hs, "GET", "/provinces/nope/feed.atom"); r.code != 404 {
		t.Errorf("unknown province: %d", r.code)
	}
}

func TestLimit(t *testing.T) {
	st := openStore(t, t.TempDir(), 210, 0, 0)
	defer st.Close()
	_, hs := newTestServer(t, st, Options{})
	for _, tc := range []struct {
		q    string
		code int
		want int
	}{{"", 200, 50}, {"?limit=3", 200, 3}, {"?limit=120", 200, 120}, {"?limit=200", 200, 200},
		{"?limit=201", 400, 0}, {"?limit=500", 400, 0}, {"?limit=0", 400, 0}, {"?limit=abc", 400, 0},
		{"?limit=-1", 400, 0}, {"?limit=%2B5", 400, 0}, {"?limit=1e2", 400, 0}} {
		r := get(t, hs, "GET", "/feed.json"+tc.q)
		if r.code != tc.code {
			t.Errorf("%s: status %d, want %d", tc.q, r.code, tc.code)
			continue
		}
		if tc.code == 400 && r.body != "limit must be a whole number from 1 to 200\n" {
			t.Errorf("%s: %q, want the rule", tc.q, r.body)
		}
		if tc.code == 200 {
			checkItems(t, tc.q, parseFeed(t, r.body), tc.want, "sonla")
		}
	}
}

func TestConditionalGzipHead(t *testing.T) {
	st := openStore(t, t.TempDir(), 20, 0, 0)
	defer st.Close()
	_, hs := newTestServer(t, st, Options{})
	for _, f := range feed.Formats {
		path := "/feed." + string(f)
		r := get(t, hs, "GET", path)
		etag, lm := r.hdr.Get("ETag"), r.hdr.Get("Last-Modified")
		if etag == "" || lm == "" || r.hdr.Get("Cache-Control") == "" {
			t.Fatalf("%s: ETag %q Last-Modified %q Cache-Control %q", path, etag, lm, r.hdr.Get("Cache-Control"))
		}
		if c := get(t, hs, "GET", path, "If-None-Match", etag); c.code != 304 || c.body != "" {
			t.Errorf("%s If-None-Match: %d, want 304", path, c.code)
		}
		if c := get(t, hs, "GET", path, "If-None-Match", `"other"`, "If-Modified-Since", lm); c.code != 200 {
			t.Errorf("%s If-None-Match other tag: %d, want 200 (it overrides If-Modified-Since)", path, c.code)
		}
		if c := get(t, hs, "GET", path, "If-Modified-Since", lm); c.code != 304 {
			t.Errorf("%s If-Modified-Since: %d, want 304", path, c.code)
		}
		old := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).Format(http.TimeFormat)
		if c := get(t, hs, "GET", path, "If-Modified-Since", old); c.code != 200 {
			t.Errorf("%s old If-Modified-Since: %d, want 200", path, c.code)
		}
		z := get(t, hs, "GET", path, "Accept-Encoding", "gzip, deflate")
		if z.hdr.Get("Content-Encoding") != "gzip" || z.hdr.Get("Vary") != "Accept-Encoding" {
			t.Fatalf("%s: Content-Encoding %q Vary %q", path, z.hdr.Get("Content-Encoding"), z.hdr.Get("Vary"))
		}
		zr, err := gzip.NewReader(strings.NewReader(z.body))
		if err != nil {
			t.Fatal(err)
		}
		plain, _ := io.ReadAll(zr)
		if !bytes.Equal(plain, []byte(r.body)) || len(z.body) >= len(r.body) {
			t.Errorf("%s: gzip body does not inflate to the plain one (%d → %d bytes)", path, len(z.body), len(r.body))
		}
		if c := get(t, hs, "GET", path, "Accept-Encoding", "gzip", "If-None-Match", z.hdr.Get("ETag")); c.code != 304 {
			t.Errorf("%s gzip ETag: %d, want 304", path, c.code)
		}
		if c := get(t, hs, "GET", path, "Accept-Encoding", "gzip;q=0"); c.hdr.Get("Content-Encoding") != "" {
			t.Errorf("%s: gzip;q=0 still got gzip", path)
		}
		h := get(t, hs, "HEAD", path)
		if h.code != 200 || h.body != "" || h.hdr.Get("Content-Length") != strconv.Itoa(len(r.body)) || h.hdr.Get("ETag") != etag {
			t.Errorf("%s HEAD: %d, %d body bytes, Content-Length %s", path, h.code, len(h.body), h.hdr.Get("Content-Length"))
		}
	}
}

// TestIDsSurviveRestart: a new server on the same data_dir serves the same
// bytes, hence the same ids and ETags.
func TestIDsSurviveRestart(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, dir, 30, 10, 0)
	_, hs := newTestServer(t, st, Options{})
	first := map[string]response{}
	for _, f := range feed.Formats {
		first[string(f)] = get(t, hs, "GET", "/feed."+string(f))
	}
	hs.Close()
	st.Close()
	st2 := openStore(t, dir)
	defer st2.Close()
	_, hs2 := newTestServer(t, st2, Options{})
	for _, f := range feed.Formats {
		r := get(t, hs2, "GET", "/feed."+string(f))
		if r.body != first[string(f)].body || r.hdr.Get("ETag") != first[string(f)].hdr.Get("ETag") {
			t.Errorf("%s changed across a restart", f)
		}
	}
}

func TestFeedUpdatesAfterSave(t *testing.T) {
	st := openStore(t, t.TempDir(), 5, 5, 0)
	defer st.Close()
	s, hs := newTestServer(t, st, Options{PollInterval: 20 * time.Millisecond})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	before := get(t, hs, "GET", "/provinces/gia-lai/feed.rss")
	other := get(t, hs, "GET", "/sources/sonla/feed.rss")
	a := testArticle("binhdinh", -3) // newer than every other
	saved := time.Now()
	save(t, st, a)
	for time.Since(saved) < 5*time.Second {
		r := get(t, hs, "GET", "/provinces/gia-lai/feed.rss")
		if strings.Contains(r.body, feed.ItemID(a.ID)) {
			t.Logf("feed showed the new article %v after it was saved", time.Since(saved))
			if r.hdr.Get("ETag") == before.hdr.Get("ETag") {
				t.Error("ETag unchanged")
			}
			if parseFeed(t, r.body).Items[0].GUID != feed.ItemID(a.ID) {
				t.Error("the new article is not first")
			}
			if o := get(t, hs, "GET", "/sources/sonla/feed.rss"); o.hdr.Get("ETag") != other.hdr.Get("ETag") {
				t.Error("a source that did not change got a new feed")
			}
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("the feed never showed the new article")
}

// An article's section reaches every feed format as a category beside its
// source and provinces, read back from the store; an article without one
// gets no empty category.
func TestFeedCategoriesCarryTheSection(t *testing.T) {
	st := openStore(t, t.TempDir(), 0, 3, 0)
	defer st.Close()
	a := testArticle("binhdinh", -1) // the newest
	a.Section = "Thi đua - Khen thưởng"
	save(t, st, a)
	_, hs := newTestServer(t, st, Options{})
	want := map[string]string{
		feed.ItemID(a.ID):                          "Sở Nội vụ tỉnh Bình Định|Bình Định|Gia Lai|Thi đua - Khen thưởng",
		feed.ItemID(testArticle("binhdinh", 0).ID): "Sở Nội vụ tỉnh Bình Định|Bình Định|Gia Lai",
	}
	for _, path := range []string{"/sources/binhdinh/feed", "/provinces/gia-lai/feed", "/feed"} {
		for _, f := range feed.Formats {
			pf := parseFeed(t, get(t, hs, "GET", path+"."+string(f)).body)
			for _, it := range pf.Items {
				if w, ok := want[it.GUID]; ok && strings.Join(it.Categories, "|") != w {
					t.Errorf("%s.%s %s: categories %q, want %q", path, f, it.GUID, it.Categories, w)
				}
			}
			if len(pf.Items) != 4 || pf.Items[0].GUID != feed.ItemID(a.ID) {
				t.Errorf("%s.%s: %d items, first %q", path, f, len(pf.Items), pf.Items[0].GUID)
			}
		}
	}
}
