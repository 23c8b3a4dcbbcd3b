package extract

// The section of an article is the part of the site its breadcrumb puts it
// in ("Tin hoạt động", "Cải cách hành chính"): the last item of the trail
// before the article's own title. Feeds give it as a category.

import (
	"encoding/json"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// crumb is one item of a breadcrumb trail: its text and the link it
// carries ("" when it has none).
type crumb struct {
	name, href string
	linked     bool // an <a href> (or a structured item URL), not plain text
}

// Crumb rules. The separators split a trail written as text ("Trang chủ »
// Tin tức"); "/" and "|" only with spaces around them, since "12/QĐ-UBND"
// is a name. A section is a short name: a longer item is a title.
const homeLabels = `trang chủ|trang chính|trang nhất|trang đầu|về trang chủ|homepage|home`

var (
	reCrumbSep     = regexp.MustCompile(`\s*(?:[»›→>]|\s[/|]\s|::)\s*`)
	reCrumbTrim    = regexp.MustCompile(`^[\s»›→>/|:·•\-–—]+|[\s»›→>/|:·•\-–—]+$`)
	reCrumbRunOn   = regexp.MustCompile(`(\p{Ll})(\p{Lu})`)
	reCrumbDate    = regexp.MustCompile(`\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{2,4}|(?i)^(thứ (hai|ba|tư|năm|sáu|bảy)|chủ nhật)(\s|,|$)`)
	reCrumbHome    = regexp.MustCompile(`(?i)^(` + homeLabels + `)`)
	reCrumbHomeAll = regexp.MustCompile(`(?i)^(` + homeLabels + `)$`)
	reCrumbNoise   = regexp.MustCompile(`(?i)^(bạn đang ở( đây)?|vị trí( hiện tại)?|đường dẫn|you are here)\s*:?$`)
	reCrumbDetail  = regexp.MustCompile(`(?i)^((xem |nội dung |tin )?chi tiết( tin( tức| bài)?| bài viết)?|details?)$`)
	reCrumbRootURL = regexp.MustCompile(`(?i)^/(?:(?:index|default|home)\.(?:php|html?|aspx?|jsp)|vi|en|home|trang-chu|web/guest(?:/trang-chu|/home)?|portal)?/?$`)
)

// maxSectionWords bounds a section's name: "Thông tin kinh tế, xã hội" has
// 6 words; an article title rarely has fewer than 12.
const maxSectionWords = 12

// crumbTrails are the breadcrumb containers, the most explicit markup
// first: schema.org microdata and RDFa; ARIA; then the class and id names
// of NukeViet (.breadcrumbs), Bootstrap and Liferay 7 (ol.breadcrumb),
// Liferay 6 (.portlet-breadcrumb), Drupal (.breadcrumb, #breadcrumb),
// WordPress (Yoast, Rank Math, NavXT, Hybrid), Joomla (.pathway,
// .mod-breadcrumbs) and the custom portals (đường dẫn). Compiled once,
// read only, like the package's regexps.
var crumbTrails = func() []cascadia.Selector {
	var out []cascadia.Selector
	for _, sel := range []string{
		`[itemtype*="BreadcrumbList"]`, `[typeof*="BreadcrumbList"]`,
		`[aria-label="breadcrumb"], [aria-label="Breadcrumb"], [aria-label="breadcrumbs"], [aria-label="Breadcrumbs"]`,
		`.breadcrumbs`, `.breadcrumb`, `#breadcrumbs`, `#breadcrumb`, `.portlet-breadcrumb`, `.breadcrumb-trail`,
		`.yoast-breadcrumbs`, `#yoast-breadcrumbs`, `.rank-math-breadcrumb`, `.mod-breadcrumbs`, `.pathway`,
		`#crumbs`, `.duongdan`, `.duong-dan`, `.path-way`, `.navigation-path`,
	} {
		out = append(out, cascadia.MustCompile(sel))
	}
	return out
}()

// mayBeTrail is a cheap test that every node of crumbTrails passes: an
// attribute naming a breadcrumb or a path. One walk with it, then the
// selectors on the few nodes it keeps, costs far less than a walk per
// selector.
func mayBeTrail(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	for _, a := range n.Attr {
		switch a.Key {
		case "class", "id", "itemtype", "typeof", "aria-label":
			v := strings.ToLower(a.Val)
			if strings.Contains(v, "crumb") || strings.Contains(v, "path") || strings.Contains(v, "duong") {
				return true
			}
		}
	}
	return false
}

var (
	selCrumbItem   = cascadia.MustCompile(`[itemprop="itemListElement"], [property="itemListElement"]`)
	selCrumbName   = cascadia.MustCompile(`[itemprop="name"], [property="name"]`)
	selCrumbTitle  = cascadia.MustCompile(`h1, [itemprop="headline"], .entry-title, .article-title, .news-title, .title-news, .asset-title`)
	selCrumbMeta   = cascadia.MustCompile(`meta[property="og:title"], meta[name="title"]`)
	selCrumbHeadTl = cascadia.MustCompile(`head title`)
	selSectionMeta = cascadia.MustCompile(`meta[property="article:section"]`)
)

// sectionFrom returns the section of an article page from its breadcrumb
// (markup first, then JSON-LD, then <meta property="article:section">):
// NFC, trimmed, "" when the page names none. pageURL resolves the trail's
// links, to tell the home page and the article itself from sections; it
// may be nil. h is the page's heads (gatherHeads), whose <script> and
// <meta> elements it reads instead of walking the page for them again. It
// reads doc and never changes it.
func sectionFrom(doc *goquery.Document, pageURL *url.URL, h heads) string {
	if doc == nil || len(doc.Nodes) == 0 {
		return ""
	}
	if pageURL == nil {
		pageURL = &url.URL{}
	}
	root := doc.Nodes[0]
	trails := cascadia.Selector(mayBeTrail).MatchAll(root)
	var scripts []*html.Node
	for _, sc := range h.scripts {
		if selLDScript.Match(sc) {
			scripts = append(scripts, sc)
		}
	}
	if len(trails)+len(scripts) > 0 {
		titles := &pageTitles{root: root, metas: h.metas}
		for _, m := range crumbTrails {
			for _, n := range trails {
				if !m(n) {
					continue
				}
				if s := lastSection(crumbsOf(doc.FindNodes(n)), pageURL, titles); s != "" {
					return s
				}
			}
		}
		if s := lastSection(jsonLDCrumbs(scripts), pageURL, titles); s != "" {
			return s
		}
	}
	for _, n := range h.metas {
		if !selSectionMeta.Match(n) {
			continue
		}
		if s := crumbName(attr(n, "content")); !reCrumbHomeAll.MatchString(s) && crumbWords(s) <= maxSectionWords {
			return s
		}
		break // the first one only
	}
	return ""
}

// crumbsOf reads the items of one breadcrumb container: its structured
// items (itemListElement), else its innermost <li>, else its links and the
// text between them.
func crumbsOf(s *goquery.Selection) []crumb {
	var out []crumb
	if items := s.FindMatcher(selCrumbItem); items.Length() > 0 {
		items.Each(func(_ int, it *goquery.Selection) {
			name := it.FindMatcher(selCrumbName).First()
			text := name.Text()
			if v, ok := name.Attr("content"); ok && strings.TrimSpace(text) == "" {
				text = v
			}
			if name.Length() == 0 {
				text = it.Text()
			}
			href, linked := it.Find("a[href]").First().Attr("href")
			out = append(out, crumb{name: crumbName(text), href: href, linked: linked})
		})
		return out
	}
	if lis := s.Find("li").FilterFunction(func(_ int, li *goquery.Selection) bool {
		return li.Find("li").Length() == 0
	}); lis.Length() > 0 {
		lis.Each(func(_ int, li *goquery.Selection) {
			if li.Find("a[href]").Length() > 1 { // one item holding the whole trail
				out = appendTextCrumbs(out, li.Nodes[0])
				return
			}
			href, linked := li.Find("a[href]").First().Attr("href")
			out = append(out, crumb{name: crumbName(li.Text()), href: href, linked: linked})
		})
		return out
	}
	for _, n := range s.Nodes {
		out = appendTextCrumbs(out, n)
	}
	return out
}

// appendTextCrumbs walks n: each link is one item, and text outside links
// is split at separators and at words run together ("Trang chủThông tin").
func appendTextCrumbs(out []crumb, n *html.Node) []crumb {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode:
			text := reCrumbRunOn.ReplaceAllString(c.Data, "$1\x00$2")
			for _, part := range reCrumbSep.Split(text, -1) {
				for _, p := range strings.Split(part, "\x00") {
					out = append(out, crumb{name: crumbName(p)})
				}
			}
		case c.Type != html.ElementNode:
		case c.Data == "a":
			href, linked := attrOK(c, "href")
			out = append(out, crumb{name: crumbName(allText(c)), href: href, linked: linked})
		case c.Data == "script" || c.Data == "style" || c.Data == "noscript":
		default:
			out = appendTextCrumbs(out, c)
		}
	}
	return out
}

