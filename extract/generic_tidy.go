package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// tidyGeneric mends what trafilatura's output gets wrong for us: the page
// title repeated as the body's first heading (perhaps after a print
// header's copy of the page URL), and a picture inside a link emitted a
// second time right after it.
//
// titles are the article's title and the page's other names for it
// (<title> and og:title without the site's name): the on-page headline
// often differs from the structured one.
func tidyGeneric(body *html.Node, titles []string, pageURL string) {
	isTitle := func(t string) bool {
		for _, title := range titles {
			if title != "" && t == fold(title) {
				return true
			}
		}
		return false
	}
	for i := 0; i < 2; i++ {
		first := firstChildElement(body)
		if first == nil {
			break
		}
		t := fold(nodeText(first))
		if !(isHeading(first) && isTitle(t)) && !(pageURL != "" && t == strings.ToLower(pageURL)) {
			break
		}
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

// spaceInline puts back the space trafilatura drops between an inline
// element and the text beside it when it strips a link ("<strong>Sione
// Takitaki</strong>played"): its own plain text joins every text node
// with a space. Only off the portals, where its convention is followed
// (see the package comment); a space goes only between two word characters.
func spaceInline(root *html.Node) {
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		spaceInline(c)
		if !inlineAtoms[c.DataAtom] && c.DataAtom != atom.A {
			continue
		}
		text := nodeText(c)
		if prev := c.PrevSibling; prev != nil && prev.Type == html.TextNode && wordEnd(prev.Data) && wordStart(text) {
			prev.Data += " "
		}
		if next := c.NextSibling; next != nil && next.Type == html.TextNode && wordEnd(text) && wordStart(next.Data) {
			next.Data = " " + next.Data
		}
	}
}

func wordStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func wordEnd(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}
