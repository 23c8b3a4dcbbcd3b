package simportal

import (
	"strconv"
	"time"
)

// The options of this file are off by default; each adds a way in to the
// portal that its home page and listings do not show, so that a test can
// prove a crawler takes it (or, for Offsite, refuses it).

// Where an Orphan is linked from: the only way to it.
const (
	ViaSitemap = "sitemap" // /sitemap.xml (through /sitemap-vi.news.xml where /sitemap.xml is an index)
	ViaFeed    = "feed"    // the main RSS feed, advertised by <link rel="alternate"> on the home page
	ViaRobots  = "robots"  // a sitemap index named only by robots.txt's Sitemap: line, through its child
	ViaOffsite = "offsite" // only pages of Options.Offsite link to it
)

// Paths of the sitemaps only robots.txt names (Options.Orphans).
const (
	RobotsSitemapIndex = "/sitemap-luu-tru.xml"   // a sitemapindex
	RobotsSitemapChild = "/sitemap-luu-tru-1.xml" // its one child urlset
)

// ChainPrefix is where the pages of Options.Chain live: ChainPrefix+"1" to
// ChainPrefix+strconv.Itoa(Chain).
const ChainPrefix = "/luu-tru/muc-"

// orphanSeqs are the sequence numbers of the hidden articles: far above any
// listed article's, so that AddArticles never meets them. 90003 is a
// multiple of 3, so that the offsite orphan has an attachment to link to.
var orphanSeqs = map[string]int{ViaSitemap: 90001, ViaFeed: 90002, ViaOffsite: 90003, ViaRobots: 90004}

// Orphan is an article that no page of the portal lists, and Via the one
// place a crawler can find it.
type Orphan struct {
	Article
	Via string
}

type orphan struct {
	a   *article
	via string
}

// Orphans returns the hidden articles of Options.Orphans (one per Via; none
// for ViaFeed when the layout has no feed) and Options.Offsite.
// Articles leaves them out.
func (p *Portal) Orphans() []Orphan {
	p.mu.RLock()
	defer p.mu.RUnlock()
	out := make([]Orphan, len(p.orphans))
	for i, o := range p.orphans {
		out[i] = Orphan{Article: o.a.export(), Via: o.via}
	}
	return out
}

// addOrphans publishes the hidden articles; New calls it after the listed
// ones, so that those are the same bytes with the options on or off.
func (p *Portal) addOrphans() {
	var vias []string
	if p.opts.Orphans {
		vias = append(vias, ViaSitemap)
		if p.site.feedPath != "" {
			vias = append(vias, ViaFeed)
		}
		vias = append(vias, ViaRobots)
	}
	if p.opts.Offsite != "" {
		vias = append(vias, ViaOffsite)
	}
	for i, via := range vias {
		// Recent, as what a feed or a fresh sitemap carries, yet older than
		// the newest listed article so that nothing listed changes.
		t := p.newest[0].Published.Add(-time.Duration(i+1) * 97 * time.Minute)
		a := p.publish(orphanSeqs[via], t, false)
		p.arts = p.arts[:len(p.arts)-1] // routed, but listed nowhere
		p.orphans = append(p.orphans, orphan{a: a, via: via})
	}
}

// orphan returns the hidden article reached through via, or nil.
func (p *Portal) orphan(via string) *article {
	for _, o := range p.orphans {
		if o.via == via {
			return o.a
		}
	}
	return nil
}

// robotsSitemaps are the Sitemap: lines of robots.txt. With Orphans on it
// names only the index of RobotsSitemapIndex, not /sitemap.xml, so that the
// article of each is found one way only.
func (p *Portal) robotsSitemaps(pg *page) []string {
	var out []string
	switch {
	case p.opts.PagesOnly: // none of its own
	case p.opts.Orphans:
		out = append(out, pg.base+RobotsSitemapIndex)
	default:
		out = append(out, pg.base+"/sitemap.xml")
	}
	if p.opts.Offsite != "" {
		out = append(out, p.opts.Offsite+"/sitemap.xml")
	}
	return out
}

