package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/noivu/noivu/article"
)

// base is a fixed instant the tests build their times from.
var base = time.Date(2025, 7, 1, 8, 30, 15, 123456789, article.VietnamZone)

// openTest opens a fresh store in a folder that does not exist yet, so that
// every test also checks that Open creates it.
func openTest(t testing.TB) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "data", "noivu.db")
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s, path
}

func TestOpenFreshIsIntactAndMigrated(t *testing.T) {
	s, _ := openTest(t)
	ctx := context.Background()
	if err := s.Integrity(ctx); err != nil {
		t.Errorf("Integrity on a fresh database: %v", err)
	}
	v, err := userVersion(ctx, s.db)
	if err != nil || v != len(migrations()) {
		t.Errorf("user_version = %d, %v; want %d", v, err, len(migrations()))
	}
	var mode string
	if err := s.db.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v; want wal", mode, err)
	}
}

func TestReopenRunsNoMigrationTwice(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	if err := s.SyncSources(ctx, []article.Source{{ID: "sonla"}}); err != nil {
		t.Fatal(err)
	}
	// A second Open on the existing file would fail on CREATE TABLE if it
	// re-ran step 1; it must also keep the data.
	s2, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s2.Close()
	applied, err := s2.migrate(ctx)
	if err != nil || applied != 0 {
		t.Errorf("migrate after reopen applied %d, %v; want 0, nil", applied, err)
	}
	st, err := s2.SourceStatuses(ctx)
	if err != nil || len(st) != 1 {
		t.Errorf("SourceStatuses after reopen = %v, %v; want the one source", st, err)
	}
}

// A database written by a version that knew only schema step 1 opens: the
// later steps are applied once and its articles and revisions read back,
// with an empty section.
func TestOpenMigratesVersion1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "noivu.db")
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{schemaV1, "PRAGMA user_version = 1",
		`INSERT INTO articles (id, source_id, change_seq, url, title, content_hash) VALUES ('v1', 'sonla', 1, 'https://x.gov.vn/v1', 'Cũ', 'h1')`,
		`INSERT INTO revisions (article_id, rev, url, title, content_hash) VALUES ('v1', 1, 'https://x.gov.vn/v1', 'Cũ hơn', 'h0')`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%.40s: %v", q, err)
		}
	}
	db.Close()
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open on a version-1 database: %v", err)
	}
	defer s.Close()
	if v, err := userVersion(ctx, s.db); err != nil || v != len(migrations()) {
		t.Errorf("user_version = %d, %v; want %d", v, err, len(migrations()))
	}
	a, ok, err := s.Article(ctx, "v1")
	if err != nil || !ok || a.Title != "Cũ" || a.Section != "" {
		t.Errorf("Article(v1) = %+v, %v, %v; want the stored one with no section", a, ok, err)
	}
	revs, err := s.Revisions(ctx, "v1")
	if err != nil || len(revs) != 1 || revs[0].Title != "Cũ hơn" {
		t.Errorf("Revisions(v1) = %+v, %v; want the stored one", revs, err)
	}
	a.Section, a.ContentHash = "Tin tức", ""
	if _, err := s.SaveFetch(ctx, article.URLRecord{URL: a.URL}, &a); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := s.Article(ctx, "v1"); got.Section != "Tin tức" {
		t.Errorf("section after a save on the migrated database: %q", got.Section)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	newer := len(migrations()) + 1
	if _, err := s.db.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", newer)); err != nil {
		t.Fatal(err)
	}
	_, err := Open(ctx, path)
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("Open on a version-%d database: err = %v, want ErrSchemaTooNew", newer, err)
	}
	t.Logf("error reads: %v", err)
}

func TestDSNEscapesPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "a?b#c%d")
	s, err := Open(context.Background(), filepath.Join(dir, "noivu.db"))
	if err != nil {
		t.Fatalf("Open with ?, # and %% in the path: %v", err)
	}
	s.Close()
	if _, err := filepath.Glob(filepath.Join(dir, "noivu.db")); err != nil {
		t.Fatal(err)
	}
}

// TestTwoProcessesWriteConcurrently opens two *Store on one file, as a cron
// crawl and a running serve would, and writes from several goroutines of
// each. Any "database is locked" error fails the test.
func TestTwoProcessesWriteConcurrently(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "noivu.db")
	stores := make([]*Store, 2)
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := range stores { // both migrate the fresh file at once
		wg.Go(func() {
			s, err := Open(ctx, path)
			stores[i] = s
			if err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	drain(t, errs)
	defer func() {
		for _, s := range stores {
			s.Close()
		}
	}()

	const workers, rounds = 3, 10
	for p, s := range stores {
		for w := range workers {
			wg.Go(func() {
				for r := range rounds {
					if err := writeRound(ctx, s, fmt.Sprintf("p%dw%dr%d", p, w, r)); err != nil {
						errs <- err
						return
					}
				}
			})
		}
	}
	wg.Wait()
	drain(t, errs)
	n, err := stores[0].CountArticles(ctx, "")
	if want := len(stores) * workers * rounds; err != nil || n != want {
		t.Errorf("CountArticles = %d, %v; want %d", n, err, want)
	}
	if err := stores[1].Integrity(ctx); err != nil {
		t.Error(err)
	}
}

// writeRound does what one crawl step does: a run, a batch of links, a
// fetched article, and a read the web server would make meanwhile.
func writeRound(ctx context.Context, s *Store, key string) error {
	run, err := s.StartRun(ctx, "src", base)
	if err != nil {
		return err
	}
	recs := make([]article.URLRecord, 20)
	for i := range recs {
		recs[i] = article.URLRecord{URL: fmt.Sprintf("https://x.gov.vn/%s/%d", key, i), SourceID: "src", FirstSeen: base}
	}
	if _, err := s.AddURLs(ctx, recs); err != nil {
		return err
	}
	rec := recs[0]
	rec.LastFetched, rec.Kind = base, article.KindArticle
	a := &article.Article{ID: key, URL: rec.URL, Title: key, Text: "Nội dung " + key, FetchedAt: base}
	if _, err := s.SaveFetch(ctx, rec, a); err != nil {
		return err
	}
	if _, err := s.SourceStatuses(ctx); err != nil {
		return err
	}
	if _, err := s.DueURLs(ctx, "src", base, 50); err != nil {
		return err
	}
	return s.FinishRun(ctx, run, article.RunStats{Finished: base.Add(time.Minute), New: 1})
}

func drain(t *testing.T, errs chan error) {
	t.Helper()
	for {
		select {
		case err := <-errs:
			t.Error(err)
		default:
			if t.Failed() {
				t.FailNow()
			}
			return
		}
	}
}
