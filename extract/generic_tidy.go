package extract

import (
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// tidyGeneric mends what trafilatura's output gets wrong for us: the page
// title repeated as the body's first heading, and a picture inside a link
// emitted a second time right after it.
func tidyGeneric(body *html.Node, title string) {
	if first := firstChildElement(body); first != nil && isHeading(first) && title != "" && fold(nodeText(first)) == fold(title) {
		body.RemoveChild(first)
	}
	var doomed []*html.Node
	eachElement(body, atom.Img, func(img *html.Node) {
		prev := img.PrevSibling
		for prev != nil && prev.Type == html.TextNode && isSpace(prev.Data) {
			prev = prev.PrevSibling
		}
		if prev == nil || prev.Type != html.ElementNode {
			return
		}
		src := attr(img, "src")
		if prev.DataAtom == atom.Img && attr(prev, "src") == src || hasImgWith(prev, src) {
			doomed = append(doomed, img)
		}
	})
	for _, n := range doomed {
		remove(n)
	}
}

func hasImgWith(root *html.Node, src string) bool {
	found := false
	eachElement(root, atom.Img, func(img *html.Node) { found = found || attr(img, "src") == src })
	return found
}

func firstChildElement(n *html.Node) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.ElementNode:
			return c
		case c.Type == html.TextNode && !isSpace(c.Data):
			return nil
		}
	}
	return nil
}

func isHeading(n *html.Node) bool {
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

func isSpace(s string) bool {
	for _, r := range s {
		if r != ' ' && r != '\t' && r != '\n' && r != '\r' && r != '\f' {
			return false
		}
	}
	return true
}
