package web

import (
	"bufio"
	"context"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/noivu/noivu/archive"
	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/store"
)

// hostile is one request an attacker, a fuzzer or a broken client sends,
// and the answer it must get: a 4xx with a short message that says what is
// wrong. target is the request target exactly as it goes on the wire.
type hostile struct {
	name, target string
	code         int
	msg          string
}

// Bounds every answer must keep. They are safety nets, not speed or size
// goals: a request that reaches them has found an unbounded path.
const (
	hostileTimeout = 10 * time.Second
	hostileAlloc   = 64 << 20 // bytes allocated while answering one request
)

// secretSentinel sits in a file beside the archive: no answer may carry it.
const secretSentinel = "NOIVU-SECRET-SENTINEL-7f3a"

// searchEndpoints are the paths that take ?q= and search.
var searchEndpoints = []string{"/search", "/api/search", "/search.csv", "/search.jsonl",
	"/feed.rss", "/feed.atom", "/feed.json", "/sources/sonla/feed.rss", "/sources/binhdinh/feed.atom",
	"/provinces/son-la/feed.json", "/provinces/gia-lai/feed.rss"}

// feedEndpoints take ?limit= from 1 to MaxLimit.
var feedEndpoints = []string{"/feed.rss", "/feed.atom", "/feed.json", "/sources/sonla/feed.rss",
	"/sources/gialai/feed.json", "/provinces/son-la/feed.atom", "/provinces/gia-lai/feed.json"}

// hostileQueries are values of ?q=, already encoded for the URL.
func hostileQueries() []hostile {
	esc := url.QueryEscape
	return []hostile{
		{"10,000 characters", esc(strings.Repeat("a", 10000)), 400, "the query is 10000 characters long; the limit is 1000"},
		{"10,000 Vietnamese characters", esc(strings.Repeat("đ", 10000)), 414, "longer than 16384 bytes"},
		{"1,000-deep parentheses", esc(strings.Repeat("(", 1000) + "a" + strings.Repeat(")", 1000)), 400, "the query is 2001 characters long"},
		{"300-deep parentheses", esc(strings.Repeat("(", 300) + "a" + strings.Repeat(")", 300)), 400, "the limit is 64"},
		{"4-deep parentheses", esc("((((a))))"), 400, "nested too deep; the limit is 3"},
		{"unbalanced parentheses", esc("(((a"), 400, "a '(' is not closed"},
		{"wildcard flood", esc(strings.Repeat("a* ", 300)), 400, "the limit is 64"},
		{"star flood", esc(strings.Repeat("* ", 400)), 400, "the limit is 64"},
		{"regexp flood", esc(strings.Repeat("/.*/ ", 150)), 400, "the limit is 64"},
		{"regexp flood, 10,000 characters", esc(strings.Repeat("/.*/", 2500)), 414, "longer than 16384 bytes"},
		{"OR chain", esc(strings.Repeat("a OR ", 150) + "a"), 400, "the limit is 64"},
		{"OR chain of 1,000", esc(strings.Repeat("a OR ", 1000) + "a"), 400, "the query is 5001 characters long; the limit is 1000"},
		{"OR chain of 1,000 Vietnamese words", esc(strings.Repeat("tuyển OR ", 1000) + "a"), 414, "longer than 16384 bytes"},
		{"phrase flood", esc(strings.Repeat(`"cải cách hành chính nhà nước tỉnh Sơn La" `, 10)), 400, "the limit is 32 syllables"},
		{"field flood", esc(strings.Repeat("title:a author:b ", 40)), 400, "the limit is 64"},
		{"date flood", esc("since:0000-01-01"), 400, "out of range"},
		{"invalid UTF-8", "%FF%FE", 400, `parameter "q" has bytes that are not UTF-8 text`},
		{"overlong '/'", "%C0%AF", 400, "not UTF-8"},
		{"overlong '.'", "%E0%80%AE", 400, "not UTF-8"},
		{"UTF-16 surrogate", "%ED%A0%80", 400, "not UTF-8"},
		{"NUL", "a%00b", 400, `parameter "q" has a control character`},
		{"escape", "a%1Bb", 400, "control character"},
		{"bad escape", "%zz", 400, "the query string is malformed"},
		{"semicolon", "a;b", 400, "the query string is malformed"},
	}
}

