package extract

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// relink puts the page's links back into a body that trafilatura returned
// without them: the first occurrence of a link's text in a body text node
// (outside a link) is wrapped again. Only links inside running text or to
// a document count, so that menu and sidebar entries do not turn the
// body's words into links.
func relink(body, doc *html.Node) {
	links := proseLinks(doc)
	if len(links) == 0 {
		return
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				c = wrapLinks(c, links)
			case c.Type == html.ElementNode && c.DataAtom != atom.A:
				walk(c)
			}
		}
	}
	walk(body)
}

// proseLinks maps a link's text to its href; a text that names two
// different targets maps to "" and is left alone.
func proseLinks(doc *html.Node) map[string]string {
	links := map[string]string{}
	eachElement(doc, atom.A, func(a *html.Node) {
		href := strings.TrimSpace(attr(a, "href"))
		text := strings.TrimSpace(nodeText(a))
		if deadLink(href) || len(text) < 3 || !(inRunningText(a) || isDocument(href)) || insideChrome(a, nil) {
			return
		}
		if old, seen := links[text]; seen && old != href {
			href = ""
		}
		links[text] = href
	})
	return links
}

// inRunningText says a link shares its paragraph with at least a few
// words of plain text: a sentence, not a list of links.
func inRunningText(a *html.Node) bool {
	n := 0
	for p, depth := a.Parent, 0; p != nil && depth < 2; p, depth = p.Parent, depth+1 {
		for c := p.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.TextNode {
				n += len(strings.TrimSpace(c.Data))
			}
		}
		if !inlineAtoms[p.DataAtom] {
			break
		}
	}
	return n >= 20
}

// inlineAtoms are the elements that sit inside a line of text.
var inlineAtoms = map[atom.Atom]bool{
	atom.Span: true, atom.B: true, atom.Strong: true, atom.I: true, atom.Em: true, atom.U: true,
	atom.Font: true, atom.Sup: true, atom.Sub: true, atom.Small: true, atom.Mark: true, atom.Q: true,
}

// wrapLinks wraps the earliest link text found in t, then goes on with the
// text after it; each link is used once. It returns the last node it made.
func wrapLinks(t *html.Node, links map[string]string) *html.Node {
	for {
		at, text := -1, ""
		for lt, href := range links {
			if href == "" {
				continue
			}
			if i := strings.Index(t.Data, lt); i >= 0 && (at < 0 || i < at || i == at && len(lt) > len(text)) {
				at, text = i, lt
			}
		}
		if at < 0 {
			return t
		}
		a := &html.Node{Type: html.ElementNode, Data: "a", DataAtom: atom.A,
			Attr: []html.Attribute{{Key: "href", Val: links[text]}}}
		a.AppendChild(&html.Node{Type: html.TextNode, Data: text})
		rest := &html.Node{Type: html.TextNode, Data: t.Data[at+len(text):]}
		t.Data = t.Data[:at]
		t.Parent.InsertBefore(a, t.NextSibling)
		t.Parent.InsertBefore(rest, a.NextSibling)
		links[text] = ""
		t = rest
	}
}
