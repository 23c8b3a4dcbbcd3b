package extract

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"
)

// updatedWords are the words that label an "updated" date.
const updatedWords = `cập nhật|updated?|sửa đổi|chỉnh sửa|modified|sửa lúc`

var (
	// reUpdatedLabel marks a date as an update, not the publication.
	reUpdatedLabel = regexp.MustCompile(`(?i)(` + updatedWords + `)[^|]{0,20}$`)
	// reUpdatedWord finds the words of reUpdatedLabel anywhere in a text.
	reUpdatedWord = regexp.MustCompile(`(?i)` + updatedWords)
	// rePublishedLabel marks a labelled date anywhere outside the body.
	rePublishedLabel = regexp.MustCompile(`(?i)(đăng ngày|ngày đăng|gửi lúc|ngày gửi|ngày xuất bản|xuất bản|đăng lúc|published|posted)`)
	// reLeadDate finds "Ngày 14/11, ..." at the start of a lead, year optional.
	reLeadDate = regexp.MustCompile(`(?i)^\W{0,3}(?:(?:sáng|chiều|tối|trưa|vào)\s+)?(?:hôm\s+)?ngày\s+(\d{1,2})\s*[/\-.]\s*(\d{1,2})(?:\s*[/\-.]\s*(\d{4}))?`)
	// reLeadBare finds "Sáng 06/3, ..." at the start of a lead: a time of
	// day and a date without "ngày", which the comma must close ("Sáng 1/2
	// số cán bộ" is half of them, not 1 February).
	reLeadBare = regexp.MustCompile(`(?i)^\W{0,3}(?:sáng|chiều|tối|trưa|đêm)\s+(\d{1,2})\s*[/\-]\s*(\d{1,2})(?:\s*[/\-]\s*(\d{4}))?\s*,`)
	// reURLYear finds a year and month in a URL: /2014/01/, /2019_05/, /2024-01/.
	reURLYear = regexp.MustCompile(`/((?:19|20)\d{2})[/_-](\d{2})/`)
)

// metaWindow bounds how much text after the title is read as the meta block.
const metaWindow = 600

// findDates fills Published, Updated and DateOnly by layers, then lets a
// visible publication date overrule structured data that gives the update
// (see overruleStructured).
func (p *page) findDates() {
	steps := []func() (pub, upd dateHit, layer string){
		p.selectorDate, p.structuredDate, p.cmsDate, p.metaBlockDate, p.labelledDate, p.leadDate,
	}
	for _, step := range steps {
		pub, upd, layer := step()
		p.setUpdated(upd, layer)
		if !pub.t.IsZero() {
			p.res.Published, p.res.DateOnly = pub.t, pub.dateOnly
			p.res.Layers["published"] = layer
			break
		}
	}
	p.overruleStructured()
	p.findUpdated()
	if p.res.Published.IsZero() && !p.res.Updated.IsZero() { // a page whose only date is labelled "cập nhật"
		p.res.Published = p.res.Updated
		p.res.Layers["published"] = p.res.Layers["updated"]
	}
}

func (p *page) setUpdated(upd dateHit, layer string) {
	if !upd.t.IsZero() && p.res.Updated.IsZero() {
		p.res.Updated = upd.t
		p.res.Layers["updated"] = layer
	}
}

// overruleStructured settles a conflict between structured data and the
// page. Structured data is the second layer and normally wins; but CMSs and
// SEO plugins often write the time a post was last saved (a re-save, a
// migration) as datePublished. When the page shows a publication date on
// an earlier day, or the structured date is the one the page labels as the
// update, the visible publication date wins and the structured one counts
// as the update: the published date beats an updated one.
func (p *page) overruleStructured() {
	layer := p.res.Layers["published"]
	if layer != "jsonld" && layer != "meta" {
		return
	}
	for _, step := range []func() (dateHit, dateHit, string){p.cmsDate, p.metaBlockDate, p.labelledDate} {
		pub, upd, vlayer := step()
		if pub.t.IsZero() {
			continue
		}
		structured := p.res.Published
		if sameDay(pub.t, structured) && !structured.Equal(upd.t) {
			return // they agree; the structured date keeps its precision
		}
		if pub.t.Before(structured) || structured.Equal(upd.t) {
			p.res.Published, p.res.DateOnly = pub.t, pub.dateOnly
			p.res.Layers["published"] = vlayer
			p.setUpdated(dateHit{t: structured}, layer)
		}
		return
	}
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.Date()
	by, bm, bd := b.In(a.Location()).Date()
	return ay == by && am == bm && ad == bd
}

// findUpdated reads an update date ("Cập nhật: ...") from the lines between
// the title and the body, or just after the body, when no layer gave one.
func (p *page) findUpdated() {
	if !p.res.Updated.IsZero() {
		return
	}
	after := 0
	for _, s := range p.outline {
		if s.chrome || (s.zone != zoneMeta && s.zone != zoneAfter) {
			continue
		}
		if s.zone == zoneAfter {
			if after++; after > 5 {
				return
			}
		}
		// Only a date labelled as an update counts here, and the label is
		// part of the line: a line without its words is not read for dates.
		if !reUpdatedWord.MatchString(s.text) {
			continue
		}
		if _, upd := pickDates(s.text); !upd.t.IsZero() && !upd.t.Before(p.res.Published) {
			p.setUpdated(upd, "generic")
			return
		}
	}
}

