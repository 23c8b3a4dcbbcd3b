package extract

import (
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// zone says where a line sits relative to the article's title and body.
type zone int

const (
	zoneBefore zone = iota // above the title: site header, menus, breadcrumbs
	zoneTitle              // the title itself
	zoneMeta               // between the title and the body: date, author, counters
	zoneBody               // inside the body element
	zoneAfter              // below the body
)

// segment is one line of the page's text as a reader sees it: the text of a
// block element up to the next block boundary.
type segment struct {
	text   string
	zone   zone
	chrome bool // inside a header, menu, footer or sidebar that does not hold the title
}

// reChrome matches one id or class token of page furniture around articles
// ("header", "main-menu", "top-bar", "tin-khac"); reNotChrome spares tokens
// that name the article's own parts ("header-title", "page-header").
var (
	reChrome = regexp.MustCompile(`(?i)^(?:[a-z]+[-_])?(?:header|top-?bar|topbar|banner|menu|nav|navbar|navigation|footer|` +
		`sidebar|side-?bar|aside|breadcrumbs?|clock|today|current-?date|date-?now|marquee|copyright|widget|` +
		`related|other|tin-?khac|lien-?quan|tin-?moi)(?:[-_][a-z0-9]+)*$`)
	reNotChrome = regexp.MustCompile(`(?i)title|detail|content|article|entry|post|page-header|node|item-page`)
)

var blockAtoms = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Li: true, atom.Ul: true, atom.Ol: true, atom.Tr: true,
	atom.Td: true, atom.Th: true, atom.Table: true, atom.Section: true, atom.Article: true,
	atom.Header: true, atom.Footer: true, atom.Nav: true, atom.Aside: true, atom.Blockquote: true,
	atom.Figure: true, atom.Figcaption: true, atom.Dd: true, atom.Dt: true, atom.Dl: true,
	atom.Br: true, atom.Hr: true, atom.Form: true, atom.Main: true, atom.Center: true, atom.Pre: true,
	atom.Span: false,
}

var skipAtoms = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Head: true, atom.Iframe: true, atom.Select: true, atom.Button: true, atom.Svg: true,
}

type outliner struct {
	title, body *html.Node
	zone        zone
	cur         strings.Builder
	curZone     zone
	curChrome   bool
	out         []segment
}

// buildOutline lists the page's lines in document order with their zones.
func buildOutline(root, title, body *html.Node) []segment {
	o := &outliner{title: title, body: body}
	o.walk(root, false)
	o.flush()
	return o.out
}

func (o *outliner) walk(n *html.Node, chrome bool) {
	switch n.Type {
	case html.TextNode:
		if strings.TrimSpace(n.Data) == "" {
			o.cur.WriteString(" ")
			return
		}
		if strings.TrimSpace(o.cur.String()) == "" {
			o.curZone, o.curChrome = o.zone, chrome
		}
		o.cur.WriteString(n.Data)
		return
	case html.ElementNode:
		if skipAtoms[n.DataAtom] {
			return
		}
		if !chrome && isChromeElement(n) && !contains(n, o.title) && !contains(n, o.body) {
			chrome = true
		}
	}
	enter := o.zoneOnEnter(n)
	block := n.Type == html.ElementNode && blockAtoms[n.DataAtom]
	if block || enter {
		o.flush()
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		o.walk(c, chrome)
	}
	if block || n == o.title || n == o.body {
		o.flush()
	}
	o.zoneOnLeave(n)
}

func (o *outliner) zoneOnEnter(n *html.Node) bool {
	switch {
	case n == o.title && o.title != nil:
		o.flush()
		o.zone = zoneTitle
		return true
	case n == o.body && o.body != nil:
		o.flush()
		o.zone = zoneBody
		return true
	}
	return false
}

func (o *outliner) zoneOnLeave(n *html.Node) {
	switch {
	case n == o.title && o.title != nil:
		o.zone = zoneMeta
	case n == o.body && o.body != nil:
		o.zone = zoneAfter
	}
}

func (o *outliner) flush() {
	t := clean(o.cur.String())
	o.cur.Reset()
	if t != "" {
		o.out = append(o.out, segment{text: t, zone: o.curZone, chrome: o.curChrome})
	}
}

// isChromeElement says n is page furniture by its tag, id or class.
func isChromeElement(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	switch n.DataAtom {
	case atom.Header, atom.Nav, atom.Footer, atom.Aside, atom.Marquee:
		return true
	}
	return chromeTokens(attr(n, "id")) || chromeTokens(attr(n, "class"))
}

// chromeKeys are substrings of every word reChrome names: a token holding
// none of them is passed over without running the regexps (isChromeElement
// runs on every ancestor of many elements).
var chromeKeys = []string{"header", "bar", "banner", "menu", "nav", "footer", "aside", "breadcrumb", "clock",
	"today", "date", "marquee", "copyright", "widget", "related", "other", "khac", "quan", "moi"}

func chromeTokens(s string) bool {
	for _, tok := range strings.Fields(s) {
		low := strings.ToLower(tok)
		for _, k := range chromeKeys {
			if strings.Contains(low, k) {
				if reChrome.MatchString(tok) && !reNotChrome.MatchString(tok) {
					return true
				}
				break
			}
		}
	}
	return false
}

// insideChrome says an ancestor of n (n included) is furniture not holding keep.
func insideChrome(n, keep *html.Node) bool {
	for a := n; a != nil; a = a.Parent {
		if isChromeElement(a) && !contains(a, keep) {
			return true
		}
	}
	return false
}

// contains says d is n or one of its descendants.
func contains(n, d *html.Node) bool {
	for ; d != nil; d = d.Parent {
		if d == n {
			return true
		}
	}
	return false
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
