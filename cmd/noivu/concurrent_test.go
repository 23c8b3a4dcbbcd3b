package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/internal/simportal"
)

// concurrentConfig writes a config whose crawl lasts a few seconds, so that
// other commands overlap it.
func concurrentConfig(t *testing.T, dataDir, portalURL string) string {
	t.Helper()
	return writeFile(t, "config.yaml", fmt.Sprintf(`data_dir: %q
user_agent: "noivu-test/1.0"
crawl:
  delay: 30ms
  concurrency: 1
  timeout: 5s
sources:
  - id: %s
    name: "Sở Nội vụ tỉnh Bình Định"
    province: %q
    url: %s/
`, dataDir, testSourceID, testProvince, portalURL))
}

// searchLimit bounds one CLI search: the index lock is waited for 2 s and a
// store write (the sources) at most 10 s; anything longer is a hang.
const searchLimit = 30 * time.Second

// checkSearch checks one run of `noivu search --json`: exit 0 with the JSON
// of DESIGN.md, or exit 1 with the message that points to /api/search (the
// index is held by serve or a crawl's sync). It returns the total found, or
// -1 for the second case.
func checkSearch(code int, stdout, stderr string, took time.Duration) (int, error) {
	if took > searchLimit {
		return 0, fmt.Errorf("took %s", took)
	}
	switch code {
	case exitOK:
		dec := json.NewDecoder(strings.NewReader(stdout))
		dec.DisallowUnknownFields()
		var res searchJSON
		if err := dec.Decode(&res); err != nil {
			return 0, fmt.Errorf("exit 0 but no valid JSON: %v\n%s", err, stdout)
		}
		if dec.More() || res.Hits == nil || res.Total < len(res.Hits) {
			return 0, fmt.Errorf("exit 0 but malformed output:\n%s", stdout)
		}
		for _, h := range res.Hits {
			if h.ID == "" || h.URL == "" || h.Source != testSourceID {
				return 0, fmt.Errorf("exit 0 but a malformed hit %+v", h)
			}
		}
		return res.Total, nil
	case exitFailure:
		if !strings.Contains(stderr, "/api/search") || !strings.Contains(stderr, "in use") || stdout != "" {
			return 0, fmt.Errorf("exit 1 without the message naming /api/search:\nstdout %q\nstderr %q", stdout, stderr)
		}
		return -1, nil
	}
	return 0, fmt.Errorf("exit %d\nstdout %q\nstderr %q", code, stdout, stderr)
}

// searchArgs is the search every test here runs: all articles of the source.
var searchArgs = []string{"search", "--json", "--limit", "5", "source:" + testSourceID}

// searchTally counts the outcomes of CLI searches run side by side with
// other commands.
type searchTally struct {
	ok, locked atomic.Int32
	mu         sync.Mutex
	errs       []string
}

func (s *searchTally) add(code int, stdout, stderr string, took time.Duration) {
	n, err := checkSearch(code, stdout, stderr, took)
	switch {
	case err != nil:
		s.mu.Lock()
		s.errs = append(s.errs, err.Error())
		s.mu.Unlock()
	case n < 0:
		s.locked.Add(1)
	default:
		s.ok.Add(1)
	}
}

func (s *searchTally) check(t *testing.T, phase string) {
	t.Helper()
	t.Logf("%s: %d searches answered, %d pointed to /api/search", phase, s.ok.Load(), s.locked.Load())
	for _, e := range s.errs {
		t.Errorf("%s: noivu search: %s", phase, e)
	}
	if s.ok.Load()+s.locked.Load() == 0 && len(s.errs) == 0 {
		t.Errorf("%s: no search ran", phase)
	}
}

// growing makes the portal publish an article every 150 ms, up to max,
// until the returned stop is called.
func growing(p *simportal.Portal, maxNew int) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(150 * time.Millisecond)
		defer t.Stop()
		for range maxNew {
			select {
			case <-done:
				return
			case <-t.C:
				p.AddArticles(1)
			}
		}
	})
	var once sync.Once
	return func() { once.Do(func() { close(done); wg.Wait() }) }
}