// hostileCases is the whole table: every hostile query on every endpoint
// that searches, every bad parameter on every endpoint that takes it, and
// hostile paths. id is an archived article, rawID one whose capture record
// points outside the archive.
func hostileCases(id, rawID string) []hostile {
	var cs []hostile
	for _, ep := range searchEndpoints {
		for _, q := range hostileQueries() {
			cs = append(cs, hostile{q.name, ep + "?q=" + q.target, q.code, q.msg})
		}
	}
	badNumbers := []string{"99999999999999999999", "-1", "0", "1e9", "abc", "%2B5", "5.0", "0x10", "%205", "١٢"}
	for _, ep := range feedEndpoints {
		for _, n := range append(badNumbers, "201", "1000000") {
			cs = append(cs, hostile{"limit " + n, ep + "?limit=" + n, 400, "limit must be a whole number from 1 to 200"})
		}
		cs = append(cs, hostile{"limit and a bad query", ep + "?limit=abc&q=a", 400, "limit must be"})
	}
	for _, f := range []string{"rss", "atom", "json"} { // ?source= narrows the feeds of all sources
		cs = append(cs, hostile{"unknown source", "/feed." + f + "?source=..%2F..%2Fnoivu.db", 404, `no such feed: unknown source "../../noivu.db"`},
			hostile{"source list", "/feed." + f + "?source=sonla,gialai", 404, "no such feed"})
	}
	for _, n := range append(badNumbers, "101") {
		cs = append(cs, hostile{"limit " + n, "/api/search?q=a&limit=" + n, 400, "limit must be a whole number from 1 to 100"})
	}
	for _, ep := range []string{"/search", "/search.csv", "/search.jsonl", "/api/search"} {
		if ep != "/api/search" {
			for _, n := range append(badNumbers, "501") {
				cs = append(cs, hostile{"page " + n, ep + "?q=a&page=" + n, 400, "page must be a whole number from 1 to 500"})
			}
		}
		for _, d := range []string{"99999-01-01", "2024-02-30", "0000-01-01", "2024-1-1", "2024-01-01T00:00:00Z", "h%C3%B4m+nay", "2200-01-01"} {
			cs = append(cs, hostile{"since " + d, ep + "?q=a&since=" + d, 400, "is not a date: write YYYY-MM-DD"},
				hostile{"until " + d, ep + "?until=" + d, 400, "is not a date"})
		}
		cs = append(cs,
			hostile{"empty date range", ep + "?q=a&since=2024-05-01&until=2024-04-01", 400, "the range is empty"},
			hostile{"sort", ep + "?q=a&sort=..%2F..%2Fetc", 400, `sort "../../etc": use relevance or newest`},
			hostile{"200 sources", ep + "?q=a&source=" + strings.Repeat("sonla,", 200), 400, "too many values of source; the limit is 100"},
			hostile{"a 300-byte source", ep + "?q=a&source=" + strings.Repeat("x", 300), 400, "is too long"})
		if ep != "/api/search" { // the API has no province filter
			cs = append(cs, hostile{"a 300-byte province", ep + "?q=a&province=" + strings.Repeat("x", 300), 400, "is too long"})
		}
	}
	a := "/articles/" + id
	return append(cs, []hostile{
		{"encoded traversal", "/articles/..%2F..%2Fetc%2Fpasswd", 400, "the path has"},
		{"encoded dots", "/articles/%2e%2e/%2e%2e/etc/passwd", 400, "the path has a '.' or '..' segment"},
		{"encoded dots and slashes", "/articles/%2E%2E%2F%2E%2E%2Fnoivu.db", 400, "the path has"},
		{"source traversal", "/sources/..%2f..%2fnoivu.db/feed.rss", 400, "the path has"},
		{"source traversal to the archive", "/sources/..%2F..%2Fwarc/feed.atom", 400, "the path has"},
		{"province traversal", "/provinces/..%2f/feed.rss", 400, "the path has"},
		{"raw dots", "/articles/../../etc/passwd", 400, "the path has a '.' or '..' segment"},
		{"raw dot", "/articles/./" + id, 400, "'.' or '..' segment"},
		{"raw dots after a route", a + "/raw/../../../../noivu.db", 400, "'..' segment"},
		{"static traversal", "/static/../noivu.db", 400, "'..' segment"},
		{"static encoded traversal", "/static/..%2fnoivu.db", 400, "the path has"},
		{"backslashes", `/articles/..\..\etc\passwd`, 400, "the path has a backslash"},
		{"encoded backslashes", "/articles/%5C..%5Cnoivu.db", 400, "the path has"},
		{"double slash", "//etc/passwd", 400, "empty segment"},
		{"NUL in the path", "/articles/%00", 400, "the path has a control character"},
		{"NUL before an extension", "/sources/sonla%00.rss/feed.rss", 400, "control character"},
		{"invalid UTF-8 in the path", "/articles/%FF", 400, "the path has bytes that are not UTF-8 text"},
		{"overlong dots in the path", "/articles/%C0%AE%C0%AE/etc", 400, "not UTF-8"},
		{"invalid UTF-8 beside an id", a + "?rev=%FF", 400, "not UTF-8"},
		{"upper-case id", "/articles/ABCDEF0123456789", 404, ""},
		{"17-digit id", "/articles/0123456789abcdef0", 404, ""},
		{"unknown id", "/articles/0123456789abcdef", 404, ""},
		{"unknown id, raw", "/articles/0123456789abcdef/raw", 404, ""},
		{"unknown id, revision", "/articles/0123456789abcdef/revisions/1", 404, ""},
		{"huge revision", a + "/revisions/99999999999999999999", 404, ""},
		{"negative revision", a + "/revisions/-1", 404, ""},
		{"revision abc", a + "/revisions/abc", 404, ""},
		{"revision 1e9", a + "/revisions/1e9", 404, ""},
		{"raw ?rev=abc", a + "/raw?rev=abc", 404, ""},
		{"raw ?rev= huge", a + "/raw?rev=99999999999999999999", 404, ""},
		{"capture outside the archive", "/articles/" + rawID + "/raw", 404, ""},
		{"unknown source feed", "/sources/nope/feed.rss", 404, `no such feed: unknown source "nope"`},
		{"long source feed", "/sources/" + strings.Repeat("x", 3000) + "/feed.rss", 404, `unknown source "xxxxxxxx`},
		{"unknown province feed", "/provinces/nope/feed.atom", 404, "no such feed"},
		{"URL of 20,000 bytes", "/feed.rss?q=" + strings.Repeat("a", 20000), 414, "longer than 16384 bytes"},
		{"path of 20,000 bytes", "/articles/" + strings.Repeat("a", 20000), 414, "longer than 16384 bytes"},
		{"8,000 parameters", "/search?" + strings.Repeat("a&", 8000), 200, ""},
	}...)
}

