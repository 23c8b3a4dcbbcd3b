package crawler

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/noivu/noivu/article"
)

// linkRole is what a link on a page probably leads to. The crawler fetches
// every role; the role decides priority, depth and the incremental stop rule.
type linkRole int

const (
	roleNav        linkRole = iota // menus, categories, static pages
	roleArticle                    // an article, judged by its anchor text and URL shape
	rolePagination                 // another page of the same listing
	roleFeed                       // the site's own RSS/Atom feed
	roleAttachment                 // a document to archive
)

// link is one outgoing link found on a page.
type link struct {
	URL  string // absolute, cleaned (no fragment, no tracking parameters)
	Role linkRole
}

// pageParams are query keys that number the pages of a listing.
var pageParams = []string{"page", "p", "trang", "pg", "paged", "start", "pageindex", "currentpage", "page_no", "pageno"}

// pagePathRE matches a path segment that numbers a listing page:
// NukeViet's /page-2, WordPress' /page/2, and Vietnamese /trang-2.
var pagePathRE = regexp.MustCompile(`(?i)/(?:page|trang|p)[-/_]?(\d{1,5})(?:\.html?)?/?$`)

// articleURLRE matches the URL shapes SOURCES.md lists for one article: a
// slug ending in a numeric id (NukeViet, Nam Định), a /YYYY/MM/ path (Sơn La),
// an id folder before the slug (Kiên Giang), Drupal nodes, Liferay
// view-article, WebCenter dDocName, SharePoint Pages/YYYY-MM/*.aspx, ?id=N and
// print views. A bare slug ("chuc-nang-nhiem-vu.html") is not enough: static
// pages look the same.
var articleURLRE = regexp.MustCompile(`(?i)(-\d{2,}\.(?:html?|aspx)$)|(/\d{4}/\d{1,2}/[^/]+\.html?$)|(/\d{2,}/[^/]+\.html?$)|` +
	`(/node/\d+/?$)|(/view-article/)|([?&]ddocname=)|(/pages/\d{4}-\d{2}/[^/]+\.aspx$)|` +
	`([?&](?:id|newsid|articleid|itemid)=\d+)|(/[^/]*-[^/]*-[^/]*-\d+/?$)|(/bm/print/\d+)`)

// articleKeys are substrings one of which every alternative of
// articleURLRE needs, but the one that ends in digits.
var articleKeys = []string{".htm", ".aspx", "/node/", "/view-article/", "ddocname=", "id=", "/bm/print/"}

// articleShaped is articleURLRE.MatchString, with a test first of what the
// regexp needs: most links fail it at once, and the regexp, unanchored, runs
// at every position of the URL (3% of a crawl when run on every link).
func articleShaped(u string) bool {
	lower := strings.ToLower(u)
	ascii := true
	for i := 0; i < len(u) && ascii; i++ {
		ascii = u[i] < utf8.RuneSelf
	}
	maybe := !ascii // (?i) folds a few non-ASCII letters onto ASCII ones: ask the regexp
	for _, k := range articleKeys {
		maybe = maybe || strings.Contains(lower, k)
	}
	if t := strings.TrimSuffix(u, "/"); t != "" && isDigit(t[len(t)-1]) {
		maybe = true // "/a-b-c-123"
	}
	return maybe && articleURLRE.MatchString(u)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// attachmentExts are document types the portals attach to articles.
var attachmentExts = map[string]bool{
	".pdf": true, ".doc": true, ".docx": true, ".xls": true, ".xlsx": true,
	".ppt": true, ".pptx": true, ".zip": true, ".rar": true, ".odt": true,
}

// skippedExts are never worth a request: media and assets.
var skippedExts = map[string]bool{
	".jpg": true, ".jpeg": true, ".png": true, ".gif": true, ".webp": true, ".svg": true,
	".bmp": true, ".ico": true, ".css": true, ".js": true, ".mp3": true, ".mp4": true,
	".avi": true, ".wmv": true, ".flv": true, ".swf": true, ".woff": true, ".woff2": true,
	".ttf": true, ".exe": true, ".apk": true,
}

// pageNumber splits a listing URL into its series key and page number. A URL
// with no page marker is page 0 of the series named by itself: portals count
// their second page 1 (Drupal) or 2 (NukeViet), so "no number" sorts first.
func pageNumber(u *url.URL) (series string, n int) {
	q := u.Query()
	for _, k := range pageParams {
		for qk, vs := range q {
			if !strings.EqualFold(qk, k) || len(vs) == 0 {
				continue
			}
			if v, err := strconv.Atoi(vs[0]); err == nil && v >= 0 && v < 100000 {
				q.Del(qk)
				c := *u
				c.RawQuery = q.Encode()
				c.Fragment = ""
				return c.String(), v
			}
		}
	}
	if m := pagePathRE.FindStringSubmatchIndex(u.Path); m != nil {
		v, _ := strconv.Atoi(u.Path[m[2]:m[3]])
		c := *u
		c.Path = strings.TrimSuffix(u.Path[:m[0]], "/")
		if c.Path == "" {
			c.Path = "/"
		}
		c.RawPath = ""
		c.Fragment = ""
		return c.String(), v
	}
	c := *u
	c.Fragment = ""
	if len(c.Path) > 1 {
		c.Path = strings.TrimSuffix(c.Path, "/")
		c.RawPath = ""
	}
	return c.String(), 0
}

// cleanURL resolves href against base and drops what never changes the page:
// the fragment and tracking parameters. It returns "" for links that are not
// http(s) pages.
func cleanURL(base *url.URL, href string) string {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") {
		return ""
	}
	lower := strings.ToLower(href)
	for _, p := range []string{"javascript:", "mailto:", "tel:", "data:", "skype:", "zalo:"} {
		if strings.HasPrefix(lower, p) {
			return ""
		}
	}
	u, err := base.Parse(href)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	u.Fragment = ""
	u.RawFragment = ""
	u.RawQuery = escapeQuery(u.RawQuery)
	if u.RawQuery != "" {
		q := u.Query()
		changed := false
		for k := range q {
			if article.IsTrackingParam(k) {
				q.Del(k)
				changed = true
			}
		}
		if changed {
			u.RawQuery = q.Encode()
		}
	}
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String()
}