// waitRequests waits until the portal answered a request since base: a crawl
// answers only once it holds the lock.
func waitRequests(t *testing.T, p *simportal.Portal, base int) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); len(p.Log()) <= base; {
		if time.Now().After(deadline) {
			t.Fatal("the crawl made no request in 30 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// serveAgrees polls serve until /api/search and /feed.json both hold exactly
// the stored articles; the deadline is generous, the point is that it happens.
func serveAgrees(t *testing.T, client *http.Client, base string, want map[string]string) {
	t.Helper()
	var last string
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		total, err := apiTotal(client, base)
		if err != nil {
			t.Fatal(err)
		}
		ids, err := feedIDs(client, base+"/feed.json?limit=200")
		if err != nil {
			t.Fatal(err)
		}
		missing, extra := diffKeys(want, ids)
		if total == len(want) && len(missing)+len(extra) == 0 && len(ids) == len(want) {
			return
		}
		last = fmt.Sprintf("/api/search total %d, /feed.json %d items (%d missing, %d extra); the store holds %d",
			total, len(ids), len(missing), len(extra), len(want))
	}
	t.Fatalf("serve never caught up with the store in 60 s: %s", last)
}

// apiTotal asks serve's /api/search how many articles the source has.
func apiTotal(client *http.Client, base string) (int, error) {
	res, err := client.Get(base + "/api/search?limit=1&q=source:" + testSourceID)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("/api/search: %d %s", res.StatusCode, b)
	}
	var out searchJSON
	if err := json.Unmarshal(b, &out); err != nil {
		return 0, fmt.Errorf("/api/search: %v\n%s", err, b)
	}
	return out.Total, nil
}

// feedIDs returns the article IDs of a JSON Feed, failing on a duplicate.
func feedIDs(client *http.Client, url string) (map[string]string, error) {
	res, err := client.Get(url)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %d %s", url, res.StatusCode, b)
	}
	var f struct {
		Items []struct {
			ID string `json:"id"`
		} `json:"items"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("%s: %v", url, err)
	}
	ids := map[string]string{}
	for _, it := range f.Items {
		id := strings.TrimPrefix(it.ID, "urn:noivu:article:")
		if _, dup := ids[id]; dup {
			return nil, fmt.Errorf("%s: article %s twice", url, id)
		}
		ids[id] = it.ID
	}
	return ids, nil
}

// pollServe fetches /api/search and /feed.json until stop is closed and
// records anything but a 200 with a body that parses.
func pollServe(client *http.Client, base string, stop <-chan struct{}, fail func(error)) {
	for {
		select {
		case <-stop:
			return
		case <-time.After(50 * time.Millisecond):
		}
		if _, err := apiTotal(client, base); err != nil {
			fail(err)
		}
		if _, err := feedIDs(client, base+"/feed.json?limit=200"); err != nil {
			fail(err)
		}
	}
}

// portalIDs returns the IDs of the articles p has published, as noivu
// derives them from their URLs.
func portalIDs(t *testing.T, p *simportal.Portal, base string) map[string]string {
	t.Helper()
	ids := map[string]string{}
	for _, a := range p.Articles() {
		id, err := article.IDFor(base + a.Path)
		if err != nil {
			t.Fatal(err)
		}
		ids[id] = a.Path
	}
	return ids
}

// checkAllStored fails unless the store holds exactly the portal's articles.
func checkAllStored(t *testing.T, got map[string]string, p *simportal.Portal, base string) {
	t.Helper()
	if missing, extra := diffKeys(portalIDs(t, p, base), got); len(missing)+len(extra) > 0 {
		t.Errorf("the store lacks %d of the portal's articles %v and holds %d others %v", len(missing), missing, len(extra), extra)
	}
}

// A cron crawl, a running `noivu serve` and CLI searches on one data_dir at
// once, each its own process, while the portal keeps publishing: the crawl
// completes, a second crawl exits at once with code 3, every search answers
// or points to /api/search, serve shows the new articles, nothing is lost or
// stored twice. Then the same without serve, where searches and the crawl's
// own index sync take turns.
func TestConcurrentCrawlServeSearch(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it side by side")
	}
	bin := crashBinary(t)
	portal := simportal.New(simportal.Options{Layout: simportal.LayoutNukeViet, Articles: 40, Seed: 5})
	srv := httptest.NewServer(portal)
	defer srv.Close()
	dir := filepath.Join(t.TempDir(), "data")
	cfg := concurrentConfig(t, dir, srv.URL)
	client := &http.Client{Timeout: 30 * time.Second}
	defer client.CloseIdleConnections()

	serve := exec.Command(bin, "serve", "--quiet", "--addr", "127.0.0.1:0", "--config", cfg)
	serveOut := &syncBuffer{}
	serve.Stdout, serve.Stderr = serveOut, serveOut
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	serveDone := make(chan error, 1)
	go func() { serveDone <- serve.Wait() }()
	defer func() { _ = serve.Process.Kill() }()
	base := waitFor(t, serveOut, listenRE, 30*time.Second)

	searchesBeside := func(tally *searchTally, stop <-chan struct{}) *sync.WaitGroup {
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() {
				for {
					select {
					case <-stop:
						return
					default:
					}
					ctx, cancel := context.WithTimeout(context.Background(), 2*searchLimit)
					var stdout, stderr bytes.Buffer
					cmd := exec.CommandContext(ctx, bin, slices.Concat(searchArgs, []string{"--config", cfg})...)
					cmd.Stdout, cmd.Stderr = &stdout, &stderr
					start := time.Now()
					err := cmd.Run()
					cancel()
					code := 0
					var ee *exec.ExitError
					if errors.As(err, &ee) {
						code = ee.ExitCode()
					} else if err != nil {
						code = -1
					}
					tally.add(code, stdout.String(), stderr.String(), time.Since(start))
				}
			})
		}
		return &wg
	}

	// Phase 1: serve, a crawl, a second crawl, searches and a growing portal.
	grow := growing(portal, 30)
	defer grow()
	stopSide := make(chan struct{})
	var pollErrs []error
	var pollMu sync.Mutex
	var pollWG sync.WaitGroup
	pollWG.Go(func() {
		pollServe(client, base, stopSide, func(err error) { pollMu.Lock(); pollErrs = append(pollErrs, err); pollMu.Unlock() })
	})
	tally := &searchTally{}
	searchWG := searchesBeside(tally, stopSide)
	stopPhase1 := sync.OnceFunc(func() { close(stopSide); searchWG.Wait(); pollWG.Wait() })
	defer stopPhase1() // also when the test fails half way

	startReqs := len(portal.Log())
	before := portalIDs(t, portal, srv.URL)
	crawl := exec.Command(bin, "crawl", "--quiet", "--config", cfg)
	crawlOut := &syncBuffer{}
	crawl.Stdout, crawl.Stderr = crawlOut, crawlOut
	if err := crawl.Start(); err != nil {
		t.Fatal(err)
	}
	crawlDone := make(chan error, 1)
	go func() { crawlDone <- crawl.Wait() }()
	waitRequests(t, portal, startReqs)

	start := time.Now()
	var second bytes.Buffer
	c2 := exec.Command(bin, "crawl", "--quiet", "--config", cfg)
	c2.Stdout, c2.Stderr = &second, &second
	err := c2.Run()
	took := time.Since(start)
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != exitLocked || !strings.Contains(second.String(), "another crawl is running") {
		t.Errorf("a second crawl beside the first: %v, want exit %d and the lock message\n%s", err, exitLocked, second.String())
	}
	if took > 10*time.Second {
		t.Errorf("the second crawl took %s to give up; want at once", took)
	}
	select {
	case err := <-crawlDone:
		t.Fatalf("the first crawl ended (%v) before the second one was refused: the test proves nothing", err)
	default:
	}

	if err := <-crawlDone; err != nil {
		t.Fatalf("crawl beside serve and searches: %v\n%s", err, crawlOut)
	}
	grow()
	stopPhase1()
	tally.check(t, "beside serve")
	for _, err := range pollErrs {
		t.Errorf("serve while the crawl ran: %v", err)
	}
	got := snapshot(t, dir)
	if missing, _ := diffKeys(before, got); len(missing) > 0 {
		t.Errorf("the crawl missed %d of the articles the portal had when it started: %v", len(missing), missing)
	}
	// A last crawl picks up what the portal published near the end.
	if out, err := exec.Command(bin, "crawl", "--quiet", "--config", cfg).CombinedOutput(); err != nil {
		t.Fatalf("last crawl beside serve: %v\n%s", err, out)
	}
	got = snapshot(t, dir)
	checkAllStored(t, got, portal, srv.URL)
	serveAgrees(t, client, base, got)

	// serve stops cleanly on SIGTERM.
	_ = serve.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-serveDone:
		if err != nil {
			t.Errorf("serve on SIGTERM: %v\n%s", err, serveOut)
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("serve did not stop within 30 s of SIGTERM\n%s", serveOut)
	}

	// Phase 2: no serve; searches sync the index while a crawl writes.
	grow = growing(portal, 10)
	defer grow()
	stopSide2 := make(chan struct{})
	tally = &searchTally{}
	searchWG2 := searchesBeside(tally, stopSide2)
	stopPhase2 := sync.OnceFunc(func() { close(stopSide2); searchWG2.Wait() })
	defer stopPhase2()
	if out, err := exec.Command(bin, "crawl", "--quiet", "--config", cfg).CombinedOutput(); err != nil {
		t.Fatalf("crawl beside searches: %v\n%s", err, out)
	}
	grow()
	stopPhase2()
	tally.check(t, "without serve")
	if tally.ok.Load() == 0 {
		t.Error("without serve, no search answered")
	}
	if out, err := exec.Command(bin, "crawl", "--quiet", "--config", cfg).CombinedOutput(); err != nil {
		t.Fatalf("last crawl: %v\n%s", err, out)
	}
	got = snapshot(t, dir)
	checkAllStored(t, got, portal, srv.URL)
	if n := cliSearchTotal(t, bin, cfg); n != len(got) {
		t.Errorf("noivu search finds %d articles, the store holds %d", n, len(got))
	}
	checkIndex(t, dir, got, false)
}

// The same side by side in one process, for the race detector: serve, a
// crawl, a refused second crawl and searches through run, while HTTP clients
// read feeds and search results.
func TestConcurrentInProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls for several seconds")
	}
	portal := simportal.New(simportal.Options{Layout: simportal.LayoutNukeViet, Articles: 30, Seed: 6})
	srv := httptest.NewServer(portal)
	defer srv.Close()
	dir := filepath.Join(t.TempDir(), "data")
	cfg := concurrentConfig(t, dir, srv.URL)
	client := &http.Client{Timeout: 30 * time.Second}
	defer client.CloseIdleConnections()

	out, stopServe := startCommand(t, runServe, "--config", cfg, "--addr", "127.0.0.1:0", "--quiet")
	base := waitFor(t, out, listenRE, 30*time.Second)

	grow := growing(portal, 20)
	defer grow()
	stopSide := make(chan struct{})
	var side sync.WaitGroup
	var pollMu sync.Mutex
	var pollErrs []error
	side.Go(func() {
		pollServe(client, base, stopSide, func(err error) { pollMu.Lock(); pollErrs = append(pollErrs, err); pollMu.Unlock() })
	})
	tally := &searchTally{}
	for range 2 {
		side.Go(func() {
			for {
				select {
				case <-stopSide:
					return
				default:
				}
				var stdout, stderr syncBuffer
				start := time.Now()
				code := run(slices.Concat(searchArgs, []string{"--config", cfg}), env{stdout: &stdout, stderr: &stderr, stdin: strings.NewReader("")})
				tally.add(code, stdout.String(), stderr.String(), time.Since(start))
			}
		})
	}

	stopAll := sync.OnceFunc(func() { close(stopSide); side.Wait() })
	defer stopAll() // also when the test fails half way

	startReqs := len(portal.Log())
	crawlCode := make(chan int, 1)
	crawlOut := &syncBuffer{}
	go func() {
		crawlCode <- run([]string{"crawl", "--quiet", "--config", cfg}, env{stdout: crawlOut, stderr: crawlOut, stdin: strings.NewReader("")})
	}()
	waitRequests(t, portal, startReqs)
	r := noivu(t, "crawl", "--quiet", "--config", cfg)
	if r.code != exitLocked || !strings.Contains(r.stderr, "another crawl is running") {
		t.Errorf("a second crawl beside the first: want exit %d and the lock message\n%s", exitLocked, r)
	}
	select {
	case code := <-crawlCode:
		t.Fatalf("the first crawl ended (exit %d) before the second one was refused: the test proves nothing", code)
	default:
	}
	if code := <-crawlCode; code != exitOK {
		t.Fatalf("crawl beside serve: exit %d\n%s", code, crawlOut)
	}
	grow()
	stopAll()
	tally.check(t, "in process")
	for _, err := range pollErrs {
		t.Errorf("serve while the crawl ran: %v", err)
	}
	mustCrawl(t, cfg)
	got := snapshot(t, dir)
	checkAllStored(t, got, portal, srv.URL)
	serveAgrees(t, client, base, got)
	if err := stopServe(); err != nil {
		t.Fatalf("serve: %v\n%s", err, out)
	}
	r = noivu(t, slices.Concat(searchArgs, []string{"--config", cfg})...)
	if n, err := checkSearch(r.code, r.stdout, r.stderr, 0); err != nil || n != len(got) {
		t.Errorf("search after serve stopped: %d found (%v), the store holds %d", n, err, len(got))
	}
}
