package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// commonBodies are article-body containers seen across portals whatever
// their platform; tried after the CMS rules and before trafilatura, on
// portal pages only (see portalPage).
var commonBodies = []string{
	"[itemprop=articleBody]", "#news-bodyhtml", ".news-content", ".article-content", ".detail-content",
	".content-detail", ".news-detail-content", ".noidung", "#noidung", ".chitiet", ".entry-content",
	".post-content", ".journal-content-article", ".ms-rtestate-field", ".bodytext", "article .content",
}

// minBodyChars is the text a body element needs before it is believed.
const minBodyChars = 80

// findBody chooses the body element by layers and keeps a cleaned copy.
// The CMS and common containers are portal knowledge: on a page that is not
// a Vietnamese portal's they misfire, and trafilatura decides alone.
func (p *page) findBody() {
	if n := p.bestMatch([]string{p.sel.Body}); n != nil {
		p.useBody(n, "selector")
		return
	}
	portal := p.portal
	if p.cms != nil {
		if n := p.portalMatch(p.cms.body, portal); n != nil {
			p.useBody(n, "cms:"+p.cms.name)
			if _, t := p.firstText(strings.Join(p.cms.lead, ", "), p.outsideBody); t != "" {
				p.lead = t
			}
			return
		}
	}
	if n := p.portalMatch(commonBodies, portal); n != nil {
		p.useBody(n, "generic")
		return
	}
	p.bodyGuessed = true
	if n := p.trafilatura(); n != nil {
		p.body = n
		p.res.Layers["body"] = "generic"
		cleanBody(p.body, p.base)
	}
}

func (p *page) outsideBody(n *html.Node, _ string) bool { return !contains(p.bodyAt, n) }

func (p *page) useBody(n *html.Node, layer string) {
	p.bodyAt = n
	p.body = cloneNode(n)
	p.res.Layers["body"] = layer
	cleanBody(p.body, p.base)
}

// bestMatch returns, for the first selector that matches a body-sized
// element outside the page furniture, its match with the most text.
func (p *page) bestMatch(selectors []string) *html.Node {
	for _, sel := range selectors {
		if sel == "" {
			continue
		}
		var best *html.Node
		bestLen := 0
		p.each(sel, func(n *html.Node) bool {
			l := len(clean(nodeText(n)))
			if l > bestLen && (l >= minBodyChars || firstElement(n, atom.Img) != nil) && !insideChrome(n, p.title) {
				best, bestLen = n, l
			}
			return true
		})
		if best != nil {
			return best
		}
	}
	return nil
}

// finishBody removes what other fields took from the body, then renders
// the text, the sanitised HTML, the images and the attachments.
func (p *page) finishBody() {
	if p.body == nil {
		return
	}
	p.res.Images = collectImages(p.body, p.base)
	p.res.Attachments = collectAttachments(p.body, p.doc.Selection.Nodes[0], p.base)
	text := renderText(p.body)
	inner := innerHTML(p.body)
	if p.lead != "" && !strings.HasPrefix(text, p.lead) {
		text = p.lead + "\n\n" + text
		inner = "<p>" + html.EscapeString(p.lead) + "</p>" + inner
	}
	p.res.Text = text
	p.res.HTML = sanitize(inner)
}

// cloneNode deep-copies n so that cleaning never disturbs the document.
func cloneNode(n *html.Node) *html.Node {
	c := &html.Node{Type: n.Type, DataAtom: n.DataAtom, Data: n.Data, Namespace: n.Namespace}
	c.Attr = append([]html.Attribute(nil), n.Attr...)
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c.AppendChild(cloneNode(ch))
	}
	return c
}

func innerHTML(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		_ = html.Render(&b, c)
	}
	return b.String()
}
