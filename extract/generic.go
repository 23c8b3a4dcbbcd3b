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
func (p *page) trafilatura() *html.Node {
	opts := trafilatura.Options{
		OriginalURL:     p.base,
		ExcludeComments: true,
		IncludeImages:   true,
		HtmlDateMode:    trafilatura.Disabled,
	}
	if p.base.Host == "" {
		opts.OriginalURL = nil
	}
	r, err := trafilatura.ExtractDocument(dropNoscript(cloneNode(p.doc.Selection.Nodes[0])), opts)
	if err != nil || r == nil || r.ContentNode == nil {
		return nil
	}
	body := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	for c := r.ContentNode.FirstChild; c != nil; c = c.NextSibling {
		body.AppendChild(cloneWithAtoms(c))
	}
	tidyGeneric(body, p.res.Title)
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

// dropNoscript removes <noscript> elements: the HTML parser keeps their
// content as raw text, which trafilatura would take for prose
// ("<div class=alert>Trình duyệt của bạn đã tắt JavaScript...").
func dropNoscript(root *html.Node) *html.Node {
	var doomed []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode && c.DataAtom == atom.Noscript {
				doomed = append(doomed, c)
				continue
			}
			walk(c)
		}
	}
	walk(root)
	for _, n := range doomed {
		n.Parent.RemoveChild(n)
	}
	return root
}
