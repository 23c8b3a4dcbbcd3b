package crawler

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestPageNumber(t *testing.T) {
	tests := []struct {
		in, series string
		n          int
	}{
		{"https://a.vn/vi/news/tin-tuc/", "https://a.vn/vi/news/tin-tuc", 0},
		{"https://a.vn/vi/news/tin-tuc/page-3", "https://a.vn/vi/news/tin-tuc", 3},
		{"https://a.vn/tin-tuc?page=2", "https://a.vn/tin-tuc", 2},
		{"https://a.vn/tin-tuc?cat=5&trang=4", "https://a.vn/tin-tuc?cat=5", 4},
		{"https://a.vn/blog/page/7/", "https://a.vn/blog", 7},
		{"https://a.vn/", "https://a.vn/", 0},
		{"https://a.vn/lich?ngay=2024-03-28", "https://a.vn/lich?ngay=2024-03-28", 0},
		{"https://a.vn/2014/01/bai-viet-so-2.html", "https://a.vn/2014/01/bai-viet-so-2.html", 0},
	}
	for _, tt := range tests {
		series, n := pageNumber(mustURL(t, tt.in))
		if series != tt.series || n != tt.n {
			t.Errorf("pageNumber(%s) = %s, %d; want %s, %d", tt.in, series, n, tt.series, tt.n)
		}
	}
}

func TestCleanURL(t *testing.T) {
	base := mustURL(t, "https://sonoivu.sonla.gov.vn/tin-tuc/")
	tests := []struct{ href, want string }{
		{"bai-1.html#top", "https://sonoivu.sonla.gov.vn/tin-tuc/bai-1.html"},
		{"/a.html?utm_source=zalo&id=3", "https://sonoivu.sonla.gov.vn/a.html?id=3"},
		{"javascript:void(0)", ""},
		{"mailto:snv@sonla.gov.vn", ""},
		{"#", ""},
		{"https://chinhphu.vn/", "https://chinhphu.vn/"},
		// Raw letters and broken bytes in a query are percent-encoded as a
		// browser would; escapes already there stay as they are.
		{"/tim-kiem?q=cải cách", "https://sonoivu.sonla.gov.vn/tim-kiem?q=c%E1%BA%A3i%20c%C3%A1ch"},
		{"/tim-kiem?q=\xd4&p=%E1%BA%A3", "https://sonoivu.sonla.gov.vn/tim-kiem?q=%D4&p=%E1%BA%A3"},
	}
	for _, tt := range tests {
		if got := cleanURL(base, tt.href); got != tt.want {
			t.Errorf("cleanURL(%q) = %q, want %q", tt.href, got, tt.want)
		}
	}
}

// A listing page as NukeViet draws it: menu, article items, a pager, a feed,
// an attachment, an off-site link and an image.
const listingHTML = `<html><head><link rel="alternate" type="application/rss+xml" href="/vi/news/rss/"></head><body>
<ul class="menu"><li><a href="/vi/news/tin-tuc/">Tin tức</a></li><li><a href="/vi/about/">Giới thiệu</a></li></ul>
<div class="news_column">
 <h3><a href="/vi/news/tin-tuc/hoi-nghi-tong-ket-cong-tac-thi-dua-khen-thuong-nam-2024-123.html">Hội nghị tổng kết công tác thi đua, khen thưởng năm 2024</a></h3>
 <h3><a href="/vi/news/tin-tuc/tuyen-dung-124.html?utm_source=x#c">Thông báo tuyển dụng công chức làm việc tại Sở Nội vụ năm 2025</a></h3>
 <a href="/vi/news/tin-tuc/tuyen-dung-124.html"><img src="/uploads/a.jpg" alt="anh tin bai"></a>
</div>
<div class="pagination"><a href="/vi/news/tin-tuc/page-2">2</a> <a href="/vi/news/tin-tuc/page-3">3</a> <a href="/vi/news/tin-tuc/page-2">»</a></div>
<a href="/uploads/news/2019_05/quyet-dinh.pdf">Quyết định số 12</a>
<a href="https://chinhphu.vn/">Cổng Chính phủ</a>
<a href="/uploads/a.jpg">ảnh</a>
</body></html>`

