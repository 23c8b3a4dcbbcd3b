package crawler

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gocolly/colly/v2"

	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/config"
)

// Bounds that keep a pass out of traps.
const (
	// maxQueryVariants bounds the distinct query strings fetched for one path
	// in one run (calendars, filters, sort orders), pagination excepted.
	maxQueryVariants = 30
	// maxConsecutiveFailures of the network kind close a host for the run.
	maxConsecutiveFailures = 8
)

// meta travels with each request in colly's context.
type meta struct {
	url     string // as enqueued
	depth   int
	role    linkRole
	seed    bool
	prior   *article.URLRecord // the store's record before this fetch; nil if new
	retried bool
}

// pass is one crawl pass over one source.
type pass struct {
	c     *Crawler
	src   config.Source
	log   *slog.Logger
	home  *url.URL
	hosts map[string]bool
	scope string // path prefix the source lives under ("/" for a whole host)
	rob   *robots
	rec   *recorder
	col   *colly.Collector
	ctx   context.Context

	mu       sync.Mutex
	stats    article.RunStats
	seen     map[string]bool // canonical keys enqueued this run
	variants map[string]int  // host+path -> query variants enqueued
	budget   int             // requests still allowed
	chrome   map[string]bool // article links the home page shows: sidebars repeat them everywhere
	menu     map[string]bool // non-headline links of the home page: categories and static pages
	failRun  int             // consecutive network failures
	listed   listedDates     // dates listings show beside article links (listed.go)
	closed   error           // set when the host is given up for this run
}

func newPass(c *Crawler, src config.Source, log *slog.Logger) (*pass, error) {
	home, err := url.Parse(src.URL)
	if err != nil || home.Host == "" {
		return nil, fmt.Errorf("crawler: source %s: bad url %q", src.ID, src.URL)
	}
	host := strings.ToLower(home.Host)
	twin := "www." + host
	if strings.HasPrefix(host, "www.") {
		twin = strings.TrimPrefix(host, "www.")
	}
	base, err := newBaseTransport(TLSOptions{CABundle: src.CABundle, InsecureSkipVerify: src.InsecureSkipVerify}, c.cfg.Crawl.Timeout)
	if err != nil {
		return nil, fmt.Errorf("crawler: source %s: %w", src.ID, err)
	}
	delay := c.cfg.Crawl.Delay
	if src.Delay > delay {
		delay = src.Delay
	}
	p := &pass{
		c: c, src: src, log: log, home: home,
		hosts:    map[string]bool{host: true, twin: true},
		scope:    scopeOf(home),
		seen:     map[string]bool{},
		variants: map[string]int{},
		budget:   c.cfg.Crawl.MaxPages,
		rec: &recorder{base: base, gates: &c.gates, delay: delay, archive: c.archive,
			maxBody: c.cfg.Crawl.MaxBodyBytes, timeout: c.cfg.Crawl.Timeout, taken: map[string]raw{}},
	}
	return p, nil
}

// run makes the pass and returns its statistics.
func (p *pass) run(ctx context.Context, st article.RunStats) article.RunStats {
	p.ctx = ctx
	p.stats = st
	if p.src.InsecureSkipVerify {
		p.log.Warn("crawl: TLS certificate verification is OFF for this source (insecure_skip_verify)")
	}
	// No client time-out: the recorder applies crawl.timeout to the exchange.
	client := &http.Client{Transport: p.rec}
	rob, status, err := fetchRobots(ctx, client, p.home, p.c.cfg.UserAgent)
	if status != 0 {
		p.stats.Fetched++
	}
	if err != nil {
		p.stats.Failed++
		p.stats.Err = err.Error()
		p.log.Warn("crawl: robots.txt unreachable, site closed for this run", "url", robotsURL(p.home).String(),
			"status", status, "err", errText(status, err))
		return p.stats
	}
	p.rob = rob
	if rob.delay > 0 {
		p.rec.gates.get(p.home.Host, rob.delay)
		p.log.Info("crawl: robots.txt sets a crawl delay", "crawl_delay", rob.delay)
	}
	p.col = p.newCollector(ctx)
	p.seed(ctx)
	p.col.Wait()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed != nil {
		p.stats.Err = p.closed.Error()
	} else if ctx.Err() != nil {
		p.stats.Err = "interrupted"
	}
	return p.stats
}

func (p *pass) newCollector(ctx context.Context) *colly.Collector {
	// The pass decides what is fetched (fetch) and which redirects are
	// followed (checkRedirect): colly's domain filter ignores ports and its
	// visited set turns a redirect loop into "already visited", so both are
	// off.
	col := colly.NewCollector(
		colly.UserAgent(p.c.cfg.UserAgent),
		colly.Async(true),
		colly.StdlibContext(ctx),
		colly.IgnoreRobotsTxt(), // robots.txt is read and enforced by the pass, Crawl-delay included
		colly.AllowURLRevisit(), // the pass's seen set dedupes, retries included
		colly.MaxBodySize(0),    // the recorder enforces crawl.max_body_bytes and fails, never truncates
	)
	col.WithTransport(p.rec)
	col.SetRequestTimeout(0) // the recorder times the exchange, not the wait for the host's turn
	col.SetRedirectHandler(p.checkRedirect)
	_ = col.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: 1})
	col.OnRequest(func(r *colly.Request) {
		p.mu.Lock()
		closed := p.closed
		p.mu.Unlock()
		if closed != nil || ctx.Err() != nil {
			r.Abort()
		}
	})
	col.OnResponse(p.onResponse)
	col.OnError(p.onError)
	return col
}

