package crawler

import (
	"bytes"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/temoto/robotstxt"
)

// The crawler parses four kinds of outside input before anything else
// sees them: sitemaps, the sites' own feeds, robots.txt and the links of
// every HTML page. Each fuzz target below feeds one of them arbitrary bytes
// and checks the promises the rest of the crawler relies on.

// FuzzParseSitemap: no panic; every page and child URL is trimmed and non
// empty; one file never yields more than the protocol's 50,000 pages.
func FuzzParseSitemap(f *testing.F) {
	for _, s := range []string{
		`<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc> https://snv.example.vn/tin-tuc/a-12.html </loc></url></urlset>`,
		`<sitemapindex><sitemap><loc>https://snv.example.vn/sitemap-news.xml</loc></sitemap></sitemapindex>`,
		`<?xml version="1.0" encoding="windows-1258"?><urlset><url><loc>/x</loc></url>`,
		`<html><body>not a sitemap</body></html>`,
		`<urlset><url><loc></loc></url><url><loc>` + strings.Repeat("a", 300) + `</loc></url></urlset>`,
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		pages, children, err := parseSitemap(body)
		if err != nil {
			if len(pages)+len(children) > 0 {
				t.Fatalf("error %v with %d results", err, len(pages)+len(children))
			}
			return
		}
		if len(pages) > maxSitemapURLs {
			t.Fatalf("%d pages from one sitemap, cap is %d", len(pages), maxSitemapURLs)
		}
		for _, u := range append(pages, children...) {
			if u == "" || u != strings.TrimSpace(u) {
				t.Fatalf("untrimmed or empty URL %q", u)
			}
		}
	})
}

// FuzzParseFeed: a feed in any of RSS, Atom or JSON Feed, or garbage, never
// panics, and an error comes with no links.
func FuzzParseFeed(f *testing.F) {
	for _, s := range []string{
		`<?xml version="1.0"?><rss version="2.0"><channel><title>Tin</title><item><title>A</title><link>https://snv.example.vn/a-1.html</link></item></channel></rss>`,
		`<feed xmlns="http://www.w3.org/2005/Atom"><entry><link href="/b-2.html"/></entry></feed>`,
		`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","url":"https://x/c-3.html"}]}`,
		`<rss><channel><item><link>`,
		"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		links, err := parseFeed(body)
		if err != nil && len(links) > 0 {
			t.Fatalf("error %v with %d links", err, len(links))
		}
	})
}

// FuzzRobots: any robots.txt gives an answer for any path, never a panic,
// and the crawl delay we take from it stays within our cap.
func FuzzRobots(f *testing.F) {
	for _, s := range []string{
		"User-agent: *\nDisallow: /admin\nCrawl-delay: 5\nSitemap: https://x/sitemap.xml\n",
		"User-agent: noivu\nAllow: /\nDisallow: /*?lang=\n\nUser-agent: *\nDisallow: /\n",
		"User-agent: *\nCrawl-delay: 99999999999\n",
		"\xef\xbb\xbfUser-agent: *\r\nDisallow: /t\xe1\xba\xa1m\r\n",
		"",
	} {
		f.Add([]byte(s), "/admin/x?y=1")
	}
	f.Fuzz(func(t *testing.T, body []byte, path string) {
		data, err := robotstxt.FromStatusAndBytes(200, body)
		if err != nil {
			return // fetchRobots then applies no rules
		}
		g := data.FindGroup("noivu-test/1.0")
		rob := &robots{group: g, delay: min(g.CrawlDelay, maxCrawlDelay)}
		u, err := url.Parse(path)
		if err != nil {
			return
		}
		_ = rob.allowed(u)
		if rob.delay > maxCrawlDelay {
			t.Fatalf("crawl delay %v above the cap", rob.delay)
		}
	})
}

// FuzzLinks: every link found on any page is an absolute http(s) URL on
// the source's host, without a fragment or tracking parameters, listed
// once, and cleaning it again changes nothing.
func FuzzLinks(f *testing.F) {
	for _, s := range []string{
		`<a href="/tin-tuc/cai-cach-hanh-chinh-123.html">Sở Nội vụ tổ chức hội nghị tổng kết công tác cải cách hành chính</a>`,
		`<a href="?page=2">2</a><a href="/page-3">3</a><link rel="next" href="/trang-4"><a href="#top">top</a>`,
		`<a href="javascript:alert(1)">x</a><a href="https://other.example/a-1.html">x</a><a href="//snv.example.vn/b?utm_source=fb&id=7">b</a>`,
		`<link rel="alternate" type="application/rss+xml" href="/rss"><a href="/files/quyet-dinh.pdf">QĐ</a><a href="/a.jpg">img</a>`,
		`<a href="http://[::1]:namedport">x</a><a href="%zz">y</a><a href=" /x y ">z</a>`,
	} {
		f.Add(s, "https://snv.example.vn/tin-tuc/page-2")
	}
	f.Fuzz(func(t *testing.T, page, base string) {
		pageURL, err := url.Parse(base)
		if err != nil || (pageURL.Scheme != "http" && pageURL.Scheme != "https") || pageURL.Host == "" {
			return
		}
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader([]byte(page)))
		if err != nil {
			return
		}
		series, n := pageNumber(pageURL)
		host := strings.ToLower(pageURL.Host)
		c := &classifier{page: pageURL, series: series, n: n,
			sameHost: func(u *url.URL) bool { return strings.ToLower(u.Host) == host },
			linksSel: "a.title", nextSel: ".pager a.next"}
		seen := map[string]bool{}
		for _, l := range c.links(doc) {
			u, err := url.Parse(l.URL)
			if err != nil {
				t.Fatalf("link %q does not parse: %v", l.URL, err)
			}
			if u.Scheme != "http" && u.Scheme != "https" || strings.ToLower(u.Host) != host {
				t.Fatalf("link %q is off the page's host %q", l.URL, host)
			}
			if u.Fragment != "" || strings.Contains(l.URL, "#") {
				t.Fatalf("link %q keeps a fragment", l.URL)
			}
			if seen[l.URL] {
				t.Fatalf("link %q listed twice", l.URL)
			}
			seen[l.URL] = true
			if again := cleanURL(pageURL, l.URL); again != l.URL {
				t.Fatalf("cleaning %q again gives %q", l.URL, again)
			}
			if !utf8.ValidString(l.URL) {
				t.Fatalf("link %q is not valid UTF-8", l.URL)
			}
		}
	})
}