// respondHidden serves the sitemaps only robots.txt names and the pages of
// the chain.
func (p *Portal) respondHidden(pg *page, path string) (response, bool) {
	switch {
	case p.opts.PagesOnly: // the chain is pages: served below
	case p.opts.Orphans && path == RobotsSitemapIndex:
		pg.w(xmlHeader, `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`, "\n")
		pg.f("<sitemap><loc>%s</loc><lastmod>%s</lastmod></sitemap>\n", pg.abs(RobotsSitemapChild), w3c(staticModified))
		pg.w("</sitemapindex>\n")
		return textResponse(kindSitemap, "application/xml; charset=utf-8", pg, staticModified), true
	case p.opts.Orphans && path == RobotsSitemapChild:
		a := p.orphan(ViaRobots)
		pg.w(xmlHeader, `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`, "\n")
		pg.f("<url><loc>%s</loc><lastmod>%s</lastmod></url>\n", pg.abs(a.Path), w3c(a.lastMod()))
		pg.w("</urlset>\n")
		return textResponse(kindSitemap, "application/xml; charset=utf-8", pg, a.lastMod()), true
	}
	if k, ok := p.chainPage(path); ok {
		return p.chain(pg, k), true
	}
	return response{}, false
}

// sitemapExtras lists, in a sitemap of articles, the hidden articles it is
// the way to.
func (p *Portal) sitemapExtras(pg *page) {
	if a := p.orphan(ViaSitemap); a != nil {
		pg.f("<url><loc>%s</loc><lastmod>%s</lastmod><changefreq>monthly</changefreq><priority>0.6</priority></url>\n", pg.abs(a.Path), w3c(a.lastMod()))
	}
	if a := p.orphan(ViaOffsite); a != nil {
		pg.f("<url><loc>%s</loc><lastmod>%s</lastmod></url>\n", esc(p.opts.Offsite+a.Path), w3c(a.lastMod()))
	}
}

// feedExtras are the items the main feed carries beyond its newest
// articles: the feed's own orphan, and an item on Offsite.
func (p *Portal) feedExtras() (own, offsite *article) {
	return p.orphan(ViaFeed), p.orphan(ViaOffsite)
}

// homeExtras writes the home page blocks of Offsite and Chain.
func (p *Portal) homeExtras(pg *page) {
	if a := p.orphan(ViaOffsite); a != nil {
		o := p.opts.Offsite
		pg.w(`<section class="partner"><h2 class="block-title">Tin từ cổng thông tin mới</h2><ul>`)
		pg.f(`<li><a href="%s" title="%s">%s</a></li>`, esc(o+a.Path), esc(a.Title), esc(a.Title))
		pg.f(`<li><a href="%s">Cổng mới</a></li>`, esc(o+"/"))
		pg.f(`<li><a href="%s">Tải văn bản</a></li>`, esc(o+a.Attachments[0]))
		pg.w("</ul></section>\n")
	}
	if p.opts.Chain > 0 {
		pg.f(`<section class="archive"><a href="%s">Tin lưu trữ</a></section>`+"\n", pg.href(ChainPrefix+"1"))
	}
}

// headExtras writes what the home page's head advertises on Offsite.
func (pg *page) headExtras() {
	if o := pg.p.opts.Offsite; o != "" && pg.path == "/" {
		pg.f(`<link rel="alternate" type="application/rss+xml" title="Tin tức (cổng mới)" href="%s">`+"\n", esc(o+"/rss/"))
	}
}

// chainPage reads the number of a chain page from its path.
func (p *Portal) chainPage(path string) (int, bool) {
	if p.opts.Chain <= 0 || len(path) <= len(ChainPrefix) || path[:len(ChainPrefix)] != ChainPrefix {
		return 0, false
	}
	k, err := strconv.Atoi(path[len(ChainPrefix):])
	if err != nil || k < 1 || k > p.opts.Chain || strconv.Itoa(k) != path[len(ChainPrefix):] {
		return 0, false
	}
	return k, true
}

// chain is page k of the archive chain: a plain page whose one way on is a
// link to page k+1, as old portals page their archives by year and month.
func (p *Portal) chain(pg *page, k int) response {
	title := "Tin lưu trữ - Mục " + strconv.Itoa(k)
	p.lay.head(pg, title+" - "+p.site.name)
	p.lay.crumbs(pg, nil) // no link back: page k is reached from page k-1 only
	pg.f(`<div class="static-page"><h2 class="title">%s</h2><p>Các tin bài đăng trước năm 2013 được lưu trữ theo từng mục.</p>`, esc(title))
	if k < p.opts.Chain {
		pg.f(`<p><a href="%s">Mục kế tiếp</a></p>`, pg.href(ChainPrefix+strconv.Itoa(k+1)))
	}
	pg.w("</div>")
	p.lay.foot(pg)
	return htmlResponse(kindChain, pg, staticModified, nil)
}
