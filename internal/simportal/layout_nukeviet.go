package simportal

import (
	"net/url"
	"strconv"
	"strings"
	"time"
)

// nukeViet imitates a NukeViet 4 portal such as snv.binhdinh.gov.vn:
// /vi/news/<cat>/<slug>-<id>.html, listings /vi/news/<cat>/page-2, RSS at
// /vi/news/rss/ and a sitemap index.
type nukeViet struct{ s *siteInfo }

func (l *nukeViet) setup(s *siteInfo) {
	l.s = s
	s.name, s.province, s.host = "Sở Nội vụ tỉnh Bình Định", "Bình Định", "snv.binhdinh.gov.vn"
	s.places = []string{"thành phố Quy Nhơn", "thị xã An Nhơn", "huyện Tuy Phước", "huyện Phù Cát", "thị xã Hoài Nhơn", "huyện Vĩnh Thạnh", "huyện An Lão"}
	s.outlets = []string{"Báo Bình Định", "Cổng TTĐT tỉnh Bình Định", "Bộ Nội vụ", "Báo Điện tử Chính phủ"}
	s.address, s.phone, s.mail = "Số 02 Trần Phú, thành phố Quy Nhơn, tỉnh Bình Định", "0256.3822345", "snv@binhdinh.gov.vn"
	s.cats[0].slug = "tin-t-c-su-kien" // a slug that lost its Vietnamese letters
	for _, t := range staticTitles {
		path := "/vi/about/" + slugify(t, false, 6) + ".html"
		if t == "Liên hệ" {
			path = "/vi/contact/"
		}
		s.statics = append(s.statics, staticPage{t, path, staticBody(t, s.province)})
	}
	s.disallowed = []string{"/admin/", "/vi/users/", "/data/", "/includes/", "/install/"}
	s.private = []link{{"Đăng nhập", "/vi/users/login/"}, {"Quản trị", "/admin/"}}
	s.feedPath, s.sitemapIndex = "/vi/news/rss/", true
	s.feeds = map[string]int{s.feedPath: -1}
	for i, c := range s.cats {
		s.feeds["/vi/news/"+c.slug+"/rss/"] = i
	}
}

func (l *nukeViet) articleID(seq int) int { return 1200 + seq }

func (l *nukeViet) articlePath(a *article) string {
	return "/vi/news/" + l.s.cats[a.cat].slug + "/" + a.slug + "-" + strconv.Itoa(a.ID) + ".html"
}

func (l *nukeViet) uploadDir(t time.Time) string { return "/uploads/news/" + t.Format("2006_01") + "/" }

func (l *nukeViet) listingPath(cat, page int) string {
	if page <= 1 {
		return "/vi/news/" + l.s.cats[cat].slug + "/"
	}
	return "/vi/news/" + l.s.cats[cat].slug + "/page-" + strconv.Itoa(page)
}

func (l *nukeViet) parseListing(path string, _ url.Values) (int, int, bool) {
	rest, ok := strings.CutPrefix(path, "/vi/news/")
	if !ok {
		return 0, 0, false
	}
	slug, pg, _ := strings.Cut(rest, "/")
	n := 1
	if pg != "" {
		num, ok := strings.CutPrefix(pg, "page-")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return 0, 0, false
		}
		n = v
	}
	for i, c := range l.s.cats {
		if c.slug == slug {
			return i, n, true
		}
	}
	return 0, 0, false
}

func (l *nukeViet) dateMix() []weighted[dateShape] {
	return []weighted[dateShape]{{dsWeekday, 60}, {ds12h, 15}, {dsEnglish, 10}, {dsDashView, 15}}
}

func (l *nukeViet) authorMix() []weighted[authorShape] {
	return []weighted[authorShape]{{asTacGia, 45}, {asTacGiaBaiViet, 20}, {asNone, 20}, {asTinAnh, 15}}
}

