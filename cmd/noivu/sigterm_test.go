package main

import (
	"context"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/noivu/noivu/internal/simportal"
	"github.com/noivu/noivu/store"
)

// SIGTERM (what systemd and docker stop send) to `noivu serve --schedule`
// while a scheduled crawl is in flight: the crawl stops at its next safe
// point, asking the portal for nothing more than what was already on the
// wire; serve exits 0 within its grace period; the run is recorded as
// interrupted, with what it fetched; and the next `noivu crawl` completes
// the archive, every article stored before the signal still there and
// unchanged.
func TestSIGTERMStopsScheduledCrawl(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := crashBinary(t)
	const articles = 60
	portal := simportal.New(simportal.Options{Layout: simportal.LayoutSonLa, Articles: articles, Seed: 81})
	srv := httptest.NewServer(portal)
	defer srv.Close()
	dir := t.TempDir()
	cfg := crashConfig(t, dir, srv.URL) // crawl.delay 15ms: the pass takes a couple of seconds

	serve := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--schedule", "@every 1s", "--config", cfg)
	out := &syncBuffer{}
	serve.Stdout, serve.Stderr = out, out
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- serve.Wait() }()
	defer func() { _ = serve.Process.Kill() }()

	// Signal once the scheduled pass is well under way.
	for deadline := time.Now().Add(30 * time.Second); len(portal.Log()) < 40; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the scheduled crawl made %d requests in 30 s\n%s", len(portal.Log()), out)
		}
	}
	asked := len(portal.Log())
	signalled := time.Now()
	if err := serve.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve on SIGTERM during a scheduled crawl: %v, want exit 0\n%s", err, out)
		}
	case <-time.After(shutdownGrace):
		t.Fatalf("serve still running %v after SIGTERM (its grace period)\n%s", shutdownGrace, out)
	}
	t.Logf("serve exited %v after SIGTERM", time.Since(signalled).Round(time.Millisecond))
	if more := len(portal.Log()) - asked; more > 2 {
		t.Errorf("the crawl went on after SIGTERM: %d more requests", more)
	}
	if !strings.Contains(out.String(), "interrupted=true") {
		t.Errorf("serve did not log the scheduled crawl as interrupted\n%s", out)
	}

	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "noivu.db"))
	if err != nil {
		t.Fatal(err)
	}
	statuses, err := st.SourceStatuses(ctx)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(statuses) != 1 {
		t.Fatalf("%d sources in the store, want 1", len(statuses))
	}
	run := statuses[0].LastRun
	if run.Finished.IsZero() || run.Err != "interrupted" || run.Fetched == 0 {
		t.Errorf("the interrupted run is recorded as %+v; want finished, err \"interrupted\", fetched > 0", run)
	}

	before := snapshot(t, dir)
	if len(before) == 0 || len(before) == articles {
		t.Fatalf("%d of %d articles stored when serve stopped: the crawl was not in flight, the test proves nothing", len(before), articles)
	}
	if res, err := exec.Command(bin, "crawl", "--quiet", "--config", cfg).CombinedOutput(); err != nil {
		t.Fatalf("the crawl after SIGTERM: %v\n%s", err, res)
	}
	after := snapshot(t, dir)
	if len(after) != articles {
		t.Errorf("after the next crawl: %d articles, want %d", len(after), articles)
	}
	for id, hash := range before {
		if after[id] != hash {
			t.Errorf("article %s stored before SIGTERM: content hash %q after the next crawl, %q before", id, after[id], hash)
		}
	}
}
