package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"

	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/config"
	"github.com/noivu/noivu/internal/simportal"
	"github.com/noivu/noivu/web"
)

// syncBuffer is a bytes.Buffer safe for a command writing while a test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startCommand runs a long-running command in-process until the returned
// stop is called; stop returns the command's error.
func startCommand(t *testing.T, fn func(context.Context, env, []string) error, args ...string) (out *syncBuffer, stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out = &syncBuffer{}
	errc := make(chan error, 1)
	go func() { errc <- fn(ctx, env{stdout: out, stderr: out, stdin: strings.NewReader("")}, args) }()
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() { cancel(); err = <-errc })
		return err
	}
	t.Cleanup(func() { stop() })
	return out, stop
}

var listenRE = regexp.MustCompile(`listening on (http://[0-9.:]+)/`)

// waitFor polls until out matches re and returns the first group.
func waitFor(t *testing.T, out *syncBuffer, re *regexp.Regexp, within time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			return m[1]
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("no match for %s in output:\n%s", re, out)
	return ""
}

// feedItems fetches and parses a feed, failing the test on any error.
func feedItems(t *testing.T, url string) []*gofeed.Item {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != 200 {
		t.Fatalf("%s: %d %s", url, res.StatusCode, b)
	}
	f, err := gofeed.NewParser().ParseString(string(b))
	if err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	return f.Items
}

func TestServeWithScheduleCrawlsAndServes(t *testing.T) {
	_, srv := portal(t, 12)
	cfg, _ := crawlConfig(t, srv.URL)
	out, stop := startCommand(t, runServe, "--config", cfg, "--addr", "127.0.0.1:0", "--schedule", "@every 1s")
	base := waitFor(t, out, listenRE, 10*time.Second)
	deadline := time.Now().Add(30 * time.Second)
	for {
		items := feedItems(t, base+"/sources/"+testSourceID+"/feed.atom")
		if len(items) >= 12 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the scheduled crawl did not fill the feed: %d items\n%s", len(items), out)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, p := range []string{"/feed.rss", "/provinces/binh-dinh/feed.json", "/opml", "/sources", "/healthz", "/metrics"} {
		res, err := http.Get(base + p)
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("%s: %v %v", p, err, res)
		}
		res.Body.Close()
	}
	if err := stop(); err != nil {
		t.Fatalf("serve returned %v on shutdown\n%s", err, out)
	}
	if !strings.Contains(out.String(), "http: request") {
		t.Errorf("no access log\n%s", out)
	}
	if _, err := http.Get(base + "/healthz"); err == nil {
		t.Error("still serving after shutdown")
	}
}

