package extract

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Thresholds of the article decision; see isArticle.
const (
	minProseChars   = 400 // text outside links that makes a body real on its own
	minParagraph    = 80  // characters of a line that counts as a prose paragraph
	undatedMinProse = 800 // prose a page without any date needs
	listingLinks    = 5   // title-like links that make a body look like a listing
)

// bodyStats measures a body: its prose and its links.
type bodyStats struct {
	chars, linkChars int // all text; text inside links
	paragraphs       int // lines of prose (long, few links)
	titleLinks       int // links whose text reads like an article title
}

// isArticle decides whether the page is one article: a title, a body of
// real prose, and no listing shape. It drives what the crawler stores.
func (p *page) isArticle() bool {
	if p.res.Title == "" || p.body == nil || homePath(p.base.Path, p.base.RawQuery) || p.staticPage() || p.teaserPage() {
		return false
	}
	st := measure(p.body)
	prose := st.chars - st.linkChars + utf8.RuneCountInString(p.lead)
	if st.chars > 0 && float64(st.linkChars)/float64(st.chars) > 0.5 {
		return false
	}
	// Counting dates is the costliest measure: only a page with many
	// headline links needs it.
	if st.titleLinks >= listingLinks && (2*st.titleLinks >= st.paragraphs ||
		float64(st.linkChars)/float64(st.chars) > 0.3 || len(findDates(nodeText(p.body))) >= 3) {
		return false
	}
	if st.paragraphs < 2 && prose < minProseChars {
		return false
	}
	if p.res.Published.IsZero() && p.bodyGuessed && prose < undatedMinProse {
		return false
	}
	return true
}

func homePath(path, query string) bool {
	switch strings.ToLower(strings.TrimSuffix(path, "/")) {
	case "", "/index.php", "/index.html", "/index.htm", "/default.aspx", "/home", "/trang-chu",
		"/vi", "/en", "/portal", "/web/guest", "/vi/index.html":
		return query == "" || strings.HasPrefix(query, "lang=")
	}
	return false
}

func measure(root *html.Node) bodyStats {
	var st bodyStats
	var line, linkLine int
	endLine := func() {
		if line >= minParagraph && linkLine*3 < line {
			st.paragraphs++
		}
		line, linkLine = 0, 0
	}
	var walk func(n *html.Node, inLink bool)
	walk = func(n *html.Node, inLink bool) {
		if n.Type == html.TextNode {
			c := utf8.RuneCountInString(strings.TrimSpace(n.Data))
			st.chars += c
			line += c
			if inLink {
				st.linkChars += c
				linkLine += c
			}
			return
		}
		if n.Type == html.ElementNode && n.DataAtom == atom.A {
			if len(strings.Fields(nodeText(n))) >= 4 {
				st.titleLinks++
			}
			inLink = true
		}
		block := n.Type == html.ElementNode && blockAtoms[n.DataAtom]
		if block {
			endLine()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inLink)
		}
		if block {
			endLine()
		}
	}
	walk(root, false)
	endLine()
	return st
}
