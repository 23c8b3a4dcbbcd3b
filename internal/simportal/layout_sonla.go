package simportal

import (
	"net/url"
	"strconv"
	"strings"
	"time"
)

// sonLa imitates the custom CMS of sonoivu.sonla.gov.vn: articles at
// /YYYY/MM/<slug>.html, listings /chuyen-muc/<cat>?page=2, a header with
// today's date, a plain /sitemap.xml, no feed, and every fifth article in
// windows-1258.
type sonLa struct{ s *siteInfo }

func (l *sonLa) setup(s *siteInfo) {
	l.s = s
	s.name, s.province, s.host = "Sở Nội vụ tỉnh Sơn La", "Sơn La", "sonoivu.sonla.gov.vn"
	s.places = []string{"thành phố Sơn La", "huyện Mộc Châu", "huyện Mai Sơn", "huyện Thuận Châu", "huyện Sông Mã", "huyện Quỳnh Nhai", "huyện Yên Châu"}
	s.outlets = []string{"Báo Sơn La", "Đài PT-TH tỉnh Sơn La", "Cổng TTĐT tỉnh Sơn La", "Bộ Nội vụ"}
	s.address, s.phone, s.mail = "Tổ 2, phường Chiềng Lề, thành phố Sơn La, tỉnh Sơn La", "0212.3852318", "sonoivu@sonla.gov.vn"
	for _, t := range staticTitles {
		s.statics = append(s.statics, staticPage{t, "/" + slugify(t, false, 6) + ".html", staticBody(t, s.province)})
	}
	s.disallowed = []string{"/quan-tri/", "/Uploads/temp/"}
	s.private = []link{{"Đăng nhập", "/quan-tri/dang-nhap.aspx"}}
}

func (l *sonLa) articleID(seq int) int { return seq }

func (l *sonLa) articlePath(a *article) string {
	return a.Published.Format("/2006/01/") + a.slug + ".html"
}

func (l *sonLa) uploadDir(t time.Time) string { return t.Format("/Uploads/images/2006/01/") }

func (l *sonLa) listingPath(cat, page int) string {
	if page <= 1 {
		return "/chuyen-muc/" + l.s.cats[cat].slug
	}
	return "/chuyen-muc/" + l.s.cats[cat].slug + "?page=" + strconv.Itoa(page)
}

func (l *sonLa) parseListing(path string, q url.Values) (int, int, bool) {
	slug, ok := strings.CutPrefix(path, "/chuyen-muc/")
	if !ok {
		return 0, 0, false
	}
	n := 1
	if v := q.Get("page"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil {
			return 0, 0, false
		}
	}
	for i, c := range l.s.cats {
		if c.slug == slug {
			return i, n, true
		}
	}
	return 0, 0, false
}

func (l *sonLa) dateMix() []weighted[dateShape] {
	return []weighted[dateShape]{{dsDangNgay, 50}, {dsDangNgayDash, 15}, {dsGuiLuc, 20}, {dsTimeFirst, 15}}
}

func (l *sonLa) authorMix() []weighted[authorShape] {
	return []weighted[authorShape]{{asTinAnh, 40}, {asNguoiViet, 25}, {asBare, 15}, {asNone, 20}}
}

func (l *sonLa) head(pg *page, title string) {
	cs := pg.charset()
	pg.w(`<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">`, "\n")
	pg.w(`<html xmlns="http://www.w3.org/1999/xhtml">`, "\n<head>\n")
	pg.f(`<meta charset="%s" /><meta http-equiv="Content-Type" content="text/html; charset=%s" />`+"\n", cs, cs)
	pg.f("<title>%s</title>\n", esc(title))
	pg.f(`<meta name="keywords" content="sở nội vụ, sơn la, cải cách hành chính, công chức" /><meta name="description" content="%s" />`+"\n", esc(title))
	pg.w(`<link href="/Content/css/style.css" rel="stylesheet" type="text/css" /><script type="text/javascript" src="/Scripts/jquery-1.8.2.min.js"></script>`, "\n")
	pg.headExtras()
	pg.w(inlineCSS, "</head>\n<body>\n<div id=\"wrapper\">\n")
	pg.f(`<div class="top-bar"><span class="today">%s</span><span class="top-links">`, todayHeader(pg.p.opts.Now()))
	pg.a(l.s.private[0].path, l.s.private[0].text)
	pg.w(" | ")
	pg.a(l.s.statics[5].path, l.s.statics[5].title)
	pg.w("</span></div>\n")
	pg.f(`<div id="header"><h1 class="logo"><a href="/"><img src="/Content/images/logo.png" alt="%s" /></a>%s</h1><div class="slogan">Cổng thông tin điện tử</div></div>`+"\n", esc(l.s.name), esc(l.s.name))
	pg.w(`<div id="menu">`)
	pg.menu("main-menu")
	pg.w("</div>\n")
}

