package extract

import (
	"os"

	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// trafilatura is the generic body layer: the solved problem we do not
// rewrite. It works on a copy; the result is a detached body element.
//
// Its fallback (go-readability and go-domdistiller compared with its own
// pick) stays off: on the article-extraction benchmark it halves the speed
// and lowers F1 (cmd/noivu-extractbench).
func (p *page) trafilatura() *html.Node {
	opts := trafilatura.Options{
		OriginalURL:     p.base,
		ExcludeComments: true,
		IncludeImages:   os.Getenv("X_NOIMG") == "",
		IncludeLinks:    os.Getenv("X_NOLINK") == "",
		HtmlDateMode:    trafilatura.Disabled,
		EnableFallback:  os.Getenv("X_FB") != "",
		Deduplicate:     os.Getenv("X_DEDUP") != "",
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
	return body
}

// cloneWithAtoms deep-copies n and sets each element's DataAtom from its
// name: trafilatura builds the elements it outputs by name only, and our
// cleaning and rendering recognise elements by atom (a <td> without its atom
// would glue table cells together).
func cloneWithAtoms(n *html.Node) *html.Node {
	c := &html.Node{Type: n.Type, DataAtom: n.DataAtom, Data: n.Data, Namespace: n.Namespace}
	if c.Type == html.ElementNode && c.DataAtom == 0 {
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
