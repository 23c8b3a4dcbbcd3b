package crawler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"path"
	"strings"
	"syscall"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/gocolly/colly/v2"

	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/extract"
)

// onResponse handles every 2xx response: archive location, classification,
// storage, and the links to follow.
func (p *pass) onResponse(resp *colly.Response) {
	m, _ := resp.Ctx.GetAny("meta").(*meta)
	if m == nil {
		return
	}
	final := resp.Request.URL.String()
	got, ok := p.rec.take(final)
	if !ok {
		got = raw{body: resp.Body}
	}
	p.mu.Lock()
	p.stats.Fetched++
	p.failRun = 0
	p.mu.Unlock()

	rec := p.record(m)
	rec.LastStatus = resp.StatusCode
	rec.LastError = ""
	rec.Failures = 0
	rec.NextRetry = time.Time{}
	rec.LastFetched = p.now()
	rec.ETag = resp.Headers.Get("ETag")
	rec.LastModified = resp.Headers.Get("Last-Modified")
	rec.RedirectedTo = "" // a redirect of an earlier fetch (off-host, say) is over
	if final != m.url {
		rec.RedirectedTo = final
	}
	ct := resp.Headers.Get("Content-Type")
	pageURL := resp.Request.URL
	switch {
	case m.role == roleAttachment || isDocument(ct, pageURL):
		rec.Kind = article.KindAttachment
		p.saveURL(rec)
		p.emit(final, "attachment")
	case looksLikeXML(ct, got.body):
		p.onXML(m, rec, got.body, pageURL)
	default:
		if kind, ok := binaryBody(got.body); ok {
			// Archived as received (the record is whole and true), but
			// nothing is read from it, and the URL is retried like any
			// failure: the page itself may come back.
			p.failed(m, resp.StatusCode, fmt.Errorf("%w: %s bytes served as %q", ErrNotPage, kind, ct))
			return
		}
		p.onHTML(m, rec, got, ct, pageURL)
	}
}

// binaryBody reports a body that is no page whatever its Content-Type says
// (an image, a PDF, a gzip file: a CMS serving an upload or a cache file
// under a page's URL), with the type it sniffs as. Any text passes,
// windows-1258 and UTF-16 pages included.
func binaryBody(body []byte) (string, bool) {
	t := http.DetectContentType(body)
	return t, !strings.HasPrefix(t, "text/")
}

// isDocument reports a response that is a document rather than a page.
func isDocument(contentType string, u *url.URL) bool {
	ct := strings.ToLower(contentType)
	if strings.HasPrefix(ct, "application/pdf") || strings.Contains(ct, "msword") ||
		strings.Contains(ct, "officedocument") || strings.Contains(ct, "ms-excel") ||
		strings.HasPrefix(ct, "image/") || strings.HasPrefix(ct, "application/zip") {
		return true
	}
	return attachmentExts[strings.ToLower(path.Ext(u.Path))]
}

// onXML reads a sitemap or a feed and follows what it lists.
func (p *pass) onXML(m *meta, rec article.URLRecord, body []byte, pageURL *url.URL) {
	pages, children, err := parseSitemap(body)
	rec.Kind = article.KindSitemap
	if err != nil {
		pages, err = parseFeed(body)
		rec.Kind = article.KindFeed
		children = nil
	}
	if err != nil {
		rec.Kind = article.KindOther
		rec.LastError = err.Error()
		p.log.Info("crawl: xml neither sitemap nor feed", "url", pageURL.String(), "err", err)
	}
	p.saveURL(rec)
	p.follow(p.ctx, pageURL, m.depth, roleFeed, children)
	// Sitemaps list every kind of page: only an article-shaped URL counts as
	// a headline link; the others must prove themselves with a real date.
	var shaped, plain []string
	for _, u := range pages {
		if articleShaped(u) || rec.Kind == article.KindFeed {
			shaped = append(shaped, u)
		} else {
			plain = append(plain, u)
		}
	}
	p.follow(p.ctx, pageURL, m.depth, roleArticle, shaped)
	p.follow(p.ctx, pageURL, m.depth, roleNav, plain)
	p.emit(pageURL.String(), string(rec.Kind))
}

