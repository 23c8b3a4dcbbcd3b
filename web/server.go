// Package web is noivu's HTTP face: the feeds (all sources, per source, per
// province, per search), OPML, OpenSearch, the search page and API, the
// archived copies, the health page, /healthz and /metrics. It owns routing,
// HTTP caching, the prebuilt responses and what the server accepts and
// sends: request bounds (params.go, guard.go), sanitising of archived
// content on the way out (sanitize.go) and the security headers. It must not
// crawl, extract or index: POST /api/crawl only calls the hook the wiring
// gives it. It reads the store only through the Store interface below.
//
// Feeds are never rendered per request. The server works in three steps:
//  1. every PollInterval (and on Refresh) it asks the store whether any
//     article changed since the change_seq it last saw;
//  2. when one did, it re-reads the newest articles of the sources that
//     changed and renders their feeds, their provinces' feeds and the
//     all-sources feed once, plain and gzipped, with their ETags;
//  3. it swaps the new snapshot in atomically; requests only copy bytes out.
//
// Variants (another ?limit=, ?q=) are rendered on first request and kept
// until the next snapshot (searches for a minute), never once per request.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/store"
)

// Store is what the server reads from the store of record.
type Store interface {
	EachArticle(ctx context.Context, sourceID string, fn func(article.Article) error) error
	Article(ctx context.Context, id string) (article.Article, bool, error)
	ArticlesChangedSince(ctx context.Context, seq int64, limit int) ([]article.Article, int64, error)
	SourceStatuses(ctx context.Context) ([]store.SourceStatus, error)
	Revisions(ctx context.Context, id string) ([]store.Revision, error)
}

// Searcher finds article IDs for a query, best first; source narrows to one
// source when not "". The search index supplies it.
type Searcher interface {
	SearchIDs(ctx context.Context, q string, source string, limit int) ([]string, error)
	// SearchAPI answers /api/search for these query parameters (q, source,
	// since, until, limit, sort) with a value to encode as JSON.
	SearchAPI(ctx context.Context, params url.Values) (any, error)
	// Search answers the search page and its downloads. A query the
	// index refuses is an error wrapping ErrBadQuery.
	Search(ctx context.Context, p SearchParams) (SearchResults, error)
}

// Item counts of a feed.
const (
	DefaultLimit = 50
	MaxLimit     = 200
)

// Options configures a Server. Store, Sources and BaseURL are required.
type Options struct {
	Store    Store
	Sources  []article.Source // every configured source, in config order
	BaseURL  string           // public URL of the server, for absolute links
	Searcher Searcher         // nil: ?q= answers 501 until an index is wired in
	Log      *slog.Logger     // errors and access logs (default: discard)
	// PollInterval is how often the store is checked for changes (default 5s).
	PollInterval time.Duration
	// DataDir, when set, is measured for the archive and index size metrics.
	DataDir string
	// ArchiveDir holds the WARC files that /articles/{id}/raw reads
	// (default: DataDir/warc; neither: raw captures answer 404).
	ArchiveDir string
	Now        func() time.Time // default time.Now
	// AdminToken and Crawl turn on POST /api/crawl: a request with
	// "Authorization: Bearer AdminToken" calls Crawl. Without both, the
	// endpoint does not exist (404): nothing changes state over HTTP.
	AdminToken string
	Crawl      CrawlFunc
}

// Server serves the feeds and pages. Create it with New.
type Server struct {
	opts      Options
	base      string
	byID      map[string]article.Source
	provs     []province
	provBySlg map[string]province
	log       *slog.Logger
	mux       *http.ServeMux
	metrics   *metrics
	searches  searchCache
	crawlAuth *crawlAuth // nil: POST /api/crawl is off

	refreshMu sync.Mutex
	snap      atomic.Pointer[snapshot]
	statuses  atomic.Pointer[[]store.SourceStatus]
	lastPoll  atomic.Pointer[pollResult]
}

