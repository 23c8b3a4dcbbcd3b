package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/gofrs/flock"
	"github.com/robfig/cron/v3"

	"github.com/noivu/noivu/config"
	"github.com/noivu/noivu/crawler"
	"github.com/noivu/noivu/index"
	"github.com/noivu/noivu/store"
	"github.com/noivu/noivu/web"
)

// shutdownGrace is how long in-flight requests get after SIGTERM.
const shutdownGrace = 10 * time.Second

// maxHeaderBytes bounds a request's line and headers together: beyond it
// net/http answers 431. The guard in web bounds the target alone (414).
const maxHeaderBytes = 64 << 10

func runServe(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "serve", "[--config FILE] [--addr HOST:PORT] [--schedule CRON]")
	cfgPath := fs.String("config", "config.yaml", "config `file`")
	addr := fs.String("addr", "127.0.0.1:8080", "listen on `host:port`")
	schedule := fs.String("schedule", "", "crawl in-process on this cron `expression` (\"0 */6 * * *\", \"@hourly\"); "+
		"overrides the config's schedule key; empty: the config's, or leave crawling to an external cron")
	quiet := fs.Bool("quiet", false, "log only warnings and errors (no access log)")
	if _, err := parse(fs, e, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	if *schedule == "" {
		*schedule = cfg.Schedule
	}
	var sched cron.Schedule
	if *schedule != "" {
		if sched, err = cron.ParseStandard(*schedule); err != nil {
			return withCode(exitUsage, fmt.Errorf("--schedule %q: %w", *schedule, err))
		}
	}
	log := newLogger(e, *quiet, false, false)
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return withCode(exitUsage, fmt.Errorf("--addr: %w", err))
	}
	return serveOn(ctx, e, cfg, st, ln, sched, log)
}