func TestClassifierRoles(t *testing.T) {
	page := mustURL(t, "https://snv.binhdinh.gov.vn/vi/news/tin-tuc/")
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(listingHTML))
	if err != nil {
		t.Fatal(err)
	}
	series, n := pageNumber(page)
	c := &classifier{page: page, series: series, n: n, sameHost: func(u *url.URL) bool { return u.Host == page.Host }}
	got := map[string]linkRole{}
	for _, l := range c.links(doc) {
		got[strings.TrimPrefix(l.URL, "https://snv.binhdinh.gov.vn")] = l.Role
	}
	want := map[string]linkRole{
		"/vi/news/rss/": roleFeed,
		"/vi/about/":    roleNav,
		"/vi/news/tin-tuc/hoi-nghi-tong-ket-cong-tac-thi-dua-khen-thuong-nam-2024-123.html": roleArticle,
		"/vi/news/tin-tuc/tuyen-dung-124.html":                                              roleArticle,
		"/vi/news/tin-tuc/page-2":                                                           rolePagination,
		"/vi/news/tin-tuc/page-3":                                                           rolePagination,
		"/uploads/news/2019_05/quyet-dinh.pdf":                                              roleAttachment,
	}
	for u, r := range want {
		if g, ok := got[u]; !ok || g != r {
			t.Errorf("%s: role %v (found %v), want %v", u, g, ok, r)
		}
	}
	for u := range got {
		if _, ok := want[u]; !ok {
			t.Errorf("unexpected link %s (role %v): off-site links and images must be dropped", u, got[u])
		}
	}
}

func TestCalendarIsNotPagination(t *testing.T) {
	page := mustURL(t, "https://a.gov.vn/lich?ngay=2024-03-28")
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(`<a href="/lich?ngay=2024-03-29">»</a><a href="/lich?ngay=2024-03-27">«</a>`))
	series, n := pageNumber(page)
	c := &classifier{page: page, series: series, n: n, sameHost: func(*url.URL) bool { return true }}
	for _, l := range c.links(doc) {
		if l.Role == rolePagination {
			t.Errorf("%s taken for pagination: a calendar's next day must stay depth-bounded", l.URL)
		}
	}
}

func TestNextPage(t *testing.T) {
	tests := []struct {
		cur   string
		pages []string
		want  string
	}{
		{"https://a.vn/c/", []string{"https://a.vn/c/page-3", "https://a.vn/c/page-2", "https://a.vn/c/page-9"}, "https://a.vn/c/page-2"},
		{"https://a.vn/c/page-2", []string{"https://a.vn/c/", "https://a.vn/c/page-3", "https://a.vn/c/page-4"}, "https://a.vn/c/page-3"},
		// Drupal counts from 0: the first page has no parameter, the second is ?page=1.
		{"https://a.vn/tin-tuc", []string{"https://a.vn/tin-tuc?page=1", "https://a.vn/tin-tuc?page=2"}, "https://a.vn/tin-tuc?page=1"},
		{"https://a.vn/tin-tuc?page=1", []string{"https://a.vn/tin-tuc", "https://a.vn/tin-tuc?page=2"}, "https://a.vn/tin-tuc?page=2"},
		{"https://a.vn/c/page-9", []string{"https://a.vn/c/page-8"}, ""},
	}
	for _, tt := range tests {
		got := nextPage(mustURL(t, tt.cur), tt.pages)
		if (tt.want == "" && len(got) != 0) || (tt.want != "" && (len(got) != 1 || got[0] != tt.want)) {
			t.Errorf("nextPage(%s) = %v, want %q", tt.cur, got, tt.want)
		}
	}
}