func (l *nukeViet) head(pg *page, title string) {
	pg.w(`<!DOCTYPE html>`, "\n", `<html lang="vi" xmlns="http://www.w3.org/1999/xhtml" prefix="og: http://ogp.me/ns#">`, "\n<head>\n")
	pg.f("<title>%s</title>\n", esc(title))
	pg.f(`<meta name="description" content="%s">`+"\n", esc(l.s.name+" - Cổng thông tin điện tử"))
	pg.f(`<meta name="author" content="%s"><meta name="copyright" content="%s [%s]"><meta name="generator" content="NukeViet v4.5">`+"\n", esc(l.s.name), esc(l.s.name), l.s.mail)
	pg.w(`<meta name="viewport" content="width=device-width, initial-scale=1"><meta http-equiv="Content-Type" content="text/html; charset=utf-8">`, "\n")
	pg.f(`<meta property="og:title" content="%s"><meta property="og:site_name" content="%s"><meta property="og:url" content="%s">`+"\n", esc(title), esc(l.s.name), pg.abs(pg.path))
	if a := pg.art; a != nil && !a.yearless {
		// NukeViet 4 prints PHP's timezone abbreviation where "T" belongs.
		pg.f(`<meta property="og:type" content="article"><meta property="article:published_time" content="%s">`+"\n", a.Published.Format("2006-01-02")+"ICT"+a.Published.Format("15:04:05"))
		pg.f(`<meta property="article:section" content="%s">`+"\n", esc(a.Category))
	}
	pg.f(`<link rel="shortcut icon" href="/favicon.ico"><link rel="canonical" href="%s">`+"\n", pg.abs(pg.path))
	if l.s.feedPath != "" {
		pg.f(`<link rel="alternate" href="%s" title="Tin Tức" type="application/rss+xml">`+"\n", l.s.feedPath)
	}
	pg.w(`<link rel="StyleSheet" href="/themes/default/css/font-awesome.min.css"><link rel="StyleSheet" href="/themes/default/css/bootstrap.non-responsive.css"><link rel="StyleSheet" href="/themes/default/css/style.css">`, "\n")
	pg.headExtras()
	pg.w(inlineCSS, "</head>\n<body>\n")
	pg.w(`<noscript><div class="alert alert-danger">Trình duyệt của bạn đã tắt chức năng hỗ trợ JavaScript.<br>Website chỉ làm việc khi bạn bật nó trở lại.</div></noscript>`, "\n")
	pg.f(`<div class="body-bg"><div class="wraper"><header><div class="container"><div id="header" class="row"><div class="logo col-xs-24 col-sm-24 col-md-8"><a title="%s" href="/"><img src="/uploads/logo-snv.png" width="90" height="90" alt="%s"></a><span class="site_name">%s</span><span class="site_description">Cổng thông tin điện tử</span></div>`, esc(l.s.name), esc(l.s.name), esc(l.s.name))
	pg.w(`<div class="col-xs-24 col-sm-24 col-md-16"><div class="personalArea">`)
	pg.a(l.s.private[0].path, l.s.private[0].text)
	pg.w(`</div></div></div></div></header>`, "\n", `<nav class="second-nav" id="menusite"><div class="container"><div class="row"><div class="bg box-shadow">`)
	pg.menu("nav navbar-nav")
	pg.w(`</div></div></div></nav>`, "\n")
}

func (l *nukeViet) crumbs(pg *page, trail []link) {
	pg.w(`<nav class="third-nav"><div class="container"><div class="row"><div class="bg"><div class="breadcrumbs-wrap"><div class="display"><ul class="breadcrumbs list-none" itemscope itemtype="https://schema.org/BreadcrumbList">`)
	pg.w(`<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem"><a href="/" itemprop="item" title="Trang chủ"><span itemprop="name">Trang chủ</span></a></li>`)
	for _, c := range trail {
		pg.f(`<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem"><a href="%s" itemprop="item" title="%s"><span itemprop="name">%s</span></a></li>`, pg.href(c.path), esc(c.text), esc(c.text))
	}
	pg.w(`</ul></div></div></div></div></div></nav>`, "\n", `<section><div class="container" id="body"><div class="row"><div class="col-sm-16 col-md-18">`, "\n")
}

func (l *nukeViet) foot(pg *page) {
	pg.w("</div>\n", `<div class="col-sm-8 col-md-6">`)
	pg.sidebar("sidebar")
	pg.w("</div></div></div></section>\n")
	pg.footer("footer")
	pg.w("</div></div>\n</body>\n</html>\n")
}

