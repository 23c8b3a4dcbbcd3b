package extract

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/text/unicode/norm"
)

// TestSectionFrom reads the section from breadcrumbs shaped like those of
// the portals in SOURCES.md and of the CMSs they run on.
func TestSectionFrom(t *testing.T) {
	tests := []struct {
		name, page, html, want string
	}{{
		name: "NukeViet 4 microdata (Bình Định)",
		page: "https://snv.binhdinh.gov.vn/vi/news/tin-hoat-dong/hoi-nghi-tong-ket-1234.html",
		html: `<nav class="third-nav"><div class="breadcrumbs-wrap"><div class="display">
<ul class="breadcrumbs list-none" itemscope itemtype="https://schema.org/BreadcrumbList">
<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem"><a href="/" itemprop="item" title="Trang chủ"><span itemprop="name">Trang chủ</span></a><meta itemprop="position" content="1"></li>
<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem"><a href="/vi/news/" itemprop="item" title="Tin tức"><span itemprop="name">Tin tức</span></a><meta itemprop="position" content="2"></li>
<li itemprop="itemListElement" itemscope itemtype="https://schema.org/ListItem"><a href="/vi/news/tin-hoat-dong/" itemprop="item" title="Tin hoạt động"><span itemprop="name">Tin hoạt động</span></a><meta itemprop="position" content="3"></li>
</ul></div></div></nav><h1 class="title">Hội nghị tổng kết công tác năm 2024</h1>`,
		want: "Tin hoạt động",
	}, {
		name: "links run together, no separator (Sơn La)",
		page: "https://sonoivu.sonla.gov.vn/2014/01/hoi-nghi.html",
		html: `<div class="breadcrumb"><a href="/">Trang chủ</a><a href="/thong-tin-kinh-te-xa-hoi">Thông tin kinh tế, xã hội</a></div>`,
		want: "Thông tin kinh tế, xã hội",
	}, {
		name: "text run together, no links at all",
		page: "https://sonoivu.sonla.gov.vn/2014/01/hoi-nghi.html",
		html: `<div class="breadcrumb">Trang chủThông tin kinh tế, xã hội</div>`,
		want: "Thông tin kinh tế, xã hội",
	}, {
		name: "Drupal 7 with a hidden label and the title as text (Bắc Giang)",
		page: "https://sonoivu.bacgiang.gov.vn/node/4521",
		html: `<div id="breadcrumb"><h2 class="element-invisible">Bạn đang ở đây</h2><div class="breadcrumb"><a href="/">Trang chủ</a> » <a href="/tin-tuc">Tin tức</a> » Hội nghị tổng kết công tác cải cách hành chính</div></div>
<h1 class="page-title">Hội nghị tổng kết công tác cải cách hành chính</h1>`,
		want: "Tin tức",
	}, {
		name: "Liferay 6 ending in a generic detail page (Quảng Bình)",
		page: "https://snv.quangbinh.gov.vn/chi-tiet-tin/-/view-article/1/123/456",
		html: `<div class="portlet-breadcrumb"><ul class="breadcrumbs breadcrumbs-horizontal lfr-component">
<li class="first"><span><a href="/home">Trang chủ</a></span></li>
<li><span><a href="/tin-tuc-su-kien">Tin tức - Sự kiện</a></span></li>
<li class="last"><span><a href="/chi-tiet-tin">Chi tiết tin</a></span></li></ul></div>`,
		want: "Tin tức - Sự kiện",
	}, {
		name: "Bootstrap ol.breadcrumb, icon-only home, article linked to itself with www and a fragment",
		page: "https://snv.quangbinh.gov.vn/chi-tiet-tin/-/view-article/1/123/456",
		html: `<ol class="breadcrumb"><li class="breadcrumb-item"><a href="/web/guest"><i class="fa fa-home"></i></a></li>
<li class="breadcrumb-item"><a href="/web/guest/cai-cach-hanh-chinh">Cải cách hành chính</a></li>
<li class="breadcrumb-item active"><a href="http://www.snv.quangbinh.gov.vn/chi-tiet-tin/-/view-article/1/123/456#top">Triển khai Đề án 06</a></li></ol>`,
		want: "Cải cách hành chính",
	}, {
		name: "Joomla 3: dividers inside items, the title unlinked and named by its headline",
		page: "https://sonoivu.example.gov.vn/index.php/tin-tuc/123-ke-hoach",
		html: `<ul class="breadcrumb"><li class="active"><span class="divider icon-location"></span></li>
<li><a href="/index.php" class="pathway">Trang chủ</a><span class="divider">/</span></li>
<li><a href="/index.php/tin-tuc" class="pathway">Tin tức</a><span class="divider">/</span></li>
<li class="active"><span>Kế hoạch thi đua năm 2025</span></li></ul>
<div class="page-header"><h2 itemprop="headline">Kế hoạch thi đua năm 2025</h2></div>`,
		want: "Tin tức",
	}, {
		name: "Joomla 1.5 pathway with images between links",
		page: "https://sonoivu.example.gov.vn/index.php?option=com_content&view=article&id=12",
		html: `<title>Công văn số 45 - Sở Nội vụ</title>
<span class="breadcrumbs pathway"><a href="/" class="pathway">Trang chủ</a> <img src="/arrow.png" alt=""> <a href="/index.php?option=com_content&view=category&id=3" class="pathway">Văn bản chỉ đạo</a> <img src="/arrow.png" alt=""> Công văn số 45</span>`,
		want: "Văn bản chỉ đạo",
	}, {
		name: "WordPress Yoast, nested spans, last item the entry title",
		page: "https://x.gov.vn/thong-bao/tuyen-dung-2025/",
		html: `<p id="breadcrumbs"><span><span><a href="https://x.gov.vn/">Trang chủ</a> » <span><a href="https://x.gov.vn/category/thong-bao/">Thông báo</a> » <span class="breadcrumb_last" aria-current="page">Thông báo tuyển dụng công chức năm 2025</span></span></span></span></p>
<h1 class="entry-title">Thông báo tuyển dụng công chức năm 2025</h1>`,
		want: "Thông báo",
	}, {
		name: "JSON-LD in @graph, out of order, last item the page itself",
		page: "https://x.gov.vn/tin-tuc/bai-viet/",
		html: `<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebPage","name":"Bài viết"},
{"@type":"BreadcrumbList","itemListElement":[{"@type":"ListItem","position":2,"name":"Tin tức","item":"https://x.gov.vn/tin-tuc/"},
{"@type":"ListItem","position":1,"name":"Trang chủ","item":"https://x.gov.vn/"},
{"@type":"ListItem","position":3,"name":"Bài viết","item":{"@id":"https://x.gov.vn/tin-tuc/bai-viet/"}}]}]}</script>`,
		want: "Tin tức",
	}, {
		name: "a date shown inside the breadcrumb bar",
		page: "https://sonoivu.example.gov.vn/tin-tuc/bai-1.html",
		html: `<div class="breadcrumbs"><a href="/">Trang chủ</a> » <a href="/tin-tuc/">Tin tức</a><span class="date">Thứ năm, ngày 28/03/2024</span></div>`,
		want: "Tin tức",
	}, {
		name: "the title cut short with an ellipsis",
		page: "https://sonoivu.example.gov.vn/van-ban/qd-12.html",
		html: `<ol class="breadcrumb"><li><a href="/">Trang chủ</a></li><li><a href="/van-ban">Văn bản</a></li><li>Quyết định số 12/QĐ-SNV về việc ban hành quy chế...</li></ol>`,
		want: "Văn bản",
	}, {
		name: "a long unlinked title and no heading to compare it with",
		page: "https://sonoivu.example.gov.vn/tin-tuc/bai-2.html",
		html: `<div class="breadcrumb"><a href="/">Trang chủ</a> &gt; <a href="/tin-tuc">Tin tức</a> &gt; Sở Nội vụ tổ chức hội nghị tổng kết công tác năm 2024 và triển khai nhiệm vụ năm 2025</div>`,
		want: "Tin tức",
	}, {
		name: "text trail with slashes, a slash inside the title",
		page: "https://sonoivu.example.gov.vn/van-ban/qd-12.html",
		html: `<div class="duongdan">Trang chủ / Văn bản / Quyết định 12/QĐ-UBND</div><h1>Quyết định 12/QĐ-UBND</h1>`,
		want: "Văn bản",
	}, {
		name: "an empty breadcrumb first, the real one later",
		page: "https://sonoivu.example.gov.vn/tin-tuc/bai-3.html",
		html: `<div class="breadcrumb"></div><nav aria-label="breadcrumb"><ol><li><a href="/">Trang chủ</a></li><li><a href="/lao-dong-viec-lam">Lao động - Việc làm</a></li></ol></nav>`,
		want: "Lao động - Việc làm",
	}, {
		name: "decomposed (NFD) text comes out NFC",
		page: "https://sonoivu.example.gov.vn/tin-tuc/bai-4.html",
		html: norm.NFD.String(`<div class="breadcrumb"><a href="/">Trang chủ</a> › <a href="/tin-hoat-dong">  Tin hoạt động  </a></div>`),
		want: "Tin hoạt động",
	}, {
		name: "no breadcrumb: article:section",
		page: "https://sonoivu.example.gov.vn/tin-tuc/bai-5.html",
		html: `<meta property="article:section" content="Người có công"><h1>Tiêu đề</h1>`,
		want: "Người có công",
	}, {
		name: "a breadcrumb of the home page alone",
		page: "https://sonoivu.example.gov.vn/gioi-thieu.html",
		html: `<div class="breadcrumb"><a href="/">Trang chủ</a></div>`,
		want: "",
	}, {
		name: "home and the title only",
		page: "https://sonoivu.example.gov.vn/gioi-thieu.html",
		html: `<ol class="breadcrumb"><li><a href="/">Trang chủ</a></li><li class="active">Giới thiệu chung</li></ol><h1>Giới thiệu chung</h1>`,
		want: "",
	}, {
		name: "no breadcrumb at all",
		page: "https://sonoivu.example.gov.vn/tin-tuc/bai-6.html",
		html: `<div class="menu"><a href="/">Trang chủ</a><a href="/tin-tuc">Tin tức</a></div><h1>Tiêu đề</h1>`,
		want: "",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := goquery.NewDocumentFromReader(strings.NewReader("<!DOCTYPE html>" + tt.html))
			if err != nil {
				t.Fatal(err)
			}
			before, _ := goquery.OuterHtml(doc.Selection)
			u, err := url.Parse(tt.page)
			if err != nil {
				t.Fatal(err)
			}
			got := sectionFrom(doc, u, gatherHeads(doc.Nodes[0]))
			if got != tt.want {
				t.Errorf("sectionFrom = %q, want %q", got, tt.want)
			}
			if !norm.NFC.IsNormalString(got) {
				t.Errorf("sectionFrom = %q: not NFC", got)
			}
			if after, _ := goquery.OuterHtml(doc.Selection); after != before {
				t.Error("sectionFrom changed the document")
			}
		})
	}
}