// TestHostileRequests sends every hostile request to the server, in process
// (to measure what answering it allocates) and over TCP (as a client sends
// it, raw), and checks the answer: the status the table says, never a 5xx,
// a short message, nothing from outside the archive, within the bounds.
func TestHostileRequests(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, dir, 30, 10, 5)
	defer st.Close()
	if err := os.WriteFile(filepath.Join(dir, "secret.txt"), []byte(secretSentinel), 0o600); err != nil {
		t.Fatal(err)
	}
	a := archivedArticle(t, dir, st)
	stray := testArticle("sonla", 77)
	stray.Capture.File = "../secret.txt" // a damaged (or hostile) store row
	save(t, st, stray)
	s, hs := newTestServer(t, st, Options{Searcher: openIndex(t, dir, st), DataDir: dir})
	h := s.Handler()
	if r := get(t, hs, "GET", "/articles/"+a.ID+"/raw"); r.code != 200 {
		t.Fatalf("the archived capture does not serve: %d %s", r.code, r.body)
	}
	cases := hostileCases(a.ID, stray.ID)
	var worst struct {
		alloc uint64
		took  time.Duration
		name  string
	}
	for _, c := range cases {
		where := c.name + ": " + c.target[:min(len(c.target), 70)]
		code, hdr, body, alloc, took := serveInProcess(t, h, c.target)
		if alloc > worst.alloc {
			worst.alloc, worst.name = alloc, where
		}
		worst.took = max(worst.took, took)
		checkHostileAnswer(t, where, c, code, hdr, body)
		if alloc > hostileAlloc {
			t.Errorf("%s: answering allocated %d MB", where, alloc>>20)
		}
		if nc, nbody := serveOverTCP(t, hs, c.target); nc != c.code {
			t.Errorf("%s: over TCP %d %.100q, want %d", where, nc, nbody, c.code)
		}
	}
	t.Logf("%d hostile requests; the most allocation %d KB (%s); the slowest %v", len(cases), worst.alloc>>10, worst.name, worst.took)
}

