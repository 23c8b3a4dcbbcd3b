package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
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
	if code := run([]string{"crawl", "--quiet", "--config", cfg}, env{stdout: io.Discard, stderr: io.Discard}); code != 0 {
		t.Fatalf("crawl beside serve exited %d", code)
	}
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
// rebuild of the search index in between.
func TestFeedIDsSurviveRestartAndReindex(t *testing.T) {
	t.Cleanup(http.DefaultClient.CloseIdleConnections)
	_, srv := portal(t, 12)
	cfg, _ := crawlConfig(t, srv.URL)
	if code := run([]string{"crawl", "--quiet", "--config", cfg}, env{stdout: io.Discard, stderr: io.Discard}); code != 0 {
		t.Fatalf("crawl exited %d", code)
	}
	ids := func() []string {
		out, stop := startCommand(t, runServe, "--config", cfg, "--addr", "127.0.0.1:0")
		base := waitFor(t, out, listenRE, 10*time.Second)
		var got []string
		for _, f := range []string{"/feed.rss", "/feed.atom", "/feed.json"} {
			for _, it := range feedItems(t, base+f) {
				got = append(got, f+" "+it.GUID)
			}
		}
		if err := stop(); err != nil {
			t.Fatalf("serve: %v", err)
		}
		return got
	}
	first := ids()
	if len(first) != 3*12 {
		t.Fatalf("%d items in the three feeds, want 36", len(first))
	}
	if code := run([]string{"reindex", "--config", cfg}, env{stdout: io.Discard, stderr: io.Discard}); code != 0 {
		t.Fatalf("reindex exited %d", code)
	}
	if again := ids(); strings.Join(again, "\n") != strings.Join(first, "\n") {
		t.Errorf("feed ids changed across a restart and a reindex:\nbefore %v\nafter  %v", first, again)
	}
}