func TestServeSkipsTickWhileCronCrawlHoldsLock(t *testing.T) {
	_, srv := portal(t, 5)
	cfg, dataDir := crawlConfig(t, srv.URL)
	lock, err := lockDataDir(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Unlock()
	out, stop := startCommand(t, runServe, "--config", cfg, "--addr", "127.0.0.1:0", "--schedule", "@every 1s")
	waitFor(t, out, regexp.MustCompile(`(scheduled crawl skipped).*another crawl is running`), 10*time.Second)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

func TestServeBadSchedule(t *testing.T) {
	cfg, _ := crawlConfig(t, "http://127.0.0.1:1")
	r := noivu(t, "serve", "--config", cfg, "--addr", "127.0.0.1:0", "--schedule", "every tuesday")
	if r.code != exitUsage || !strings.Contains(r.stderr, "--schedule") {
		t.Errorf("want exit 2 naming --schedule\n%s", r)
	}
}

func TestDemoCrawlsServesAndCleansUp(t *testing.T) {
	out, stop := startCommand(t, runDemo, "--addr", "127.0.0.1:0", "--articles", "8")
	base := waitFor(t, out, listenRE, 60*time.Second)
	dir := waitFor(t, out, regexp.MustCompile(`removes (\S+)`), time.Second)
	for _, p := range []string{"/feed.rss", "/sources/sonla/feed.atom", "/sources/bacgiang/feed.json", "/provinces/gia-lai/feed.rss"} {
		if items := feedItems(t, base+p); len(items) < 5 {
			t.Errorf("%s: %d items\n%s", p, len(items), out)
		}
	}
	if err := stop(); err != nil {
		t.Fatalf("demo returned %v\n%s", err, out)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("temporary folder %s left behind (%v)", dir, err)
	}
}

// serve keeps the search index in sync with what a cron crawl saves:
// /api/search and ?q= feeds find the new articles, a malformed query is a
// 400, and the search CLI says where to search while serve holds the index.
func TestServeSearchesWhatCronCrawled(t *testing.T) {
	t.Cleanup(http.DefaultClient.CloseIdleConnections) // runs last: after serve stops
	p, srv := portal(t, 12)
	cfg, _ := crawlConfig(t, srv.URL)
	out, _ := startCommand(t, runServe, "--config", cfg, "--addr", "127.0.0.1:0")
	base := waitFor(t, out, listenRE, 10*time.Second)
	mustCrawl(t, cfg)
	words := strings.Fields(p.Articles()[0].Title)
	q := url.QueryEscape(`"` + strings.Join(words[1:3], " ") + `"`)
	var res struct {
		Total int `json:"total"`
		Hits  []struct {
			ID string `json:"id"`
		} `json:"hits"`
	}
	deadline := time.Now().Add(30 * time.Second)
	for res.Total == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("/api/search?q=%s found nothing 30 s after the crawl\n%s", q, out)
		}
		time.Sleep(200 * time.Millisecond)
		r, err := http.Get(base + "/api/search?q=" + q)
		if err != nil {
			t.Fatal(err)
		}
		_ = json.NewDecoder(r.Body).Decode(&res)
		r.Body.Close()
	}
	if items := feedItems(t, base+"/feed.atom?q="+q); len(items) == 0 {
		t.Errorf("feed.atom?q=%s: no items though /api/search finds %d", q, res.Total)
	}
	r, err := http.Get(base + "/api/search?q=" + url.QueryEscape(`"unclosed`))
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != 400 {
		t.Errorf("malformed query: %d, want 400", r.StatusCode)
	}
	var stderr bytes.Buffer
	code := run([]string{"search", "--config", cfg, "tin"}, env{stdout: io.Discard, stderr: &stderr})
	if code == 0 || !strings.Contains(stderr.String(), "/api/search") {
		t.Errorf("search CLI while serve holds the index: exit %d, %q; want a pointer to /api/search", code, stderr.String())
	}
}