func (l *nukeViet) listing(pg *page, cat, n, pages int, items []*article) {
	pg.f(`<div class="news_column"><h1 class="hidden">%s</h1>`, esc(l.s.cats[cat].name))
	for _, a := range items {
		link := pg.href(a.Path + trackingSuffix(a.seq))
		pg.w(`<div class="news_column panel panel-default"><div class="panel-body">`)
		if a.image != "" {
			pg.f(`<a href="%s" title="%s"><img alt="%s" src="%s" width="183" class="img-thumbnail pull-left imghome"></a>`, link, esc(a.Title), esc(a.Title), pg.href(a.image))
		}
		pg.f(`<h3><a href="%s" title="%s">%s</a></h3>`, link, esc(a.Title), esc(a.Title))
		pg.f(`<div class="text-muted"><ul class="list-unstyled list-inline"><li><em class="fa fa-clock-o">&nbsp;</em> %s</li><li><em class="fa fa-eye">&nbsp;</em> %s</li></ul></div>`, pg.listedDate(a, dsWeekday.format(a.Published, 0)), fmtViews(a.views))
		pg.f("%s</div></div>\n", esc(shortLead(a.Text[0], 200)))
	}
	pg.w(`<div class="text-center"><ul class="pagination">`)
	if n > 1 {
		pg.f(`<li><a href="%s">&laquo;</a></li>`, pg.href(l.listingPath(cat, n-1)))
	}
	for _, i := range pageWindow(n, pages) {
		switch i {
		case 0:
			pg.w(`<li class="disabled"><span>...</span></li>`)
		case n:
			pg.f(`<li class="active"><a href="#">%d</a></li>`, i)
		default:
			pg.f(`<li><a href="%s">%d</a></li>`, pg.href(l.listingPath(cat, i)), i)
		}
	}
	if n < pages {
		pg.f(`<li><a href="%s">&raquo;</a></li>`, pg.href(l.listingPath(cat, n+1)))
	}
	pg.w("</ul></div></div>\n")
}

func (l *nukeViet) article(pg *page, a *article) {
	pg.w(`<div class="news_column panel panel-default" itemtype="http://schema.org/NewsArticle" itemscope><div class="panel-body">`, "\n")
	pg.f(`<h1 class="title margin-bottom-lg" itemprop="headline">%s</h1>`+"\n", esc(a.Title))
	pg.f(`<div class="row margin-bottom-lg"><div class="col-md-12"><span class="text-muted">%s</span>`, esc(a.dateText()))
	if a.dshape == dsDashView {
		pg.f(` <span class="text-muted">%d</span>`, a.views)
	}
	if !a.modified.IsZero() {
		pg.f(` <span class="text-muted small">(Cập nhật lúc: %s)</span>`, a.modified.Format("02/01/2006 15:04"))
	}
	pg.f(`</div><div class="col-md-12"><ul class="list-inline text-right"><li><em class="fa fa-eye"></em> %s</li></ul></div></div>`+"\n", fmtViews(a.views))
	pg.articleTools(a)
	pg.f(`<div class="clearfix"><div class="hometext m-bottom" itemprop="description">%s</div></div>`+"\n", esc(a.Text[0]))
	pg.w(`<div id="news-bodyhtml" class="bodytext margin-bottom-lg">`)
	for i, para := range a.Text[1:] {
		pg.f("<p>%s</p>\n", esc(para))
		if i == 0 {
			pg.figure(a)
		}
	}
	pg.w("</div>\n")
	pg.attachments(a, "File đính kèm:")
	pg.w(`<div class="margin-bottom-lg">`)
	if line := a.authorLine(); line != "" {
		label, value := splitLine(line)
		pg.f(`<p class="h5 text-right"><strong>%s </strong>%s</p>`, esc(label), esc(value))
	}
	if a.Outlet != "" {
		pg.f(`<p class="h5 text-right"><strong>Nguồn tin: </strong>%s</p>`, esc(a.Outlet))
	}
	pg.w("</div></div></div>\n")
	pg.f(`<div class="news_column panel panel-default"><div class="panel-body"><div class="h5"><em class="fa fa-tags">&nbsp;</em><strong>Từ khóa: </strong><span>%s</span>, <span>sở nội vụ</span></div><p>Tổng số điểm của bài viết là: %d trong %d đánh giá</p></div></div>`+"\n", esc(strings.ToLower(a.Category)), 5*(a.seq%9+1), a.seq%9+1)
	pg.comments(a)
	newer, older := pg.p.neighbours(a, 5)
	pg.w(`<div class="news_column panel panel-default"><div class="panel-body other-news">`)
	if len(newer) > 0 {
		pg.w(`<p class="h3"><strong>Những tin mới hơn</strong></p><div class="clearfix">`)
		pg.relatedList("related list-items", newer, true)
		pg.w("</div>")
	}
	if len(older) > 0 {
		pg.w(`<p class="h3"><strong>Những tin cũ hơn</strong></p><div class="clearfix">`)
		pg.relatedList("related list-items", older, true)
		pg.w("</div>")
	}
	pg.w("</div></div>\n")
}
