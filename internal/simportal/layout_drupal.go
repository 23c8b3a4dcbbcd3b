package simportal

import (
	"net/url"
	"strconv"
	"time"
)

// drupal imitates a Drupal 7 portal such as sonoivu.bacgiang.gov.vn:
// articles at /node/<id>, listings /<cat>?page=1 with 0-based pages and a
// ul.pager, RSS at /rss.xml, authors as a bare last paragraph.
type drupal struct{ s *siteInfo }

func (l *drupal) setup(s *siteInfo) {
	l.s = s
	s.name, s.province, s.host = "Sở Nội vụ tỉnh Bắc Giang", "Bắc Giang", "sonoivu.bacgiang.gov.vn"
	s.places = []string{"thành phố Bắc Giang", "huyện Lục Nam", "huyện Yên Thế", "huyện Tân Yên", "huyện Lạng Giang", "thị xã Việt Yên", "huyện Sơn Động"}
	s.outlets = []string{"Báo Bắc Giang", "Cổng TTĐT tỉnh Bắc Giang", "Bộ Nội vụ", "Báo Điện tử Chính phủ"}
	s.address, s.phone, s.mail = "Số 48 đường Nguyễn Văn Cừ, thành phố Bắc Giang, tỉnh Bắc Giang", "0204.3854414", "snv@bacgiang.gov.vn"
	s.cats[0].slug = "tin-tuc"
	for _, t := range staticTitles {
		s.statics = append(s.statics, staticPage{t, "/" + slugify(t, false, 6), staticBody(t, s.province)})
	}
	s.disallowed = []string{"/admin/", "/user/", "/node/add/", "/includes/", "/modules/", "/?q=admin/"}
	s.private = []link{{"Đăng nhập", "/user/login"}, {"Quản trị", "/admin/content"}}
	s.feedPath = "/rss.xml"
	s.feeds = map[string]int{s.feedPath: -1}
}

func (l *drupal) articleID(seq int) int { return 4000 + seq*3 } // nodes in between are pages and banners

func (l *drupal) articlePath(a *article) string { return "/node/" + strconv.Itoa(a.ID) }

func (l *drupal) uploadDir(t time.Time) string { return t.Format("/sites/default/files/2006-01/") }

func (l *drupal) listingPath(cat, page int) string {
	if page <= 1 {
		return "/" + l.s.cats[cat].slug
	}
	return "/" + l.s.cats[cat].slug + "?page=" + strconv.Itoa(page-1)
}

func (l *drupal) parseListing(path string, q url.Values) (int, int, bool) {
	n := 1
	if v := q.Get("page"); v != "" {
		z, err := strconv.Atoi(v)
		if err != nil {
			return 0, 0, false
		}
		n = z + 1
	}
	for i, c := range l.s.cats {
		if path == "/"+c.slug {
			return i, n, true
		}
	}
	return 0, 0, false
}

func (l *drupal) dateMix() []weighted[dateShape] {
	return []weighted[dateShape]{{dsDrupal, 55}, {dsBracket, 15}, {dsLong, 15}, {ds12h, 15}}
}

func (l *drupal) authorMix() []weighted[authorShape] {
	return []weighted[authorShape]{{asBare, 60}, {asTacGiaBaiViet, 15}, {asNone, 25}}
}

