package extract

import (
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// tidyGeneric mends what trafilatura's output gets wrong for us: the page
// title repeated as the body's first heading, a paragraph cut in two at a
// link, and a picture inside a link emitted a second time right after it.
func tidyGeneric(body *html.Node, title string) {
	rejoinParagraphs(body)
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
		if prev.DataAtom == atom.Img && attr(prev, "src") == src {
			doomed = append(doomed, img)
			return
		}
		eachElement(prev, atom.Img, func(other *html.Node) {
			if attr(other, "src") == src {
				doomed = append(doomed, img)
			}
		})
	})
	for _, n := range doomed {
		remove(n)
	}
}

// rejoinParagraphs puts back into their paragraph the links and text that
// trafilatura (with links kept) leaves after it: "<p>text </p><a>link</a>rest"
// becomes "<p>text <a>link</a> rest</p>". It also restores the space it
// trims between a link and the word after it.
func rejoinParagraphs(body *html.Node) {
	var para *html.Node // the paragraph the current inline run belongs to
	for c := body.FirstChild; c != nil; {
		next := c.NextSibling
		switch {
		case c.Type == html.ElementNode && c.DataAtom == atom.P:
			para = c
		case para != nil && (c.Type == html.TextNode || c.Type == html.ElementNode && inlineAtoms[c.DataAtom]):
			body.RemoveChild(c)
			para.AppendChild(c)
		case c.Type == html.TextNode && isSpace(c.Data):
		default:
			para = nil
		}
		c = next
	}
	eachElement(body, atom.A, func(a *html.Node) {
		t := a.NextSibling
		if t == nil || t.Type != html.TextNode || t.Data == "" || a.LastChild == nil {
			return
		}
		before, after := []rune(nodeText(a)), []rune(t.Data)
		if len(before) > 0 && wordRune(before[len(before)-1]) && wordRune(after[0]) {
			t.Data = " " + t.Data
		}
	})
}

// inlineAtoms are the elements that live inside a paragraph.
var inlineAtoms = map[atom.Atom]bool{
	atom.A: true, atom.Span: true, atom.B: true, atom.Strong: true, atom.I: true, atom.Em: true,
	atom.U: true, atom.Sub: true, atom.Sup: true, atom.Code: true, atom.Abbr: true, atom.Q: true,
	atom.Small: true, atom.Mark: true, atom.Time: true, atom.Br: true, atom.Cite: true, atom.Font: true,
}

func wordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

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
