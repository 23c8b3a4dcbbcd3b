package simportal

import (
	"fmt"
	"net/http"
	"strings"
	"time"
)

// respondMachine serves the files meant for programs: robots.txt, sitemaps
// and feeds.
func (p *Portal) respondMachine(pg *page, path string) (response, bool) {
	switch {
	case path == "/robots.txt":
		return p.robots(pg), true
	case p.opts.PagesOnly:
		return response{}, false
	case path == "/sitemap.xml" && p.site.sitemapIndex:
		return p.sitemapIndex(pg), true
	case path == "/sitemap.xml", p.site.sitemapIndex && path == "/sitemap-vi.news.xml":
		return p.sitemap(pg, !p.site.sitemapIndex), true
	case p.site.sitemapIndex && path == "/sitemap-vi.page.xml":
		return p.pageSitemap(pg), true
	}
	if cat, ok := p.site.feeds[path]; ok {
		return p.feed(pg, cat), true
	}
	return response{}, false
}

func textResponse(kind, ctype string, pg *page, lastMod time.Time) response {
	return response{kind: kind, status: http.StatusOK, ctype: ctype, body: []byte(pg.sb.String()), lastMod: lastMod}
}

func (p *Portal) robots(pg *page) response {
	pg.w("# robots.txt for ", p.site.host, "\nUser-agent: *\n")
	for _, d := range p.site.disallowed {
		pg.w("Disallow: ", d, "\n")
	}
	if p.opts.CrawlDelay > 0 {
		pg.f("Crawl-delay: %d\n", p.opts.CrawlDelay)
	}
	pg.w("\n")
	for _, s := range p.robotsSitemaps(pg) {
		pg.w("Sitemap: ", s, "\n")
	}
	return textResponse(kindRobots, "text/plain; charset=utf-8", pg, staticModified)
}

const xmlHeader = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

func w3c(t time.Time) string { return t.In(vnZone).Format(time.RFC3339) }

func (p *Portal) sitemapIndex(pg *page) response {
	lm := w3c(p.latestMod())
	pg.w(xmlHeader, `<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`, "\n")
	pg.f("<sitemap><loc>%s</loc><lastmod>%s</lastmod></sitemap>\n", pg.abs("/sitemap-vi.news.xml"), lm)
	pg.f("<sitemap><loc>%s</loc><lastmod>%s</lastmod></sitemap>\n", pg.abs("/sitemap-vi.page.xml"), w3c(staticModified))
	pg.w("</sitemapindex>\n")
	return textResponse(kindSitemap, "application/xml; charset=utf-8", pg, p.latestMod())
}

// sitemap lists every article, and with hubs the home page and listings.
func (p *Portal) sitemap(pg *page, hubs bool) response {
	lm := p.latestMod()
	pg.w(xmlHeader, `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`, "\n")
	if hubs {
		pg.f("<url><loc>%s</loc><lastmod>%s</lastmod><changefreq>daily</changefreq><priority>1.0</priority></url>\n", pg.abs("/"), w3c(lm))
		for i := range p.site.cats {
			pg.f("<url><loc>%s</loc><lastmod>%s</lastmod><changefreq>daily</changefreq><priority>0.8</priority></url>\n", pg.abs(p.lay.listingPath(i, 1)), w3c(lm))
		}
	}
	for _, a := range p.newest {
		if a.yearless {
			continue // Options.Yearless: only the listings lead to it
		}
		pg.f("<url><loc>%s</loc><lastmod>%s</lastmod><changefreq>monthly</changefreq><priority>0.6</priority></url>\n", pg.abs(a.Path), w3c(a.lastMod()))
	}
	p.sitemapExtras(pg)
	pg.w("</urlset>\n")
	return textResponse(kindSitemap, "application/xml; charset=utf-8", pg, lm)
}

func (p *Portal) pageSitemap(pg *page) response {
	pg.w(xmlHeader, `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">`, "\n")
	for _, sp := range p.site.statics {
		pg.f("<url><loc>%s</loc><lastmod>%s</lastmod></url>\n", pg.abs(sp.path), w3c(staticModified))
	}
	pg.w("</urlset>\n")
	return textResponse(kindSitemap, "application/xml; charset=utf-8", pg, staticModified)
}

// feed is an RSS 2.0 document of the 20 newest articles (of one category
// when cat >= 0), in the shape NukeViet and Drupal write.
func (p *Portal) feed(pg *page, cat int) response {
	items, title, link := p.newest, p.site.name, "/"
	if cat >= 0 {
		items, title, link = p.byCat[cat], p.site.cats[cat].name+" - "+p.site.name, p.lay.listingPath(cat, 1)
	}
	items = items[:min(20, len(items))]
	var offsite *article
	if cat < 0 {
		var own *article
		own, offsite = p.feedExtras()
		if own != nil {
			items = append([]*article{own}, items...)
		}
	}
	lm := p.latestMod()
	pg.w(xmlHeader, `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">`, "\n<channel>\n")
	pg.f("<title>%s</title>\n<link>%s</link>\n<atom:link href=\"%s\" rel=\"self\" type=\"application/rss+xml\" />\n", esc(title), pg.abs(link), pg.abs(pg.path))
	pg.f("<description>Tin tức của %s</description>\n<language>vi</language>\n<lastBuildDate>%s</lastBuildDate>\n<ttl>60</ttl>\n", esc(p.site.name), lm.Format(time.RFC1123Z))
	for _, a := range items {
		p.feedItem(pg, a, pg.base)
	}
	if offsite != nil {
		p.feedItem(pg, offsite, p.opts.Offsite)
	}
	pg.w("</channel>\n</rss>\n")
	return textResponse(kindFeed, "application/rss+xml; charset=utf-8", pg, lm)
}

// feedItem writes one item of a feed, its links on base.
func (p *Portal) feedItem(pg *page, a *article, base string) {
	desc := esc(shortLead(a.Text[0], 300))
	if a.image != "" {
		desc = fmt.Sprintf(`<img src="%s" width="100" align="left" border="0">%s`, esc(base+a.image), desc)
	}
	pg.f("<item>\n<title><![CDATA[%s]]></title>\n<link>%s</link>\n<guid isPermaLink=\"false\">%s_%d</guid>\n<description><![CDATA[%s]]></description>\n<pubDate>%s</pubDate>\n</item>\n",
		a.Title, esc(base+a.Path), strings.ToLower(string(p.opts.Layout)), a.ID, desc, a.Published.Format(time.RFC1123Z))
}

// addStaticRoutes routes the static pages and theme assets of the site.
func (p *Portal) addStaticRoutes() {
	for i := range p.site.statics {
		sp := &p.site.statics[i]
		p.routes[sp.path] = route{kind: kindStatic, static: sp}
	}
}
