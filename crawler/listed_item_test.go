package crawler

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/noivu/noivu/article"
)

// listedFrom notes the listed dates of one page as a pass does and returns
// them by URL path.
func listedFrom(t *testing.T, page, body string) map[string]time.Time {
	t.Helper()
	u := mustURL(t, page)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	series, n := pageNumber(u)
	c := &classifier{page: u, series: series, n: n, sameHost: func(l *url.URL) bool { return l.Host == u.Host }}
	var l listedDates
	links := c.links(doc)
	l.note(links, c.anchors)
	out := map[string]time.Time{}
	for _, k := range links {
		if d := l.date(k.URL); !d.IsZero() {
			out[mustURL(t, k.URL).Path] = d
		}
	}
	return out
}

func vnAt(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, article.VietnamZone)
}

// Headlines long enough to be article links whatever their URL.
const (
	h1 = "Sở Nội vụ tổ chức hội nghị tổng kết công tác cải cách hành chính"
	h2 = "Hướng dẫn xét tặng danh hiệu thi đua cho cán bộ, công chức cấp xã"
	h3 = "Kiểm tra công tác văn thư, lưu trữ tại các cơ quan, đơn vị trên địa bàn"
	h4 = "Tập huấn nghiệp vụ quản lý nhà nước về tín ngưỡng, tôn giáo cho cán bộ"
)

