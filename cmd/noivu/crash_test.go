package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"syscall"
	"testing"
	"time"

	"github.com/noivu/noivu/archive"
	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/internal/simportal"
	"github.com/noivu/noivu/store"
)

// crashBinary builds noivu once for the tests that kill it.
func crashBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "noivu")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// crashConfig writes a config crawling portalURL into dataDir.
func crashConfig(t *testing.T, dataDir, portalURL string) string {
	t.Helper()
	cfg := fmt.Sprintf(`data_dir: %s
user_agent: "noivu-test/1.0"
crawl:
  delay: 15ms
  concurrency: 1
  timeout: 5s
sources:
  - id: binhdinh
    name: "Sở Nội vụ tỉnh Bình Định"
    province: "Bình Định"
    current_province: "Gia Lai"
    url: %s/
`, dataDir, portalURL)
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// snapshot is what an archive holds: article ID -> content hash.
func snapshot(t *testing.T, dataDir string) map[string]string {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dataDir, "noivu.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Integrity(ctx); err != nil {
		t.Fatalf("store integrity: %v", err)
	}
	out := map[string]string{}
	err = st.EachArticle(ctx, "", func(a article.Article) error {
		if _, dup := out[a.ID]; dup {
			t.Errorf("article %s stored twice", a.ID)
		}
		out[a.ID] = a.ContentHash
		resp, err := archive.ReadCapture(filepath.Join(dataDir, "warc"), a.Capture)
		if err != nil {
			t.Errorf("article %s: capture %+v unreadable: %v", a.ID, a.Capture, err)
		} else if resp.URL != a.URL {
			t.Errorf("article %s: capture holds %s, want %s", a.ID, resp.URL, a.URL)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := archive.Walk(ctx, filepath.Join(dataDir, "warc"), func(archive.Record) error { return nil }); err != nil {
		t.Errorf("WARC files do not read back: %v", err)
	}
	return out
}

// Killing a crawl with SIGKILL at several moments loses nothing: after a
// last uninterrupted run the archive equals one made without interruption.
func TestKill9LosesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and crawls for several seconds")
	}
	bin := crashBinary(t)
	// One portal for both archives: article IDs derive from host and port.
	srv := httptest.NewServer(simportal.New(simportal.Options{Layout: simportal.LayoutNukeViet, Articles: 60, Seed: 7}))
	defer srv.Close()

	refDir := t.TempDir()
	ref := exec.Command(bin, "crawl", "--quiet", "--config", crashConfig(t, refDir, srv.URL))
	if out, err := ref.CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted crawl: %v\n%s", err, out)
	}
	want := snapshot(t, refDir)
	if len(want) != 60 {
		t.Fatalf("uninterrupted crawl stored %d articles, want 60", len(want))
	}

	dir := t.TempDir()
	cfg := crashConfig(t, dir, srv.URL)
	for i, after := range []time.Duration{150 * time.Millisecond, 400 * time.Millisecond, 250 * time.Millisecond, 700 * time.Millisecond} {
		cmd := exec.Command(bin, "crawl", "--quiet", "--config", cfg)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(after)
		_ = cmd.Process.Kill() // SIGKILL: no deferred code runs
		_ = cmd.Wait()
		got := snapshot(t, dir) // readable and consistent after every kill
		t.Logf("kill %d after %v: %d articles so far", i+1, after, len(got))
	}
	final := exec.Command(bin, "crawl", "--quiet", "--config", cfg)
	if out, err := final.CombinedOutput(); err != nil {
		t.Fatalf("crawl after kills: %v\n%s", err, out)
	}
	got := snapshot(t, dir)
	if missing, extra := diffKeys(want, got); len(missing)+len(extra) > 0 {
		t.Errorf("after kills: %d articles missing %v, %d extra %v", len(missing), missing, len(extra), extra)
	}
	for id, h := range want {
		if got[id] != "" && got[id] != h {
			t.Errorf("article %s: content hash %s after kills, %s uninterrupted", id, got[id], h)
		}
	}
}

// SIGINT stops a crawl at a safe point with exit code 130; the next run
// completes the archive.
func TestInterruptStopsCleanly(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := crashBinary(t)
	portal := simportal.New(simportal.Options{Layout: simportal.LayoutSonLa, Articles: 40, Seed: 9})
	srv := httptest.NewServer(portal)
	defer srv.Close()
	dir := t.TempDir()
	cfg := crashConfig(t, dir, srv.URL)
	cmd := exec.Command(bin, "crawl", "--config", cfg)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// Interrupt once the crawl is under way (the signal handler is set up by
	// then), not at a fixed time: a loaded machine starts the binary slowly.
	for deadline := time.Now().Add(30 * time.Second); len(portal.Log()) < 5 && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
	}
	_ = cmd.Process.Signal(syscall.SIGINT)
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitInterrupted {
		t.Fatalf("interrupted crawl: %v, want exit %d", err, exitInterrupted)
	}
	if out, err := exec.Command(bin, "crawl", "--quiet", "--config", cfg).CombinedOutput(); err != nil {
		t.Fatalf("next crawl: %v\n%s", err, out)
	}
	if got := snapshot(t, dir); len(got) != 40 {
		t.Errorf("after an interrupted and a full run: %d articles, want 40", len(got))
	}
}

func diffKeys(want, got map[string]string) (missing, extra []string) {
	for k := range want {
		if _, ok := got[k]; !ok {
			missing = append(missing, k)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	return missing, extra
}
