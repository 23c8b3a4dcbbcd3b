package simportal

import (
	"net/http"
	"path"
	"strconv"
	"time"
)

// staticModified is the Last-Modified of pages that never change.
var staticModified = time.Date(2020, 6, 1, 8, 0, 0, 0, vnZone)

func (p *Portal) home(pg *page) response {
	p.lay.head(pg, p.site.name)
	p.lay.crumbs(pg, nil)
	n := min(10, len(p.newest))
	pg.w(`<div class="marquee"><strong>TIN NỔI BẬT:</strong> `)
	for _, a := range p.newest[:min(3, n)] {
		pg.a(a.Path, a.Title)
		pg.w(" &nbsp; ")
	}
	pg.w(`</div><section class="latest-news"><h2 class="block-title">Tin mới nhất</h2><ul>`)
	for i, a := range p.newest[:n] {
		pg.f(`<li><a href="%s" title="%s">%s</a> <span class="text-muted">%s</span>`, pg.href(a.Path), esc(a.Title), esc(a.Title), pg.listedDate(a, a.Published.Format("02/01/2006")))
		if i == 0 {
			pg.f(`<p class="lead">%s</p>`, esc(shortLead(a.Text[0], 220)))
		}
		pg.w("</li>")
	}
	pg.w("</ul></section>\n")
	for i, c := range p.site.cats {
		pg.f(`<section class="cat-block"><h2 class="block-title"><a href="%s">%s</a></h2><ul>`, pg.href(p.lay.listingPath(i, 1)), esc(c.name))
		for _, a := range p.byCat[i][:min(4, len(p.byCat[i]))] {
			pg.w("<li>")
			pg.a(a.Path, a.Title)
			pg.w("</li>")
		}
		pg.f(`</ul><a class="more" href="%s">Xem tiếp »</a></section>`, pg.href(p.lay.listingPath(i, 1)))
	}
	p.homeExtras(pg)
	p.lay.foot(pg)
	return htmlResponse(kindHome, pg, p.latestMod(), nil)
}

func (p *Portal) listing(pg *page, cat, n int) response {
	items := p.byCat[cat]
	size := p.opts.PageSize
	pages := max(1, (len(items)+size-1)/size)
	if n < 1 || n > pages {
		return p.notFound(pg)
	}
	name := p.site.cats[cat].name
	title := name
	if n > 1 {
		title += " - Trang " + strconv.Itoa(n)
	}
	p.lay.head(pg, title+" - "+p.site.name)
	p.lay.crumbs(pg, []link{{name, p.lay.listingPath(cat, 1)}})
	p.lay.listing(pg, cat, n, pages, items[(n-1)*size:min(len(items), n*size)])
	p.lay.foot(pg)
	return htmlResponse(kindListing, pg, p.latestMod(), nil)
}

func (p *Portal) articlePage(pg *page, a *article) response {
	pg.art = a
	p.lay.head(pg, a.Title+" - "+p.site.name)
	p.lay.crumbs(pg, []link{{a.Category, p.lay.listingPath(a.cat, 1)}})
	p.lay.article(pg, a)
	p.lay.foot(pg)
	return htmlResponse(kindArticle, pg, a.lastMod(), a)
}

// neighbours returns up to n articles of a's category just newer and just
// older than a, nearest first, as "Những tin mới hơn / cũ hơn" show them.
func (p *Portal) neighbours(a *article, n int) (newer, older []*article) {
	list := p.byCat[a.cat]
	for i, b := range list {
		if b == a {
			for j := i - 1; j >= 0 && len(newer) < n; j-- {
				newer = append(newer, list[j])
			}
			older = list[i+1 : min(len(list), i+1+n)]
			break
		}
	}
	return newer, older
}

// others is the "Các tin khác" list: five articles, older ones first.
func (p *Portal) others(a *article) []*article {
	newer, older := p.neighbours(a, 5)
	out := append([]*article(nil), older...)
	for _, b := range newer {
		if len(out) == 5 {
			break
		}
		out = append(out, b)
	}
	return out
}