func TestListedDateOfEachItem(t *testing.T) {
	tests := []struct {
		name, html string
		want       map[string]time.Time
	}{
		{"list entries with a bare date",
			`<ul><li><a href="/tin/a-101.html">` + h1 + `</a> <span>12/05/2016</span></li>` +
				`<li><a href="/tin/b-102.html">` + h2 + `</a> <span>11/05/2016</span></li></ul>`,
			map[string]time.Time{"/tin/a-101.html": vnAt(2016, 5, 12, 0, 0), "/tin/b-102.html": vnAt(2016, 5, 11, 0, 0)}},
		{"drupal cards: thumbnail, headline, clock and date",
			`<div class="view"><div class="row"><div class="img"><a href="/node/7"><img src="/a.jpg" alt=""></a></div>` +
				`<h3><a href="/node/7">` + h1 + `</a></h3><span class="date">(15:32 | 22/01/2024)</span><p>Ngày 20/01, Sở Nội vụ ...</p></div>` +
				`<div class="row"><h3><a href="/node/6">` + h2 + `</a></h3><span class="date">(08:05 | 19/01/2024)</span></div></div>`,
			map[string]time.Time{"/node/7": vnAt(2024, 1, 22, 15, 32), "/node/6": vnAt(2024, 1, 19, 8, 5)}},
		{"nukeviet panels with the weekday",
			`<div class="news_column"><div class="panel"><div class="panel-body"><h3><a href="/vi/news/tin/a-1201.html">` + h1 + `</a></h3>` +
				`<div class="text-muted"><ul><li><em class="fa fa-clock-o"></em> Thứ ba - 09/04/2019 10:47</li><li>Lượt xem: 120</li></ul></div>Ngày 08/4, ...</div></div>` +
				`<div class="panel"><div class="panel-body"><h3><a href="/vi/news/tin/b-1200.html">` + h2 + `</a></h3>` +
				`<div class="text-muted"><ul><li>Thứ hai - 08/04/2019 09:00</li></ul></div></div></div></div>`,
			map[string]time.Time{"/vi/news/tin/a-1201.html": vnAt(2019, 4, 9, 10, 47), "/vi/news/tin/b-1200.html": vnAt(2019, 4, 8, 9, 0)}},
		{"table rows with a bracketed date",
			`<table><tr><td><a href="/van-ban/a-301.html">` + h1 + `</a></td><td>[17-05-2022]</td></tr>` +
				`<tr><td><a href="/van-ban/b-300.html">` + h2 + `</a></td><td>[16-05-2022]</td></tr></table>`,
			map[string]time.Time{"/van-ban/a-301.html": vnAt(2022, 5, 17, 0, 0), "/van-ban/b-300.html": vnAt(2022, 5, 16, 0, 0)}},
		// The date in a headline names what the article is about, not when
		// it was published.
		{"a headline's own date is not the listed date",
			`<ul><li><a href="/tin/a-101.html">Thông báo kết quả xét tuyển viên chức ngày 14/11/2023 của Sở Nội vụ</a></li>` +
				`<li><a href="/tin/b-102.html">` + h2 + `</a></li></ul>`,
			map[string]time.Time{}},
		// Links that share one element are not items: the date after one
		// headline must not be lent to the other.
		{"headlines in one paragraph",
			`<p><a href="/tin/a-101.html">` + h1 + `</a> (12/05/2016)<br><a href="/tin/b-102.html">` + h2 + `</a> (11/05/2016)</p>`,
			map[string]time.Time{}},
		// A header's "today" is a page's date, not an item's.
		{"a lone headline in a large region",
			`<div id="wrap"><div class="today">Thứ năm, ngày 28 tháng 3 năm 2024</div><div><div><a href="/tin/a-101.html">` + h1 + `</a></div></div>` +
				`<p>` + strings.Repeat("Sở Nội vụ tỉnh thực hiện nhiệm vụ được giao. ", 40) + `</p></div>`,
			map[string]time.Time{}},
		{"the nearest date wins",
			`<div class="box"><span>Cập nhật 01/02/2020</span><div class="item"><a href="/tin/a-101.html">` + h1 + `</a><span>12/05/2016</span></div></div>`,
			map[string]time.Time{"/tin/a-101.html": vnAt(2016, 5, 12, 0, 0)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := listedFrom(t, "https://snv.example.vn/chuyen-muc/tin-tuc", tc.html)
			if len(got) != len(tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
			for p, w := range tc.want {
				if !got[p].Equal(w) {
					t.Errorf("%s: got %v, want %v", p, got[p], w)
				}
			}
		})
	}
}

func TestListedDateFromNeighbours(t *testing.T) {
	li := func(path, headline, date string) string {
		return `<li><a href="` + path + `">` + headline + `</a> <span>` + date + `</span></li>`
	}
	tests := []struct {
		name, html string
		want       time.Time // of /tin/x-100.html; zero: none
	}{
		{"both neighbours agree on the year",
			`<ul>` + li("/tin/a-101.html", h1, "20/03/2023") + li("/tin/x-100.html", h2, "") + li("/tin/b-99.html", h3, "02/03/2023") + `</ul>`,
			vnAt(2023, 3, 20, 0, 0)},
		{"neighbours across new year: no date",
			`<ul>` + li("/tin/a-101.html", h1, "03/01/2024") + li("/tin/x-100.html", h2, "") + li("/tin/b-99.html", h3, "29/12/2023") + `</ul>`,
			time.Time{}},
		{"the first item takes the one neighbour there is",
			`<ul>` + li("/tin/x-100.html", h2, "") + li("/tin/b-99.html", h3, "02/03/2023") + li("/tin/c-98.html", h4, "01/03/2023") + `</ul>`,
			vnAt(2023, 3, 2, 0, 0)},
		{"the last item takes the one neighbour there is",
			`<ul>` + li("/tin/b-102.html", h3, "21/03/2023") + li("/tin/a-101.html", h1, "20/03/2023") + li("/tin/x-100.html", h2, "") + `</ul>`,
			vnAt(2023, 3, 20, 0, 0)},
		{"two items are no list",
			`<ul>` + li("/tin/a-101.html", h1, "20/03/2023") + li("/tin/x-100.html", h2, "") + `</ul>`,
			time.Time{}},
		{"an undated neighbour does not count",
			`<ul>` + li("/tin/a-101.html", h1, "") + li("/tin/x-100.html", h2, "") + li("/tin/b-99.html", h3, "02/03/2023") + `</ul>`,
			vnAt(2023, 3, 2, 0, 0)},
		{"a neighbour's date is not lent on",
			`<ul>` + li("/tin/x-100.html", h2, "") + li("/tin/a-101.html", h1, "") + li("/tin/b-99.html", h3, "02/03/2023") + `</ul>`,
			time.Time{}},
		{"another list's items are no neighbours",
			`<ul>` + li("/tin/a-101.html", h1, "20/03/2023") + li("/tin/b-99.html", h3, "02/03/2023") + li("/tin/c-98.html", h4, "01/03/2023") + `</ul>` +
				`<ul>` + li("/tin/x-100.html", h2, "") + li("/tin/y-97.html", h1+" năm nay", "") + li("/tin/z-96.html", h3+" năm nay", "") + `</ul>`,
			time.Time{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := listedFrom(t, "https://snv.example.vn/chuyen-muc/tin-tuc", tc.html)["/tin/x-100.html"]
			if !got.Equal(tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

// An article on several listings keeps the first date seen, unless that
// date was only lent by its neighbours and a later listing shows its own.
func TestListedDateFirstSeenWins(t *testing.T) {
	var l listedDates
	const u = "https://snv.example.vn/tin/x-100.html"
	first, second, own := vnAt(2023, 3, 20, 0, 0), vnAt(2023, 3, 21, 0, 0), vnAt(2023, 3, 19, 0, 0)
	l.put(u+"?utm_source=zalo", first, false)
	l.put(u, second, false)
	if got := l.date(u); !got.Equal(first) {
		t.Errorf("after two lent dates: %v, want the first, %v", got, first)
	}
	l.put(u, own, true)
	l.put(u, second, true)
	if got := l.date("https://www.snv.example.vn/tin/x-100.html#binh-luan"); !got.Equal(own) {
		t.Errorf("after its own dates: %v, want the first own one, %v", got, own)
	}
	if got := l.date("https://snv.example.vn/tin/y-101.html"); !got.IsZero() {
		t.Errorf("an unlisted article has a listed date: %v", got)
	}
}
