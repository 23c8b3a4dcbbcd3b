package simportal

import (
	"fmt"
	"strings"
)

// The blocks below surround every HTML page, as a CMS theme does. They make
// pages weigh what real ones weigh and give extractors boilerplate to skip.

var cssSelectors = []string{"body", "a", "a:hover", ".wraper", "#header", ".logo img", ".site-name", ".menu", ".menu li",
	".menu li a", ".menu li:hover>ul", ".menu ul.sub", ".breadcrumbs", ".breadcrumbs li", ".breadcrumbs li a", ".panel", ".panel-body",
	".title", ".text-muted", ".hometext", ".bodytext p", ".bodytext img", ".bodytext figcaption", ".related li", ".related li em",
	".pagination", ".pagination li a", ".pagination .active a", ".sidebar .block", ".sidebar h3", ".sidebar ul li", ".footer",
	".footer a", ".footer .copyright", ".badge-tnm img", ".share-bar", ".share-bar a", ".font-size a", ".comment-form textarea",
	".comment-form input", ".most-read li", ".marquee", ".calendar-link", ".news-item", ".news-item h3", ".news-item .sapo",
	".thumb img", ".visitor-count", ".weblink select", ".banner img", ".search-box input", ".search-box button", ".top-bar", ".today"}

var cssDecls = []string{"margin:0", "padding:4px 8px", "color:#1a4f8b", "font-size:13px", "line-height:1.6", "background:#f5f7fa",
	"border-bottom:1px solid #dde3ea", "font-family:Arial,Helvetica,sans-serif", "display:block", "text-decoration:none",
	"font-weight:bold", "float:left", "width:100%", "overflow:hidden", "text-align:justify", "border-radius:3px",
	"box-shadow:0 1px 2px rgba(0,0,0,.08)", "transition:all .2s ease", "position:relative", "max-width:100%", "height:auto",
	"list-style:none", "color:#c00", "background:#0b5394 url(/images/menu-bg.png) repeat-x", "white-space:nowrap"}

var inlineCSS = buildCSS()

func buildCSS() string {
	var b strings.Builder
	b.WriteString("<style type=\"text/css\">\n")
	for _, media := range []string{"", "@media (max-width: 767px)"} {
		sels := cssSelectors
		if media != "" {
			b.WriteString(media + " {\n")
			sels = sels[:20]
		}
		for i, sel := range sels {
			b.WriteString(sel + " {")
			for k := 0; k < 4+i%3; k++ {
				b.WriteString(cssDecls[(i*7+k*5+len(media))%len(cssDecls)] + ";")
			}
			b.WriteString("}\n")
		}
		if media != "" {
			b.WriteString("}\n")
		}
	}
	b.WriteString("</style>\n")
	return b.String()
}

const inlineJS = `<script type="text/javascript">
var nv_base_siteurl = "/", nv_lang_data = "vi", nv_lang_interface = "vi", nv_name_variable = "nv", nv_fc_variable = "op",
    nv_lang_variable = "language", nv_module_name = "news", nv_func_name = "main", nv_is_user = 0,
    nv_my_ofs = 7, nv_my_abbr = "ICT", nv_cookie_prefix = "nv4c_Sn0v", nv_check_pass_mstime = 1738000,
    nv_area_admin = 0, nv_safemode = 0, theme_responsive = 1, nv_is_recaptcha = 0;
function nv_setfontsize(delta) {
  var el = document.getElementById("news-bodyhtml") || document.body, size = parseInt(window.getComputedStyle(el).fontSize, 10);
  if (delta === 0) { el.style.fontSize = ""; return false; }
  el.style.fontSize = Math.max(10, Math.min(24, size + delta)) + "px"; return false;
}
function nv_open_browse(url, name, w, h, features) {
  var win = window.open(url, name, "width=" + w + ",height=" + h + "," + features); if (win) { win.focus(); } return false;
}
function nv_sendmail(id) { return nv_open_browse(nv_base_siteurl + "index.php?sendmail=" + id, "sendmail", 500, 400, "resizable=no,scrollbars=yes"); }
function nv_print(id) { return nv_open_browse(nv_base_siteurl + "index.php?print=" + id, "print", 840, 500, "resizable=yes,scrollbars=yes"); }
(function () {
  var counter = document.getElementById("visitor-online");
  if (counter && window.XMLHttpRequest) {
    var x = new XMLHttpRequest(); x.open("GET", "/counter.php?t=" + (new Date()).getTime(), true);
    x.onreadystatechange = function () { if (x.readyState === 4 && x.status === 200) { counter.innerHTML = x.responseText; } };
    x.send(null);
  }
})();
window.dataLayer = window.dataLayer || [];
function gtag() { dataLayer.push(arguments); }
gtag("js", new Date()); gtag("config", "G-SNV2019XYZ", { "anonymize_ip": true });
</script>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-SNV2019XYZ"></script>
`