// onHTML extracts an article or follows a listing's links.
func (p *pass) onHTML(m *meta, rec article.URLRecord, got raw, contentType string, pageURL *url.URL) {
	// Seeds and pagination pages are listings whatever they contain: they
	// are not worth an extraction, the costliest step of a page.
	var res extract.Result
	var err error
	var parsed *extract.Document
	if !m.seed && m.role != rolePagination {
		parsed, err = extract.Parse(got.body, pageURL.String(), contentType)
		if err != nil {
			p.log.Info("crawl: extract", "url", pageURL.String(), "err", err)
		}
	}
	links := p.pageLinks(parsed, got.body, pageURL)
	if parsed != nil {
		// After the links: they are read from the tree extraction works on.
		res, err = parsed.Extract(p.src.Selectors, p.listedOption(m, pageURL))
		if err != nil {
			p.log.Info("crawl: extract", "url", pageURL.String(), "err", err)
		}
	}
	if err == nil && isArticle(res, m, links) && !p.inMenu(pageURL) {
		p.saveArticle(rec, res.Article, got.capture, pageURL)
		p.followLinks(m, pageURL, links, false)
		return
	}
	rec.Kind = article.KindOther
	if p.listsArticles(pageURL, links) || m.seed {
		rec.Kind = article.KindListing
	}
	p.saveURL(rec)
	p.followLinks(m, pageURL, links, rec.Kind == article.KindListing)
	p.emit(pageURL.String(), string(rec.Kind))
}

// pageLinks returns a page's links. Parsing is a tenth of a page's time:
// the links are read from the extractor's tree when it is the one the
// body's own bytes give, and from a parse of the bytes otherwise, so that a
// windows-1258 or non-NFC page's URLs stay as the site wrote them.
func (p *pass) pageLinks(parsed *extract.Document, body []byte, pageURL *url.URL) []link {
	var doc *goquery.Document
	if parsed != nil && parsed.Verbatim() {
		doc = goquery.NewDocumentFromNode(parsed.Root())
	} else {
		var err error
		if doc, err = goquery.NewDocumentFromReader(bytes.NewReader(body)); err != nil {
			return nil
		}
	}
	series, n := pageNumber(pageURL)
	cl := &classifier{page: pageURL, series: series, n: n, sameHost: func(u *url.URL) bool { return p.hosts[strings.ToLower(u.Host)] },
		linksSel: p.src.Selectors.Links, nextSel: p.src.Selectors.Next}
	links := cl.links(doc)
	p.listed.note(links, cl.anchors) // the dates beside article links, for their extraction
	return links
}

// listsArticles reports a listing: a page that pages through a series of its
// own, or one with at least three article links of its own. Links the home
// page also shows do not count toward the three, since sidebars ("Tin đọc
// nhiều", "Tin mới") repeat them on every static page; the home page,
// fetched first, records that chrome. A pager is what no static page has,
// and it must win over the count: a category's first page often shows
// just the headlines the home page shows too, and only a listing has its
// pagination followed and is read again on later runs.
func (p *pass) listsArticles(pageURL *url.URL, links []link) bool {
	home := pageURL.Path == p.home.Path || pageURL.Path == "/"
	p.mu.Lock()
	defer p.mu.Unlock()
	if home && p.chrome == nil {
		p.chrome, p.menu = map[string]bool{}, map[string]bool{}
		for _, l := range links {
			switch l.Role {
			case roleArticle:
				p.chrome[l.URL] = true
			case roleNav:
				p.menu[l.URL] = true
			}
		}
		return true
	}
	own := 0
	for _, l := range links {
		switch {
		case l.Role == rolePagination:
			return true
		case l.Role == roleArticle && !p.chrome[l.URL]:
			own++
		}
	}
	return own >= 3
}

// inMenu reports a page the home page links from its menus rather than as
// a headline: a category or a static page, whatever its text looks like.
func (p *pass) inMenu(u *url.URL) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.menu[u.String()]
}

