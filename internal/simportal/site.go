package simportal

import (
	"fmt"
	"hash/fnv"
	"html"
	"net/url"
	"strings"
	"time"
)

// layout is what differs between the three CMS families the portal imitates:
// URL shapes, markup and the mix of date and author shapes.
type layout interface {
	setup(s *siteInfo)
	articleID(seq int) int
	articlePath(a *article) string
	uploadDir(t time.Time) string
	listingPath(cat, page int) string // page counts from 1
	parseListing(path string, q url.Values) (cat, page int, ok bool)
	dateMix() []weighted[dateShape]
	authorMix() []weighted[authorShape]
	head(pg *page, title string)
	crumbs(pg *page, trail []link)
	foot(pg *page)
	listing(pg *page, cat, pageNo, pages int, items []*article)
	article(pg *page, a *article)
}

type link struct{ text, path string }

type category struct {
	name, slug string
	topic      int // index into topics of the category's own field, -1 for any
}

type staticPage struct {
	title, path string
	body        []string
}

// siteInfo holds a portal's fixed chrome: names, menus, robots rules.
type siteInfo struct {
	name, province, host string
	places, outlets      []string
	address, phone, mail string
	cats                 []category
	statics              []staticPage
	disallowed           []string
	private              []link
	feedPath             string         // the main feed, "" when the portal has none
	feeds                map[string]int // feed paths: category index, -1 for all
	sitemapIndex         bool           // NukeViet: /sitemap.xml is an index
	charset              string         // charset of listing pages
}

var categoryPool = []category{
	{"Tin tức - Sự kiện", "tin-tuc-su-kien", -1}, {"Cải cách hành chính", "cai-cach-hanh-chinh", 0},
	{"Thi đua - Khen thưởng", "thi-dua-khen-thuong", 2}, {"Tổ chức - Biên chế", "to-chuc-bien-che", 3},
	{"Lao động - Việc làm", "lao-dong-viec-lam", 8}, {"Người có công", "nguoi-co-cong", 10},
	{"Văn thư - Lưu trữ", "van-thu-luu-tru", 4}, {"Tôn giáo", "ton-giao", 5},
}

var staticTitles = []string{"Giới thiệu", "Chức năng, nhiệm vụ", "Cơ cấu tổ chức", "Lãnh đạo Sở", "Liên hệ", "Sơ đồ cổng"}

var externalLinks = []link{
	{"Cổng TTĐT Chính phủ", "https://chinhphu.vn/"}, {"Bộ Nội vụ", "https://moha.gov.vn/"},
	{"Cổng Dịch vụ công quốc gia", "https://dichvucong.gov.vn/"}, {"Văn bản quy phạm pháp luật", "https://vbpl.vn/"},
	{"Báo Điện tử Chính phủ", "https://baochinhphu.vn/"}, {"Bảo hiểm xã hội Việt Nam", "https://baohiemxahoi.gov.vn/"},
	{"Tạp chí Tổ chức nhà nước", "https://tcnn.vn/"}, {"Ban Thi đua - Khen thưởng Trung ương", "https://btdkt.moha.gov.vn/"},
}

func staticBody(title, province string) []string {
	return []string{
		fmt.Sprintf("%s của Sở Nội vụ tỉnh %s.", title, province),
		"Sở Nội vụ là cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh, tham mưu, giúp Ủy ban nhân dân tỉnh quản lý nhà nước về tổ chức bộ máy, biên chế, cải cách hành chính, chính quyền địa phương, cán bộ, công chức, viên chức, văn thư, lưu trữ, tín ngưỡng, tôn giáo, thi đua, khen thưởng và công tác thanh niên.",
		"Từ ngày 01/3/2025, Sở tiếp nhận thêm chức năng quản lý nhà nước về lao động, tiền lương, việc làm, người có công, bảo hiểm xã hội và bình đẳng giới.",
	}
}

// page is one HTML document being written for one request.
type page struct {
	p    *Portal
	sb   strings.Builder
	base string   // scheme://host of the request
	path string   // the page's own path
	art  *article // the article shown, if any
}

// charset is what the page declares and is encoded in.
func (pg *page) charset() string {
	if pg.art != nil {
		return pg.art.Charset
	}
	return charsetUTF8
}

// pageWindow lists the page numbers a pager shows around n; 0 is an ellipsis.
func pageWindow(n, pages int) []int {
	var out []int
	for i := 1; i <= pages; i++ {
		switch {
		case i == 1 || i == pages || (i >= n-2 && i <= n+2):
			out = append(out, i)
		case len(out) > 0 && out[len(out)-1] != 0:
			out = append(out, 0)
		}
	}
	return out
}

// splitLine splits "Tác giả: X - Y" into its label and value.
func splitLine(s string) (label, value string) {
	if i := strings.Index(s, ": "); i >= 0 {
		return s[:i+1], s[i+2:]
	}
	return "", s
}

func (pg *page) w(parts ...string) {
	for _, s := range parts {
		pg.sb.WriteString(s)
	}
}

func (pg *page) f(format string, a ...any) { fmt.Fprintf(&pg.sb, format, a...) }

// href mixes relative paths and absolute URLs built from the request's Host,
// as real sites do; the choice depends on the path only, so it is stable.
func (pg *page) href(path string) string {
	if strings.HasPrefix(path, "http") || strings.HasPrefix(path, "?") {
		return esc(path)
	}
	if hash64(path)%3 == 0 {
		return esc(pg.base + path)
	}
	return esc(path)
}

func (pg *page) abs(path string) string { return esc(pg.base + path) }

// a writes a link with its text as title attribute, as CMS menus do.
func (pg *page) a(path, text string) {
	pg.f(`<a href="%s" title="%s">%s</a>`, pg.href(path), esc(text), esc(text))
}

func esc(s string) string { return html.EscapeString(s) }

func hash64(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	x := h.Sum64() // FNV alone barely stirs the high bits for a changed last byte
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// trackingSuffix gives some listing links the tracking parameters or
// fragments seen on real portals; the crawler must fold them away.
func trackingSuffix(seq int) string {
	switch seq % 6 {
	case 1:
		return "?utm_source=zalo&utm_medium=social"
	case 4:
		return "#binh-luan"
	}
	return ""
}
