package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/noivu/noivu/article"
)

func TestSyncSourcesUpsertsAndKeeps(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	first := []article.Source{
		{ID: "sonla", Name: "Sở Nội vụ tỉnh Sơn La", Province: "Sơn La", URL: "https://sonoivu.sonla.gov.vn/"},
		{ID: "hagiang", Name: "Sở Nội vụ tỉnh Hà Giang", Province: "Hà Giang"},
	}
	second := []article.Source{{ID: "hagiang", Name: "Sở Nội vụ Hà Giang", Province: "Hà Giang",
		CurrentProvince: "Tuyên Quang", URL: "https://sonv.hagiang.gov.vn/"}}
	for _, list := range [][]article.Source{first, second} {
		if err := s.SyncSources(ctx, list); err != nil {
			t.Fatal(err)
		}
	}
	st, err := s.SourceStatuses(ctx)
	if err != nil || len(st) != 2 {
		t.Fatalf("SourceStatuses = %d, %v; want 2", len(st), err)
	}
	if st[0].Source != second[0] || st[1].Source != first[0] {
		t.Errorf("sources = %+v, %+v; want hagiang updated and sonla kept", st[0].Source, st[1].Source)
	}
	if err := s.SyncSources(ctx, []article.Source{{Name: "no id"}}); !errors.Is(err, ErrNoID) {
		t.Errorf("SyncSources without id: err = %v, want ErrNoID", err)
	}
}

func TestRunsAndSourceStatuses(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	if err := s.SyncSources(ctx, []article.Source{{ID: "a"}, {ID: "quiet"}}); err != nil {
		t.Fatal(err)
	}
	t0 := base
	ok := article.RunStats{SourceID: "a", Started: t0, Finished: t0.Add(time.Minute), Fetched: 7, New: 2,
		Updated: 1, Unchanged: 3, Failed: 1, RobotsSkipped: 4}
	broken := article.RunStats{Finished: t0.Add(time.Hour + time.Minute), Fetched: 1, Err: "home page: 503"}
	runs := []struct {
		started time.Time
		st      article.RunStats
	}{{t0, ok}, {t0.Add(time.Hour), broken}}
	for _, r := range runs {
		id, err := s.StartRun(ctx, "a", r.started)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.FinishRun(ctx, id, r.st); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.FinishRun(ctx, 999, ok); !errors.Is(err, ErrUnknownRun) {
		t.Errorf("FinishRun(999): err = %v, want ErrUnknownRun", err)
	}
	failing := seedURLs(t, s)
	st, err := s.SourceStatuses(ctx)
	if err != nil || len(st) != 2 {
		t.Fatalf("SourceStatuses = %d, %v", len(st), err)
	}
	got := st[0]
	wantRun := broken
	wantRun.SourceID, wantRun.Started = "a", t0.Add(time.Hour)
	if !sameRun(got.LastRun, wantRun) || !got.LastCrawl.Equal(ok.Finished) {
		t.Errorf("LastRun %+v LastCrawl %v; want %+v and %v", got.LastRun, got.LastCrawl, wantRun, ok.Finished)
	}
	if got.Articles != 1 || got.Pending != 2 || got.Failing != 1 {
		t.Errorf("Articles, Pending, Failing = %d, %d, %d; want 1, 2, 1", got.Articles, got.Pending, got.Failing)
	}
	if got.LastError != "https://a/2: timeout" || !got.LastErrorAt.Equal(t0.Add(2*time.Hour)) {
		t.Errorf("LastError = %q at %v; want the failing URL's, newer than the run's", got.LastError, got.LastErrorAt)
	}
	if q := st[1]; q.ID != "quiet" || q.Articles != 0 || !q.LastCrawl.IsZero() || q.LastError != "" {
		t.Errorf("a source with nothing = %+v", q)
	}

	// Once the URL recovers, the run's error is the latest one left.
	failing.Failures, failing.LastError, failing.LastFetched = 0, "", t0
	if err := s.SaveURL(ctx, failing); err != nil {
		t.Fatal(err)
	}
	st, _ = s.SourceStatuses(ctx)
	if st[0].LastError != broken.Err || !st[0].LastErrorAt.Equal(broken.Finished) {
		t.Errorf("after recovery LastError = %q at %v; want the run's", st[0].LastError, st[0].LastErrorAt)
	}
}

// seedURLs stores three URLs of source "a": one pending, one failing since
// base+2h (after the broken run), which it returns, and one fetched article.
func seedURLs(t *testing.T, s *Store) article.URLRecord {
	t.Helper()
	urls := []article.URLRecord{
		{URL: "https://a/1", SourceID: "a"},
		{URL: "https://a/2", SourceID: "a", Failures: 1, LastError: "timeout"},
		{URL: "https://a/3", SourceID: "a", LastFetched: base},
	}
	s.now = func() time.Time { return base.Add(2 * time.Hour) }
	a := article.Article{ID: "art", URL: "https://a/3", FetchedAt: base}
	for i, u := range urls {
		var art *article.Article
		if i == 2 {
			art = &a
		}
		if _, err := s.SaveFetch(context.Background(), u, art); err != nil {
			t.Fatal(err)
		}
	}
	return urls[1]
}

// sameRun compares runs with time.Equal.
func sameRun(a, b article.RunStats) bool {
	ta, tb := a, b
	ta.Started, ta.Finished, tb.Started, tb.Finished = time.Time{}, time.Time{}, time.Time{}, time.Time{}
	return ta == tb && a.Started.Equal(b.Started) && a.Finished.Equal(b.Finished)
}