// isArticle adds what the crawler knows to the extractor's judgement: a seed
// or a page with pagination of its own is a listing, and an undated page that
// was reached through a menu link rather than a headline is a static page.
func isArticle(res extract.Result, m *meta, links []link) bool {
	if !res.IsArticle || m.seed || m.role == rolePagination {
		return false
	}
	for _, l := range links {
		if l.Role == rolePagination {
			return false
		}
	}
	// A date the extractor read off the lead or guessed is weak evidence: a
	// static page ("Giới thiệu") can open with one. It counts only for pages
	// reached through a headline; such a page with no date at all needs an
	// article body the CMS rules or a selector found, not a generic guess.
	layer := res.Layers["published"]
	strong := !res.Published.IsZero() && !strings.HasPrefix(layer, "lead") && layer != "generic" // "lead+listing" too
	if strong {
		return true
	}
	// A page stored as an article before stays one while the extractor
	// still reads one article there: a re-check may come without the
	// listing that gave a yearless date its year (the store keeps the date).
	if m.prior != nil && m.prior.ArticleID != "" {
		return true
	}
	if m.role != roleArticle {
		return false
	}
	return !res.Published.IsZero() || res.Layers["body"] != "generic"
}

// saveArticle stores an extracted article with its URL record, in one step.
func (p *pass) saveArticle(rec article.URLRecord, a article.Article, capture article.Capture, pageURL *url.URL) {
	id, err := article.IDFor(pageURL.String())
	if err != nil {
		p.log.Error("crawl: article id", "url", pageURL.String(), "err", err)
		return
	}
	now := p.now()
	a.ID = id
	a.URL = pageURL.String()
	a.SourceID = p.src.ID
	a.FetchedAt = now
	a.FirstSeen = rec.FirstSeen
	a.Capture = capture
	rec.Kind = article.KindArticle
	rec.ArticleID = id
	rec.NextCheck = now.Add(recheckAfter(a.Published, rec.FirstSeen, now, p.c.cfg.Crawl.RecheckMin, p.c.cfg.Crawl.RecheckMax))
	change, err := p.c.store.SaveFetch(p.ctxForSave(), rec, &a)
	if err != nil {
		p.log.Error("crawl: save article", "url", a.URL, "err", err)
		p.countFailure()
		p.emit(a.URL, "failed")
		return
	}
	p.mu.Lock()
	switch change {
	case article.New:
		p.stats.New++
	case article.Updated:
		p.stats.Updated++
	default:
		p.stats.Unchanged++
	}
	p.mu.Unlock()
	p.emit(a.URL, change.String())
}

// followLinks applies the incremental rules to a page's links. On a listing
// revisited in a later run, pagination is followed only while the page still
// shows articles the store does not know, and then only to the next page.
func (p *pass) followLinks(m *meta, pageURL *url.URL, links []link, listing bool) {
	byRole := map[linkRole][]string{}
	for _, l := range links {
		byRole[l.Role] = append(byRole[l.Role], l.URL)
	}
	// One look-up in the store for the whole page rather than one per role,
	// each query paying for its preparation and a round through the driver.
	// A link has one role, so no role's look-up could see another's additions.
	var all []string
	for role, urls := range byRole {
		if !p.tooDeep(m.depth, role) && (role != rolePagination || listing) {
			all = append(all, urls...)
		}
	}
	if len(all) == 0 {
		return
	}
	known, err := p.c.store.KnownURLs(p.ctx, all)
	if err != nil {
		p.log.Error("crawl: known urls", "err", err)
		return
	}
	fresh := p.followKnown(pageURL, m.depth, roleArticle, byRole[roleArticle], known)
	p.followKnown(pageURL, m.depth, roleFeed, byRole[roleFeed], known)
	p.followKnown(pageURL, m.depth, roleAttachment, byRole[roleAttachment], known)
	p.followKnown(pageURL, m.depth, roleNav, byRole[roleNav], known)
	pages := byRole[rolePagination]
	if !listing || len(pages) == 0 {
		return
	}
	revisit := m.prior != nil && m.prior.Fetched()
	if revisit {
		if fresh == 0 {
			return
		}
		pages = nextPage(pageURL, pages)
	}
	p.followKnown(pageURL, m.depth, rolePagination, pages, known)
}

