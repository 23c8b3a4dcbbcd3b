package main

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"runtime/pprof"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/noivu/noivu/archive"
	"github.com/noivu/noivu/config"
	"github.com/noivu/noivu/crawler"
	"github.com/noivu/noivu/store"
)

// runChild crawls o.url with side o.mode and prints what only it knows as JSON.
func runChild(ctx context.Context, o options) error {
	if o.cpuprofile != "" {
		f, err := os.Create(o.cpuprofile)
		if err == nil {
			defer f.Close() // after StopCPUProfile
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			return fmt.Errorf("bench: cpu profile %s: %w", o.cpuprofile, err)
		}
		defer pprof.StopCPUProfile()
	}
	crawl := crawlColly
	if o.mode == "noivu" {
		crawl = crawlNoivu
	}
	r, err := crawl(ctx, o)
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(r)
}

// crawlColly is the baseline: a bare async colly collector, one request at a time,
// following every same-host link. Its one guard is against the calendar trap
// (/lich), which links each day to the next forever.
func crawlColly(_ context.Context, o options) (sideResult, error) {
	c := colly.NewCollector(colly.Async(true), colly.URLFilters(regexp.MustCompile("^"+regexp.QuoteMeta(o.url))),
		colly.DisallowedURLFilters(regexp.MustCompile(`^https?://[^/]+/lich\b`)))
	if err := c.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: 1}); err != nil {
		return sideResult{}, fmt.Errorf("bench: colly: limit: %w", err)
	}
	c.OnHTML("a[href]", func(e *colly.HTMLElement) { e.Request.Visit(e.Attr("href")) }) // errors: visited, filtered
	began := time.Now()
	if err := c.Visit(o.url); err != nil {
		return sideResult{}, fmt.Errorf("bench: colly: visit %s: %w", o.url, err)
	}
	c.Wait()
	return sideResult{Seconds: time.Since(began).Seconds()}, nil
}

// configYAML is one source, no delay, one source at a time, room for every page.
const configYAML = "data_dir: %q\ncrawl: {delay: 0s, concurrency: 1, timeout: 30s, max_pages: %d}\n" +
	"sources: [{id: sim, name: \"Sở Nội vụ mô phỏng\", url: %q}]\n"

// crawlNoivu makes one `noivu crawl` pass into a fresh data_dir, wired as cmd/noivu does.
func crawlNoivu(ctx context.Context, o options) (sideResult, error) {
	dir, err := os.MkdirTemp("", "noivu-bench-")
	if err != nil {
		return sideResult{}, fmt.Errorf("bench: noivu: temp dir: %w", err)
	}
	defer os.RemoveAll(dir)
	cfgPath := filepath.Join(dir, "config.yaml")
	yaml := fmt.Sprintf(configYAML, filepath.Join(dir, "data"), 3*o.articles+1000, o.url+"/")
	if err := os.WriteFile(cfgPath, []byte(yaml), 0o644); err != nil {
		return sideResult{}, fmt.Errorf("bench: noivu: %w", err)
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		return sideResult{}, fmt.Errorf("bench: noivu: %w", err)
	}
	// The stores open as cmd/noivu's openStores opens them.
	st, err := store.Open(ctx, filepath.Join(cfg.DataDir, "noivu.db"))
	if err != nil {
		return sideResult{}, fmt.Errorf("bench: noivu: %w", err)
	}
	defer st.Close()
	if err := st.SyncSources(ctx, cfg.ArticleSources()); err != nil {
		return sideResult{}, fmt.Errorf("bench: noivu: %w", err)
	}
	ar, err := archive.Open(ctx, archive.Options{Dir: filepath.Join(cfg.DataDir, "warc"), Software: "noivu-bench"})
	if err != nil {
		return sideResult{}, fmt.Errorf("bench: noivu: %w", err)
	}
	defer ar.Close()
	began := time.Now() // the crawler logs at info: warnings and the pass summary
	stats := crawler.New(cfg, st, ar, crawler.WithLogger(slog.New(slog.NewTextHandler(os.Stderr, nil)))).Run(ctx, cfg.Enabled())
	r := sideResult{Seconds: time.Since(began).Seconds(), Err: stats[0].Err}
	if r.Articles, err = st.CountArticles(ctx, "sim"); err != nil {
		return sideResult{}, fmt.Errorf("bench: noivu: count articles: %w", err)
	}
	return r, nil
}
