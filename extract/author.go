package extract

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

var (
	// reAuthorLabel starts a line that names the writer.
	reAuthorLabel = regexp.MustCompile(`(?i)^(?:tác giả bài viết|tác giả khác|tác giả|người viết|` +
		`tin\s*(?:,|và)?\s*ảnh|bài\s*(?:,|và)?\s*ảnh|tin\s*,?\s*bài|bài viết|phóng viên|tin|bài)\s*:\s*(.+)$`)
	// rePosterLabel starts a line naming who posted the page: NukeViet's
	// "Người đăng bài viết" is an account ("admin"), a person at best, and
	// only the author when the page names no other.
	rePosterLabel = regexp.MustCompile(`(?i)^(?:người đăng bài viết|người đăng bài|người đăng|người gửi|người cập nhật)\s*:\s*(.+)$`)
	// reOutletLabel starts a line that names the source outlet, never a person.
	reOutletLabel = regexp.MustCompile(`(?i)^(?:nguồn tin|nguồn)\s*:\s*(.+)$`)
	// reUnitSep splits "<person> - <unit>".
	reUnitSep = regexp.MustCompile(`\s+[-–—]\s+|\s*\(|,\s+`)
	// reInitialName matches "P. Hằng", "N.T. Mai".
	reInitialName = regexp.MustCompile(`^(?:\p{Lu}\.\s?){1,3}\p{Lu}\p{Ll}*(?:\s\p{Lu}\p{Ll}*)?$`)
	// reNotAName lists words that make a capitalised line an organisation or a heading.
	reNotAName = regexp.MustCompile(`(?i)\b(sở|phòng|ban|ủy|uỷ|ubnd|trung tâm|văn phòng|tỉnh|huyện|thành phố|xã|` +
		`báo|đài|cổng|trang|bộ|cục|chi cục|hội|đảng|nhà nước|việt nam|cộng hòa|nội vụ|tin|bài|ảnh|nguồn|ngày|tháng|năm|` +
		`thứ|chủ nhật)\b`)
)

// findAuthor fills Author, Unit and Outlet by layers.
func (p *page) findAuthor() {
	p.findOutlet()
	p.findPerson()
}

// findOutlet reads a "Nguồn:" line below the title, outside the furniture.
func (p *page) findOutlet() {
	for _, s := range p.outline {
		if s.chrome || s.zone == zoneBefore || s.zone == zoneTitle {
			continue
		}
		if m := reOutletLabel.FindStringSubmatch(s.text); m != nil && len(m[1]) < 200 {
			p.setOutlet(m[1], "generic")
			return
		}
	}
}

func (p *page) findPerson() {
	if !p.findPersonLayers() && p.poster != "" {
		p.res.Author, p.res.Unit = splitAuthor(p.poster)
		p.res.Layers["author"] = p.posterLayer
	}
}

func (p *page) findPersonLayers() bool {
	if _, t := p.firstText(p.sel.Author, nil); t != "" && p.setAuthor(t, "selector") {
		return true
	}
	if name := p.meta.ldAuthor; name != "" && p.setAuthor(name, "jsonld") {
		return true
	}
	if p.cms != nil {
		for _, sel := range p.cms.author {
			done := false
			p.each(sel, func(n *html.Node) bool {
				done = !insideChrome(n, p.title) && p.setAuthor(clean(allText(n)), "cms:"+p.cms.name)
				return !done
			})
			if done {
				return true
			}
		}
	}
	p.genericAuthor()
	return p.res.Author != ""
}

