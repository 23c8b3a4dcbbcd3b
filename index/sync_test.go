package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/store"
)

// save stores a as fetched now, the way the crawler does.
func save(t *testing.T, st *store.Store, a article.Article) store.SaveResult {
	t.Helper()
	a.FetchedAt = time.Now()
	rec := article.URLRecord{URL: a.URL, SourceID: a.SourceID, Kind: article.KindArticle,
		LastStatus: 200, LastFetched: a.FetchedAt}
	res, err := st.SaveFetch(context.Background(), rec, &a)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func find(t *testing.T, ix *Index, q string) []string {
	t.Helper()
	res, err := ix.Search(context.Background(), Request{Query: q, Size: MaxSize})
	if err != nil {
		t.Fatalf("Search(%q): %v", q, err)
	}
	return ids(res)
}

func TestSyncFromStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, filepath.Join(dir, "noivu.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := loadCorpus(t)
	if err := st.SyncSources(ctx, c.Sources); err != nil {
		t.Fatal(err)
	}
	for _, a := range c.Articles[:10] {
		save(t, st, a)
	}
	path := filepath.Join(dir, "index")
	ix, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ix.SetSources(c.Sources)
	if n, err := ix.Sync(ctx, st); err != nil || n != 10 {
		t.Fatalf("first Sync: %d, %v; want 10", n, err)
	}
	if n, err := ix.Sync(ctx, st); err != nil || n != 0 {
		t.Fatalf("second Sync: %d, %v; want 0", n, err)
	}
	for _, a := range c.Articles[10:] {
		save(t, st, a)
	}
	if n, err := ix.Sync(ctx, st); err != nil || n != len(c.Articles)-10 {
		t.Fatalf("Sync after more articles: %d, %v; want %d", n, err, len(c.Articles)-10)
	}
	if got := find(t, ix, `"hành chính công"`); len(got) != 2 {
		t.Errorf("after sync, %q finds %v; want bd-01 and hg-02", "hành chính công", got)
	}

	// An article changes: it is replaced, not duplicated.
	changed := c.Articles[0]
	changed.Text += "\n\nBổ sung: kết quả đánh giá chỉ số PAPI."
	if res := save(t, st, changed); res != store.Updated {
		t.Fatalf("SaveFetch of a changed article: %v, want updated", res)
	}
	if n, err := ix.Sync(ctx, st); err != nil || n != 1 {
		t.Fatalf("Sync after a change: %d, %v; want 1", n, err)
	}
	if got := find(t, ix, "papi"); len(got) != 1 || got[0] != changed.ID {
		t.Errorf("the changed text is not searchable: %v", got)
	}
	if n, _ := ix.Count(); n != len(c.Articles) {
		t.Errorf("Count = %d after a change, want %d (no duplicate)", n, len(c.Articles))
	}

	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	checkReopened(t, path, st)
}

// checkReopened checks that the sync position survives a restart.
func checkReopened(t *testing.T, path string, st ChangeSource) {
	t.Helper()
	ix, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n, err := ix.Sync(context.Background(), st); err != nil || n != 0 {
		t.Fatalf("Sync after reopening: %d, %v; want 0", n, err)
	}
	if got := find(t, ix, "papi"); len(got) != 1 {
		t.Errorf("after reopening, papi finds %v", got)
	}
}

// failingSource fails after handing out its first batch.
type failingSource struct{ memSource }

func (f failingSource) ArticlesChangedSince(ctx context.Context, seq int64, limit int) ([]article.Article, int64, error) {
	if seq > 0 {
		return nil, seq, errors.New("disk on fire")
	}
	return f.memSource.ArticlesChangedSince(ctx, seq, limit)
}

func TestRebuildSwaps(t *testing.T) {
	ctx := context.Background()
	c := loadCorpus(t)
	ix := openTemp(t)
	ix.SetSources(c.Sources)
	if _, err := ix.Sync(ctx, memSource(c.Articles[:5])); err != nil {
		t.Fatal(err)
	}
	root, oldGen := ix.root, ix.gen

	// A rebuild that fails leaves the old generation live and nothing behind.
	big := make(memSource, batchSize+1)
	for i := range big {
		big[i] = article.Article{ID: fmt.Sprint("x", i), URL: "https://x.vn/", SourceID: "sonla", Title: "tin"}
	}
	if _, err := ix.Rebuild(ctx, failingSource{big}); err == nil {
		t.Fatal("Rebuild from a failing source: want an error")
	}
	if n, _ := ix.Count(); n != 5 || ix.gen != oldGen {
		t.Errorf("after a failed rebuild: %d articles in %s, want 5 in %s", n, ix.gen, oldGen)
	}
	if _, err := os.Stat(filepath.Join(root, nextGeneration(oldGen))); !os.IsNotExist(err) {
		t.Errorf("a failed rebuild left its folder behind (%v)", err)
	}

	n, err := ix.Rebuild(ctx, memSource(c.Articles))
	if err != nil || n != len(c.Articles) {
		t.Fatalf("Rebuild: %d, %v; want %d", n, err, len(c.Articles))
	}
	if cnt, _ := ix.Count(); cnt != len(c.Articles) {
		t.Errorf("Count after Rebuild = %d", cnt)
	}
	cur, _ := os.ReadFile(filepath.Join(root, "CURRENT"))
	if strings.TrimSpace(string(cur)) != ix.gen || ix.gen == oldGen {
		t.Errorf("CURRENT = %q, live generation %s, old %s", cur, ix.gen, oldGen)
	}
	if _, err := os.Stat(filepath.Join(root, oldGen)); !os.IsNotExist(err) {
		t.Errorf("the old generation %s is still there", oldGen)
	}
	if seq, _ := ix.LastSeq(); seq != int64(len(c.Articles)) {
		t.Errorf("LastSeq after Rebuild = %d, want %d", seq, len(c.Articles))
	}
}

func TestOpenCleansAndChecksVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "index")
	ix, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	// An index made by another mapping, and a crashed rebuild's leftovers.
	if err := ix.bi.SetInternal(keyMappingVersion, []byte("vi-0")); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	if err := os.MkdirAll(filepath.Join(path, "g7"), 0o755); err != nil {
		t.Fatal(err)
	}
	ix, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if _, err := os.Stat(filepath.Join(path, "g7")); !os.IsNotExist(err) {
		t.Error("Open left a stray generation folder")
	}
	_, err = ix.Search(context.Background(), Request{Query: "a"})
	if !errors.Is(err, ErrReindex) || !strings.Contains(err.Error(), "vi-0") {
		t.Fatalf("Search on an index of another mapping: %v, want ErrReindex naming vi-0", err)
	}
	if _, err := ix.Sync(context.Background(), memSource(nil)); !errors.Is(err, ErrReindex) {
		t.Fatalf("Sync on an index of another mapping: %v, want ErrReindex", err)
	}
	if _, err := ix.Rebuild(context.Background(), memSource(loadCorpus(t).Articles)); err != nil {
		t.Fatal(err)
	}
	if got := find(t, ix, "dak lak"); len(got) == 0 {
		t.Error("after Rebuild, the index answers nothing")
	}
}

func TestOpenLocked(t *testing.T) {
	ix := openTemp(t)
	start := time.Now()
	_, err := Open(ix.root)
	if !errors.Is(err, ErrLocked) || !strings.Contains(err.Error(), fmt.Sprint("pid ", os.Getpid())) {
		t.Fatalf("second Open: %v, want ErrLocked naming this process", err)
	}
	if took := time.Since(start); took > lockWait+time.Second {
		t.Errorf("second Open took %s to give up", took)
	}
	ix.Close()
	ix2, err := Open(ix.root)
	if err != nil {
		t.Fatalf("Open after Close: %v", err)
	}
	ix2.Close()
	if _, err := ix.Search(context.Background(), Request{}); !errors.Is(err, ErrClosed) {
		t.Errorf("Search after Close: %v, want ErrClosed", err)
	}
}
