package extract

import (
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// A category page with only one to three items has too little of a
// listing's shape (many links, many dates) for the body measures in
// classify.go, and its first item's heading or summary passes for an
// article. What gives it away is the teaser: a heading whose link leads
// to another page. An article's own heading links nowhere or to itself.

// minTeasers is how many teasers make a page a listing.
const minTeasers = 2

// reStaticTitle matches the titles of a portal's static pages, which
// carry no date and are not articles however long their prose.
var reStaticTitle = regexp.MustCompile(`(?i)^(?:giới thiệu|liên hệ|thông tin liên hệ|chức năng,? nhiệm vụ|` +
	`cơ cấu tổ chức|sơ đồ tổ chức|sơ đồ (?:cổng|trang|website)|lịch sử hình thành|lãnh đạo sở|ban giám đốc|` +
	`quá trình hình thành|hỏi đáp|bản đồ)\b`)

// staticPage says an undated page is one of the portal's fixed pages.
func (p *page) staticPage() bool {
	return p.res.Published.IsZero() && reStaticTitle.MatchString(p.res.Title)
}

// teaserPage says the page lists other pages: its title heading links
// away, or at least minTeasers headings outside the furniture do. With a
// body from a known container, headings after it (related news) are not
// counted.
func (p *page) teaserPage() bool {
	if p.title != nil && p.linksAway(headingLink(p.title)) {
		return true
	}
	stopAt := (*html.Node)(nil)
	if !p.bodyGuessed {
		stopAt = p.bodyAt
	}
	seen := map[string]bool{}
	done := false
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil && !done; c = c.NextSibling {
			if c.Type != html.ElementNode || skipAtoms[c.DataAtom] || isChromeElement(c) {
				continue
			}
			if a := teaserLink(c); a != nil && p.linksAway(a) {
				seen[absURL(p.base, attr(a, "href"))] = true
			} else {
				walk(c)
			}
			if c == stopAt {
				done = true
			}
		}
	}
	walk(p.doc.Selection.Nodes[0])
	return len(seen) >= minTeasers
}

// teaserLink returns the link of a heading (or of an element classed as a
// title) whose text reads like an article title.
func teaserLink(n *html.Node) *html.Node {
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5:
	default:
		if !strings.Contains(strings.ToLower(attr(n, "class")), "title") {
			return nil
		}
	}
	a := headingLink(n)
	if a == nil || len(strings.Fields(nodeText(a))) < 4 {
		return nil
	}
	return a
}

// headingLink returns the link that a heading is, sits in or wraps whole.
func headingLink(n *html.Node) *html.Node {
	for a, depth := n, 0; a != nil && depth < 3; a, depth = a.Parent, depth+1 {
		if a.Type == html.ElementNode && a.DataAtom == atom.A {
			return a
		}
	}
	if a := firstElement(n, atom.A); a != nil && fold(nodeText(a)) == fold(nodeText(n)) {
		return a
	}
	return nil
}

// linksAway says a leads to another page than this one.
func (p *page) linksAway(a *html.Node) bool {
	if a == nil {
		return false
	}
	href := strings.TrimSpace(attr(a, "href"))
	if deadLink(href) {
		return false
	}
	u, err := url.Parse(absURL(p.base, href))
	if err != nil {
		return false
	}
	return !samePage(u, p.base)
}

// samePage compares two URLs without scheme, "www.", fragment and a
// trailing slash.
func samePage(a, b *url.URL) bool {
	key := func(u *url.URL) string {
		return strings.TrimPrefix(strings.ToLower(u.Host), "www.") + strings.TrimSuffix(u.EscapedPath(), "/") + "?" + u.RawQuery
	}
	return key(a) == key(b)
}