func TestArticleURLShapes(t *testing.T) {
	articles := []string{
		"https://sonoivu.sonla.gov.vn/2014/01/hoi-nghi-tong-ket.html",
		"https://snv.binhdinh.gov.vn/vi/news/tin-tuc/hoi-nghi-so-ket-123.html",
		"https://sonoivu.bacgiang.gov.vn/node/4105",
		"https://sonoivu.quangnam.gov.vn/webcenter/portal/sonoivu/pages_tin-tuc/detail?dDocName=PORTAL123",
		"https://snv.quangbinh.gov.vn/chi-tiet-tin/-/view-article/1/123/456",
		"https://sonv.hungyen.gov.vn/portal/Pages/2024-05/Hoi-nghi-abc123.aspx",
		"https://sonoivu.tuyenquang.gov.vn/vi/tin-bai/hoi-nghi?id=42&type=NEWS",
		"https://snv.kiengiang.gov.vn/trang/TinTuc/45/1234/Hoi-nghi.html",
		"https://sonoivu.namdinh.gov.vn/tin-tuc/hoi-nghi-tong-ket-cong-tac-5678",
		"https://sonv.langson.gov.vn/bm/print/991",
	}
	for _, u := range articles {
		if !articleURLRE.MatchString(u) {
			t.Errorf("%s: not taken for an article URL", u)
		}
	}
	static := []string{
		"https://snv.binhdinh.gov.vn/vi/about/chuc-nang-nhiem-vu.html",
		"https://sonoivu.sonla.gov.vn/co-cau-to-chuc.html",
		"https://sonoivu.bacgiang.gov.vn/lien-he",
		"https://snv.binhdinh.gov.vn/vi/news/tin-tuc/page-2",
	}
	for _, u := range static {
		if articleURLRE.MatchString(u) {
			t.Errorf("%s: taken for an article URL", u)
		}
	}
}

// FuzzArticleShapedMatchesRegexp holds the prefiltered test to the regexp.
func FuzzArticleShapedMatchesRegexp(f *testing.F) {
	for _, u := range []string{
		"https://sonoivu.sonla.gov.vn/2014/01/hoi-nghi-tong-ket.html", "https://a.vn/node/4105/",
		"https://a.vn/Pages/2024-05/x.ASPX", "https://a.vn/x?ItemID=5", "https://a.vn/a-b-c-12/",
		"https://a.vn/lien-he", "https://a.vn/vi/news/tin-tuc/page-2", "https://a.vn/\u017fx?\u212a", "",
		"https://a.vn/x?DDOCNAME=P1", "https://a.vn/BM/Print/9", "https://a.vn/chi-tiet/-/VIEW-ARTICLE/1",
	} {
		f.Add(u)
	}
	f.Fuzz(func(t *testing.T, u string) {
		if got, want := articleShaped(u), articleURLRE.MatchString(u); got != want {
			t.Errorf("articleShaped(%q) = %v, want %v", u, got, want)
		}
	})
}

func TestScopeOfSubSite(t *testing.T) {
	tests := map[string]string{
		"https://sonoivu.sonla.gov.vn/":           "/",
		"https://sonoivu.sonla.gov.vn":            "/",
		"https://binhphuoc.gov.vn/vi/snv/":        "/vi/snv/",
		"https://sonv.hungyen.gov.vn/portal/home": "/portal/",
	}
	for in, want := range tests {
		if got := scopeOf(mustURL(t, in)); got != want {
			t.Errorf("scopeOf(%s) = %q, want %q", in, got, want)
		}
	}
}

// classify returns the links of page, by URL, in the order found.
func classify(t *testing.T, page, html string) []link {
	t.Helper()
	u := mustURL(t, page)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(html))
	if err != nil {
		t.Fatal(err)
	}
	series, n := pageNumber(u)
	c := &classifier{page: u, series: series, n: n, sameHost: func(l *url.URL) bool { return l.Host == u.Host }}
	return c.links(doc)
}