// archivedArticle saves an article whose capture is in the archive.
func archivedArticle(t *testing.T, dir string, st *store.Store) article.Article {
	t.Helper()
	ctx := context.Background()
	ar, err := archive.Open(ctx, archive.Options{Dir: filepath.Join(dir, "warc"), Software: "noivu-test"})
	if err != nil {
		t.Fatal(err)
	}
	a := testArticle("sonla", 500)
	a.Capture, err = ar.Write(ctx, archive.Exchange{URL: a.URL, StatusCode: 200,
		ResponseHeader: http.Header{"Content-Type": {"text/html; charset=utf-8"}}, Body: []byte("<p>Tin</p>")})
	if err != nil {
		t.Fatal(err)
	}
	if err := ar.Close(); err != nil {
		t.Fatal(err)
	}
	save(t, st, a)
	return a
}

// serveInProcess reads target as a server would and has h answer it,
// measuring what the answer allocates and how long it takes. A target that
// net/http itself refuses gets the 400 the server would send.
func serveInProcess(t *testing.T, h http.Handler, target string) (int, http.Header, string, uint64, time.Duration) {
	t.Helper()
	raw := "GET " + target + " HTTP/1.1\r\nHost: noivu.example.org\r\n\r\n"
	req, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
	if err != nil {
		return http.StatusBadRequest, http.Header{"Content-Type": {"text/plain; charset=utf-8"}}, "net/http: " + err.Error(), 0, 0
	}
	req.RemoteAddr = "192.0.2.1:1234"
	ctx, cancel := context.WithTimeout(context.Background(), hostileTimeout)
	defer cancel()
	req = req.WithContext(ctx)
	rec := httptest.NewRecorder()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	done := make(chan struct{})
	go func() { defer close(done); h.ServeHTTP(rec, req) }()
	select {
	case <-done:
	case <-time.After(hostileTimeout):
		t.Fatalf("%.80s: no answer within %v", target, hostileTimeout)
	}
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	return rec.Code, rec.Header(), rec.Body.String(), after.TotalAlloc - before.TotalAlloc, took
}

// serveOverTCP sends target raw on a new connection, with a deadline.
func serveOverTCP(t *testing.T, hs *httptest.Server, target string) (int, string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", hs.Listener.Addr().String(), hostileTimeout)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(hostileTimeout))
	fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: noivu.example.org\r\nConnection: close\r\n\r\n", target)
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Errorf("%.80s: over TCP: %v", target, err)
		return 0, ""
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	return res.StatusCode, string(b)
}

// checkHostileAnswer checks one answer against its case.
func checkHostileAnswer(t *testing.T, where string, c hostile, code int, hdr http.Header, body string) {
	t.Helper()
	if code >= 500 {
		t.Errorf("%s: %d %.200s", where, code, body)
		return
	}
	if code != c.code {
		t.Errorf("%s: %d %.200q, want %d", where, code, body, c.code)
		return
	}
	for _, leak := range []string{secretSentinel, "SQLite format 3", "root:x:0:0"} {
		if strings.Contains(body, leak) {
			t.Errorf("%s: the answer carries a file from outside the archive (%q)", where, leak)
		}
	}
	if code < 400 {
		return
	}
	if strings.HasPrefix(hdr.Get("Content-Type"), "text/html") {
		if text := html.UnescapeString(body); !strings.Contains(text, c.msg) {
			t.Errorf("%s: the page lacks %q", where, c.msg)
		}
		checkHTMLHeaders(t, where, hdr)
		if !strings.Contains(body, `role="alert"`) {
			t.Errorf("%s: an error page without its message", where)
		}
		return
	}
	if !strings.Contains(body, c.msg) {
		t.Errorf("%s: %q lacks %q", where, body[:min(len(body), 300)], c.msg)
	}
	if msg := strings.TrimSuffix(body, "\n"); len(msg) > 200 || strings.Contains(msg, "\n") || msg == "" {
		t.Errorf("%s: %d bytes of message, want one short line: %.300q", where, len(body), body)
	}
}