// setAuthor reads one author line; false when it names no person. An
// outlet line sets Outlet and still reports false so the search goes on.
func (p *page) setAuthor(line, layer string) bool {
	if m := reOutletLabel.FindStringSubmatch(line); m != nil {
		p.setOutlet(m[1], layer)
		return false
	}
	if m := rePosterLabel.FindStringSubmatch(line); m != nil {
		if name, _ := splitAuthor(m[1]); personName(name) && p.poster == "" {
			p.poster, p.posterLayer = m[1], layer
		}
		return false
	}
	labelled := false
	if m := reAuthorLabel.FindStringSubmatch(line); m != nil {
		line, labelled = m[1], true
	}
	if !labelled && strings.IndexFunc(line, unicode.IsDigit) >= 0 {
		return false // a date or counter line, not a byline
	}
	name, unit := splitAuthor(line)
	if !personName(name) && !(labelled && looseName(name)) {
		return false
	}
	p.res.Author, p.res.Unit = name, unit
	p.res.Layers["author"] = layer
	if unit != "" {
		p.res.Layers["unit"] = layer
	}
	return true
}

func (p *page) setOutlet(s, layer string) {
	if p.res.Outlet == "" {
		p.res.Outlet = strings.TrimRight(clean(s), ".")
		p.res.Layers["outlet"] = layer
	}
}

// splitAuthor cuts "Khúc Thị Thu Hằng - Phòng CCHC&VTLT, Sở Nội vụ" into
// the person and the unit.
func splitAuthor(s string) (name, unit string) {
	s = strings.TrimRight(clean(s), ".;")
	loc := reUnitSep.FindStringIndex(s)
	if loc == nil {
		return s, ""
	}
	name, unit = strings.TrimSpace(s[:loc[0]]), strings.TrimSpace(s[loc[1]:])
	unit = strings.TrimSpace(strings.TrimSuffix(unit, ")"))
	return name, unit
}

// personName accepts 2-5 capitalised syllables or an initial form ("P. Hằng").
func personName(s string) bool {
	if reInitialName.MatchString(s) {
		return true
	}
	words := strings.Fields(s)
	if len(words) < 2 || len(words) > 5 || reNotAName.MatchString(s) {
		return false
	}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.IsUpper(r) || strings.IndexFunc(w, func(r rune) bool { return !unicode.IsLetter(r) }) >= 0 {
			return false
		}
	}
	return true
}

// looseName accepts what follows an explicit author label: short, no digits.
func looseName(s string) bool {
	n := utf8.RuneCountInString(s)
	return n >= 2 && n <= 60 && strings.IndexFunc(s, unicode.IsDigit) < 0 && len(strings.Fields(s)) <= 8
}

// genericAuthor looks for labelled lines after the title, then for a bare
// name as the body's last paragraph, which is then removed from the body.
func (p *page) genericAuthor() {
	found := false
	for _, s := range p.outline {
		if s.chrome || s.zone == zoneBefore || s.zone == zoneTitle || s.zone == zoneBody {
			continue
		}
		if !found && p.setAuthor(s.text, "generic") {
			found = true
		}
	}
	if p.body == nil {
		return
	}
	first := true
	for _, n := range trailingBlocks(p.body, 3) {
		t := clean(nodeText(n))
		if m := reOutletLabel.FindStringSubmatch(t); m != nil && len(t) < 200 {
			p.setOutlet(m[1], "generic")
			remove(n)
			continue
		}
		if found {
			return
		}
		if reAuthorLabel.MatchString(t) || (first && utf8.RuneCountInString(t) <= 80) {
			if p.setAuthor(t, "generic") {
				remove(n)
				found = true
			}
		}
		first = false
	}
}

// trailingBlocks returns up to k innermost text blocks at the end of root,
// last first.
func trailingBlocks(root *html.Node, k int) []*html.Node {
	var blocks []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.LastChild; c != nil && len(blocks) < k; c = c.PrevSibling {
			switch {
			case c.Type == html.TextNode && strings.TrimSpace(c.Data) != "":
				if n != root {
					blocks = append(blocks, n)
				}
				return
			case c.Type != html.ElementNode || clean(nodeText(c)) == "":
				continue
			case hasBlockChild(c):
				walk(c)
			default:
				blocks = append(blocks, c)
			}
		}
	}
	walk(root)
	return blocks
}

func hasBlockChild(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && blockAtoms[c.DataAtom] && c.DataAtom != 0 {
			return true
		}
	}
	return false
}