// A URL linked several times takes the strongest role any of its anchors
// gives it: a listing item's thumbnail (an image with empty alt text) or a
// "Xem tiếp" comes before or after its headline, and the headline decides.
// The order of the links is the order of their first anchors.
func TestRepeatedLinkTakesItsStrongestRole(t *testing.T) {
	const headline = "Sở Nội vụ tổ chức hội nghị tổng kết công tác cải cách hành chính năm 2024"
	tests := []struct {
		name, html string
		want       []link
	}{
		{"thumbnail before headline",
			`<a href="/node/4054"><img src="/a.jpg" alt=""></a><a href="/node/4054">` + headline + `</a><a href="/lien-he">Liên hệ</a>`,
			[]link{{"https://a.vn/node/4054", roleArticle}, {"https://a.vn/lien-he", roleNav}}},
		{"headline before read-more",
			`<a href="/node/4054">` + headline + `</a><a href="/node/4054">Xem tiếp</a>`,
			[]link{{"https://a.vn/node/4054", roleArticle}}},
		{"slug URL: image then headline",
			`<a href="/tin-tuc/hoi-nghi"><img src="/a.jpg"></a><a href="/gioi-thieu">Giới thiệu</a><a href="/tin-tuc/hoi-nghi">` + headline + `</a>`,
			[]link{{"https://a.vn/tin-tuc/hoi-nghi", roleArticle}, {"https://a.vn/gioi-thieu", roleNav}}},
		{"a menu entry stays a menu entry",
			`<a href="/gioi-thieu">Giới thiệu</a><a href="/gioi-thieu"><img src="/b.jpg" alt="Giới thiệu"></a>`,
			[]link{{"https://a.vn/gioi-thieu", roleNav}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := classify(t, "https://a.vn/tin-tuc", tt.html)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("links = %v, want %v", got, tt.want)
			}
		})
	}
}

// A listing's first page is one page whatever the URL a pager writes it
// with: Sơn La counts from 1 and links its first page both bare (menu,
// breadcrumb) and as ?page=1 ("Trang đầu", "1"), while Drupal counts from 0,
// so that its ?page=1 is the second page. Which one a pager means shows in
// its numbered links.
func TestFirstPageIsOnePage(t *testing.T) {
	const sonLaPager = `<a href="/chuyen-muc/tin-tuc">Tin tức</a><div class="paging"><a href="?page=1">Trang đầu</a> <a href="?page=1">«</a> ` +
		`<a href="?page=1">1</a> <span class="current">2</span> <a href="?page=3">3</a> <a href="?page=3">»</a></div>`
	const drupalPager = `<a href="/tin-tuc">Tin tức</a><ul class="pager"><li><a href="/tin-tuc">« đầu</a></li><li><a href="/tin-tuc">1</a></li>` +
		`<li class="pager-current">2</li><li><a href="/tin-tuc?page=2">3</a></li><li><a href="/tin-tuc?page=2">trang sau ›</a></li></ul>`
	tests := []struct {
		name, page, html string
		want             []string // pagination links
	}{
		{"sonla page 2: bare and ?page=1 are one page", "https://a.vn/chuyen-muc/tin-tuc?page=2", sonLaPager,
			[]string{"https://a.vn/chuyen-muc/tin-tuc", "https://a.vn/chuyen-muc/tin-tuc?page=3"}},
		{"sonla page 1 fetched bare: ?page=1 is the page itself", "https://a.vn/chuyen-muc/tin-tuc",
			`<div class="paging"><a href="?page=1">Trang đầu</a> <span class="current">1</span> <a href="?page=2">2</a> <a href="?page=3">3</a></div>`,
			[]string{"https://a.vn/chuyen-muc/tin-tuc?page=2", "https://a.vn/chuyen-muc/tin-tuc?page=3"}},
		{"sonla page 1 fetched as ?page=1: the bare URL is the page itself", "https://a.vn/chuyen-muc/tin-tuc?page=1",
			`<a href="/chuyen-muc/tin-tuc">Tin tức</a><div class="paging"><a href="?page=1">Trang đầu</a> <span class="current">1</span> <a href="?page=2">2</a></div>`,
			[]string{"https://a.vn/chuyen-muc/tin-tuc?page=2"}},
		{"only ?page=1 links the first page: kept", "https://a.vn/chuyen-muc/tin-tuc?page=3",
			`<div class="paging"><a href="?page=1">1</a> <a href="?page=2">2</a> <span class="current">3</span></div>`,
			[]string{"https://a.vn/chuyen-muc/tin-tuc?page=1", "https://a.vn/chuyen-muc/tin-tuc?page=2"}},
		{"drupal second page: ?page=1 is itself, the bare URL page 1", "https://a.vn/tin-tuc?page=1", drupalPager,
			[]string{"https://a.vn/tin-tuc", "https://a.vn/tin-tuc?page=2"}},
		{"drupal first page: ?page=1 is the next page", "https://a.vn/tin-tuc",
			`<ul class="pager"><li class="pager-current">1</li><li><a href="/tin-tuc?page=1">2</a></li><li><a href="/tin-tuc?page=1">trang sau ›</a></li></ul>`,
			[]string{"https://a.vn/tin-tuc?page=1"}},
		{"no numbered link: nothing merged", "https://a.vn/chuyen-muc/tin-tuc?page=2",
			`<a href="/chuyen-muc/tin-tuc">Tin tức</a><a href="?page=1">Trang đầu</a><a href="?page=3">»</a>`,
			[]string{"https://a.vn/chuyen-muc/tin-tuc", "https://a.vn/chuyen-muc/tin-tuc?page=1", "https://a.vn/chuyen-muc/tin-tuc?page=3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, l := range classify(t, tt.page, tt.html) {
				if l.Role == rolePagination {
					got = append(got, l.URL)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("pagination links = %v, want %v", got, tt.want)
			}
		})
	}
}

