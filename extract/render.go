package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// sentenceEnds are the last characters of a line that ends a sentence or
// introduces a list.
const sentenceEnds = `.!?:;…"”’)]`

// renderText turns a cleaned body into paragraphs separated by blank lines.
// A line break inside a sentence (Word paste) is joined back.
func renderText(root *html.Node) string {
	var lines []string
	var cur strings.Builder
	flush := func() {
		if t := clean(cur.String()); t != "" && !reJunkLine.MatchString(t) {
			lines = append(lines, t)
		}
		cur.Reset()
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			cur.WriteString(n.Data)
			return
		case n.Type != html.ElementNode && n.Type != html.DocumentNode:
			return
		case skipAtoms[n.DataAtom]:
			return
		case n.DataAtom == atom.Td || n.DataAtom == atom.Th:
			cur.WriteString(" ")
		}
		block := blockAtoms[n.DataAtom] && n.DataAtom != atom.Td && n.DataAtom != atom.Th
		if block {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			flush()
		}
	}
	walk(root)
	flush()
	return strings.Join(rejoin(lines), "\n\n")
}

// rejoin glues a line to the previous one when the break fell inside a
// sentence: the previous line has no closing punctuation and this one
// starts in lower case.
func rejoin(lines []string) []string {
	out := lines[:0:0]
	for _, l := range lines {
		if n := len(out); n > 0 && midSentence(out[n-1], l) {
			out[n-1] += " " + l
			continue
		}
		out = append(out, l)
	}
	return out
}

func midSentence(prev, next string) bool {
	// The last rune only, not a regexp anchored at the end: an unanchored
	// match tried every position of the paragraph (5% of a crawl).
	if last, _ := utf8.DecodeLastRuneInString(prev); strings.ContainsRune(sentenceEnds, last) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(next)
	return unicode.IsLower(r)
}