func (l *drupal) head(pg *page, title string) {
	pg.w(`<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML+RDFa 1.0//EN" "http://www.w3.org/MarkUp/DTD/xhtml-rdfa-1.dtd">`, "\n")
	pg.w(`<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="vi" version="XHTML+RDFa 1.0" dir="ltr" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/terms/" xmlns:foaf="http://xmlns.com/foaf/0.1/" xmlns:sioc="http://rdfs.org/sioc/ns#">`, "\n")
	pg.w(`<head profile="http://www.w3.org/1999/xhtml/vocab">`, "\n", `<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />`, "\n")
	pg.w(`<link rel="shortcut icon" href="/sites/default/files/favicon.ico" type="image/vnd.microsoft.icon" />`, "\n")
	if pg.art != nil {
		pg.f(`<link rel="shortlink" href="%s" /><link rel="canonical" href="%s" />`+"\n", pg.art.Path, pg.art.Path)
	}
	if pg.path == "/" && l.s.feedPath != "" {
		pg.f(`<link rel="alternate" type="application/rss+xml" title="%s RSS" href="%s" />`+"\n", esc(l.s.name), pg.abs(l.s.feedPath))
	}
	pg.f(`<meta name="Generator" content="Drupal 7 (http://drupal.org)" />`+"\n<title>%s</title>\n", esc(title))
	pg.w(`<style type="text/css" media="all">@import url("/modules/system/system.base.css?s8k2lm");@import url("/modules/system/system.menus.css?s8k2lm");@import url("/sites/all/themes/bacgiang/css/style.css?s8k2lm");</style>`, "\n")
	pg.headExtras()
	pg.w(inlineCSS, `<script type="text/javascript" src="/misc/jquery.js?v=1.4.4"></script>`, "\n")
	pg.w(`<script type="text/javascript">jQuery.extend(Drupal.settings, {"basePath":"\/","pathPrefix":"","ajaxPageState":{"theme":"bacgiang","theme_token":"q2Xk9v3TzR0aWmB7yP1sLc4N5eH8jU6dFgK0oI2rQwE"},"colorbox":{"opacity":"0.85","current":"{current} of {total}"}});</script>`, "\n")
	pg.w("</head>\n", `<body class="html not-front not-logged-in one-sidebar sidebar-second">`, "\n")
	pg.w(`<div id="skip-link"><a href="#main-content" class="element-invisible element-focusable">Chuyển đến nội dung chính</a></div>`, "\n")
	pg.f(`<div id="page-wrapper"><div id="page"><div id="header"><div class="section clearfix"><a href="/" title="Trang chủ" rel="home" id="logo"><img src="/sites/default/files/logo.png" alt="Trang chủ" /></a><div id="name-and-slogan"><div id="site-name"><strong><a href="/" title="Trang chủ" rel="home"><span>%s</span></a></strong></div></div>`, esc(l.s.name))
	pg.w(`<div class="region region-header">`)
	pg.a(l.s.private[0].path, l.s.private[0].text)
	pg.w("</div></div></div>\n", `<div id="navigation"><div class="section">`)
	pg.menu("menu")
	pg.w("</div></div>\n")
}

func (l *drupal) crumbs(pg *page, trail []link) {
	pg.w(`<div id="breadcrumb"><h2 class="element-invisible">Bạn đang ở đây</h2><div class="breadcrumb"><a href="/">Trang chủ</a>`)
	for _, c := range trail {
		pg.f(`<a href="%s">%s</a>`, pg.href(c.path), esc(c.text))
	}
	pg.w("</div></div>\n", `<div id="main-wrapper" class="clearfix"><div id="main" class="clearfix"><div id="content" class="column"><div class="section"><a id="main-content"></a>`, "\n")
}

func (l *drupal) foot(pg *page) {
	pg.w("</div></div>\n", `<div id="sidebar-second" class="column sidebar"><div class="section">`)
	pg.sidebar("region region-sidebar-second")
	pg.w("</div></div></div></div>\n")
	pg.footer("footer")
	pg.w("</div></div>\n</body>\n</html>\n")
}

