package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
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
	"github.com/noivu/noivu/index"
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

// snapshot is what an archive holds: article ID -> content hash. It fails
// the test when the store fails PRAGMA integrity_check, when an article is
// stored twice (under one ID or one URL), when the WARC files do not read up
// to their last whole record, or when an article's capture is not a whole
// response record of its URL there.
func snapshot(t *testing.T, dataDir string) map[string]string {
	t.Helper()
	got, _ := snapshotWith(t, dataDir, nil)
	return got
}

// snapshotWith is snapshot for a data_dir whose WARC folder lacks files
// walked before: known holds their records by record ID. It also returns
// the records it walked.
func snapshotWith(t *testing.T, dataDir string, known map[string]archive.Record) (map[string]string, map[string]archive.Record) {
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
	// One walk finds every whole record: cheaper than reading each capture.
	walked := map[string]archive.Record{}
	err = archive.Walk(ctx, filepath.Join(dataDir, "warc"), func(r archive.Record) error {
		r.Body, r.Header = nil, nil
		walked[r.RecordID] = r
		return nil
	})
	if err != nil {
		t.Errorf("WARC files do not read back: %v", err)
	}
	out := map[string]string{}
	byURL := map[string]string{}
	err = st.EachArticle(ctx, "", func(a article.Article) error {
		if _, dup := out[a.ID]; dup {
			t.Errorf("article %s stored twice", a.ID)
		}
		if other, dup := byURL[a.URL]; dup {
			t.Errorf("%s stored twice: as article %s and as %s", a.URL, other, a.ID)
		}
		out[a.ID], byURL[a.URL] = a.ContentHash, a.ID
		r, ok := walked[a.Capture.RecordID]
		if !ok {
			r, ok = known[a.Capture.RecordID]
		}
		switch {
		case !ok:
			t.Errorf("article %s: capture %+v is not a whole record of the WARC files", a.ID, a.Capture)
		case r.Capture != a.Capture || r.Type != "response":
			t.Errorf("article %s: capture %+v, but the WARC files hold %s record %+v", a.ID, a.Capture, r.Type, r.Capture)
		case r.URL != a.URL:
			t.Errorf("article %s: capture holds %s, want %s", a.ID, r.URL, a.URL)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out, walked
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

// checkIndex opens the index of dataDir as the next command would (synced
// with the store first when sync is set) and compares its articles with want.
func checkIndex(t *testing.T, dataDir string, want map[string]string, sync bool) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dataDir, "noivu.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ix, err := index.Open(filepath.Join(dataDir, "index"))
	if err != nil {
		t.Fatalf("index after the kill: %v", err)
	}
	defer ix.Close()
	if sync {
		if _, err := ix.Sync(ctx, st); err != nil {
			t.Fatalf("index sync after the kill: %v", err)
		}
	}
	got := map[string]string{}
	for from := 0; ; from += index.MaxSize {
		res, err := ix.Search(ctx, index.Request{Sort: index.SortNewest, From: from, Size: index.MaxSize})
		if err != nil {
			t.Fatalf("index after the kill: %v", err)
		}
		for _, h := range res.Hits {
			if _, dup := got[h.ID]; dup {
				t.Errorf("index: article %s found twice", h.ID)
			}
			got[h.ID] = "indexed"
		}
		if len(res.Hits) < index.MaxSize {
			break
		}
	}
	if n, err := ix.Count(); err != nil || n != len(want) {
		t.Errorf("index counts %d documents (%v), the store holds %d articles", n, err, len(want))
	}
	if missing, extra := diffKeys(want, got); len(missing)+len(extra) > 0 {
		t.Errorf("index disagrees with the store: %d articles not indexed %v, %d indexed but not stored %v",
			len(missing), missing, len(extra), extra)
	}
}

// cliSearchTotal asks `noivu search --json` how many articles of the test
// source it finds.
func cliSearchTotal(t *testing.T, bin, cfg string) int {
	t.Helper()
	out, err := exec.Command(bin, "search", "--json", "--limit", "1", "--config", cfg, "source:"+testSourceID).Output()
	if err != nil {
		t.Fatalf("noivu search: %v", err)
	}
	var res searchJSON
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("noivu search --json: %v\n%s", err, out)
	}
	return res.Total
}

// copyDir copies the regular files and folders under src into dst, except
// the files skip returns true for (given their path relative to src).
func copyDir(src, dst string, skip func(rel string, size int64) bool) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		to := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(to, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		if fi, err := d.Info(); err != nil || skip(rel, fi.Size()) {
			return err
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		out, err := os.Create(to)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, in); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}
