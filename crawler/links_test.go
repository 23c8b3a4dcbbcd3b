package crawler

import (
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