func (l *drupal) listing(pg *page, cat, n, pages int, items []*article) {
	pg.f(`<h1 class="title" id="page-title">%s</h1><div class="view view-tin-tuc view-id-tin_tuc view-display-id-page"><div class="view-content">`+"\n", esc(l.s.cats[cat].name))
	for i, a := range items {
		link := pg.href(a.Path + trackingSuffix(a.seq))
		pg.f(`<div class="views-row views-row-%d">`, i+1)
		if a.image != "" {
			pg.f(`<div class="views-field views-field-field-image"><div class="field-content"><a href="%s"><img typeof="foaf:Image" src="%s" alt="" /></a></div></div>`, link, pg.href(a.image))
		}
		pg.f(`<div class="views-field views-field-title"><span class="field-content"><a href="%s">%s</a></span></div>`, link, esc(a.Title))
		pg.f(`<div class="views-field views-field-created"><span class="field-content">%s</span></div>`, a.Published.Format("02/01/2006 - 15:04"))
		pg.f(`<div class="views-field views-field-body"><div class="field-content"><p>%s</p></div></div></div>`+"\n", esc(shortLead(a.Text[0], 200)))
	}
	pg.w(`</div><h2 class="element-invisible">Trang</h2><div class="item-list"><ul class="pager">`)
	if n > 1 {
		pg.f(`<li class="pager-first first"><a title="Đến trang đầu tiên" href="%s">« đầu</a></li>`, pg.href(l.listingPath(cat, 1)))
		pg.f(`<li class="pager-previous"><a title="Đến trang trước" href="%s">‹ trước</a></li>`, pg.href(l.listingPath(cat, n-1)))
	}
	for _, i := range pageWindow(n, pages) {
		switch i {
		case 0:
			pg.w(`<li class="pager-ellipsis">…</li>`)
		case n:
			pg.f(`<li class="pager-current">%d</li>`, i)
		default:
			pg.f(`<li class="pager-item"><a title="Đến trang %d" href="%s">%d</a></li>`, i, pg.href(l.listingPath(cat, i)), i)
		}
	}
	if n < pages {
		pg.f(`<li class="pager-next"><a title="Đến trang sau" href="%s">trang sau ›</a></li>`, pg.href(l.listingPath(cat, n+1)))
		pg.f(`<li class="pager-last last"><a title="Đến trang cuối cùng" href="%s">cuối »</a></li>`, pg.href(l.listingPath(cat, pages)))
	}
	pg.w("</ul></div></div>\n")
}

func (l *drupal) article(pg *page, a *article) {
	pg.f(`<h1 class="title" id="page-title">%s</h1>`+"\n", esc(a.Title))
	pg.f(`<div class="region region-content"><div id="block-system-main" class="block block-system"><div class="content"><div id="node-%d" class="node node-article node-promoted clearfix" about="%s" typeof="sioc:Item foaf:Document">`, a.ID, a.Path)
	pg.f(`<span property="dc:title" content="%s" class="rdf-meta element-hidden"></span>`+"\n", esc(a.Title))
	pg.f(`<div class="submitted"><span class="date">%s</span></div>`, esc(a.dateText()))
	if !a.modified.IsZero() {
		pg.f(`<div class="changed">Cập nhật: %s</div>`, a.modified.Format("15:04 02/01/2006"))
	}
	pg.articleTools(a)
	pg.f(`<div class="statistics">%s</div>`+"\n", fmtViews(a.views))
	pg.w(`<div class="content"><div class="field field-name-body field-type-text-with-summary field-label-hidden"><div class="field-items"><div class="field-item even" property="content:encoded">`)
	pg.f("<p><strong>%s</strong></p>\n", esc(a.Text[0]))
	for i, para := range a.Text[1:] {
		pg.f("<p>%s</p>\n", esc(para))
		if i == 2 {
			pg.figure(a)
		}
	}
	if line := a.authorLine(); line != "" {
		pg.f(`<p style="text-align: right;"><strong>%s</strong></p>`, esc(line))
	}
	pg.w("</div></div></div>\n")
	if a.Outlet != "" {
		pg.f(`<div class="field field-name-field-nguon"><div class="field-label">Nguồn:&nbsp;</div><div class="field-items">%s</div></div>`, esc(a.Outlet))
	}
	pg.w(`<div class="field field-name-field-file">`)
	pg.attachments(a, "File đính kèm:")
	pg.w("</div></div></div>\n")
	pg.comments(a)
	pg.w(`<div class="block block-views"><h2>Tin liên quan</h2><div class="content">`)
	pg.relatedList("item-list", pg.p.others(a), false)
	pg.w("</div></div></div></div>\n")
}
