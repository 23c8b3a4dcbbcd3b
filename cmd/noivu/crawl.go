package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/gofrs/flock"

	"github.com/noivu/noivu/archive"
	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/config"
	"github.com/noivu/noivu/crawler"
	"github.com/noivu/noivu/index"
	"github.com/noivu/noivu/store"
)

func runCrawl(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "crawl", "[--config FILE] [--source ID] [--quiet]")
	cfgPath := fs.String("config", "config.yaml", "config `file`")
	source := fs.String("source", "", "crawl only the source with this `id`")
	quiet := fs.Bool("quiet", false, "print only warnings and errors (for cron): no progress, no summary")
	verbose := fs.Bool("v", false, "log every fetch (debug level)")
	if _, err := parse(fs, e, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	sources := cfg.Enabled()
	if *source != "" {
		s, ok := cfg.Source(*source)
		if !ok {
			return withCode(exitUsage, fmt.Errorf("no source %q in %s", *source, *cfgPath))
		}
		sources = []config.Source{s}
	}
	lock, err := lockDataDir(cfg.DataDir)
	if err != nil {
		return err
	}
	defer lock.Unlock()

	tty := isTerminal(e.stderr) && !*quiet
	log := newLogger(e, *quiet, *verbose, tty)
	st, ar, err := openStores(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	defer ar.Close()

	opts := []crawler.Option{crawler.WithLogger(log)}
	var bar *progress
	if tty {
		bar = newProgress(e.stderr)
		opts = append(opts, crawler.WithProgress(bar.event))
	}
	started := time.Now()
	stats := crawler.New(cfg, st, ar, opts...).Run(ctx, sources)
	if bar != nil {
		bar.finish()
	}
	if !*quiet {
		printSummary(e, stats, time.Since(started))
	}
	if ctx.Err() != nil {
		return withCode(exitInterrupted, errors.New("interrupted; everything fetched so far is saved, the next run carries on"))
	}
	syncIndexAfterCrawl(ctx, cfg, st, log)
	return nil
}

// syncIndexAfterCrawl brings the search index up to what the pass saved. A
// running `noivu serve` owns the index and syncs it itself within seconds, so
// a locked index is not an error; nor is any other index trouble: the store
// is the record and `noivu reindex` rebuilds the index from it.
func syncIndexAfterCrawl(ctx context.Context, cfg *config.Config, st *store.Store, log *slog.Logger) {
	ix, err := openIndex(ctx, cfg, st)
	if errors.Is(err, index.ErrLocked) {
		log.Info("crawl: search index held by another process (serve syncs it itself)")
		return
	}
	if err != nil {
		log.Warn("crawl: search index not synced", "err", err)
		return
	}
	defer ix.Close()
	n, err := ix.Sync(ctx, st)
	if err != nil {
		log.Warn("crawl: search index not synced; run `noivu reindex`", "err", err)
		return
	}
	log.Info("crawl: search index synced", "articles", n)
}

// loadConfig reads the config; any config error exits with code 2.
func loadConfig(path string) (*config.Config, error) {
	cfg, err := config.Load(path)
	if err != nil {
		return nil, withCode(exitUsage, err)
	}
	return cfg, nil
}

// lockDataDir takes the crawl lock of data_dir or explains who holds it.
func lockDataDir(dataDir string) (*flock.Flock, error) {
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return nil, fmt.Errorf("data_dir %s: %w", dataDir, err)
	}
	path := filepath.Join(dataDir, "crawl.lock")
	lock := flock.New(path)
	ok, err := lock.TryLock()
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	if !ok {
		return nil, withCode(exitLocked, fmt.Errorf("another crawl is running on %s (it holds %s); this one exits without crawling", dataDir, path))
	}
	return lock, nil
}

// openStore opens the store of record under data_dir with the configured
// sources written into it.
func openStore(ctx context.Context, cfg *config.Config) (*store.Store, error) {
	st, err := store.Open(ctx, filepath.Join(cfg.DataDir, "noivu.db"))
	if err != nil {
		return nil, err
	}
	if err := st.SyncSources(ctx, cfg.ArticleSources()); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// openStores opens the store of record and the WARC archive under data_dir.
func openStores(ctx context.Context, cfg *config.Config) (*store.Store, *archive.Writer, error) {
	st, err := openStore(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	ar, err := archive.Open(ctx, archive.Options{Dir: filepath.Join(cfg.DataDir, "warc"), Software: "noivu/" + version})
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, ar, nil
}

// newLogger logs to stderr: plain slog lines, warnings only when quiet or
// when a progress bar owns the terminal.
func newLogger(e env, quiet, verbose, tty bool) *slog.Logger {
	level := slog.LevelInfo
	if quiet || tty {
		level = slog.LevelWarn
	}
	if verbose {
		level = slog.LevelDebug
	}
	return slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: level}))
}

func printSummary(e env, stats []article.RunStats, took time.Duration) {
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "source\tfetched\tnew\tupdated\tunchanged\tfailed\trobots\ttime\t")
	var sum article.RunStats
	for _, s := range stats {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t\n", s.SourceID, s.Fetched, s.New, s.Updated, s.Unchanged,
			s.Failed, s.RobotsSkipped, s.Finished.Sub(s.Started).Round(100*time.Millisecond))
		sum.Fetched += s.Fetched
		sum.New += s.New
		sum.Updated += s.Updated
		sum.Unchanged += s.Unchanged
		sum.Failed += s.Failed
		sum.RobotsSkipped += s.RobotsSkipped
	}
	fmt.Fprintf(tw, "total\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t\n", sum.Fetched, sum.New, sum.Updated, sum.Unchanged,
		sum.Failed, sum.RobotsSkipped, took.Round(100*time.Millisecond))
	tw.Flush()
	for _, s := range stats {
		if s.Err != "" {
			fmt.Fprintf(e.stdout, "%s: %s\n", s.SourceID, s.Err)
		}
	}
}