// ldListItem is one item of a JSON-LD BreadcrumbList; "item" is a URL or
// an object with an @id and maybe the name.
type ldListItem struct {
	Position json.Number     `json:"position"`
	Name     string          `json:"name"`
	Item     json.RawMessage `json:"item"`
}

// jsonLDCrumbs reads the first BreadcrumbList of the page's JSON-LD
// scripts, at the top level or inside @graph, in position order.
func jsonLDCrumbs(scripts []*html.Node) []crumb {
	type node struct {
		Type  any          `json:"@type"`
		Items []ldListItem `json:"itemListElement"`
		Graph []node       `json:"@graph"`
	}
	for _, sc := range scripts {
		var nodes []node
		text := strings.TrimSpace(allText(sc))
		if strings.HasPrefix(text, "[") {
			_ = json.Unmarshal([]byte(text), &nodes)
		} else {
			var one node
			if json.Unmarshal([]byte(text), &one) == nil {
				nodes = append([]node{one}, one.Graph...)
			}
		}
		for _, n := range nodes {
			if t, _ := n.Type.(string); t == "BreadcrumbList" {
				return ldCrumbs(n.Items)
			}
		}
	}
	return nil
}

func ldCrumbs(items []ldListItem) []crumb {
	items = append([]ldListItem(nil), items...)
	sort.SliceStable(items, func(i, j int) bool {
		a, _ := items[i].Position.Int64()
		b, _ := items[j].Position.Int64()
		return a < b
	})
	out := make([]crumb, len(items))
	for i, it := range items {
		var ref struct {
			ID   string `json:"@id"`
			Name string `json:"name"`
		}
		if json.Unmarshal(it.Item, &ref.ID) != nil {
			_ = json.Unmarshal(it.Item, &ref)
		}
		name := it.Name
		if name == "" {
			name = ref.Name
		}
		out[i] = crumb{name: crumbName(name), href: ref.ID, linked: ref.ID != ""}
	}
	return out
}

