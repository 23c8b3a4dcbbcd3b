// Package crawler runs incremental, polite crawl passes over the configured
// portals. It owns discovery (home page, listings and their pagination,
// sitemaps, the sites' own feeds), politeness (robots.txt, one request at a
// time per host, delays, Retry-After), conditional re-checks and retries.
//
// A pass over one source goes:
//  1. read robots.txt (a 5xx, a time-out or a network failure closes the site
//     for this run);
//  2. seed the frontier: home page, start_urls, sitemaps, then the URLs the
//     store says are due (never fetched, retries, re-checks);
//  3. fetch through colly; every exchange that arrives whole is archived by
//     the transport before anything reads it (see recorder for what is not);
//  4. classify each page: article (extracted and stored), listing (its article
//     links and pagination are followed), or other;
//  5. record every outcome in the store as it happens, so a killed pass loses
//     nothing and the next one carries on.
//
// It knows nothing of SQLite or WARC: it declares the Store and Archive it
// needs, and cmd/noivu wires them in.
package crawler

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/config"
)

// Store is what a pass needs of the store of record.
type Store interface {
	StartRun(ctx context.Context, sourceID string, started time.Time) (int64, error)
	FinishRun(ctx context.Context, runID int64, st article.RunStats) error
	AddURLs(ctx context.Context, recs []article.URLRecord) (int, error)
	KnownURLs(ctx context.Context, urls []string) (map[string]article.URLRecord, error)
	DueURLs(ctx context.Context, sourceID string, now time.Time, limit int) ([]article.URLRecord, error)
	SaveURL(ctx context.Context, rec article.URLRecord) error
	SaveFetch(ctx context.Context, rec article.URLRecord, a *article.Article) (article.Change, error)
}

// Event reports one finished fetch, for progress displays.
type Event struct {
	Source  string
	URL     string
	Outcome string // "new", "updated", "unchanged", "listing", "other", "failed", ...
	Stats   article.RunStats
}

// Crawler runs passes. It is safe to reuse across runs but runs one at a time.
type Crawler struct {
	cfg      *config.Config
	store    Store
	archive  Archive
	log      *slog.Logger
	now      func() time.Time
	progress func(Event)
	gates    gates
}

// Option configures a Crawler.
type Option func(*Crawler)

// WithLogger sets the logger (default: discard).
func WithLogger(l *slog.Logger) Option { return func(c *Crawler) { c.log = l } }

// WithClock sets the clock the schedules use (tests move it forward).
func WithClock(now func() time.Time) Option { return func(c *Crawler) { c.now = now } }

// WithProgress sets a function told about every finished fetch.
func WithProgress(f func(Event)) Option { return func(c *Crawler) { c.progress = f } }

// New returns a Crawler over cfg that records into st and ar.
func New(cfg *config.Config, st Store, ar Archive, opts ...Option) *Crawler {
	c := &Crawler{
		cfg: cfg, store: st, archive: ar,
		log:      slog.New(slog.NewTextHandler(io.Discard, nil)),
		now:      time.Now,
		progress: func(Event) {},
	}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Run makes one pass over each source, crawl.concurrency sources at a time,
// and returns their statistics in the order given. A failing source never
// stops the others; a cancelled ctx stops every pass at a safe point.
func (c *Crawler) Run(ctx context.Context, sources []config.Source) []article.RunStats {
	out := make([]article.RunStats, len(sources))
	n := c.cfg.Crawl.Concurrency
	if n < 1 {
		n = 1
	}
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	for i, src := range sources {
		wg.Add(1)
		go func() {
			defer wg.Done()
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				out[i] = article.RunStats{SourceID: src.ID, Started: c.now(), Finished: c.now(), Err: "interrupted before start"}
				return
			}
			defer func() { <-sem }()
			out[i] = c.runSource(ctx, src)
		}()
	}
	wg.Wait()
	return out
}

// runSource makes one pass over one source and records it as a run.
func (c *Crawler) runSource(ctx context.Context, src config.Source) article.RunStats {
	log := c.log.With("source", src.ID)
	st := article.RunStats{SourceID: src.ID, Started: c.now()}
	runID, err := c.store.StartRun(ctx, src.ID, st.Started)
	if err != nil {
		st.Err = err.Error()
		st.Finished = c.now()
		log.Error("crawl: start run", "err", err)
		return st
	}
	p, err := newPass(c, src, log)
	if err == nil {
		st = p.run(ctx, st)
	} else {
		st.Err = err.Error()
	}
	st.Finished = c.now()
	// The run is recorded even when ctx was cancelled: use a fresh context.
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := c.store.FinishRun(fctx, runID, st); err != nil {
		log.Error("crawl: finish run", "err", err)
	}
	level := slog.LevelInfo
	if st.Err != "" {
		level = slog.LevelWarn
	}
	log.Log(ctx, level, "crawl: source done", "fetched", st.Fetched, "new", st.New, "updated", st.Updated,
		"unchanged", st.Unchanged, "failed", st.Failed, "robots_skipped", st.RobotsSkipped,
		"duration", st.Finished.Sub(st.Started).Round(time.Millisecond), "err", st.Err)
	return st
}
