package extract

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/noivu/noivu/article"
)

func TestExtractRejectsNonHTML(t *testing.T) {
	for _, tc := range []struct {
		body []byte
		ct   string
	}{
		{[]byte("%PDF-1.4\n..."), ""},
		{[]byte("anything"), "application/pdf"},
		{[]byte("PK\x03\x04zip"), ""},
		{[]byte{0x89, 'P', 'N', 'G', 0, 0, 0}, ""},
	} {
		if _, err := Extract(tc.body, "https://a.gov.vn/x", tc.ct, article.Selectors{}); !errors.Is(err, ErrNotHTML) {
			t.Errorf("Extract(%q, %q): err = %v, want ErrNotHTML", tc.body, tc.ct, err)
		}
	}
}

func TestExtractOddInputs(t *testing.T) {
	for _, body := range []string{"", "plain text, no markup", "<html>", "<p>Ngắn</p>", "<<<>>>&#xFFFFFF;"} {
		res, err := Extract([]byte(body), "::bad url", "text/html; charset=nonsense", article.Selectors{Body: "[[bad", Title: ":::"})
		if err != nil {
			t.Errorf("Extract(%q): %v", body, err)
		}
		if res.IsArticle {
			t.Errorf("Extract(%q): IsArticle, want false", body)
		}
	}
}

func TestSelectorsWin(t *testing.T) {
	page := `<html><head><title>Tin - Sở Nội vụ</title></head><body>
<h1>Tiêu đề sai</h1><div class="x-title">Tiêu đề đúng của bài viết</div><div class="x-date">Ngày 05/06/2020 07:30</div>
<div class="x-body"><p>` + strings.Repeat("Nội dung bài viết rất dài về công tác nội vụ. ", 12) + `</p><p>Đoạn thứ hai của bài viết có nội dung đầy đủ và rõ ràng.</p></div>
<div class="x-author">Tác giả: Trần Thị Lan - Văn phòng Sở</div></body></html>`
	sel := article.Selectors{Title: ".x-title", Date: ".x-date", Body: ".x-body", Author: ".x-author"}
	res, err := Extract([]byte(page), "https://snv.example.gov.vn/tin/1", "", sel)
	if err != nil {
		t.Fatal(err)
	}
	if res.Title != "Tiêu đề đúng của bài viết" || res.Author != "Trần Thị Lan" || res.Unit != "Văn phòng Sở" ||
		res.Published.Format("2006-01-02 15:04") != "2020-06-05 07:30" || !res.IsArticle {
		t.Errorf("got title %q author %q unit %q published %v article %v", res.Title, res.Author, res.Unit, res.Published, res.IsArticle)
	}
	for _, f := range []string{"title", "author", "published", "body"} {
		if res.Layers[f] != "selector" {
			t.Errorf("layer of %s = %q, want selector", f, res.Layers[f])
		}
	}
}

func TestSanitizedHTML(t *testing.T) {
	page := `<html><body><h1>Bài viết có mã độc trong nội dung</h1><div class="news-content">
<p onclick="alert(1)">` + strings.Repeat("Đoạn văn bình thường của bài viết. ", 15) + `</p>
<script>alert(1)</script><iframe src="https://evil.example/"></iframe>
<p><a href="javascript:alert(1)">xấu</a> <a href="/van-ban/qd.pdf">Quyết định</a> <img src="anh/1.jpg" alt="Ảnh hội nghị"></p>
<p>Đoạn văn thứ hai cũng bình thường và đủ dài để là một đoạn văn thật sự của bài.</p></div></body></html>`
	res, err := Extract([]byte(page), "https://snv.example.gov.vn/tin/bai-1.html", "", article.Selectors{})
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script", "onclick", "javascript:", "<iframe"} {
		if strings.Contains(res.HTML, bad) {
			t.Errorf("HTML keeps %q: %s", bad, res.HTML)
		}
	}
	for _, good := range []string{`href="https://snv.example.gov.vn/van-ban/qd.pdf"`, `src="https://snv.example.gov.vn/tin/anh/1.jpg"`} {
		if !strings.Contains(res.HTML, good) {
			t.Errorf("HTML lacks %s: %s", good, res.HTML)
		}
	}
	if len(res.Attachments) != 1 || res.Attachments[0].Name != "Quyết định" {
		t.Errorf("attachments = %+v", res.Attachments)
	}
}

