// Package simportal serves a simulated Sở Nội vụ portal for tests, benchmarks
// and `noivu demo`. It is test-and-demo-only code: it models what
// /work/shared/SOURCES.md says the real portals look like (three CMS families,
// their URL shapes, date and author shapes, windows-1258 and NFD pages,
// robots.txt, sitemaps, feeds, a calendar trap, conditional GET) and can
// inject server faults. Content is generated from a seed, so the same Options
// give the same bytes. It must never be used to serve anything real.
package simportal

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"sync"
	"time"
)

// Layout names the CMS family a Portal imitates.
type Layout string

// The layouts, each after one real portal of SOURCES.md.
const (
	LayoutNukeViet Layout = "nukeviet" // like snv.binhdinh.gov.vn
	LayoutSonLa    Layout = "sonla"    // custom CMS like sonoivu.sonla.gov.vn
	LayoutDrupal   Layout = "drupal"   // like sonoivu.bacgiang.gov.vn
)

// Options configures a Portal; zero fields take the documented defaults.
type Options struct {
	Layout     Layout
	Articles   int   // initial number of articles (default 40)
	Categories int   // default 3, at most 8
	PageSize   int   // article items per listing page (default 10)
	Paragraphs int   // body paragraphs per article, lead included (default 6)
	Seed       int64 // deterministic content
	CrawlDelay int   // seconds written as Crawl-delay in robots.txt (0: line absent)
	Now        func() time.Time

	// Orphans adds articles that no page lists, each reachable one way
	// only (see Orphans and the Via constants): from /sitemap.xml, which
	// robots.txt then does not name, so a crawler must look for it; from
	// the main RSS feed, which the home page's head advertises (layouts
	// with a feed only); and from a sitemap index that only robots.txt's
	// Sitemap: line names, through its child sitemap.
	Orphans bool
	// Chain adds a chain of Chain plain pages, ChainPrefix+"1" to
	// ChainPrefix+Chain, each linking the next and nothing else of its own;
	// only the home page links the first, so page k lies k links from it.
	Chain int
	// Offsite is another site's base URL (scheme://host[:port], no slash)
	// that the portal links to through every way a crawler discovers
	// pages: a headline, a menu entry and an attachment on the home page,
	// a <link rel="alternate"> feed in its head, a Sitemap: line in
	// robots.txt, and entries of the sitemap and the main feed. The paths
	// are those of an article this portal routes but lists nowhere (Orphan
	// ViaOffsite), so that with Offsite set to the portal's own www. twin
	// the links lead to a real article.
	Offsite string
	// PagesOnly takes away every sitemap and feed, as on the many real
	// portals that have neither: /sitemap.xml and the feeds answer 404,
	// robots.txt names no sitemap of the portal's own and no page
	// advertises a feed, so that a crawler must find every article from
	// the home page, the listings and their pagination. The orphans of
	// Orphans that only a sitemap or a feed lists are then unreachable.
	PagesOnly bool
	// Yearless (at most 4; NukeViet only) makes the second, fourth, ...
	// newest articles date themselves only by their lead, without a year,
	// so that only the listings linking them say when they appeared (see
	// yearless.go); YearlessUndated takes their dates off the listings too,
	// leaving the items around them to tell.
	Yearless        int
	YearlessUndated bool
}

// Portal is a simulated portal; it is an http.Handler safe for concurrent use.
type Portal struct {
	opts   Options
	lay    layout
	site   siteInfo
	mu     sync.RWMutex
	arts   []*article   // publication order: arts[i].seq == i+1
	newest []*article   // newest first
	byCat  [][]*article // newest first, per category
	routes map[string]route
	titles map[string]bool
	slugs  map[string]bool
	faults faultState
	// calendarDay is the day the sidebars' calendar link opens on.
	calendarDay time.Time
	log         requestLog
	orphans     []orphan // Options.Orphans and Options.Offsite; not in arts
}

