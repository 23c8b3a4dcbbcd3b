package main

import (
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
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
	if code := run([]string{"crawl", "--quiet", "--config", cfg}, env{stdout: io.Discard, stderr: io.Discard}); code != 0 {
		t.Fatalf("crawl exited %d", code)
	}
	held, err := index.Open(filepath.Join(dataDir, "index"))
	if err != nil {
		t.Fatal(err)
	}
	out, _ := startCommand(t, runServe, "--config", cfg, "--addr", "127.0.0.1:0")
	base := waitFor(t, out, listenRE, 30*time.Second)

	status := func(path string) (int, string) {
		r, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer r.Body.Close()
		b, _ := io.ReadAll(r.Body)
		return r.StatusCode, string(b)
	}
	if code, body := status("/api/search?q=tin"); code != http.StatusServiceUnavailable || !strings.Contains(body, "try again") {
		t.Errorf("search while the index is held: %d %q, want 503 saying to try again", code, body)
	}
	if code, _ := status("/feed.rss"); code != http.StatusOK {
		t.Errorf("feed while the index is held: %d, want 200", code)
	}
	if err := held.Close(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for {
		code, body := status("/api/search?q=tin")
		var res struct {
			Total int `json:"total"`
		}
		if code == http.StatusOK && json.Unmarshal([]byte(body), &res) == nil && res.Total > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("search still %d %q a minute after the index was freed\n%s", code, body, out)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if !strings.Contains(out.String(), "search is on") {
		t.Errorf("serve did not log that search came on:\n%s", out)
	}
}