func TestSplitAuthor(t *testing.T) {
	tests := []struct{ in, name, unit string }{
		{"Khúc Thị Thu Hằng - Phòng CCHC&VTLT, Sở Nội vụ", "Khúc Thị Thu Hằng", "Phòng CCHC&VTLT, Sở Nội vụ"},
		{"Phạm Thị Thúy Hằng - VPS", "Phạm Thị Thúy Hằng", "VPS"},
		{"Hồng Hà", "Hồng Hà", ""},
		{"Lê Văn Nam (Phòng Tổ chức)", "Lê Văn Nam", "Phòng Tổ chức"},
	}
	for _, tt := range tests {
		if n, u := splitAuthor(tt.in); n != tt.name || u != tt.unit {
			t.Errorf("splitAuthor(%q) = %q, %q; want %q, %q", tt.in, n, u, tt.name, tt.unit)
		}
	}
	for _, s := range []string{"Nguyễn Tuyết Mai", "P. Hằng", "Hồng Hà", "N.T. Mai"} {
		if !personName(s) {
			t.Errorf("personName(%q) = false", s)
		}
	}
	for _, s := range []string{"Sở Nội vụ Sơn La", "Phòng Tổ Chức", "Trân trọng cảm ơn!", "Tin Ảnh", "Xem Thêm Tin Khác Nữa Ở Đây Nhé", "Ban Thi Đua"} {
		if personName(s) {
			t.Errorf("personName(%q) = true", s)
		}
	}
}

func TestGarbled(t *testing.T) {
	if !garbled("B¸o c¸o thùc tËp") || !garbled("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam") {
		t.Error("mojibake not detected")
	}
	if garbled("Báo cáo thực tập tốt nghiệp tại Sở Nội vụ © 2024, nhiệt độ 30°") {
		t.Error("clean Vietnamese flagged")
	}
}

// FuzzExtract feeds mutated golden pages to Extract: no panic, no article
// without a title. Run it with a bounded minimisation:
//
//	go test ./extract -run '^$' -fuzz '^FuzzExtract$' -fuzztime 30s -fuzzminimizetime 100x
//
// The default (60 s per input) stalls the fuzzer whenever it finds a new
// input: minimising a page of several kilobytes byte by byte takes
// thousands of Extract calls, none counted as execs, which reads as ~1
// exec/s. Bounded, it runs near 1,000 execs/s on two cores.
func FuzzExtract(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.html"))
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b, "text/html")
		}
	}
	f.Add([]byte("<p>Đăng ngày: 24/01/2014</p>"), "text/html; charset=windows-1258")
	f.Fuzz(func(t *testing.T, body []byte, ct string) {
		res, err := Extract(body, "https://sonoivu.sonla.gov.vn/2014/01/a.html", ct, article.Selectors{})
		if err != nil {
			if strings.Contains(err.Error(), "internal error") {
				t.Fatal(err) // a recovered panic
			}
			return
		}
		if res.IsArticle && res.Title == "" {
			t.Fatal("article without a title")
		}
	})
}

func TestTodayHeaderIsNotThePublicationDate(t *testing.T) {
	page := `<html><head><title>Hội nghị giao ban quý III năm 2015 - Sở Nội vụ</title></head><body>
<div class="top"><span>Thứ năm, ngày 28 tháng 3 năm 2024</span></div>
<div class="main"><h1>Hội nghị giao ban quý III năm 2015</h1><div class="info">Gửi lúc: 05/10/2015 08:00 | Cập nhật: 06/10/2015</div>
<div class="box"><p>` + strings.Repeat("Sở Nội vụ tổ chức Hội nghị giao ban quý III năm 2015 với các phòng chuyên môn. ", 8) + `</p>
<p>Ngày 14/11/2023 là một ngày khác được nhắc trong thân bài, không phải ngày đăng.</p></div></div></body></html>`
	res, err := Extract([]byte(page), "https://snv.example.gov.vn/tin/1", "", article.Selectors{})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Published.Format("2006-01-02 15:04"); got != "2015-10-05 08:00" {
		t.Errorf("Published = %s (layer %s), want 2015-10-05 08:00", got, res.Layers["published"])
	}
	if got := res.Updated.Format("2006-01-02"); got != "2015-10-06" {
		t.Errorf("Updated = %s, want 2015-10-06", got)
	}
}
