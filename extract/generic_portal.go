package extract

import (
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// portalPage says the page is one the portal layers (CMS rules, common body
// containers) were written for: on a .vn host, declared Vietnamese, or
// written in Vietnamese. Elsewhere those containers are generic class names
// (.article-body, .entry-content, a paragraph's class="bodytext") that
// take captions, galleries and related links along, or a single paragraph;
// on the article-extraction benchmark, where no page is Vietnamese, they
// cost 0.008 F1 (cmd/noivu-extractbench).
func (p *page) portalPage() bool {
	host := strings.ToLower(p.base.Hostname())
	if host == "vn" || strings.HasSuffix(host, ".vn") {
		return true
	}
	if h := firstElement(p.doc.Selection.Nodes[0], atom.Html); h != nil && strings.HasPrefix(strings.ToLower(attr(h, "lang")), "vi") {
		return true
	}
	return vietnamese(p.res.Title) || vietnamese(bodySample(p.doc.Selection.Nodes[0], 4000))
}

// portalMatch is bestMatch on portal pages, and nothing elsewhere.
func (p *page) portalMatch(selectors []string, portal bool) *html.Node {
	if !portal {
		return nil
	}
	return p.bestMatch(selectors)
}

// vietnamese says at least one letter in a hundred is one that only
// Vietnamese writes (ơ, ư, a dot below, a hook above, a tone on â, ê, ô or
// ă): French, Portuguese, Romanian or Croatian text has none (their â, ê,
// ô, ă and đ are left out), Vietnamese prose a tenth or more.
func vietnamese(s string) bool {
	letters, viet := 0, 0
	for _, r := range s {
		if !unicode.IsLetter(r) {
			continue
		}
		letters++
		if strings.ContainsRune(vietnameseOnly, unicode.ToLower(r)) {
			viet++
		}
	}
	return letters > 0 && viet*100 >= letters
}

const vietnameseOnly = "ắằẳẵặấầẩẫậếềểễệốồổỗộơớờởỡợưứừửữựạảẹẻẽịỉọỏụủỳỵỷỹ"

// bodySample is the start of the text under <body>, up to max bytes,
// without scripts and styles.
func bodySample(root *html.Node, max int) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && b.Len() < max; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				b.WriteString(c.Data)
			case c.Type == html.ElementNode && (c.DataAtom == atom.Script || c.DataAtom == atom.Style || c.DataAtom == atom.Noscript):
			default:
				walk(c)
			}
		}
	}
	if body := firstElement(root, atom.Body); body != nil {
		walk(body)
	}
	return b.String()
}
