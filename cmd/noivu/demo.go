package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/noivu/noivu/crawler"
	"github.com/noivu/noivu/internal/simportal"
)

// demoPortals are the simulated portals `noivu demo` crawls, one per layout.
var demoPortals = []struct {
	id, name, province, current string
	layout                      simportal.Layout
}{
	{"binhdinh", "Sở Nội vụ tỉnh Bình Định", "Bình Định", "Gia Lai", simportal.LayoutNukeViet},
	{"sonla", "Sở Nội vụ tỉnh Sơn La", "Sơn La", "", simportal.LayoutSonLa},
	{"bacgiang", "Sở Nội vụ tỉnh Bắc Giang", "Bắc Giang", "Bắc Ninh", simportal.LayoutDrupal},
}

func runDemo(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "demo", "[--addr HOST:PORT] [--articles N]")
	addr := fs.String("addr", "127.0.0.1:8080", "serve the feeds on `host:port`")
	articles := fs.Int("articles", 30, "articles per simulated portal")
	if _, err := parse(fs, e, args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "noivu-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var yaml strings.Builder
	fmt.Fprintf(&yaml, "data_dir: %q\nuser_agent: \"noivu-demo/%s\"\ncrawl:\n  delay: 0s\n  timeout: 5s\nsources:\n", filepath.Join(dir, "data"), version)
	for _, p := range demoPortals {
		url, stop, err := startPortal(simportal.New(simportal.Options{Layout: p.layout, Articles: *articles, Seed: 1}))
		if err != nil {
			return err
		}
		defer stop()
		fmt.Fprintf(&yaml, "  - id: %s\n    name: %q\n    province: %q\n    current_province: %q\n    url: %s/\n",
			p.id, p.name, p.province, p.current, url)
	}
	cfgPath := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(cfgPath, []byte(yaml.String()), 0o644); err != nil {
		return err
	}
	cfg, err := loadConfig(cfgPath)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "noivu demo: crawling %d simulated portals on 127.0.0.1 into %s ...\n", len(demoPortals), dir)
	log := newLogger(e, true, false, false)
	st, ar, err := openStores(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	stats := crawler.New(cfg, st, ar, crawler.WithLogger(log)).Run(ctx, cfg.Enabled())
	if err := ar.Close(); err != nil {
		return err
	}
	for _, s := range stats {
		fmt.Fprintf(e.stdout, "  %-9s %3d articles from %d pages\n", s.SourceID, s.New+s.Updated+s.Unchanged, s.Fetched)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return withCode(exitUsage, fmt.Errorf("--addr: %w", err))
	}
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(e.stdout, "\nOpen in a browser or a feed reader:\n  %s/            every feed\n  %s/feed.rss     all sources (also .atom, .json)\n"+
		"  %s/sources/sonla/feed.atom\n  %s/provinces/gia-lai/feed.json\n  %s/sources      health of each source\n  %s/opml\n"+
		"  %s/search?q=c%%E1%%BA%%A3i+c%%C3%%A1ch   search the archive (try \"cai cach hanh chinh\" too)\n"+
		"Ctrl-C stops the demo and removes %s\n\n", base, base, base, base, base, base, base, dir)
	return serveOn(ctx, e, cfg, st, ln, nil, newLogger(e, false, false, false))
}

// startPortal serves h on a free port of 127.0.0.1.
func startPortal(h http.Handler) (url string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}
