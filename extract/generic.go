package extract

import (
	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// trafilatura is the generic body layer: the solved problem we do not
// rewrite. It works on a copy; the result is a detached body element.
//
// Two of its options are off on measurement (cmd/noivu-extractbench, on the
// article-extraction benchmark): the fallback (go-readability and
// go-domdistiller compared with its own pick) halves the speed and lowers
// F1; links make go-trafilatura v1.12 move a link's text to the end of its
// paragraph and drop the tail of the last one, so relink restores them.
//
// Off a Vietnamese portal it favours recall: where its balanced mode finds
// no container and falls back to the whole page's text (a Brazilian city
// portal: precision 0.07), recall mode still finds the article; measured
// +0.0015 F1 overall. On the portals it stays balanced: recall mode takes
// a small listing for an article (golden nukeviet-small-listing).
func (p *page) trafilatura() *html.Node {
	opts := trafilatura.Options{
		OriginalURL:     p.base,
		ExcludeComments: true,
		IncludeImages:   p.portal, // see the package comment

		HtmlDateMode: trafilatura.Disabled,
	}
	if !p.portal {
		opts.Focus = trafilatura.FavorRecall
	}
	if p.base.Host == "" {
		opts.OriginalURL = nil
	}
	restore := detachNoscript(p.doc.Selection.Nodes[0])
	r, err := trafilatura.ExtractDocument(p.doc.Selection.Nodes[0], opts) // it works on its own copies
	restore()
	if err != nil || r == nil || r.ContentNode == nil {
		return nil
	}
	body := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	for c := r.ContentNode.FirstChild; c != nil; c = c.NextSibling {
		body.AppendChild(cloneWithAtoms(c))
	}
	titles := []string{p.res.Title}
	if !p.portal { // a portal's <title> is a section's name as often as the article's
		titles = append(titles, stripSiteName(p.meta.ogTitle, p.meta.ogSiteName),
			stripSiteName(p.heads.titleText(), p.meta.ogSiteName))
	}
	tidyGeneric(body, titles, p.res.URL)
	if !p.portal {
		spaceInline(body)
	}
	relink(body, p.doc.Selection.Nodes[0])
	return body
}

// cloneWithAtoms deep-copies n and sets each element's DataAtom from its
// name: trafilatura renames the elements it converts (a <div> becomes a
// <p>) and builds new ones by name only, while our cleaning and rendering
// recognise elements by atom (a <td> without its atom glues table cells
// together).
func cloneWithAtoms(n *html.Node) *html.Node {
	c := &html.Node{Type: n.Type, DataAtom: n.DataAtom, Data: n.Data, Namespace: n.Namespace}
	if c.Type == html.ElementNode {
		c.DataAtom = atom.Lookup([]byte(c.Data))
	}
	c.Attr = append([]html.Attribute(nil), n.Attr...)
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c.AppendChild(cloneWithAtoms(ch))
	}
	return c
}

// detachNoscript takes <noscript> elements out of the document until the
// returned function puts them back: the HTML parser keeps their content as
// raw text, which trafilatura would take for prose ("<div
// class=alert>Trình duyệt của bạn đã tắt JavaScript..."). Detaching, not
// copying the document, since trafilatura copies it three times itself.
func detachNoscript(root *html.Node) (restore func()) {
	type spot struct{ n, parent, next *html.Node }
	var spots []spot
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.DataAtom == atom.Noscript {
				spots = append(spots, spot{c, n, c.NextSibling})
				continue
			}
			walk(c)
		}
	}
	walk(root)
	for _, s := range spots {
		s.parent.RemoveChild(s.n)
	}
	return func() {
		for i := len(spots) - 1; i >= 0; i-- {
			s := spots[i]
			s.parent.InsertBefore(s.n, s.next)
		}
	}
}