// New builds a portal with Options.Articles articles. It panics on an unknown
// Layout, which is a programming error.
func New(opts Options) *Portal {
	if opts.Layout == "" {
		opts.Layout = LayoutNukeViet
	}
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&opts.Articles, 40)
	def(&opts.Categories, 3)
	def(&opts.PageSize, 10)
	def(&opts.Paragraphs, 6)
	opts.Categories = min(opts.Categories, len(categoryPool))
	if opts.Now == nil {
		opts.Now = time.Now
	}
	p := &Portal{opts: opts, routes: map[string]route{}, titles: map[string]bool{}, slugs: map[string]bool{}}
	switch opts.Layout {
	case LayoutNukeViet:
		p.lay = &nukeViet{}
	case LayoutSonLa:
		p.lay = &sonLa{}
	case LayoutDrupal:
		p.lay = &drupal{}
	default:
		panic(fmt.Sprintf("simportal: unknown layout %q", opts.Layout))
	}
	p.site.cats = append([]category(nil), categoryPool[:opts.Categories]...)
	p.site.charset = charsetUTF8
	p.lay.setup(&p.site)
	if opts.PagesOnly {
		p.site.feedPath, p.site.feeds, p.site.sitemapIndex = "", nil, false
	}
	p.addStaticRoutes()
	for i, t := range initialTimes(opts.Seed^int64(hash64(string(opts.Layout))>>1), opts.Articles) {
		p.publish(i+1, t, false)
	}
	p.reindex()
	p.calendarDay = p.newest[0].Published
	p.addOrphans()
	return p
}

// initialTimes spreads the first articles between 2013 and late 2025, in
// office hours, oldest first.
func initialTimes(seed int64, n int) []time.Time {
	r := rand.New(rand.NewPCG(uint64(seed), 0x51ED))
	from := time.Date(2013, 1, 1, 0, 0, 0, 0, vnZone)
	days := int(time.Date(2025, 10, 31, 0, 0, 0, 0, vnZone).Sub(from).Hours() / 24)
	ts := make([]time.Time, n)
	for i := range ts {
		d := from.AddDate(0, 0, r.IntN(days))
		ts[i] = d.Add(time.Duration(7*3600+r.IntN(10*3600)) * time.Second)
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	return ts
}

// Articles returns every article the portal lists, newest first; Orphans
// returns the others.
func (p *Portal) Articles() []Article {
	p.mu.RLock()
	defer p.mu.RUnlock()
	out := make([]Article, len(p.newest))
	for i, a := range p.newest {
		out[i] = a.export()
	}
	return out
}

// AddArticles publishes n new articles, each newer than every page's last
// modification, and returns them newest first. Listings, the home page, the
// sitemap and the feed change accordingly.
func (p *Portal) AddArticles(n int) []Article {
	p.mu.Lock()
	defer p.mu.Unlock()
	t := time.Time{}
	for _, a := range p.arts {
		if lm := a.lastMod(); lm.After(t) {
			t = lm
		}
	}
	added := make([]Article, 0, n)
	for i := 0; i < n; i++ {
		seq := len(p.arts) + 1
		r := rand.New(rand.NewPCG(uint64(p.opts.Seed), uint64(seq)^0xADD))
		t = t.Add(time.Duration(3600+r.IntN(5*3600)) * time.Second)
		a := p.publish(seq, t, true)
		p.faults.extend(a.Path)
		added = append([]Article{a.export()}, added...)
	}
	p.reindex()
	return added
}

// Disallowed returns the path prefixes robots.txt disallows.
func (p *Portal) Disallowed() []string {
	return append([]string(nil), p.site.disallowed...)
}

// reindex rebuilds the newest-first views; callers hold p.mu.
func (p *Portal) reindex() {
	p.newest = append(p.newest[:0], p.arts...)
	sort.SliceStable(p.newest, func(i, j int) bool { return newer(p.newest[i], p.newest[j]) })
	p.byCat = make([][]*article, len(p.site.cats))
	for _, a := range p.newest {
		p.byCat[a.cat] = append(p.byCat[a.cat], a)
	}
}

func newer(a, b *article) bool {
	if !a.Published.Equal(b.Published) {
		return a.Published.After(b.Published)
	}
	return a.seq > b.seq
}

// latestMod is the newest modification of any article: the Last-Modified of
// every page that lists articles.
func (p *Portal) latestMod() time.Time {
	var t time.Time
	for _, a := range p.arts {
		if lm := a.lastMod(); lm.After(t) {
			t = lm
		}
	}
	return t
}