// menu writes the main menu: home, categories, static pages, each with the
// sub-menus real portals nest under them.
func (pg *page) menu(ulClass string) {
	s := &pg.p.site
	pg.f(`<ul class="%s">`, ulClass)
	pg.w(`<li class="home"><a href="/" title="Trang chủ"><em class="fa fa-home"></em> Trang chủ</a></li>`)
	pg.w(`<li class="dropdown"><a href="`, pg.href(s.statics[0].path), `">Giới thiệu</a><ul class="sub">`)
	for _, sp := range s.statics[:4] {
		pg.w("<li>")
		pg.a(sp.path, sp.title)
		pg.w("</li>")
	}
	pg.w(`</ul></li><li class="dropdown"><a href="`, pg.href(pg.p.lay.listingPath(0, 1)), `">Tin tức</a><ul class="sub">`)
	for i, c := range s.cats {
		pg.w("<li>")
		pg.a(pg.p.lay.listingPath(i, 1), c.name)
		pg.w("</li>")
	}
	pg.w(`</ul></li>`)
	for i, c := range s.cats {
		pg.w("<li>")
		pg.a(pg.p.lay.listingPath(i, 1), c.name)
		pg.w("</li>")
	}
	pg.w(`<li><a href="https://dichvucong.gov.vn/" target="_blank">Dịch vụ công</a></li>`)
	for _, sp := range s.statics[4:] {
		pg.w("<li>")
		pg.a(sp.path, sp.title)
		pg.w("</li>")
	}
	pg.w("<li>")
	pg.a(s.private[0].path, s.private[0].text)
	pg.w("</li></ul>\n")
}

// sidebar writes the blocks of a portal's side column. Nothing in it changes
// when articles are added, so old article pages keep their ETag.
func (pg *page) sidebar(cls string) {
	p := pg.p
	pg.f(`<aside class="%s">`, cls)
	pg.w(`<div class="block search-box"><form action="/tim-kiem" method="get"><input type="text" name="q" placeholder="Nhập từ khóa..."><button type="submit">Tìm kiếm</button></form></div>`)
	pg.w(`<div class="block most-read"><h3>Tin đọc nhiều</h3><ul>`)
	for _, a := range p.mostRead(5) {
		pg.f(`<li><a href="%s">%s</a> <span class="text-muted">(%d lượt xem)</span></li>`, pg.href(a.Path), esc(a.Title), a.views)
	}
	pg.w(`</ul></div><div class="block"><h3>Chuyên mục</h3><ul>`)
	for i, c := range p.site.cats {
		pg.w("<li>")
		pg.a(p.lay.listingPath(i, 1), c.name)
		pg.w("</li>")
	}
	pg.w(`</ul></div><div class="block calendar-link"><h3>Lịch công tác</h3>`)
	pg.f(`<a href="%s">Lịch công tác tuần của Lãnh đạo Sở</a>`, pg.href("/lich?ngay="+p.calendarDay.Format("2006-01-02")))
	pg.w(`</div><div class="block banner">`)
	for _, l := range externalLinks[:4] {
		pg.f(`<a href="%s" target="_blank" rel="noopener"><img src="/images/banner/%s.png" alt="%s"></a>`, l.path, slugify(l.text, false, 5), esc(l.text))
	}
	pg.w(`</div><div class="block weblink"><h3>Liên kết website</h3><select onchange="window.open(this.value)"><option value="">-- Chọn liên kết --</option>`)
	for _, l := range externalLinks {
		pg.f(`<option value="%s">%s</option>`, l.path, esc(l.text))
	}
	pg.f(`</select></div><div class="block visitor-count"><h3>Thống kê truy cập</h3><ul><li>Đang truy cập: <span id="visitor-online">%d</span></li><li>Hôm nay: %d</li><li>Tổng lượt truy cập: %d</li></ul></div></aside>`,
		12+p.opts.Seed%40, 800+p.opts.Seed%500, 1250000+p.opts.Seed%100000)
	pg.w("\n")
}

// mostRead picks the most viewed articles; views of added articles are low,
// so AddArticles does not change this block.
func (p *Portal) mostRead(n int) []*article {
	top := make([]*article, 0, n+1)
	for _, a := range p.arts {
		i := len(top)
		for i > 0 && top[i-1].views < a.views {
			i--
		}
		if i < n {
			top = append(top[:i], append([]*article{a}, top[i:]...)...)
			top = top[:min(len(top), n)]
		}
	}
	return top
}