// Without a page URL (or a document) nothing panics; the trail is read by
// its labels alone.
func TestSectionFromNoURL(t *testing.T) {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(
		`<div class="breadcrumb"><a href="/">Trang chủ</a> » <a href="/tin-tuc">Tin tức</a></div>`))
	if err != nil {
		t.Fatal(err)
	}
	if got := sectionFrom(doc, nil, gatherHeads(doc.Nodes[0])); got != "Tin tức" {
		t.Errorf("sectionFrom(doc, nil) = %q, want Tin tức", got)
	}
	if got := sectionFrom(nil, nil, heads{}); got != "" {
		t.Errorf("sectionFrom(nil, nil) = %q, want none", got)
	}
}

// BenchmarkSectionFrom measures the section's share of an extraction on a
// portal page (its breadcrumb ends in a link, so no title is read).
func BenchmarkSectionFrom(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join("testdata", "nukeviet-listing.html"))
	if err != nil {
		b.Fatal(err)
	}
	d, err := Parse(raw, "https://snv.example.gov.vn/vi/news/", "text/html; charset=utf-8")
	if err != nil {
		b.Fatal(err)
	}
	doc, u := goquery.NewDocumentFromNode(d.Root()), &url.URL{Scheme: "https", Host: "snv.example.gov.vn", Path: "/vi/news/"}
	for b.Loop() {
		sectionFrom(doc, u, gatherHeads(doc.Nodes[0]))
	}
}