// nextPage picks the pagination link that comes right after the current page.
func nextPage(cur *url.URL, pages []string) []string {
	_, n := pageNumber(cur)
	best, bestN := "", -1
	for _, s := range pages {
		u, err := url.Parse(s)
		if err != nil {
			continue
		}
		_, k := pageNumber(u)
		if k > n && (bestN < 0 || k < bestN) {
			best, bestN = s, k
		}
	}
	if best == "" {
		return nil
	}
	return []string{best}
}

// follow decides, for links of one role found on a page at depth, which to
// fetch now; unknown ones are stored first so that a run cut short by the
// budget or a kill finds them next time. It returns how many of the links
// are not yet-fetched articles ("fresh"), for the pagination stop rule.
func (p *pass) follow(ctx context.Context, from *url.URL, depth int, role linkRole, urls []string) int {
	if len(urls) == 0 || p.tooDeep(depth, role) {
		return 0
	}
	known, err := p.c.store.KnownURLs(ctx, urls)
	if err != nil {
		p.log.Error("crawl: known urls", "err", err)
		return 0
	}
	return p.followKnown(from, depth, role, urls, known)
}

// tooDeep says links of role found at depth lead past crawl.max_depth:
// only menus and categories are bounded so.
func (p *pass) tooDeep(depth int, role linkRole) bool {
	return role == roleNav && depth+1 > p.c.cfg.Crawl.MaxDepth
}

// followKnown is follow with the store's records of urls (those it has)
// already read.
func (p *pass) followKnown(from *url.URL, depth int, role linkRole, urls []string, known map[string]article.URLRecord) int {
	if len(urls) == 0 || p.tooDeep(depth, role) {
		return 0
	}
	next := depth + 1
	if role == rolePagination {
		next = depth
	}
	var add []article.URLRecord
	var todo []*meta
	fresh := 0
	now := p.now()
	for _, u := range urls {
		r, ok := known[u]
		if !ok {
			fresh++
			kind := article.KindUnknown
			if role == roleArticle {
				kind = article.KindCandidate
			}
			add = append(add, article.URLRecord{URL: u, SourceID: p.src.ID, Kind: kind, Depth: next, FirstSeen: now})
			todo = append(todo, &meta{url: u, depth: next, role: role})
			continue
		}
		if !r.Fetched() && role == roleArticle {
			fresh++
		}
		if wantAgain(r, role, now) {
			todo = append(todo, &meta{url: u, depth: r.Depth, role: role, prior: &r})
		}
	}
	if len(add) > 0 {
		if _, err := p.c.store.AddURLs(p.ctxForSave(), add); err != nil {
			p.log.Error("crawl: add urls", "from", from.String(), "err", err)
		}
	}
	for _, m := range todo {
		p.fetch(m)
	}
	return fresh
}

// wantAgain says whether a URL the store knows is fetched in this run when a
// page links to it.
func wantAgain(r article.URLRecord, role linkRole, now time.Time) bool {
	if !r.Fetched() || r.Failures > 0 {
		return r.NextRetry.IsZero() || !r.NextRetry.After(now)
	}
	switch r.Kind {
	case article.KindListing:
		return true // listings are re-read every run; pagination is bounded by the caller
	case article.KindSitemap, article.KindFeed:
		return true // conditional GET
	case article.KindArticle:
		return !r.NextCheck.IsZero() && !r.NextCheck.After(now)
	}
	return false
}

// onError handles failures and non-2xx answers, 304 included.
func (p *pass) onError(resp *colly.Response, err error) {
	var m *meta
	if resp != nil && resp.Ctx != nil {
		m, _ = resp.Ctx.GetAny("meta").(*meta)
	}
	if m == nil {
		return
	}
	if resp.Request != nil {
		p.rec.take(resp.Request.URL.String())
	}
	status := resp.StatusCode
	if status == http.StatusNotModified {
		p.notModified(m)
		return
	}
	if status > 0 {
		p.mu.Lock()
		p.stats.Fetched++ // a response came back, whatever its status
		p.mu.Unlock()
	}
	if (status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable) && !m.retried {
		m.retried = true // the gate already holds the host for Retry-After
		if rerr := resp.Request.Retry(); rerr == nil {
			var after string
			if resp.Headers != nil {
				after = resp.Headers.Get("Retry-After")
			}
			p.log.Info("crawl: server asked to wait, retrying after the pause", "url", m.url, "status", status, "retry_after", after)
			return
		}
	}
	p.failed(m, status, err)
}

