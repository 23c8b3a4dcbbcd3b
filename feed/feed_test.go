package feed

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/noivu/noivu/article"
)

var update = flag.Bool("update", false, "rewrite the golden feeds in testdata")

var testSources = map[string]article.Source{
	"sonla": {ID: "sonla", Name: "Sở Nội vụ tỉnh Sơn La", Province: "Sơn La"},
	"binhdinh": {ID: "binhdinh", Name: "Sở Nội vụ tỉnh Bình Định", Province: "Bình Định",
		CurrentProvince: "Gia Lai"},
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t.UTC() // the store hands back instants; the feed must show +07:00
}

// testArticles are three articles, newest first: one full, one with an
// attachment and a unit as author, one undated with no HTML.
func testArticles() []article.Article {
	return []article.Article{{
		ID: "a1b2c3d4e5f60718", URL: "https://sonoivu.sonla.gov.vn/tin-tuc/hoi-nghi-cai-cach-hanh-chinh.html",
		SourceID: "sonla", Title: "Hội nghị tổng kết công tác cải cách hành chính năm 2024",
		Author: "Nguyễn Văn An", Section: "Cải cách hành chính",
		Published: at("2025-01-15T09:30:00+07:00"), Updated: at("2025-01-16T08:00:00+07:00"),
		Text:      "Sáng ngày 15/01, Sở Nội vụ tổ chức hội nghị tổng kết.\n\nHội nghị đánh giá kết quả & đề ra <nhiệm vụ> năm 2025.",
		HTML:      "<p>Sáng ngày 15/01, Sở Nội vụ tổ chức hội nghị tổng kết.</p><p>Hội nghị đánh giá kết quả &amp; đề ra &lt;nhiệm vụ&gt; năm 2025.</p><img src=\"https://sonoivu.sonla.gov.vn/uploads/hoi-nghi.jpg\" alt=\"Hội nghị\">",
		Images:    []article.Image{{URL: "https://sonoivu.sonla.gov.vn/uploads/hoi-nghi.jpg", Alt: "Hội nghị"}},
		FirstSeen: at("2025-01-15T10:00:00+07:00"),
	}, {
		ID: "0f1e2d3c4b5a6978", URL: "http://snv.binhdinh.gov.vn/index.php/vi/news/thi-dua/ke-hoach-123.html",
		SourceID: "binhdinh", Title: "Kế hoạch thi đua năm 2025", Unit: "Phòng Thi đua - Khen thưởng",
		Section:   "Thi đua - Khen thưởng",
		Published: at("2025-01-10T00:00:00+07:00"), DateOnly: true,
		Text:        strings.Repeat("Các cơ quan, đơn vị tổ chức phong trào thi đua yêu nước. ", 12),
		HTML:        "<p>" + strings.Repeat("Các cơ quan, đơn vị tổ chức phong trào thi đua yêu nước. ", 12) + "</p>",
		Attachments: []article.Attachment{{URL: "http://snv.binhdinh.gov.vn/uploads/ke-hoach-123.pdf", Name: "Kế hoạch số 123/KH-SNV"}},
		FirstSeen:   at("2025-01-11T07:00:00+07:00"),
	}, {
		ID: "9988776655443322", URL: "https://sonoivu.sonla.gov.vn/gioi-thieu/lich-su.html", SourceID: "sonla",
		Title: "Lịch sử hình thành", Text: "Sở Nội vụ được thành lập năm 1976.", FirstSeen: at("2024-12-01T12:00:00+07:00"),
	}}
}

func testMeta() Meta {
	return Meta{ID: FeedID("all", ""), Title: "noivu: Sở Nội vụ các tỉnh", Description: "Tin bài mới của các Sở Nội vụ",
		HomeURL: "https://noivu.example.org/", Author: "noivu",
		Self: map[Format]string{RSS: "https://noivu.example.org/feed.rss", Atom: "https://noivu.example.org/feed.atom",
			JSON: "https://noivu.example.org/feed.json"}}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./feed/ -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./feed/ -update rewrites it):\n%s", name, got)
	}
}

func TestGoldenFeeds(t *testing.T) {
	doc := New(testMeta(), testArticles(), testSources)
	for _, f := range Formats {
		b, err := doc.Render(f)
		if err != nil {
			t.Fatal(err)
		}
		golden(t, "all."+string(f), b)
		// Rendering twice gives the same bytes: ETags depend on it.
		again, _ := New(testMeta(), testArticles(), testSources).Render(f)
		if !bytes.Equal(b, again) {
			t.Errorf("%s: two renders differ", f)
		}
	}
}

func TestFeedsParse(t *testing.T) {
	arts := testArticles()
	doc := New(testMeta(), arts, testSources)
	for _, f := range Formats {
		t.Run(string(f), func(t *testing.T) {
			b, err := doc.Render(f)
			if err != nil {
				t.Fatal(err)
			}
			pf, err := gofeed.NewParser().ParseString(string(b))
			if err != nil {
				t.Fatalf("gofeed: %v\n%s", err, b)
			}
			checkParsed(t, f, pf, arts)
		})
	}
}