// pickDates splits the dates of one text into the publication (the first
// date not labelled as an update) and the update.
func pickDates(s string) (pub, upd dateHit) {
	prevEnd := 0
	for _, h := range findDates(s) {
		label := s[max(prevEnd, h.start-40):h.start]
		prevEnd = h.end
		if reUpdatedLabel.MatchString(label) {
			if upd.t.IsZero() {
				upd = h
			}
			continue
		}
		if pub.t.IsZero() {
			pub = h
		}
	}
	return pub, upd
}

func (p *page) selectorDate() (dateHit, dateHit, string) {
	_, t := p.firstText(p.sel.Date, nil)
	pub, upd := pickDates(t)
	return pub, upd, "selector"
}

func (p *page) structuredDate() (dateHit, dateHit, string) {
	pub, upd, only, layer := p.meta.dates()
	return dateHit{t: pub, dateOnly: only}, dateHit{t: upd}, layer
}

func (p *page) cmsDate() (dateHit, dateHit, string) {
	if p.cms == nil {
		return dateHit{}, dateHit{}, ""
	}
	layer := "cms:" + p.cms.name
	for _, sel := range p.cms.date {
		var text string
		p.each(sel, func(n *html.Node) bool {
			if insideChrome(n, p.title) || contains(p.bodyAt, n) {
				return true
			}
			text = clean(allText(n))
			return len(findDates(text)) == 0
		})
		if pub, upd := pickDates(text); !pub.t.IsZero() || !upd.t.IsZero() {
			return pub, upd, layer
		}
	}
	return dateHit{}, dateHit{}, layer
}

// metaBlockDate reads the lines between the title and the body; without a
// title element, the lines just above the body.
func (p *page) metaBlockDate() (dateHit, dateHit, string) {
	pub, upd := pickDates(p.metaBlock())
	return pub, upd, "generic"
}

func (p *page) metaBlock() string {
	var lines []string
	n := 0
	want := zoneMeta
	if p.title == nil {
		want = zoneBefore
	}
	for _, s := range p.outline {
		if s.zone != want || s.chrome {
			continue
		}
		lines = append(lines, s.text)
		n += len(s.text)
		if want == zoneMeta && n > metaWindow {
			break
		}
	}
	if want == zoneBefore && p.bodyAt != nil && len(lines) > 3 {
		lines = lines[len(lines)-3:]
	} else if want == zoneBefore {
		lines = nil
	}
	return strings.Join(lines, " | ")
}

// labelledDate finds "Đăng ngày: ..." anywhere outside the body and furniture.
func (p *page) labelledDate() (dateHit, dateHit, string) {
	for _, s := range p.outline {
		// A date has digits; most segments have none and skip the regexp.
		if s.chrome || s.zone == zoneBody || !strings.ContainsAny(s.text, "0123456789") || !rePublishedLabel.MatchString(s.text) {
			continue
		}
		if pub, upd := pickDates(s.text); !pub.t.IsZero() {
			return pub, upd, "generic"
		}
	}
	return dateHit{}, dateHit{}, ""
}

// leadDate reads "Ngày 14/11/2023, ..." at the start of the article. A date
// without a year takes it from the date a listing showed beside the page's
// link (the nearest year: see nearestYear), else from the URL, else is left
// out: a guessed year would put the article in the wrong year's archive.
func (p *page) leadDate() (dateHit, dateHit, string) {
	lead := p.lead
	if lead == "" && p.body != nil {
		lead, _, _ = strings.Cut(renderText(p.body), "\n\n")
	}
	if len(lead) > 200 {
		lead = lead[:200]
	}
	if hits := findDates(lead); len(hits) > 0 && hits[0].start < 40 {
		return hits[0], dateHit{}, "lead"
	}
	m := reLeadDate.FindStringSubmatch(lead)
	if m == nil {
		m = reLeadBare.FindStringSubmatch(lead)
	}
	if m == nil {
		return dateHit{}, dateHit{}, ""
	}
	mo, _ := strconv.Atoi(m[2])
	d, _ := strconv.Atoi(m[1])
	year := m[3]
	if year == "" && !p.opts.listed.IsZero() {
		if t, ok := nearestYear(d, mo, p.opts.listed); ok {
			return dateHit{t: t, dateOnly: true}, dateHit{}, "lead+listing"
		}
	}
	if year == "" {
		if u := reURLYear.FindStringSubmatch(p.base.Path); u != nil {
			// The URL's /2014/01/ is when the article went up: the lead's
			// day and month fall nearest to it, so "Ngày 28/12," in a
			// January article is the December before.
			uy, _ := strconv.Atoi(u[1])
			um, _ := strconv.Atoi(u[2])
			if ref, ok := validDate(uy, um, 15); ok {
				if t, ok := nearestYear(d, mo, ref); ok {
					return dateHit{t: t, dateOnly: true}, dateHit{}, "lead"
				}
			}
			year = u[1]
		}
	}
	y, _ := strconv.Atoi(year)
	if t, ok := validDate(y, mo, d); ok {
		return dateHit{t: t, dateOnly: true}, dateHit{}, "lead"
	}
	return dateHit{}, dateHit{}, ""
}
