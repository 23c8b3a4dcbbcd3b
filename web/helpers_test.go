package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/store"
)

var testSources = []article.Source{
	{ID: "sonla", Name: "Sở Nội vụ tỉnh Sơn La", Province: "Sơn La", URL: "https://sonoivu.sonla.gov.vn/"},
	{ID: "binhdinh", Name: "Sở Nội vụ tỉnh Bình Định", Province: "Bình Định", CurrentProvince: "Gia Lai",
		URL: "https://snv.binhdinh.gov.vn/"},
	{ID: "gialai", Name: "Sở Nội vụ tỉnh Gia Lai", Province: "Gia Lai", URL: "https://sonoivu.gialai.gov.vn/"},
}

// day0 is when the newest test article was published.
var day0 = time.Date(2025, 10, 20, 9, 0, 0, 0, article.VietnamZone)

// testArticle makes the n-th article of a source: the larger n, the older.
func testArticle(src string, n int) article.Article {
	u := fmt.Sprintf("https://%s.example.gov.vn/tin-tuc/bai-%d.html", src, n)
	id, _ := article.IDFor(u)
	pub := day0.Add(-time.Duration(n)*7*time.Hour - time.Duration(len(src))*time.Minute)
	return article.Article{ID: id, URL: u, SourceID: src, Title: fmt.Sprintf("Tin %s số %d", src, n),
		Author: "Nguyễn Văn An", Published: pub.UTC(), FirstSeen: pub.Add(time.Hour).UTC(), FetchedAt: pub.Add(time.Hour).UTC(),
		Text: fmt.Sprintf("Nội dung bài %d của %s.\n\nĐoạn hai.", n, src),
		HTML: fmt.Sprintf("<p>Nội dung bài %d của %s.</p><p>Đoạn hai.</p>", n, src)}
}

// openStore opens (or reopens) the store in dir with counts[i] articles of
// testSources[i] when it is new.
func openStore(t testing.TB, dir string, counts ...int) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "noivu.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SyncSources(ctx, testSources); err != nil {
		t.Fatal(err)
	}
	for i, n := range counts {
		for j := range n {
			save(t, st, testArticle(testSources[i].ID, j))
		}
	}
	return st
}

func save(t testing.TB, st *store.Store, a article.Article) {
	t.Helper()
	rec := article.URLRecord{URL: a.URL, SourceID: a.SourceID, Kind: article.KindArticle, LastStatus: 200,
		LastFetched: a.FetchedAt, FirstSeen: a.FirstSeen}
	if _, err := st.SaveFetch(context.Background(), rec, &a); err != nil {
		t.Fatal(err)
	}
}

// newTestServer serves st on an httptest server until the test ends.
func newTestServer(t testing.TB, st Store, opts Options) (*Server, *httptest.Server) {
	t.Helper()
	opts.Store = st
	if opts.Sources == nil {
		opts.Sources = testSources
	}
	if opts.BaseURL == "" {
		opts.BaseURL = "https://noivu.example.org"
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	opts.Now = func() time.Time { return day0.Add(24 * time.Hour) }
	s, err := New(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	return s, hs
}

type response struct {
	code int
	hdr  http.Header
	body string
}

// get requests path with the given header pairs, gzip not asked for
// unless a pair asks for it.
func get(t testing.TB, hs *httptest.Server, method, path string, hdr ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, hs.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", "identity")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := hs.Client().Transport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{res.StatusCode, res.Header, string(b)}
}

func mustContain(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%s lacks %q", what, sub)
		}
	}
}