// Feed ids never change: not across a restart of the server, not across a
// rebuild of the search index in between; that holds for search feeds
// (?q=) too, whose bytes come from the index. A search feed answers a
// conditional GET with a 304, even with the ETag a reader got before the
// restart and the reindex (the server is behind a fixed base_url, as in
// production: its links, hence its bytes, do not follow the listening port).
func TestFeedIDsSurviveRestartAndReindex(t *testing.T) {
	t.Cleanup(http.DefaultClient.CloseIdleConnections)
	_, srv := portal(t, 12)
	cfg, _ := crawlConfig(t, srv.URL)
	f, err := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
	if err == nil {
		_, err = f.WriteString("base_url: https://noivu.example.org/\n")
		err = errors.Join(err, f.Close())
	}
	if err != nil {
		t.Fatal(err)
	}
	mustCrawl(t, cfg)
	q := "?q=" + url.QueryEscape("nội vụ")
	searchFeeds := []string{"/feed.rss" + q, "/feed.atom" + q, "/feed.json" + q + "&source=" + testSourceID,
		"/provinces/" + web.Slug(testProvince) + "/feed.atom" + q}
	type served struct {
		ids        []string
		validators map[string][2]string // search feed → ETag, Last-Modified
	}
	serveOnce := func(before *served) served {
		out, stop := startCommand(t, runServe, "--config", cfg, "--addr", "127.0.0.1:0")
		base := waitFor(t, out, listenRE, 10*time.Second)
		got := served{validators: map[string][2]string{}}
		for _, f := range []string{"/feed.rss", "/feed.atom", "/feed.json"} {
			for _, it := range feedItems(t, base+f) {
				got.ids = append(got.ids, f+" "+it.GUID)
			}
		}
		for _, f := range searchFeeds {
			res := searchFeed(t, base+f, out)
			items := parseItems(t, f, res.body)
			if len(items) < 2 {
				t.Fatalf("%s: %d items, want several", f, len(items))
			}
			for _, it := range items {
				got.ids = append(got.ids, f+" "+it.GUID)
			}
			etag, lm := res.hdr.Get("ETag"), res.hdr.Get("Last-Modified")
			got.validators[f] = [2]string{etag, lm}
			if code := conditionalGet(t, base+f, "If-None-Match", etag); code != http.StatusNotModified {
				t.Errorf("%s If-None-Match %s: %d, want 304", f, etag, code)
			}
			if code := conditionalGet(t, base+f, "If-Modified-Since", lm); code != http.StatusNotModified {
				t.Errorf("%s If-Modified-Since %s: %d, want 304", f, lm, code)
			}
			if before != nil {
				if code := conditionalGet(t, base+f, "If-None-Match", before.validators[f][0]); code != http.StatusNotModified {
					t.Errorf("%s with the ETag from before the restart and reindex: %d, want 304", f, code)
				}
			}
		}
		if err := stop(); err != nil {
			t.Fatalf("serve: %v", err)
		}
		return got
	}
	first := serveOnce(nil)
	if n := len(first.ids); n < 3*12+2*len(searchFeeds) {
		t.Fatalf("%d items in the feeds, want the 36 of the plain feeds and the search feeds' ones", n)
	}
	if code := run([]string{"reindex", "--config", cfg}, env{stdout: io.Discard, stderr: io.Discard}); code != 0 {
		t.Fatalf("reindex exited %d", code)
	}
	if again := serveOnce(&first); strings.Join(again.ids, "\n") != strings.Join(first.ids, "\n") {
		t.Errorf("feed ids changed across a restart and a reindex:\nbefore %v\nafter  %v", first.ids, again.ids)
	}
}

type httpReply struct {
	hdr  http.Header
	body string
}