// escapeQuery percent-encodes what a browser would in a raw query: bytes
// outside printable ASCII (raw UTF-8 or windows-1258 letters, or a broken
// byte) and spaces. The URL then is plain ASCII, valid in the store, the
// WARC headers and the logs; "%" escapes already there are kept.
func escapeQuery(q string) string {
	clean := true
	for i := 0; i < len(q); i++ {
		if q[i] <= ' ' || q[i] >= 0x7f {
			clean = false
			break
		}
	}
	if clean {
		return q
	}
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		if c := q[i]; c <= ' ' || c >= 0x7f {
			fmt.Fprintf(&b, "%%%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// extOf returns the lower-case file extension of a URL's path.
func extOf(u *url.URL) string {
	return strings.ToLower(path.Ext(u.Path))
}

// anchorText is what a reader sees of a link: its text, else its title, else
// the alt text of its image.
func anchorText(s *goquery.Selection) string {
	t := strings.Join(strings.Fields(s.Text()), " ")
	if t == "" {
		t, _ = s.Attr("title")
	}
	if t == "" {
		t, _ = s.Find("img").Attr("alt")
	}
	return strings.TrimSpace(t)
}

// looksLikeHeadline reports whether anchor text reads like an article title:
// Vietnamese headlines run to many syllables, menu entries to a few.
func looksLikeHeadline(text string) bool {
	return len(strings.Fields(text)) >= 6 && utf8.RuneCountInString(text) >= 28
}

// classifier decides the role of each link on one page.
type classifier struct {
	page     *url.URL
	series   string // the page's own pagination series
	n        int    // the page's number in it
	sameHost func(*url.URL) bool
	linksSel string          // selectors.links override
	nextSel  string          // selectors.next override
	shaped   map[string]bool // articleShaped, by URL
	// anchors are the page's in-scope <a href> elements with their URLs, in
	// document order, as links last read them: the listed dates beside
	// article links are read from them (listed.go).
	anchors []anchor
}

// anchor is one <a href> element and the URL it resolved to.
type anchor struct {
	node *html.Node
	url  string
}

// links returns the in-scope links of a parsed page, each once, with a role.
func (c *classifier) links(doc *goquery.Document) []link {
	forced := map[string]linkRole{}
	c.mark(doc, c.linksSel, roleArticle, forced)
	c.mark(doc, c.nextSel, rolePagination, forced)
	c.mark(doc, `link[rel="next"],a[rel="next"]`, rolePagination, forced)

	at := map[string]int{} // index in out
	var out []link
	add := func(u string, r linkRole) {
		if u != "" {
			if _, ok := at[u]; !ok {
				at[u] = len(out)
				out = append(out, link{URL: u, Role: r})
			}
		}
	}
	doc.Find(`link[rel="alternate"]`).Each(func(_ int, s *goquery.Selection) {
		t, _ := s.Attr("type")
		if strings.Contains(t, "rss") || strings.Contains(t, "atom") {
			href, _ := s.Attr("href")
			if u := c.inScope(href); u != nil {
				add(u.String(), roleFeed)
			}
		}
	})
	var pager pagerNumbers
	c.anchors = c.anchors[:0]
	doc.Find("a[href]").Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		u := c.inScope(href)
		if u == nil {
			return
		}
		key := u.String()
		c.anchors = append(c.anchors, anchor{s.Nodes[0], key})
		if n, ok := pager.numbers[key]; ok {
			// Every anchor counts: "Trang đầu" and "1" share a URL.
			pager.add(key, n, anchorText(s))
			if n == c.n {
				return // the page itself, judged already
			}
		}
		if i, ok := at[key]; ok {
			// Menus and teasers repeat links: judge each once, but for
			// the one thing an anchor's text decides, article or menu.
			// A listing item's thumbnail (an image, often with empty alt
			// text) comes before its headline and must not make it a
			// menu link; a URL's other roles come from the URL itself.
			if out[i].Role == roleNav && c.headline(key, anchorText(s)) {
				out[i].Role = roleArticle
			}
			return
		}
		series, n := pageNumber(u)
		text := anchorText(s)
		if series == c.series {
			if pager.numbers == nil {
				pager.numbers = map[string]int{}
			}
			pager.numbers[key] = n
			pager.add(key, n, text)
			if n == c.n {
				return // the page itself
			}
		}
		if r, ok := forced[key]; ok {
			add(key, r)
			return
		}
		add(key, c.role(u, key, series, text))
	})
	return pager.dropFirstPageTwin(out, c.n)
}

// pagerNumbers gathers the links of a page's own pagination series, to tell
// whether the series counts its pages from 1 or from 0. Its first page has
// two URLs, the bare one (number 0) and the one of number 1 or 0; they must
// not cost two fetches, but Drupal's ?page=1 is its second page, so ?page=1
// is the first only when the numbered links ("2" -> ?page=2) say so.
type pagerNumbers struct {
	numbers           map[string]int // the series' links and their numbers
	fromOne, fromZero bool
	bare, one         string // the links of numbers 0 and 1
}

// add records one anchor of the series: u, its number n and its text.
func (g *pagerNumbers) add(u string, n int, text string) {
	switch n {
	case 0:
		g.bare = u
	case 1:
		if g.one == "" {
			g.one = u
		}
	}
	if t, err := strconv.Atoi(text); err == nil && n > 0 {
		// A bare link says nothing: it is the first page whatever "1"
		// would be.
		g.fromOne = g.fromOne || t == n
		g.fromZero = g.fromZero || t == n+1
	}
}

// dropFirstPageTwin removes, in a series that counts from 1, the number-1
// link when the page is the first (under its other URL) or when the bare
// link is there too: the bare URL is the one menus and the home page use,
// so it is the one already fetched. cur is the page's own number.
func (g *pagerNumbers) dropFirstPageTwin(out []link, cur int) []link {
	if !g.fromOne || g.fromZero {
		return out
	}
	drop := g.one
	switch {
	case cur == 1:
		drop = g.bare // the page itself, fetched as number 1
	case cur != 0 && g.bare == "":
		return out // number 1 is the only way to the first page
	}
	if drop == "" {
		return out
	}
	for i, l := range out {
		if l.URL == drop {
			return append(out[:i], out[i+1:]...)
		}
	}
	return out
}

// mark records the role of every link matched by sel.
func (c *classifier) mark(doc *goquery.Document, sel string, r linkRole, into map[string]linkRole) {
	if sel == "" {
		return
	}
	doc.Find(sel).Each(func(_ int, s *goquery.Selection) {
		a := s
		if !s.Is("a,link") {
			a = s.Find("a[href]").First()
		}
		href, _ := a.Attr("href")
		if u := c.inScope(href); u != nil {
			into[u.String()] = r
		}
	})
}

// inScope resolves href and keeps it only when it is on the source's host
// and worth a request.
func (c *classifier) inScope(href string) *url.URL {
	s := cleanURL(c.page, href)
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || !c.sameHost(u) || skippedExts[extOf(u)] {
		return nil
	}
	return u
}

// role judges one in-scope link, u written as key; series is its
// pageNumber series.
func (c *classifier) role(u *url.URL, key, series, text string) linkRole {
	if attachmentExts[extOf(u)] {
		return roleAttachment
	}
	if series == c.series {
		return rolePagination
	}
	if c.headline(key, text) {
		return roleArticle
	}
	return roleNav
}

// headline reports an anchor to u that reads as an article's title.
func (c *classifier) headline(u, text string) bool {
	if looksLikeHeadline(text) {
		return true
	}
	// The word count before the URL regexp: most links on a page are menu
	// entries of one or two words, and the regexp was 3% of a crawl. Menus
	// repeat their links, and every anchor of a menu link is judged: the
	// regexp runs once per URL.
	if len(strings.Fields(text)) < 3 {
		return false
	}
	shaped, ok := c.shaped[u]
	if !ok {
		if c.shaped == nil {
			c.shaped = map[string]bool{}
		}
		shaped = articleShaped(u)
		c.shaped[u] = shaped
	}
	return shaped
}