// scopeOf is the folder of a source's home page: a Sở Nội vụ that is a
// sub-site of the provincial portal (binhphuoc.gov.vn/vi/snv/) is crawled
// under that folder only; a home page at the root scopes the whole host.
func scopeOf(home *url.URL) string {
	p := home.Path
	if i := strings.LastIndex(p, "/"); i >= 0 {
		return p[:i+1]
	}
	return "/"
}

// seed enqueues the pass's starting points and the URLs the store says are due.
func (p *pass) seed(ctx context.Context) {
	seeds := append([]string{p.home.String()}, p.src.StartURLs...)
	known, err := p.c.store.KnownURLs(ctx, seeds)
	if err != nil {
		p.log.Error("crawl: known seeds", "err", err)
	}
	var add []article.URLRecord
	for _, s := range seeds {
		m := &meta{url: s, role: roleNav, seed: true}
		if r, ok := known[s]; ok {
			m.prior = &r
		} else {
			add = append(add, article.URLRecord{URL: s, SourceID: p.src.ID, FirstSeen: p.c.now()})
		}
		p.fetch(m)
	}
	if _, err := p.c.store.AddURLs(ctx, add); err != nil {
		p.log.Error("crawl: add seeds", "err", err)
	}
	sitemaps := append([]string{}, p.rob.sitemaps...)
	sitemaps = append(sitemaps, p.home.ResolveReference(&url.URL{Path: "/sitemap.xml"}).String())
	p.follow(ctx, p.home, 0, roleFeed, sitemaps)
	due, err := p.c.store.DueURLs(ctx, p.src.ID, p.c.now(), p.c.cfg.Crawl.MaxPages)
	if err != nil {
		p.log.Error("crawl: due urls", "err", err)
		return
	}
	for i := range due {
		r := due[i]
		p.fetch(&meta{url: r.URL, depth: r.Depth, role: roleOf(r.Kind), prior: &r})
	}
}

// roleOf maps a stored kind back to the role its URL was found in.
func roleOf(k article.Kind) linkRole {
	switch k {
	case article.KindSitemap, article.KindFeed:
		return roleFeed
	case article.KindAttachment:
		return roleAttachment
	case article.KindArticle, article.KindCandidate:
		return roleArticle
	}
	return roleNav
}

// fetch asks colly for one URL unless this run has seen it, robots.txt
// forbids it, a trap bound or the page budget stops it.
func (p *pass) fetch(m *meta) {
	u, err := url.Parse(m.url)
	if err != nil || !p.hosts[strings.ToLower(u.Host)] {
		return
	}
	if !m.seed && m.role != roleFeed && !strings.HasPrefix(u.Path, p.scope) {
		return // another department's part of a shared provincial portal
	}
	key, err := article.Canonical(m.url)
	if err != nil {
		return
	}
	p.mu.Lock()
	if p.seen[key] || p.closed != nil {
		p.mu.Unlock()
		return
	}
	p.seen[key] = true
	if !p.rob.allowed(u) {
		p.stats.RobotsSkipped++
		p.mu.Unlock()
		return
	}
	if u.RawQuery != "" && m.role != rolePagination && m.role != roleArticle && !m.seed {
		vk := u.Host + u.Path
		p.variants[vk]++
		if p.variants[vk] > maxQueryVariants {
			p.mu.Unlock()
			return
		}
	}
	if p.budget <= 0 {
		p.mu.Unlock()
		return
	}
	p.budget--
	p.mu.Unlock()

	cctx := colly.NewContext()
	cctx.Put("meta", m)
	hdr := http.Header{}
	hdr.Set("User-Agent", p.c.cfg.UserAgent)
	hdr.Set("Accept-Language", "vi,en;q=0.5")
	if pr := m.prior; pr != nil && pr.Fetched() && pr.Kind != article.KindListing {
		if pr.ETag != "" {
			hdr.Set("If-None-Match", pr.ETag)
		}
		if pr.LastModified != "" {
			hdr.Set("If-Modified-Since", pr.LastModified)
		}
	}
	if err := p.col.Request(http.MethodGet, m.url, nil, cctx, hdr); err != nil {
		var visited *colly.AlreadyVisitedError
		if !errors.As(err, &visited) {
			p.log.Debug("crawl: not requested", "url", m.url, "err", err)
		}
	}
}

// record returns the URL record to save after a fetch of m.
func (p *pass) record(m *meta) article.URLRecord {
	if m.prior != nil {
		return *m.prior
	}
	return article.URLRecord{URL: m.url, SourceID: p.src.ID, Depth: m.depth, FirstSeen: p.c.now()}
}

// emit reports one outcome to the progress display.
func (p *pass) emit(u, outcome string) {
	p.mu.Lock()
	st := p.stats
	p.mu.Unlock()
	p.c.progress(Event{Source: p.src.ID, URL: u, Outcome: outcome, Stats: st})
}

// saveURL stores a URL record, logging (not failing) on error.
func (p *pass) saveURL(rec article.URLRecord) {
	if err := p.c.store.SaveURL(p.ctxForSave(), rec); err != nil {
		p.log.Error("crawl: save url", "url", rec.URL, "err", err)
	}
}

// ctxForSave lets an outcome that was fetched be saved even while the pass is
// being interrupted: what was fetched is never lost.
func (p *pass) ctxForSave() context.Context {
	return context.WithoutCancel(p.ctx)
}

// closeHost gives the host up for the rest of this run.
func (p *pass) closeHost(err error) {
	p.mu.Lock()
	if p.closed == nil {
		p.closed = err
		p.log.Warn("crawl: host closed for this run", "err", err)
	}
	p.mu.Unlock()
}

// now is the pass's clock.
func (p *pass) now() time.Time { return p.c.now() }