// searchFeed fetches a search feed, waiting while serve answers 503 (its
// index is still opening).
func searchFeed(t *testing.T, u string, out *syncBuffer) httpReply {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		switch {
		case res.StatusCode == http.StatusOK:
			return httpReply{res.Header, string(b)}
		case res.StatusCode != http.StatusServiceUnavailable || time.Now().After(deadline):
			t.Fatalf("%s: %d %s\n%s", u, res.StatusCode, b, out)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func parseItems(t *testing.T, what, body string) []*gofeed.Item {
	t.Helper()
	f, err := gofeed.NewParser().ParseString(body)
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return f.Items
}

// conditionalGet sends GET u with one conditional header and returns the
// status.
func conditionalGet(t *testing.T, u, header, value string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set(header, value)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode
}

const adminToken = "a3f1c9e07b5d4e2f8a6c1b0d9e7f3a52"

// post sends POST path with an optional bearer token; it returns the status,
// the WWW-Authenticate header and the body.
func post(t *testing.T, base, path, token string) (int, string, string) {
	t.Helper()
	req, err := http.NewRequest("POST", base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("WWW-Authenticate"), string(b)
}

// POST /api/crawl with the admin token (from NOIVU_ADMIN_TOKEN) starts a
// pass in serve: its articles reach the feeds and the search. Every other
// request is refused with its own status, and the log names the client and
// the outcome of each attempt, never the token.
func TestServeCrawlOverHTTP(t *testing.T) {
	t.Cleanup(http.DefaultClient.CloseIdleConnections)
	p, srv := portal(t, 12)
	cfg, dataDir := crawlConfig(t, srv.URL)
	t.Setenv(config.AdminTokenEnv, adminToken)
	out, stop := startCommand(t, runServe, "--config", cfg, "--addr", "127.0.0.1:0")
	base := waitFor(t, out, listenRE, 10*time.Second)
	if items := feedItems(t, base+"/sources/"+testSourceID+"/feed.rss"); len(items) != 0 {
		t.Fatalf("%d items before any crawl", len(items))
	}

	res, err := http.Get(base + "/api/crawl")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 405 {
		t.Errorf("GET /api/crawl: %d, want 405", res.StatusCode)
	}
	for _, tc := range []struct {
		name, path, token string
		code              int
	}{
		{"no token", "/api/crawl", "", 401},
		{"wrong token", "/api/crawl", adminToken[:31] + "0", 401},
		{"token in the URL", "/api/crawl?token=" + adminToken, "", 400},
		{"unknown source", "/api/crawl?source=nope", adminToken, 400},
	} {
		code, www, body := post(t, base, tc.path, tc.token)
		if code != tc.code || (code == 401 && !strings.HasPrefix(www, "Bearer")) {
			t.Errorf("%s: %d %q %s, want %d", tc.name, code, www, body, tc.code)
		}
	}

	// A cron `noivu crawl` holds the lock: 409, and nothing starts.
	lock, err := lockDataDir(dataDir)
	if err != nil {
		t.Fatal(err)
	}
	if code, _, body := post(t, base, "/api/crawl", adminToken); code != 409 {
		t.Errorf("while the lock is held: %d %s, want 409", code, body)
	}
	lock.Unlock()

	code, _, body := post(t, base, "/api/crawl?source="+testSourceID, adminToken)
	if code != 202 || !strings.Contains(body, `"status":"started"`) {
		t.Fatalf("with the token: %d %s, want 202", code, body)
	}
	deadline := time.Now().Add(30 * time.Second)
	for len(feedItems(t, base+"/sources/"+testSourceID+"/feed.atom")) < 12 {
		if time.Now().After(deadline) {
			t.Fatalf("the requested crawl did not fill the feed\n%s", out)
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The pass synced the index too: its articles are searchable.
	words := strings.Fields(p.Articles()[0].Title)
	q := url.QueryEscape(`"` + strings.Join(words[1:3], " ") + `"`)
	var found struct {
		Total int `json:"total"`
	}
	for found.Total == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("/api/search?q=%s found nothing after the requested crawl\n%s", q, out)
		}
		r, err := http.Get(base + "/api/search?q=" + q)
		if err != nil {
			t.Fatal(err)
		}
		_ = json.NewDecoder(r.Body).Decode(&found)
		r.Body.Close()
		time.Sleep(50 * time.Millisecond)
	}
	waitFor(t, out, regexp.MustCompile(`(requested crawl done)`), 10*time.Second)
	if err := stop(); err != nil {
		t.Fatalf("serve: %v\n%s", err, out)
	}
	log := out.String()
	for _, want := range []string{"outcome=no_token", "outcome=wrong_token", "outcome=token_in_url", "outcome=bad_source",
		"outcome=busy", "outcome=started", "remote=127.0.0.1"} {
		if !strings.Contains(log, want) {
			t.Errorf("the log lacks %q", want)
		}
	}
	if strings.Contains(log, adminToken) {
		t.Errorf("the log shows the token:\n%s", log)
	}
}

// Without admin_token nothing changes state over HTTP; a token too short
// to be safe stops serve with a one-line error naming the key.
func TestServeCrawlEndpointNeedsAToken(t *testing.T) {
	t.Cleanup(http.DefaultClient.CloseIdleConnections)
	t.Setenv(config.AdminTokenEnv, "")
	cfg, _ := crawlConfig(t, "http://127.0.0.1:1")
	out, stop := startCommand(t, runServe, "--config", cfg, "--addr", "127.0.0.1:0")
	base := waitFor(t, out, listenRE, 10*time.Second)
	if code, _, body := post(t, base, "/api/crawl", adminToken); code != 404 {
		t.Errorf("POST /api/crawl without admin_token: %d %s, want 404", code, body)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	t.Setenv(config.AdminTokenEnv, "tooshort")
	r := noivu(t, "serve", "--config", cfg, "--addr", "127.0.0.1:0")
	if r.code != exitUsage || !singleLine(r.stderr) || !strings.Contains(r.stderr, "admin_token: NOIVU_ADMIN_TOKEN is 8 characters") ||
		strings.Contains(r.stderr, "tooshort") {
		t.Errorf("a short token: want exit 2 with one line naming the key\n%s", r)
	}
}

// rawRequest sends a request as bytes and returns the status code.
func rawRequest(t *testing.T, addr, head string) int {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(conn, head); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%.60q: %v", head, err)
	}
	res.Body.Close()
	return res.StatusCode
}

// The server serve runs answers absurd sizes and hostile targets with a
// clear 4xx: 431 for headers beyond MaxHeaderBytes, 414 for a long target,
// 400 for traversal; and pages carry their security headers.
func TestServeRefusesHostileRequests(t *testing.T) {
	t.Cleanup(http.DefaultClient.CloseIdleConnections)
	cfg, _ := crawlConfig(t, "http://127.0.0.1:1")
	out, stop := startCommand(t, runServe, "--config", cfg, "--addr", "127.0.0.1:0")
	base := waitFor(t, out, listenRE, 10*time.Second)
	addr := strings.TrimPrefix(base, "http://")
	for _, tc := range []struct {
		name, head string
		code       int
	}{
		{"100 KB header", "GET /feed.rss HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("a", 100<<10) + "\r\n\r\n", 431},
		{"10,000 small headers", "GET /feed.rss HTTP/1.1\r\nHost: x\r\n" + strings.Repeat("X-A: b\r\n", 10000) + "\r\n", 431},
		{"20 KB target", "GET /feed.rss?q=" + strings.Repeat("a", 20<<10) + " HTTP/1.1\r\nHost: x\r\n\r\n", 414},
		{"traversal", "GET /sources/..%2f..%2fnoivu.db/feed.rss HTTP/1.1\r\nHost: x\r\n\r\n", 400},
		{"raw dots", "GET /articles/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", 400},
		{"bad escape in the path", "GET /articles/%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400},
		{"NUL", "GET /search?q=a%00 HTTP/1.1\r\nHost: x\r\n\r\n", 400},
	} {
		if code := rawRequest(t, addr, tc.head); code != tc.code {
			t.Errorf("%s: %d, want %d", tc.name, code, tc.code)
		}
	}
	res, err := http.Get(base + "/search?q=tin")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'none'") ||
		!strings.Contains(csp, "frame-ancestors 'none'") || res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("/search headers: %v", res.Header)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}

// hostilePortal serves the simulated portal with payloads planted in one
// article page: in its title (both the <h1> and og:title, breaking out of
// the attribute), its author line and its body.
func hostilePortal(t *testing.T) (*httptest.Server, string) {
	t.Helper()
	p := simportal.New(simportal.Options{Layout: simportal.LayoutNukeViet, Articles: 6, Seed: 1})
	target := p.Articles()[0].Path
	plant := strings.NewReplacer(
		`itemprop="headline">`, `itemprop="headline">Tin độc <script>alert('h1')</script><img src=x onerror=alert('h1b')> `,
		`<meta property="og:title" content="`, `<meta property="og:title" content="Tin độc &quot;&gt;&lt;script&gt;alert('og')&lt;/script&gt; `,
		`<strong>Tác giả bài viết: </strong>`, `<strong>Tác giả bài viết: </strong><svg onload=alert('author')></svg>`,
		`<div id="news-bodyhtml" class="bodytext margin-bottom-lg">`, `<div id="news-bodyhtml" class="bodytext margin-bottom-lg">`+
			`<p>Đoạn độc <img src="x" onerror="alert('img')"><a href="javascript:alert('a')">bấm</a>`+
			`<a href="data:text/html,<script>alert('d')</script>">d</a><svg onload="alert('svg')"></svg>`+
			`<span style="width:expression(alert('css'))">css</span><iframe src="javascript:alert('if')"></iframe></p>`+
			`<script>alert('body')</script><p><a href="/tai-lieu/qd.pdf" onclick="alert('att')">Quyết định "&gt;&lt;script&gt;alert('attname')&lt;/script&gt;</a></p>`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != target {
			p.ServeHTTP(w, r)
			return
		}
		r.Header.Del("Accept-Encoding")
		rec := httptest.NewRecorder()
		p.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			if k != "Content-Length" {
				w.Header()[k] = v
			}
		}
		w.WriteHeader(rec.Code)
		io.WriteString(w, plant.Replace(rec.Body.String()))
	}))
	t.Cleanup(srv.Close)
	return srv, srv.URL + target
}

// inertHTML parses s as HTML (a page, or a fragment for feed content) and
// fails for a script element, an event handler or a script URL in it.
func inertHTML(t *testing.T, where, s string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "iframe", "object", "embed", "style":
				t.Errorf("%s: a <%s> survived", where, n.Data)
			}
			for _, a := range n.Attr {
				v := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
				if strings.HasPrefix(strings.ToLower(a.Key), "on") || a.Key == "style" ||
					strings.HasPrefix(v, "javascript:") || strings.HasPrefix(v, "data:") || strings.HasPrefix(v, "vbscript:") {
					t.Errorf("%s: <%s %s=%q> survived", where, n.Data, a.Key, a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
}

// A crawled page that plants scripts, handlers and script URLs comes out of
// serve inert on the archived copy, the search page and in every feed.
func TestServeCrawledHostilePageStaysInert(t *testing.T) {
	t.Cleanup(http.DefaultClient.CloseIdleConnections)
	srv, hostileURL := hostilePortal(t)
	cfg, _ := crawlConfig(t, srv.URL)
	t.Setenv(config.AdminTokenEnv, adminToken)
	out, stop := startCommand(t, runServe, "--config", cfg, "--addr", "127.0.0.1:0")
	base := waitFor(t, out, listenRE, 10*time.Second)
	if code, _, body := post(t, base, "/api/crawl", adminToken); code != 202 {
		t.Fatalf("POST /api/crawl: %d %s", code, body)
	}
	waitFor(t, out, regexp.MustCompile(`(requested crawl done)`), 30*time.Second)
	id, err := article.IDFor(hostileURL)
	if err != nil {
		t.Fatal(err)
	}
	fetch := func(path string) (string, http.Header) {
		res, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d %.300s", path, res.StatusCode, b)
		}
		return string(b), res.Header
	}
	page, hdr := fetch("/articles/" + id)
	if !strings.Contains(page, "Đoạn độc") {
		t.Fatalf("the archived copy lacks the planted body:\n%s", page)
	}
	if csp := hdr.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'none'") {
		t.Errorf("/articles/%s: CSP %q", id, csp)
	}
	inertHTML(t, "/articles/"+id, page)
	deadline := time.Now().Add(30 * time.Second)
	for {
		search, _ := fetch("/search?q=" + url.QueryEscape("độc"))
		if strings.Contains(search, "/articles/"+id) {
			inertHTML(t, "/search", search)
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the search never found the planted page\n%s", search)
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, f := range []string{"/feed.rss", "/feed.atom", "/feed.json", "/sources/" + testSourceID + "/feed.atom"} {
		var items []*gofeed.Item
		for seen := false; !seen; {
			items = feedItems(t, base+f) // the feeds follow the pass within moments
			for _, it := range items {
				seen = seen || strings.Contains(it.Content, "Đoạn độc")
			}
			if !seen && time.Now().After(deadline) {
				t.Fatalf("%s: the planted article is missing", f)
			}
			time.Sleep(50 * time.Millisecond)
		}
		for _, it := range items {
			if !strings.Contains(it.Content, "Đoạn độc") {
				continue
			}
			inertHTML(t, f+" content", it.Content)
			for what, text := range map[string]string{"title": it.Title, "description": it.Description} {
				if strings.ContainsAny(text, "<>") && strings.Contains(text, "<s") {
					t.Errorf("%s %s keeps markup: %q", f, what, text)
				}
				inertHTML(t, f+" "+what, text)
			}
		}
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
}