func checkParsed(t *testing.T, f Format, pf *gofeed.Feed, arts []article.Article) {
	t.Helper()
	if pf.Language != "vi" && f != Atom {
		t.Errorf("language %q, want vi", pf.Language)
	}
	if pf.FeedLink != testMeta().Self[f] {
		t.Errorf("self link %q, want %q", pf.FeedLink, testMeta().Self[f])
	}
	if pf.UpdatedParsed == nil && f != JSON {
		t.Errorf("no feed updated time")
	}
	if len(pf.Items) != len(arts) {
		t.Fatalf("%d items, want %d", len(pf.Items), len(arts))
	}
	for i, it := range pf.Items {
		a := arts[i]
		if it.GUID != ItemID(a.ID) || it.Link != a.URL || it.Title != a.Title {
			t.Errorf("item %d: guid %q link %q title %q; want %q %q %q", i, it.GUID, it.Link, it.Title, ItemID(a.ID), a.URL, a.Title)
		}
		checkDate(t, f, i, it, a.Published)
		if it.Content == "" || !strings.Contains(it.Content, "<p>") {
			t.Errorf("item %d: content %q, want the HTML", i, it.Content)
		}
		if it.Description == "" || strings.Contains(it.Description, "<p>") {
			t.Errorf("item %d: summary %q, want plain text", i, it.Description)
		}
		checkCategories(t, i, it.Categories, a)
	}
	if a := pf.Items[0]; len(a.Authors) == 0 || a.Authors[0].Name != "Nguyễn Văn An" {
		t.Errorf("first item authors %+v", a.Authors)
	}
	if len(pf.Items[1].Enclosures) == 0 || pf.Items[1].Enclosures[0].Type != "application/pdf" {
		t.Errorf("second item enclosures %+v, want the PDF", pf.Items[1].Enclosures)
	}
}

// checkCategories wants an item's categories to be its source's name, its
// provinces and its section, in that order, each once.
func checkCategories(t *testing.T, i int, got []string, a article.Article) {
	t.Helper()
	src := testSources[a.SourceID]
	var want []string
	for _, c := range []string{src.Name, src.Province, src.CurrentProvince, a.Section} {
		if c != "" {
			want = append(want, c)
		}
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("item %d: categories %q, want %q (source, provinces, section)", i, got, want)
	}
}

// checkDate wants the item's publication to be the instant want, written
// with +07:00; or absent when want is zero (an undated article must not get
// the crawl time). gofeed gives Atom entries their updated time as published
// when they have none, so Atom's absence is checked on the bytes instead.
func checkDate(t *testing.T, f Format, i int, it *gofeed.Item, want time.Time) {
	t.Helper()
	p := it.PublishedParsed
	if want.IsZero() {
		if p != nil && f != Atom {
			t.Errorf("item %d: published %v, want none", i, p)
		}
		return
	}
	if p == nil {
		t.Errorf("item %d: no published date", i)
		return
	}
	if !p.Equal(want) {
		t.Errorf("item %d: published %v, want %v", i, p, want)
	}
	if !strings.HasSuffix(it.Published, "+07:00") && !strings.HasSuffix(it.Published, "+0700") {
		t.Errorf("item %d: published %q, want offset +07:00", i, it.Published)
	}
}

func TestRSSGuidIsNotPermalink(t *testing.T) {
	b, _ := New(testMeta(), testArticles(), testSources).Render(RSS)
	if !strings.Contains(string(b), `<guid isPermaLink="false">urn:noivu:article:a1b2c3d4e5f60718</guid>`) {
		t.Errorf("no isPermaLink=false guid:\n%s", b)
	}
	if !strings.Contains(string(b), "<content:encoded><![CDATA[") {
		t.Errorf("no content:encoded")
	}
	atom, _ := New(testMeta(), testArticles()[2:], testSources).Render(Atom)
	if strings.Contains(string(atom), "<published>") {
		t.Errorf("an undated article got a published time:\n%s", atom)
	}
}

func TestSummary(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"ngắn", 10, "ngắn"},
		{"một hai\n\nba bốn năm", 100, "một hai ba bốn năm"},
		{"một hai ba bốn năm sáu", 12, "một hai ba…"},
	}
	for _, tt := range tests {
		if got := Summary(tt.in, tt.max); got != tt.want {
			t.Errorf("Summary(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

func TestOPML(t *testing.T) {
	b, err := OPML("noivu", at("2025-01-15T10:00:00+07:00"), []Outline{
		{Text: "Tất cả", XMLURL: "https://noivu.example.org/feed.rss", HTMLURL: "https://noivu.example.org/"},
		{Text: "Nguồn", Children: []Outline{{Text: "Sở Nội vụ tỉnh Sơn La",
			XMLURL: "https://noivu.example.org/sources/sonla/feed.rss", HTMLURL: "https://sonoivu.sonla.gov.vn/"}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "feeds.opml", b)
}
