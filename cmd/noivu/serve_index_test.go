package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/noivu/noivu/index"
)

// A serve started while another command holds the search index (a reindex,
// a long sync) serves the feeds at once, answers searches with a 503 that
// says to try again, and turns search on by itself once the index is free:
// no restart needed.
func TestServeSearchComesOnWhenIndexFrees(t *testing.T) {
	t.Cleanup(http.DefaultClient.CloseIdleConnections)
	_, srv := portal(t, 8)
	cfg, dataDir := crawlConfig(t, srv.URL)
	mustCrawl(t, cfg)
	held, err := index.Open(filepath.Join(dataDir, "index"))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := startCommand(t, runServe, "--config", cfg, "--addr", "127.0.0.1:0")
	base := waitFor(t, out, listenRE, 30*time.Second)

	status := getter(t, base)
	if code, body := status("/api/search?q=tin"); code != http.StatusServiceUnavailable || !strings.Contains(body, "try again") {
		t.Errorf("search while the index is held: %d %q, want 503 saying to try again", code, body)
	}
	if code, _ := status("/feed.rss"); code != http.StatusOK {
		t.Errorf("feed while the index is held: %d, want 200", code)
	}
	if err := held.Close(); err != nil {
		t.Fatal(err)
	}
	awaitSearch(t, status, out, "a minute after the index was freed", nil)
	if !strings.Contains(out.String(), "search is on") {
		t.Errorf("serve did not log that search came on:\n%s", out)
	}
}

// An index serve cannot use as it is (built by an older noivu, or left
// unreadable) is rebuilt by serve itself from the store: the feeds answer
// from the start, search says to try again, then answers, with no
// `noivu reindex` and no restart.
func TestServeRebuildsAStaleIndex(t *testing.T) {
	t.Cleanup(http.DefaultClient.CloseIdleConnections)
	_, srv := portal(t, 8)
	cfg, dataDir := crawlConfig(t, srv.URL)
	mustCrawl(t, cfg)
	// CURRENT names a generation that is not there: the index opens stale.
	if err := os.WriteFile(filepath.Join(dataDir, "index", "CURRENT"), []byte("g99\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	if code := run([]string{"search", "--config", cfg, "tin"}, env{stdout: io.Discard, stderr: &stderr}); code == 0 ||
		!strings.Contains(stderr.String(), "noivu reindex") {
		t.Fatalf("search on the stale index exited %d with %q; want a failure that says to reindex", code, stderr.String())
	}
	out, _ := startCommand(t, runServe, "--config", cfg, "--addr", "127.0.0.1:0")
	base := waitFor(t, out, listenRE, 30*time.Second)
	get := getter(t, base)
	if code, _ := get("/feed.rss"); code != http.StatusOK {
		t.Errorf("feed while the index is stale: %d, want 200", code)
	}
	awaitSearch(t, get, out, "a minute after serve started", func(code int, body string) {
		if code != http.StatusServiceUnavailable || !strings.Contains(body, "try again") {
			t.Fatalf("search while serve rebuilds the index: %d %q, want 503 saying to try again", code, body)
		}
	})
	waitFor(t, out, regexp.MustCompile(`(search index rebuilt)`), 10*time.Second)
}

// getter returns a GET of a path of the server at base: status and body.
func getter(t *testing.T, base string) func(path string) (int, string) {
	return func(path string) (int, string) {
		r, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return r.StatusCode, string(b)
	}
}

// awaitSearch polls /api/search?q=tin until it finds articles, for at most a
// minute; each answer before that goes to meanwhile when it is not nil.
func awaitSearch(t *testing.T, get func(string) (int, string), out *syncBuffer, when string,
	meanwhile func(code int, body string)) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		code, body := get("/api/search?q=tin")
		var res struct {
			Total int `json:"total"`
		}
		if code == http.StatusOK && json.Unmarshal([]byte(body), &res) == nil && res.Total > 0 {
			return
		}
		if meanwhile != nil {
			meanwhile(code, body)
		}
		if time.Now().After(deadline) {
			t.Fatalf("search still %d %q %s\n%s", code, body, when, out)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
