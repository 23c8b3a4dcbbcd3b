package simportal

import (
	"fmt"
	"time"

	"golang.org/x/text/unicode/norm"
)

// Options.Yearless, off by default, imitates the articles SOURCES.md warns
// of whose only date is their lead's, without a year ("Ngày 14/11, ..."):
// the page prints no date line, no article:published_time, no update time,
// no dated photo, attachment or related list, and its text and title hold
// no year. Only the listings that link it (the home page's "Tin mới nhất"
// and its category's pages) show its date, or with YearlessUndated only the
// items around it do. It is left out of the sitemap, which a crawler may
// read before the home page: the listings are the one way to it.

// maxYearless bounds Options.Yearless so that every yearless article is
// among the ten the home page lists with dates, between dated neighbours.
const maxYearless = 4

// isYearless says the article of sequence number seq, published by New
// (not AddArticles), is one of Options.Yearless: the second, fourth, ...
// newest of the initial articles.
func (p *Portal) isYearless(seq int, added bool) bool {
	k := p.opts.Articles - seq // 0 for the newest
	return !added && p.opts.Yearless > 0 && k >= 0 && k%2 == 1 && k/2 < min(p.opts.Yearless, maxYearless)
}

// yearlessParagraphs are body paragraphs without any year or full date.
var yearlessParagraphs = []string{
	"Tham dự hội nghị có đại diện lãnh đạo các sở, ban, ngành, Ủy ban nhân dân các huyện, thị xã, thành phố và các thành viên của cụm thi đua.",
	"Trong thời gian qua, các cơ quan, đơn vị đã tích cực hưởng ứng các phong trào thi đua yêu nước, gắn với việc thực hiện nhiệm vụ chính trị được giao; nhiều tập thể, cá nhân tiêu biểu được khen thưởng kịp thời.",
	"Phát biểu tại hội nghị, lãnh đạo Sở Nội vụ đề nghị các thành viên tiếp tục đổi mới nội dung, hình thức tổ chức phong trào thi đua, chú trọng phát hiện, bồi dưỡng và nhân rộng các điển hình tiên tiến.",
	"Hội nghị đã thống nhất bầu cụm trưởng, cụm phó và ký kết giao ước thi đua giữa các thành viên trong cụm.",
	"Dịp này, các đơn vị có thành tích xuất sắc được nhận Giấy khen của Giám đốc Sở Nội vụ.",
}

// makeYearless rewrites a just-published article into a yearless one when
// Options.Yearless asks for it; publish calls it before routing the page.
func (p *Portal) makeYearless(a *article, added bool) {
	if !p.isYearless(a.seq, added) {
		return
	}
	if p.opts.Layout != LayoutNukeViet {
		// Only NukeViet's URLs carry no year (/vi/news/<cat>/<slug>-<id>.html).
		panic(fmt.Sprintf("simportal: Yearless needs the %s layout, not %q", LayoutNukeViet, p.opts.Layout))
	}
	a.yearless = true
	t := a.Published
	a.Published, a.DateOnly = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, vnZone), true
	a.dshape, a.modified = dsWeekday, time.Time{} // no bare view count, no "Cập nhật" time
	a.views = 100 + a.seq%100                     // a count is no year either
	a.Title = fmt.Sprintf("Sở Nội vụ sơ kết công tác thi đua, khen thưởng tại cụm thi đua số %d", a.seq)
	p.titles[a.Title] = true
	a.slug = p.uniqueSlug(slugify(a.Title, false, 9))
	a.Path = p.lay.articlePath(a)
	// Upload folders and leftover captions name the year.
	a.image, a.caption, a.Attachments = "", "", nil
	a.Text = a.Text[:1]
	a.Text[0] = fmt.Sprintf("Ngày %d/%d, Sở Nội vụ tổ chức hội nghị sơ kết công tác thi đua, khen thưởng của cụm thi đua số %d.", t.Day(), int(t.Month()), a.seq)
	for i := 1; i < p.opts.Paragraphs; i++ {
		a.Text = append(a.Text, yearlessParagraphs[(a.seq+i)%len(yearlessParagraphs)])
	}
	for i := range a.Text {
		a.Text[i] = norm.NFC.String(a.Text[i])
	}
}

// showsDate says pg may print the date of r: a yearless page prints no
// date at all, and with YearlessUndated no page prints a yearless article's.
func (pg *page) showsDate(r *article) bool {
	if pg.art != nil && pg.art.yearless {
		return false
	}
	return !r.yearless || !pg.p.opts.YearlessUndated
}

// listedDate is date, the date a listing prints for a, or "" when
// showsDate forbids it.
func (pg *page) listedDate(a *article, date string) string {
	if !pg.showsDate(a) {
		return ""
	}
	return date
}

// Yearless returns the articles of Options.Yearless, newest first.
func (p *Portal) Yearless() []Article {
	p.mu.RLock()
	defer p.mu.RUnlock()
	var out []Article
	for _, a := range p.newest {
		if a.yearless {
			out = append(out, a.export())
		}
	}
	return out
}
