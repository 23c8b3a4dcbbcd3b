package extract

import (
	trafilatura "github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// trafilatura is the generic body layer: the solved problem we do not
// rewrite. It works on a copy; the result is a detached body element.
func (p *page) trafilatura() *html.Node {
	opts := trafilatura.Options{
		OriginalURL:     p.base,
		ExcludeComments: true,
		IncludeImages:   true,
		IncludeLinks:    true,
		HtmlDateMode:    trafilatura.Disabled,
		EnableFallback:  true,
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
		body.AppendChild(cloneNode(c))
	}
	return body
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
