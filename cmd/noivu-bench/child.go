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
	"strings"
	"syscall"
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
	r.PeakRSSMiB = peakRSS()
	r.CPUSeconds = cpuSeconds()
	return json.NewEncoder(os.Stdout).Encode(r)
}

// cpuSeconds is the user and system CPU time this process has used: on a
// machine shared with other work, wall time also measures the neighbours,
// and CPU time per page is the steadier figure to compare two builds by.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		slog.Warn("bench: no CPU time: getrusage", "err", err)
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
}

// peakRSS is this process's VmHWM in MiB; not the rusage maxrss the parent could
// read, as Linux carries the parent's (the portal's) peak into a child's maxrss.
func peakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	var kb float64
	if err == nil {
		_, after, _ := strings.Cut(string(b), "VmHWM:")
		_, err = fmt.Sscan(after, &kb)
	}
	if err != nil {
		slog.Warn("bench: no peak RSS: VmHWM in /proc/self/status", "err", err)
	}
	return kb / 1024
}

// crawlColly is the baseline: bare async colly, one request at a time, following every
// same-host link; its one guard skips the calendar trap (/lich), which never ends.
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
const configYAML = "data_dir: data\ncrawl: {delay: 0s, concurrency: 1, timeout: 30s, max_pages: %d}\n" +
	"sources: [{id: sim, name: \"Sở Nội vụ mô phỏng\", url: %q}]\n"

// crawlNoivu makes one `noivu crawl` pass into a fresh data_dir, wired as cmd/noivu wires it.
func crawlNoivu(ctx context.Context, o options) (sideResult, error) {
	dir, err := os.MkdirTemp("", "noivu-bench-")
	if err != nil {
		return sideResult{}, fmt.Errorf("bench: noivu: temp dir: %w", err)
	}
	defer os.RemoveAll(dir)
	cfgPath := filepath.Join(dir, "config.yaml") // data_dir is relative to it
	if err := os.WriteFile(cfgPath, fmt.Appendf(nil, configYAML, 3*o.articles+1000, o.url+"/"), 0o644); err != nil {
		return sideResult{}, fmt.Errorf("bench: noivu: %w", err)
	}
	cfg, err := config.Load(cfgPath)
	if err != nil {
		return sideResult{}, fmt.Errorf("bench: noivu: %w", err)
	}
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
	log := slog.New(slog.NewTextHandler(os.Stderr, nil)) // info: warnings and the pass summary
	began := time.Now()
	stats := crawler.New(cfg, st, ar, crawler.WithLogger(log)).Run(ctx, cfg.Enabled())
	r := sideResult{Seconds: time.Since(began).Seconds(), Err: stats[0].Err}
	if r.Articles, err = st.CountArticles(ctx, "sim"); err != nil {
		return sideResult{}, fmt.Errorf("bench: noivu: count articles: %w", err)
	}
	return r, nil
}