// notModified records a conditional GET answered 304; the next check waits
// twice as long as the last one, within the configured bounds.
func (p *pass) notModified(m *meta) {
	rec := p.record(m)
	now := p.now()
	gap := 2 * rec.NextCheck.Sub(rec.LastFetched)
	if gap < p.c.cfg.Crawl.RecheckMin {
		gap = p.c.cfg.Crawl.RecheckMin
	}
	if gap > p.c.cfg.Crawl.RecheckMax {
		gap = p.c.cfg.Crawl.RecheckMax
	}
	rec.LastStatus = http.StatusNotModified
	rec.LastFetched = now
	rec.Failures, rec.NextRetry, rec.LastError = 0, time.Time{}, ""
	if rec.Kind == article.KindArticle {
		rec.NextCheck = now.Add(gap)
	}
	p.saveURL(rec)
	p.mu.Lock()
	p.stats.Fetched++
	p.failRun = 0
	if rec.Kind == article.KindArticle {
		p.stats.Unchanged++
	}
	p.mu.Unlock()
	p.emit(m.url, "unchanged")
}

// failed records a failed fetch for a later run and closes the host after
// too many network failures in a row.
func (p *pass) failed(m *meta, status int, err error) {
	if p.ctx.Err() != nil && status == 0 {
		return // interrupted, not failed: the URL stays due
	}
	rec := p.record(m)
	now := p.now()
	rec.LastStatus = status
	rec.Failures++
	rec.LastError = errText(status, err)
	rec.NextRetry = now.Add(retryDelay(rec.Failures))
	gone := status == http.StatusNotFound || status == http.StatusGone
	if gone {
		rec.NextRetry = now.Add(30 * 24 * time.Hour) // gone: look again in a month
	}
	var redir *RedirectError
	refused := errors.As(err, &redir)
	if refused {
		rec.LastStatus, rec.RedirectedTo = redir.Status, redir.To
	}
	p.saveURL(rec)
	p.countFailure()
	p.mu.Lock()
	if (status == 0 && !refused) || status >= 500 {
		p.failRun++ // the network kind: the host itself may be down
	}
	tooMany := p.failRun >= maxConsecutiveFailures
	p.mu.Unlock()
	// A dead link or a redirect to a page already fetched is the site's
	// normal life; anything else is the site failing, and the operator
	// hears of it.
	level := slog.LevelWarn
	if gone || (refused && redir.Reason == redirectSeen) {
		level = slog.LevelInfo
	}
	p.log.Log(p.ctx, level, "crawl: fetch failed", "url", m.url, "status", rec.LastStatus, "err", rec.LastError,
		"failures", rec.Failures, "next_retry", rec.NextRetry.Sub(now).Round(time.Second))
	if tooMany {
		p.closeHost(fmt.Errorf("crawler: %d failures in a row, last: %s", maxConsecutiveFailures, rec.LastError))
	}
	p.emit(m.url, "failed")
}

func (p *pass) countFailure() {
	p.mu.Lock()
	p.stats.Failed++
	p.mu.Unlock()
}

// errText names a failure the way an operator reads it: the kind first,
// then the detail.
func errText(status int, err error) string {
	var ne net.Error
	var redir *RedirectError
	switch {
	case errors.As(err, &redir):
		return redir.Error()
	case errors.Is(err, ErrNotPage):
		return err.Error()
	case errors.Is(err, ErrTooLarge):
		return "too large: " + err.Error()
	case errors.Is(err, ErrTimeout), errors.As(err, &ne) && ne.Timeout():
		return "timeout: " + err.Error()
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused: " + err.Error()
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset: " + err.Error()
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "truncated: " + err.Error()
	case errors.Is(err, io.EOF):
		return "connection closed before a response: " + err.Error()
	case status > 0:
		return fmt.Sprintf("HTTP %d", status)
	case err != nil:
		return err.Error()
	}
	return "unknown error"
}