// lastSection drops from crumbs the empty items, the "you are here" labels,
// dates and the home page, then the article's own title and generic detail
// labels at the end of the trail, and returns the last item left.
func lastSection(crumbs []crumb, pageURL *url.URL, titles *pageTitles) string {
	var trail []crumb
	for _, c := range crumbs {
		if n := crumbHomePrefix(c.name); n > 0 && !c.linked {
			c.name = crumbName(c.name[n:]) // "Trang chủThông tin ...": the home item ran into the next
		}
		if c.name == "" || reCrumbNoise.MatchString(c.name) || reCrumbDate.MatchString(c.name) ||
			reCrumbHomeAll.MatchString(c.name) || c.linked && crumbIsHome(c.href, pageURL) {
			continue
		}
		trail = append(trail, c)
	}
	for len(trail) > 0 {
		c := trail[len(trail)-1]
		if !isTitleCrumb(c, pageURL, titles) && !reCrumbDetail.MatchString(c.name) {
			return c.name
		}
		trail = trail[:len(trail)-1]
	}
	return ""
}

// isTitleCrumb says c names the article rather than a section: it links to
// the page itself, it is cut short with an ellipsis, it is too long for a
// section, or it links nowhere else and reads as one of the page's titles.
func isTitleCrumb(c crumb, pageURL *url.URL, titles *pageTitles) bool {
	switch {
	case c.linked && crumbIsPage(c.href, pageURL):
		return true
	case strings.HasSuffix(c.name, "...") || strings.HasSuffix(c.name, "…") || crumbWords(c.name) > maxSectionWords:
		return true
	case c.linked && !deadLink(c.href):
		return false // a link to another page is a section, even one named like the title
	}
	return titles.has(c.name)
}

