package extract

import (
	"regexp"
	"strings"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// reTitleSep splits "<article> - <site>" shapes of <title> and og:title.
var reTitleSep = regexp.MustCompile(`\s+[-|–—:»]\s+`)

// reSiteName matches title parts that name the site, not the article.
var reSiteName = regexp.MustCompile(`(?i)sở nội vụ|cổng thông tin|trang thông tin|\.gov\.vn|trang chủ|ubnd tỉnh|portal`)

const titleHeadings = "h1, h2, h3, h4, .title, [class*='title'], [class*='Title'], [itemprop=headline]"

// findTitle fills Title by layers and remembers the element holding it.
func (p *page) findTitle() {
	set := func(t, layer string, n *html.Node) {
		p.res.Title, p.res.Layers["title"] = t, layer
		p.title = n
		if n == nil {
			p.title = p.locate(t)
		}
	}
	if n, t := p.firstText(p.sel.Title, nil); t != "" {
		set(t, "selector", n)
		return
	}
	if p.meta.ldTitle != "" {
		set(p.meta.ldTitle, "jsonld", nil)
		return
	}
	if t := stripSiteName(p.meta.ogTitle, p.meta.ogSiteName); t != "" && p.locate(t) != nil {
		set(t, "meta", nil)
		return
	}
	if p.cms != nil {
		for _, s := range p.cms.title {
			if n, t := p.firstText(s, p.titleOK); t != "" {
				set(t, "cms:"+p.cms.name, n)
				return
			}
		}
	}
	if n := p.genericTitle(); n != nil {
		set(clean(nodeText(n)), "generic", n)
		return
	}
	if t := stripSiteName(p.heads.titleText(), p.meta.ogSiteName); t != "" {
		set(t, "generic", nil)
	}
}

// firstText returns the first element matched by sel with text that ok accepts.
func (p *page) firstText(sel string, ok func(*html.Node, string) bool) (*html.Node, string) {
	if sel == "" {
		return nil, ""
	}
	var node *html.Node
	var text string
	p.each(sel, func(n *html.Node) bool {
		t := clean(allText(n))
		if t != "" && (ok == nil || ok(n, t)) {
			node, text = n, t
			return false
		}
		return true
	})
	return node, text
}

// each calls fn with every element sel matches, in document order (as
// goquery's Find lists them), until fn returns false. A selector that does
// not compile (it may come from config) matches nothing. Walking rather
// than Find spares gathering every match when the first one will do.
func (p *page) each(sel string, fn func(*html.Node) bool) {
	m := compileSelector(sel)
	if m == nil {
		return
	}
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && m.Match(c) && !fn(c) {
				return false
			}
			if !walk(c) {
				return false
			}
		}
		return true
	}
	walk(p.doc.Selection.Nodes[0])
}

// compileSelector compiles sel; nil when it does not compile.
func compileSelector(sel string) (m cascadia.Selector) {
	if m, ok := knownSelectors[sel]; ok {
		return m
	}
	defer func() {
		if recover() != nil {
			m = nil
		}
	}()
	m, err := cascadia.Compile(sel)
	if err != nil {
		return nil
	}
	return m
}

// locateSelector lists the elements that may hold the title.
const locateSelector = titleHeadings + ", strong, b, p, span, div, td"

// knownSelectors are the code's own selectors, compiled once; read only.
var knownSelectors = func() map[string]cascadia.Selector {
	all := append([]string{titleHeadings, locateSelector}, commonBodies...)
	for _, r := range cmsRules {
		for _, list := range [][]string{r.title, r.date, r.author, r.lead, r.body} {
			all = append(all, list...)
		}
		if len(r.lead) > 0 {
			all = append(all, strings.Join(r.lead, ", "))
		}
	}
	m := make(map[string]cascadia.Selector, len(all))
	for _, s := range all {
		m[s] = cascadia.MustCompile(s)
	}
	return m
}()

// titleOK accepts a heading as a title: not furniture, not a one-word label.
func (p *page) titleOK(n *html.Node, t string) bool {
	return len([]rune(t)) >= 8 && len([]rune(t)) <= 400 && !insideChrome(n, n)
}

// genericTitle picks the heading that <title> contains or starts with (the
// longest such, which is the article's and not the site's), else the only <h1>.
func (p *page) genericTitle() *html.Node {
	docTitle := fold(p.heads.titleText())
	var best *html.Node
	bestLen := 0
	var h1s []*html.Node
	p.each(titleHeadings, func(n *html.Node) bool {
		t := fold(allText(n))
		if !p.titleOK(n, t) {
			return true
		}
		if n.Data == "h1" {
			h1s = append(h1s, n)
		}
		if docTitle == "" || reSiteName.MatchString(t) {
			return true
		}
		if (strings.Contains(docTitle, t) || strings.HasPrefix(t, docTitle)) && len(t) > bestLen {
			best, bestLen = n, len(t)
		}
		return true
	})
	if best == nil && len(h1s) == 1 {
		return h1s[0]
	}
	return best
}

// locate finds the element whose text is the title, for position-based rules.
func (p *page) locate(title string) *html.Node {
	want := fold(title)
	if want == "" {
		return nil
	}
	var found *html.Node
	// Folding only shrinks white space and entities, so an element with
	// much more text than the title is skipped unread: a wrapper's text
	// holds the whole page, read once per wrapper.
	limit := 3*len(want) + 64
	p.each(locateSelector, func(n *html.Node) bool {
		t, ok := shortText(n, limit)
		if ok && fold(t) == want && !insideChrome(n, n) {
			found = n
			return false
		}
		return true
	})
	return found
}

// stripSiteName removes the site's name from a "<article> - <site>" title.
func stripSiteName(t, site string) string {
	t = clean(t)
	parts := reTitleSep.Split(t, -1)
	if len(parts) == 1 {
		return t
	}
	var keep []string
	for _, part := range parts {
		if reSiteName.MatchString(part) || (site != "" && fold(part) == fold(site)) {
			continue
		}
		keep = append(keep, part)
	}
	if len(keep) == 0 {
		return parts[0]
	}
	return strings.Join(keep, " - ")
}

// nodeText is the text of n without scripts.
func nodeText(n *html.Node) string { return textOf(n, true) }

// textOf is the text under n, without what skipAtoms names when skip is set.
func textOf(n *html.Node, skip bool) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if skip && n.Type == html.ElementNode && skipAtoms[n.DataAtom] {
			return
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// shortText is n's text (as goquery's Text: scripts included) when its
// bytes other than white space number at most limit.
func shortText(n *html.Node, limit int) (string, bool) {
	var b strings.Builder
	solid := 0
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			for i := 0; i < len(n.Data); i++ {
				if c := n.Data[i]; c != ' ' && c != '\n' && c != '\t' && c != '\r' && c != '\f' {
					solid++
				}
			}
			return solid <= limit
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if !walk(c) {
				return false
			}
		}
		return true
	}
	if !walk(n) {
		return "", false
	}
	return b.String(), true
}