// serveOn serves the feeds on ln until ctx is done, then shuts down
// gracefully; with sched it also runs crawl passes on that schedule.
func serveOn(ctx context.Context, e env, cfg *config.Config, st *store.Store, ln net.Listener,
	sched cron.Schedule, log *slog.Logger) error {
	base := cfg.BaseURL
	if base == "" {
		base = "http://" + ln.Addr().String()
	}
	six := &serveIndexer{cfg: cfg, st: st, log: log}
	six.syncQuick(ctx) // a stale index is left to the first tick: serve listens at once
	defer six.close()
	var wg sync.WaitGroup
	crawls := &crawlRunner{cfg: cfg, log: log, base: ctx, wg: &wg}
	opts := web.Options{Store: st, Sources: cfg.ArticleSources(), BaseURL: base, Log: log, DataDir: cfg.DataDir,
		Searcher: &six.search}
	if tok := cfg.AdminToken.Reveal(); tok != "" {
		opts.AdminToken, opts.Crawl = tok, crawls.start
		log.Info("serve: POST /api/crawl is on: admin_token is set")
	}
	srv, err := web.New(ctx, opts)
	if err != nil {
		ln.Close()
		return err
	}
	crawls.after = func(ctx context.Context) {
		six.syncQuick(ctx)
		if err := srv.Refresh(ctx); err != nil && ctx.Err() == nil {
			log.Error("serve: refresh after crawl", "err", err)
		}
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		IdleTimeout: 2 * time.Minute, MaxHeaderBytes: maxHeaderBytes,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	wg.Go(func() { srv.Run(ctx) })
	wg.Go(func() { every(ctx, indexSyncEvery, six.sync) })
	if sched != nil {
		wg.Go(func() { runSchedule(ctx, sched, time.Now, crawls.tick) })
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	fmt.Fprintf(e.stdout, "noivu serve: listening on %s/ (feeds at %s/feed.rss)\n", "http://"+ln.Addr().String(), base)
	select {
	case <-ctx.Done():
		err = nil
	case err = <-served:
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if serr := hs.Shutdown(sctx); serr != nil && err == nil {
		err = fmt.Errorf("shutdown: %w", serr)
	}
	crawls.close() // no pass may start once wg.Wait has begun
	wg.Wait()      // an in-flight crawl stops at its next safe point: ctx is done
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// crawlRunner runs serve's crawl passes one at a time: those of the
// schedule and those POST /api/crawl asks for. A pass holds the data_dir
// lock, so a cron `noivu crawl` and serve never crawl at once either.
type crawlRunner struct {
	cfg   *config.Config
	log   *slog.Logger
	base  context.Context // serve's: SIGTERM stops a pass at its next safe point
	wg    *sync.WaitGroup // serve waits for a pass before it exits
	after func(context.Context)

	mu      sync.Mutex
	running bool
	closed  bool
}

// start begins a pass over the sources with these ids (every enabled source
// when none) in the background and returns at once: web.ErrBusy while a
// pass runs here or another process holds the lock.
func (c *crawlRunner) start(_ context.Context, ids []string) error {
	sources := c.cfg.Enabled()
	if len(ids) > 0 {
		sources = sources[:0:0]
		for _, id := range ids {
			s, ok := c.cfg.Source(id)
			if !ok {
				return fmt.Errorf("serve: crawl: no source %q", id)
			}
			if !slices.ContainsFunc(sources, func(x config.Source) bool { return x.ID == id }) {
				sources = append(sources, s)
			}
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return fmt.Errorf("%w: serve is shutting down", web.ErrBusy)
	}
	lock, err := c.acquire()
	if err != nil {
		return err
	}
	c.wg.Go(func() {
		defer c.release(lock)
		c.pass(c.base, sources, "requested")
	})
	return nil
}

// tick is a scheduled pass, run in the schedule's goroutine; it is skipped
// while another pass runs.
func (c *crawlRunner) tick(ctx context.Context) {
	c.mu.Lock()
	lock, err := c.acquire()
	c.mu.Unlock()
	if err != nil {
		c.log.Warn("serve: scheduled crawl skipped", "err", err)
		return
	}
	defer c.release(lock)
	c.pass(ctx, c.cfg.Enabled(), "scheduled")
}

// acquire marks a pass as running and takes the data_dir lock; c.mu is held.
func (c *crawlRunner) acquire() (*flock.Flock, error) {
	if c.running {
		return nil, fmt.Errorf("%w: another crawl is running in this process", web.ErrBusy)
	}
	lock, err := lockDataDir(c.cfg.DataDir)
	var x *exitError
	if errors.As(err, &x) && x.code == exitLocked {
		return nil, fmt.Errorf("%w: %v", web.ErrBusy, err)
	}
	if err != nil {
		return nil, err
	}
	c.running = true
	return lock, nil
}

func (c *crawlRunner) release(lock *flock.Flock) {
	lock.Unlock()
	c.mu.Lock()
	c.running = false
	c.mu.Unlock()
}

// close refuses passes from now on, so that serve can wait for the last.
func (c *crawlRunner) close() {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
}

// pass crawls sources (trigger says why: scheduled or requested), then
// syncs the index and refreshes the feeds so that what it saved is served
// at once.
func (c *crawlRunner) pass(ctx context.Context, sources []config.Source, trigger string) {
	st, ar, err := openStores(ctx, c.cfg)
	if err != nil {
		c.log.Error("serve: "+trigger+" crawl", "err", err)
		return
	}
	started := time.Now()
	c.log.Info("serve: "+trigger+" crawl started", "sources", len(sources))
	stats := crawler.New(c.cfg, st, ar, crawler.WithLogger(c.log)).Run(ctx, sources)
	ar.Close()
	st.Close()
	n := 0
	for _, s := range stats {
		n += s.New + s.Updated
	}
	c.log.Info("serve: "+trigger+" crawl done", "sources", len(stats), "new_or_updated", n,
		"duration", time.Since(started).Round(time.Millisecond), "interrupted", ctx.Err() != nil)
	if c.after != nil {
		c.after(ctx)
	}
}

// runSchedule calls tick at every time sched gives until ctx is done. The
// next time is computed after a tick ends, so a long pass skips the ticks it
// overran instead of queueing them.
func runSchedule(ctx context.Context, sched cron.Schedule, now func() time.Time, tick func(context.Context)) {
	for {
		t := time.NewTimer(time.Until(sched.Next(now())))
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		tick(ctx)
	}
}

// indexSyncEvery is how often serve brings the search index up to the store,
// so that articles a cron crawl saved are searchable within seconds.
const indexSyncEvery = 5 * time.Second

// serveIndexer owns serve's search index. It opens the index as soon as it
// can: when another command holds it at start (a reindex, a long sync),
// serve runs with search answering 503 and tries again on every sync tick,
// so search comes on by itself instead of staying off until a restart.
type serveIndexer struct {
	cfg    *config.Config
	st     *store.Store
	log    *slog.Logger
	search lazySearcher

	mu     sync.Mutex // one open or sync at a time
	warned bool       // "search is off" was logged
	// rebuildFailed is when a rebuild of a stale index last failed; the
	// next try waits rebuildRetry.
	rebuildFailed time.Time
}

// rebuildRetry is how long serve waits before it tries again to rebuild an
// index whose rebuild failed (a full disk, say), instead of hammering the
// store every few seconds.
const rebuildRetry = 10 * time.Minute

// sync opens the index if it is not open yet, then brings it up to the store
// (rebuilding it when it must be).
func (si *serveIndexer) sync(ctx context.Context) {
	si.mu.Lock()
	defer si.mu.Unlock()
	si.syncLocked(ctx, true)
}

// syncQuick is sync that never waits (while the ticker syncs or rebuilds,
// that one picks up what changed within seconds) and never rebuilds: for
// serve's start, which it holds up before serve listens, and for the end of
// serve's own crawl pass, which still holds the data_dir lock that a
// minutes-long rebuild must not keep from a cron crawl.
func (si *serveIndexer) syncQuick(ctx context.Context) {
	if !si.mu.TryLock() {
		return
	}
	defer si.mu.Unlock()
	si.syncLocked(ctx, false)
}

func (si *serveIndexer) syncLocked(ctx context.Context, mayRebuild bool) {
	ix := si.search.ix.Load()
	if ix == nil {
		var err error
		if ix, err = openIndex(ctx, si.cfg, si.st); err != nil {
			switch {
			case ctx.Err() != nil:
			case !si.warned:
				si.log.Warn("serve: search is off until the index opens; retrying every few seconds", "err", err)
				si.warned = true
			default:
				si.log.Debug("serve: index still unavailable", "err", err)
			}
			return
		}
		si.search.ix.Store(ix)
		if si.warned {
			si.log.Info("serve: search is on")
		}
	}
	n, err := ix.Sync(ctx, si.st)
	switch {
	case errors.Is(err, index.ErrReindex):
		si.rebuild(ctx, ix, err, mayRebuild)
	case err != nil && ctx.Err() == nil:
		si.log.Error("serve: index sync", "err", err)
	case n > 0:
		si.log.Info("serve: index synced", "articles", n)
	}
}

// rebuild rebuilds an index that cannot be used as it is (built by an
// older noivu with another mapping, or left unreadable) from the store, the
// way `noivu reindex` does, so that an upgrade needs no manual step: the
// feeds go on meanwhile and search answers 503 until it is done. SIGTERM
// stops it; the next start begins again.
func (si *serveIndexer) rebuild(ctx context.Context, ix *index.Index, why error, mayRebuild bool) {
	if ctx.Err() != nil {
		return // shutting down
	}
	if !mayRebuild {
		si.log.Warn("serve: the search index must be rebuilt; serve rebuilds it from the store in a few seconds", "why", why)
		return
	}
	if !si.rebuildFailed.IsZero() && time.Since(si.rebuildFailed) < rebuildRetry {
		return
	}
	si.log.Warn("serve: rebuilding the search index from the store (search answers 503 until it is done)", "why", why)
	started := time.Now()
	n, err := ix.Rebuild(ctx, si.st)
	switch {
	case err != nil && ctx.Err() != nil:
		si.log.Info("serve: index rebuild stopped; the next start begins it again")
	case err != nil:
		si.rebuildFailed = time.Now()
		si.log.Error("serve: index rebuild failed; trying again later, or run `noivu reindex` with serve stopped",
			"err", err, "retry_in", rebuildRetry)
	default:
		si.rebuildFailed = time.Time{}
		si.log.Info("serve: search index rebuilt", "articles", n, "took", time.Since(started).Round(time.Millisecond))
	}
}

func (si *serveIndexer) close() {
	si.mu.Lock()
	defer si.mu.Unlock()
	if ix := si.search.ix.Swap(nil); ix != nil {
		ix.Close()
	}
}

// every calls f every d until ctx is done.
func every(ctx context.Context, d time.Duration, f func(context.Context)) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			f(ctx)
		}
	}
}