// pageTitles are the page's candidate article titles: its <h1>s, headline
// markup, og:title, and each part of <title> ("Tiêu đề - Sở Nội vụ"). They
// only ever drop a last item that links nowhere else, since a portal's
// <title> names a section as often as the article. Read on first use: most
// trails end in a link and never need them.
type pageTitles struct {
	root  *html.Node
	metas []*html.Node    // the page's <meta> elements (heads)
	keys  map[string]bool // by crumbTitleKey; nil until read
}

func (p *pageTitles) has(name string) bool {
	if p.keys == nil {
		p.keys = map[string]bool{}
		for _, n := range selCrumbTitle.MatchAll(p.root) {
			p.keys[crumbTitleKey(allText(n))] = true
		}
		for _, n := range p.metas {
			if selCrumbMeta.Match(n) {
				p.keys[crumbTitleKey(attr(n, "content"))] = true
			}
		}
		if n := selCrumbHeadTl.MatchFirst(p.root); n != nil {
			whole := allText(n)
			p.keys[crumbTitleKey(whole)] = true
			for _, part := range reTitleSep.Split(whole, -1) {
				p.keys[crumbTitleKey(part)] = true
			}
		}
		delete(p.keys, "")
	}
	key := crumbTitleKey(name)
	return key != "" && p.keys[key]
}

func crumbTitleKey(s string) string {
	return strings.ToLower(strings.TrimRight(crumbName(s), ".:;,!?"))
}

// crumbName is s with its white space collapsed, separators trimmed from
// both ends, in NFC.
func crumbName(s string) string {
	s = strings.Join(strings.Fields(nfc(s)), " ")
	return reCrumbTrim.ReplaceAllString(s, "")
}

// crumbHomePrefix returns the length of a home-page label that s starts with
// and that runs into the next item ("Trang chủThông tin"), or 0.
func crumbHomePrefix(s string) int {
	m := reCrumbHome.FindString(s)
	if m == "" || len(m) == len(s) {
		return 0
	}
	if r, _ := utf8.DecodeRuneInString(s[len(m):]); !unicode.IsUpper(r) {
		return 0
	}
	return len(m)
}

func crumbWords(s string) int { return len(strings.Fields(s)) }

// deadLink says href goes nowhere: empty, a fragment, or a script.
func deadLink(href string) bool {
	h := strings.ToLower(strings.TrimSpace(href))
	return h == "" || strings.HasPrefix(h, "#") || strings.HasPrefix(h, "javascript:")
}

// crumbIsHome says href is the home page of pageURL's site.
func crumbIsHome(href string, pageURL *url.URL) bool {
	if deadLink(href) {
		return false
	}
	u, err := pageURL.Parse(strings.TrimSpace(href))
	if err != nil || u.RawQuery != "" {
		return false
	}
	if pageURL.Host != "" && crumbHost(u.Host) != crumbHost(pageURL.Host) {
		return false
	}
	return reCrumbRootURL.MatchString(u.Path)
}

// crumbIsPage says href is pageURL itself (see samePage).
func crumbIsPage(href string, pageURL *url.URL) bool {
	if deadLink(href) || pageURL.Host == "" {
		return false
	}
	u, err := pageURL.Parse(strings.TrimSpace(href))
	return err == nil && samePage(u, pageURL)
}

func crumbHost(h string) string { return strings.TrimPrefix(strings.ToLower(h), "www.") }