type pollResult struct {
	at  time.Time
	err error
}

// New builds the first snapshot (reading the store) and returns the server.
func New(ctx context.Context, opts Options) (*Server, error) {
	if opts.Store == nil || opts.BaseURL == "" {
		return nil, ErrOptions
	}
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.PollInterval <= 0 {
		opts.PollInterval = 5 * time.Second
	}
	if opts.ArchiveDir == "" && opts.DataDir != "" {
		opts.ArchiveDir = filepath.Join(opts.DataDir, "warc")
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	opts.Sources = slices.Clone(opts.Sources)
	for i := range opts.Sources {
		src := &opts.Sources[i] // names are text everywhere, feed categories included
		src.Name, src.Province, src.CurrentProvince = plainText(src.Name), plainText(src.Province), plainText(src.CurrentProvince)
	}
	s := &Server{opts: opts, base: strings.TrimRight(opts.BaseURL, "/"), log: opts.Log,
		byID: map[string]article.Source{}, provBySlg: map[string]province{}}
	for _, src := range opts.Sources {
		s.byID[src.ID] = src
	}
	if opts.AdminToken != "" && opts.Crawl != nil {
		s.crawlAuth = newCrawlAuth(opts.AdminToken)
	}
	s.provs = provinces(opts.Sources)
	for _, p := range s.provs {
		s.provBySlg[p.Slug] = p
	}
	s.metrics = newMetrics(s)
	s.routes()
	if err := s.Refresh(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Handler is the server's http.Handler: the routes behind the guard that
// refuses hostile request targets, metrics and access logs included.
func (s *Server) Handler() http.Handler { return s.instrument(s.guard(s.mux)) }

// Run checks the store every PollInterval until ctx is done. Errors are
// logged and retried on the next tick; /healthz reports the last one.
func (s *Server) Run(ctx context.Context) {
	t := time.NewTicker(s.opts.PollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.Refresh(ctx); err != nil && ctx.Err() == nil {
				s.log.Error("web: refresh", "err", err)
			}
		}
	}
}

// Refresh rebuilds what changed in the store since the last refresh; a
// crawl running in this process calls it when a pass ends.
func (s *Server) Refresh(ctx context.Context) error {
	s.refreshMu.Lock()
	defer s.refreshMu.Unlock()
	err := s.refresh(ctx)
	s.lastPoll.Store(&pollResult{at: s.opts.Now(), err: err})
	return err
}

func (s *Server) routes() {
	m := http.NewServeMux()
	for _, f := range []string{"rss", "atom", "json"} {
		m.HandleFunc("GET /feed."+f, s.handleFeed(f, "all"))
		m.HandleFunc("GET /sources/{id}/feed."+f, s.handleFeed(f, "source"))
		m.HandleFunc("GET /provinces/{slug}/feed."+f, s.handleFeed(f, "province"))
	}
	for _, p := range []string{"/{$}", "/sources", "/opml", "/opensearch.xml", "/static/style.css"} {
		m.HandleFunc("GET "+p, s.handlePage)
	}
	m.HandleFunc("GET /healthz", s.handleHealth)
	m.HandleFunc("GET /api/search", s.handleAPISearch)
	m.HandleFunc("GET /search", s.handleSearch)
	m.HandleFunc("GET /search.csv", s.handleExport("csv"))
	m.HandleFunc("GET /search.jsonl", s.handleExport("jsonl"))
	m.HandleFunc("GET /articles/{id}", s.handleArticle)
	m.HandleFunc("GET /articles/{id}/raw", s.handleRaw)
	m.HandleFunc("GET /articles/{id}/revisions/{n}", s.handleArticle)
	m.Handle("GET /metrics", s.metrics.handler())
	if s.crawlAuth != nil {
		m.HandleFunc("POST /api/crawl", s.handleCrawl)
	}
	s.mux = m
}