func (p *Portal) staticPage(pg *page, sp *staticPage) response {
	p.lay.head(pg, sp.title+" - "+p.site.name)
	p.lay.crumbs(pg, []link{{sp.title, sp.path}})
	pg.f(`<div class="static-page"><h2 class="title">%s</h2>`, esc(sp.title))
	for _, para := range sp.body {
		pg.f("<p>%s</p>", esc(para))
	}
	if sp.title == "Sơ đồ cổng" {
		pg.w("<ul>")
		for i, c := range p.site.cats {
			pg.w("<li>")
			pg.a(p.lay.listingPath(i, 1), c.name)
			pg.w("</li>")
		}
		pg.w("</ul>")
	}
	pg.w("</div>")
	p.lay.foot(pg)
	return htmlResponse(kindStatic, pg, staticModified, nil)
}

// calendar serves the trap: every day links the day before and after,
// forever, and lists at most two existing articles.
func (p *Portal) calendar(pg *page, ngay string) response {
	day := p.newest[0].Published
	if ngay != "" {
		t, err := time.ParseInLocation("2006-01-02", ngay, vnZone)
		if err != nil {
			return p.notFound(pg)
		}
		day = t
	}
	p.lay.head(pg, "Lịch công tác ngày "+day.Format("02/01/2006")+" - "+p.site.name)
	p.lay.crumbs(pg, []link{{"Lịch công tác", "/lich"}})
	pg.f(`<div class="calendar"><h2 class="title">Lịch công tác của Lãnh đạo Sở %s</h2><p class="nav-days">`, weekdaysVI[day.Weekday()]+", "+longDate(day))
	pg.f(`<a href="%s">« Ngày trước</a> | <a href="%s">Ngày sau »</a></p>`,
		pg.href("/lich?ngay="+day.AddDate(0, 0, -1).Format("2006-01-02")), pg.href("/lich?ngay="+day.AddDate(0, 0, 1).Format("2006-01-02")))
	pg.w(`<table class="table"><tr><th>Thời gian</th><th>Nội dung</th><th>Địa điểm</th></tr>`)
	pg.w(`<tr><td>08:00</td><td>Giám đốc Sở dự họp giao ban UBND tỉnh</td><td>Phòng họp số 1</td></tr>`)
	pg.w(`<tr><td>14:00</td><td>Phó Giám đốc Sở làm việc với các phòng chuyên môn</td><td>Trụ sở Sở Nội vụ</td></tr></table>`)
	h := hash64(day.Format("2006-01-02"))
	for k := 0; k < int(h%3) && k < len(p.newest); k++ {
		a := p.newest[(int(h>>8)+k*7)%len(p.newest)]
		pg.w(`<p class="see-also">Xem thêm: `)
		pg.a(a.Path, a.Title)
		pg.w("</p>")
	}
	pg.w("</div>")
	p.lay.foot(pg)
	return htmlResponse(kindCalendar, pg, p.latestMod(), nil)
}

// privatePage is the login form behind the robots-disallowed area; it is
// served so that a test can prove a polite crawler never asked for it.
func (p *Portal) privatePage(pg *page) response {
	pg.f(`<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Đăng nhập quản trị - %s</title></head><body><h1>Đăng nhập hệ thống quản trị</h1><form method="post"><input name="username"><input type="password" name="password"><button>Đăng nhập</button></form></body></html>`, esc(p.site.name))
	return htmlResponse(kindDisallowed, pg, staticModified, nil)
}

func (p *Portal) notFound(pg *page) response {
	pg.sb.Reset()
	pg.f(`<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>404 - Không tìm thấy trang</title></head><body><h1>Không tìm thấy trang yêu cầu</h1><p><a href="/">Về trang chủ %s</a></p></body></html>`, esc(p.site.name))
	res := htmlResponse(kindNotFound, pg, time.Time{}, nil)
	res.status = http.StatusNotFound
	return res
}

// assetResponse serves theme files and images a page references.
func assetResponse(p string) (response, bool) {
	types := map[string]string{".css": "text/css", ".js": "application/javascript", ".png": "image/png", ".jpg": "image/jpeg", ".gif": "image/gif", ".ico": "image/x-icon"}
	ct, ok := types[path.Ext(p)]
	if !ok {
		return response{}, false
	}
	body := []byte("/* simportal theme file */\n")
	if ct[:5] == "image" {
		body = fakeJPEG
	}
	return response{kind: kindStatic, status: http.StatusOK, ctype: ct, body: body, lastMod: staticModified}, true
}