// footer writes the copyright block with address and the trust badge.
func (pg *page) footer(cls string) {
	s := &pg.p.site
	pg.f(`<footer class="%s"><div class="container"><div class="footer-menu">`, cls)
	for _, sp := range s.statics {
		pg.a(sp.path, sp.title)
		pg.w(" | ")
	}
	pg.f(`</div><div class="copyright"><p><strong>Bản quyền thuộc %s</strong></p><p>Địa chỉ: %s</p><p>Điện thoại: %s - Fax: %s - Email: %s</p>`,
		esc(s.name), esc(s.address), s.phone, s.phone, s.mail)
	pg.f(`<p>Chịu trách nhiệm chính: Giám đốc %s. Giấy phép số 12/GP-TTĐT do Sở Thông tin và Truyền thông cấp.</p><p>Ghi rõ nguồn &quot;%s&quot; khi phát hành lại thông tin từ website này.</p></div>`, esc(s.name), esc(s.name))
	pg.f(`<div class="badge-tnm"><a href="https://tinnhiemmang.vn/danh-ba-tin-nhiem/%s" title="Chung nhan Tin Nhiem Mang" target="_blank"><img alt="Chung nhan Tin Nhiem Mang" src="https://tinnhiemmang.vn/handle_cert?id=%s" width="150" height="auto"></a></div>`, s.host, s.host)
	pg.w(`<div class="footer-links">`)
	for _, l := range externalLinks[:3] {
		pg.f(`<a href="%s" target="_blank">%s</a> `, l.path, esc(l.text))
	}
	pg.w("</div></div></footer>\n", inlineJS)
}

// articleTools writes the font sizer, print and share links of an article.
func (pg *page) articleTools(a *article) {
	url := pg.abs(a.Path)
	pg.w(`<div class="font-size">Xem với cỡ chữ : <a href="javascript:void(0)" onclick="return nv_setfontsize(-1)">A-</a> <a href="javascript:void(0)" onclick="return nv_setfontsize(0)">A</a> <a href="javascript:void(0)" onclick="return nv_setfontsize(1)">A+</a></div>`)
	pg.f(`<div class="share-bar"><a href="javascript:void(0)" onclick="return nv_print(%d)" title="In bài viết">In bài</a> <a href="javascript:void(0)" onclick="return nv_sendmail(%d)" title="Gửi email">Gửi email</a> `, a.ID, a.ID)
	pg.f(`<a href="https://www.facebook.com/sharer/sharer.php?u=%s" target="_blank" rel="nofollow">Chia sẻ Facebook</a> <a href="https://zalo.me/share?url=%s" target="_blank" rel="nofollow">Zalo</a> <a href="https://twitter.com/intent/tweet?url=%s" target="_blank" rel="nofollow">Twitter</a></div>`, url, url, url)
}

// comments writes the reader-comment form most portals carry.
func (pg *page) comments(a *article) {
	pg.f(`<div class="comment-form" id="binh-luan"><h3>Ý kiến bạn đọc</h3><p>Chưa có ý kiến nào về bài viết này.</p><form method="post" action="/binh-luan/%d"><input type="text" name="name" placeholder="Họ và tên"><input type="email" name="email" placeholder="Email"><textarea name="content" rows="4" placeholder="Nội dung ý kiến"></textarea><button type="submit">Gửi ý kiến</button></form></div>`, a.ID)
}

// figure writes an article's photo; captions are sometimes leftover paths.
func (pg *page) figure(a *article) {
	if a.image == "" {
		return
	}
	pg.f(`<figure class="image" style="text-align:center"><img src="%s" alt="anh tin bai" width="600"><figcaption><em>%s</em></figcaption></figure>`, pg.href(a.image), esc(a.caption))
}

// attachments writes the "File đính kèm" block.
func (pg *page) attachments(a *article, label string) {
	for _, f := range a.Attachments {
		name := f[strings.LastIndexByte(f, '/')+1:]
		pg.f(`<div class="attach"><strong>%s</strong> <a href="%s" target="_blank" title="%s">%s</a> (%d KB)</div>`, label, pg.href(f), esc(name), esc(name), 40+a.seq%300)
	}
}

func (pg *page) relatedList(cls string, items []*article, withDate bool) {
	pg.f(`<ul class="%s">`, cls)
	for _, r := range items {
		pg.f(`<li><em class="fa fa-angle-right">&nbsp;</em><a href="%s" title="%s">%s</a>`, pg.href(r.Path), esc(r.Title), esc(r.Title))
		if withDate && pg.showsDate(r) {
			pg.f(` <em>(%s)</em>`, r.Published.Format("02/01/2006"))
		}
		pg.w("</li>")
	}
	pg.w("</ul>")
}

func fmtViews(n int) string { return fmt.Sprintf("Lượt xem: %d", n) }