func (l *sonLa) crumbs(pg *page, trail []link) {
	pg.w(`<div class="breadcrumb"><a href="/">Trang chủ</a>`)
	for _, c := range trail {
		pg.f(`<a href="%s">%s</a>`, pg.href(c.path), esc(c.text))
	}
	pg.w("</div>\n", `<div id="main"><div class="col-left">`, "\n")
}

func (l *sonLa) foot(pg *page) {
	pg.w("</div>\n", `<div class="col-right">`)
	pg.sidebar("sidebar-right")
	pg.w("</div><div class=\"clear\"></div></div>\n")
	pg.footer("footer")
	pg.w("</div>\n</body>\n</html>\n")
}

func (l *sonLa) listing(pg *page, cat, n, pages int, items []*article) {
	pg.f(`<div class="title-cate"><h2>%s</h2></div><div class="list-news">`, esc(l.s.cats[cat].name))
	for _, a := range items {
		link := pg.href(a.Path + trackingSuffix(a.seq))
		pg.w(`<div class="news-item">`)
		if a.image != "" {
			pg.f(`<a class="thumb" href="%s"><img src="%s" alt="%s" /></a>`, link, pg.href(a.image), esc(a.Title))
		}
		pg.f(`<h3><a href="%s" title="%s">%s</a></h3><span class="date">(%s)</span>`, link, esc(a.Title), esc(a.Title), a.Published.Format("02/01/2006"))
		pg.f(`<p class="sapo">%s</p><div class="clear"></div></div>`+"\n", esc(shortLead(a.Text[0], 220)))
	}
	pg.w(`</div><div class="paging">`)
	q := func(i int) string { return "?page=" + strconv.Itoa(i) } // query-only links, as the site writes them
	if n > 1 {
		pg.f(`<a href="%s">Trang đầu</a> <a href="%s">«</a> `, q(1), q(n-1))
	}
	for _, i := range pageWindow(n, pages) {
		switch i {
		case 0:
			pg.w("... ")
		case n:
			pg.f(`<span class="current">%d</span> `, i)
		default:
			pg.f(`<a href="%s">%d</a> `, q(i), i)
		}
	}
	if n < pages {
		pg.f(`<a href="%s">»</a> <a href="%s">Trang cuối</a>`, q(n+1), q(pages))
	}
	pg.w("</div>\n")
}

func (l *sonLa) article(pg *page, a *article) {
	pg.w(`<div class="detail-news">`, "\n")
	pg.f(`<h2 class="title-detail">%s</h2>`+"\n", esc(a.Title))
	pg.f(`<div class="date-detail">%s</div>`, esc(a.dateText()))
	if !a.modified.IsZero() {
		pg.f(`<div class="update-detail">Cập nhật: %s</div>`, a.modified.Format("02/01/2006 15:04:05"))
	}
	pg.w(`<div class="tool-detail">`)
	pg.articleTools(a)
	if a.dshape != dsGuiLuc {
		pg.f(`<span class="view">%s</span>`, fmtViews(a.views))
	}
	pg.f("</div>\n"+`<div class="sapo-detail"><strong>%s</strong></div>`+"\n", esc(a.Text[0]))
	pg.w(`<div class="content-detail">`)
	for i, para := range a.Text[1:] {
		pg.f("<p style=\"text-align: justify;\">%s</p>\n", esc(para))
		if i == 1 {
			pg.figure(a)
		}
	}
	switch line := a.authorLine(); {
	case a.ashape == asBare:
		pg.f(`<p style="text-align: right;"><strong>%s</strong></p>`, esc(line))
	case line != "":
		pg.f(`<p style="text-align: right;"><strong><em>%s</em></strong></p>`, esc(line))
	}
	pg.w("</div>\n")
	pg.attachments(a, "Tập tin đính kèm:")
	if a.Outlet != "" {
		pg.f(`<div class="source-detail">Nguồn: %s</div>`, esc(a.Outlet))
	}
	pg.comments(a)
	pg.w(`<div class="other-news"><h3 class="title-other">Các tin khác</h3>`)
	pg.relatedList("list-other", pg.p.others(a), true)
	pg.w("</div></div>\n")
}
