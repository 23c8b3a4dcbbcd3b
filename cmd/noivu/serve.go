package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/noivu/noivu/config"
	"github.com/noivu/noivu/crawler"
	"github.com/noivu/noivu/index"
	"github.com/noivu/noivu/store"
	"github.com/noivu/noivu/web"
)

// shutdownGrace is how long in-flight requests get after SIGTERM.
const shutdownGrace = 10 * time.Second

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
	ix, syncIndex := serveIndex(ctx, cfg, st, log)
	if ix != nil {
		defer ix.Close()
	}
	opts := web.Options{Store: st, Sources: cfg.ArticleSources(), BaseURL: base, Log: log, DataDir: cfg.DataDir}
	if ix != nil {
		opts.Searcher = indexSearcher{ix}
	}
	srv, err := web.New(ctx, opts)
	if err != nil {
		ln.Close()
		return err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	var wg sync.WaitGroup
	wg.Go(func() { srv.Run(ctx) })
	if ix != nil {
		wg.Go(func() { every(ctx, indexSyncEvery, syncIndex) })
	}
	if sched != nil {
		wg.Go(func() {
			runSchedule(ctx, sched, time.Now, func(ctx context.Context) {
				scheduledCrawl(ctx, cfg, log)
				syncIndex(ctx)
				if err := srv.Refresh(ctx); err != nil && ctx.Err() == nil {
					log.Error("serve: refresh after crawl", "err", err)
				}
			})
		})
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
	wg.Wait() // an in-flight crawl stops at its next safe point: ctx is done
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// scheduledCrawl runs one pass over the enabled sources under the crawl
// lock, or skips this tick when a `noivu crawl` from cron holds it.
func scheduledCrawl(ctx context.Context, cfg *config.Config, log *slog.Logger) {
	lock, err := lockDataDir(cfg.DataDir)
	if err != nil {
		log.Warn("serve: scheduled crawl skipped", "err", err)
		return
	}
	defer lock.Unlock()
	st, ar, err := openStores(ctx, cfg)
	if err != nil {
		log.Error("serve: scheduled crawl", "err", err)
		return
	}
	defer st.Close()
	defer ar.Close()
	started := time.Now()
	stats := crawler.New(cfg, st, ar, crawler.WithLogger(log)).Run(ctx, cfg.Enabled())
	n := 0
	for _, s := range stats {
		n += s.New + s.Updated
	}
	log.Info("serve: scheduled crawl done", "sources", len(stats), "new_or_updated", n,
		"duration", time.Since(started).Round(time.Millisecond), "interrupted", ctx.Err() != nil)
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

// serveIndex opens the search index for serve and returns it with the
// function that syncs it from the store. Without an index (held by another
// process, or unreadable) serve still serves feeds, and says why search is off.
func serveIndex(ctx context.Context, cfg *config.Config, st *store.Store, log *slog.Logger) (*index.Index, func(context.Context)) {
	ix, err := openIndex(ctx, cfg, st)
	if err != nil {
		log.Warn("serve: search is off", "err", err)
		return nil, func(context.Context) {}
	}
	sync := func(ctx context.Context) {
		n, err := ix.Sync(ctx, st)
		switch {
		case errors.Is(err, index.ErrReindex):
			log.Warn("serve: the search index needs a rebuild: run `noivu reindex` with serve stopped", "err", err)
		case err != nil && ctx.Err() == nil:
			log.Error("serve: index sync", "err", err)
		case n > 0:
			log.Info("serve: index synced", "articles", n)
		}
	}
	sync(ctx)
	return ix, sync
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