// A page is a listing when it lists articles of its own or pages through a
// series of them; a page whose only headlines are the home page's sidebar
// blocks, repeated on every static page, is not. A category's first page
// often shows nothing but what the home page shows too.
func TestListsArticles(t *testing.T) {
	art := func(n int) link {
		return link{URL: fmt.Sprintf("https://a.vn/tin-tuc/bai-%d-%d.html", n, n), Role: roleArticle}
	}
	var home []link
	for i := 1; i <= 10; i++ {
		home = append(home, art(i)) // "Tin mới", "Tin đọc nhiều", category blocks
	}
	home = append(home, link{"https://a.vn/tin-tuc", roleNav}, link{"https://a.vn/gioi-thieu.html", roleNav})
	next := link{URL: "https://a.vn/tin-tuc?page=2", Role: rolePagination}
	tests := []struct {
		name  string
		page  string
		links []link
		want  bool
	}{
		{"static page with the sidebar", "https://a.vn/gioi-thieu.html", []link{art(1), art(2), art(3), art(4), art(5), home[10]}, false},
		{"three headlines of its own", "https://a.vn/tin-tuc", []link{art(1), art(11), art(12), art(13)}, true},
		{"home headlines and a next page", "https://a.vn/tin-tuc", []link{art(1), art(2), art(3), art(4), art(11), next}, true},
		{"last page: pagination back", "https://a.vn/tin-tuc?page=2", []link{art(5), {"https://a.vn/tin-tuc", rolePagination}}, true},
		{"calendar day with two headlines", "https://a.vn/lich?ngay=2024-03-28", []link{art(1), art(2), {"https://a.vn/lich?ngay=2024-03-29", roleNav}}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := &pass{home: mustURL(t, "https://a.vn/")}
			if !p.listsArticles(p.home, home) {
				t.Fatal("the home page is not a listing")
			}
			if got := p.listsArticles(mustURL(t, tt.page), tt.links); got != tt.want {
				t.Errorf("listsArticles = %v, want %v", got, tt.want)
			}
		})
	}
}
