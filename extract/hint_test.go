package extract

import (
	"fmt"
	"testing"
	"time"

	"github.com/noivu/noivu/article"
)

// hintPage is an article whose only date may be its lead's, under a header
// showing "today" (a trap no layer may take): meta is the line between the
// title and the body, lead the body's first paragraph.
func hintPage(meta, lead string) []byte {
	return fmt.Appendf(nil, `<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Sơ kết công tác thi đua 6 tháng đầu năm - Sở Nội vụ tỉnh Nam Định</title></head><body>
<div id="header"><span class="today">Thứ năm, ngày 28 tháng 3 năm 2024</span> | <a href="/">Trang chủ</a> | <a href="/lien-he">Liên hệ</a></div>
<div class="page"><div class="detail-news">
<h1>Sơ kết công tác thi đua 6 tháng đầu năm</h1>
<div class="meta">%s</div>
<div class="noidung">
<p>%s Hội đồng Thi đua - Khen thưởng tỉnh Nam Định tổ chức Hội nghị sơ kết công tác thi đua, khen thưởng, triển khai nhiệm vụ thời gian tới.</p>
<p>Các phong trào thi đua được triển khai sâu rộng, gắn với việc thực hiện nhiệm vụ chính trị của từng cơ quan, đơn vị, địa phương; nhiều tập thể, cá nhân được khen thưởng kịp thời.</p>
</div></div></div><div id="footer"><p>Bản quyền thuộc Sở Nội vụ tỉnh Nam Định</p></div>
</body></html>`, meta, lead)
}

func TestListedDateGivesTheYear(t *testing.T) {
	const (
		plainURL = "https://sonoivu.namdinh.gov.vn/tin-tuc/so-ket-cong-tac-thi-dua-5678"
		yearURL  = "https://sonoivu.sonla.gov.vn/2014/01/so-ket-cong-tac-thi-dua.html"
	)
	day := func(y int, m time.Month, d int) time.Time { return vn(y, m, d, 0, 0, 0) }
	tests := []struct {
		name       string
		url        string
		meta, lead string
		listed     time.Time // zero: no hint
		want       time.Time // zero: no date
		dateOnly   bool
		layer      string
	}{
		{"listing year", plainURL, "", "Ngày 14/11,", day(2023, 11, 15), day(2023, 11, 14), true, "lead+listing"},
		{"listing time of day is no matter", plainURL, "", "Ngày 14/11,", vn(2023, 11, 15, 23, 59, 0), day(2023, 11, 14), true, "lead+listing"},
		{"december lead listed in january", plainURL, "", "Ngày 28/12,", day(2024, 1, 2), day(2023, 12, 28), true, "lead+listing"},
		{"january lead listed in december", plainURL, "", "Ngày 02/01,", day(2023, 12, 30), day(2024, 1, 2), true, "lead+listing"},
		{"a lead after its listing date", plainURL, "", "Sáng ngày 20/3,", day(2022, 3, 18), day(2022, 3, 20), true, "lead+listing"},
		{"listing beats the url year", yearURL, "", "Ngày 28/12,", day(2014, 1, 2), day(2013, 12, 28), true, "lead+listing"},
		{"no listing: the url's month", yearURL, "", "Ngày 14/01,", time.Time{}, day(2014, 1, 14), true, "lead"},
		{"no listing: november nearest to a january url", yearURL, "", "Ngày 14/11,", time.Time{}, day(2013, 11, 14), true, "lead"},
		{"no listing: december lead in a january url", yearURL, "", "Ngày 28/12,", time.Time{}, day(2013, 12, 28), true, "lead"},
		{"no listing: a lead of the coming month", yearURL, "", "Ngày 05/02,", time.Time{}, day(2014, 2, 5), true, "lead"},
		{"no listing: a month without a 29 February in reach", "https://x.gov.vn/2023/07/tin.html", "", "Ngày 29/02,", time.Time{}, time.Time{}, false, ""},
		{"no listing, no url year: no date", plainURL, "", "Ngày 14/11,", time.Time{}, time.Time{}, false, ""},
		{"29 February far from its listing: no date", plainURL, "", "Ngày 29/02,", day(2023, 3, 1), time.Time{}, false, ""},
		{"29 February near its listing", plainURL, "", "Ngày 29/02,", day(2024, 3, 1), day(2024, 2, 29), true, "lead+listing"},
		{"the lead's own year wins", plainURL, "", "Ngày 14/11/2022,", day(2023, 11, 15), day(2022, 11, 14), true, "lead"},
		{"the page's full date wins", plainURL, "Đăng ngày: 24/01/2014 09:59:30", "Ngày 14/11,", day(2023, 11, 15), vn(2014, 1, 24, 9, 59, 30), false, "generic"},
		{"a lead without a date takes nothing", plainURL, "", "Hôm qua,", day(2023, 11, 15), time.Time{}, false, ""},
		{"a time of day without ngày", plainURL, "", "Sáng 06/3,", day(2024, 3, 7), day(2024, 3, 6), true, "lead+listing"},
		{"a time of day, a dash", plainURL, "", "Chiều 15-4,", day(2024, 4, 16), day(2024, 4, 15), true, "lead+listing"},
		{"a time of day and the url's month", yearURL, "", "Tối 12/1,", time.Time{}, day(2014, 1, 12), true, "lead"},
		{"a fraction is no date", plainURL, "", "Sáng 1/2 số cán bộ đã có mặt,", day(2024, 2, 3), time.Time{}, false, ""},
		{"a decimal is no date", plainURL, "", "Trưa 1.5 triệu đồng,", day(2024, 5, 3), time.Time{}, false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var opts []Option
			if !tc.listed.IsZero() {
				opts = append(opts, WithListedDate(tc.listed))
			}
			res, err := Extract(hintPage(tc.meta, tc.lead), tc.url, "text/html; charset=utf-8", article.Selectors{}, opts...)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Published.Equal(tc.want) || res.DateOnly != tc.dateOnly || res.Layers["published"] != tc.layer {
				t.Errorf("published %v date_only %v layer %q; want %v %v %q",
					res.Published, res.DateOnly, res.Layers["published"], tc.want, tc.dateOnly, tc.layer)
			}
		})
	}
}

// TestListedDateLeavesOtherFieldsAlone checks that the hint changes the
// date and nothing else: a page extracted with it is the page without it.
func TestListedDateLeavesOtherFieldsAlone(t *testing.T) {
	body := hintPage("", "Ngày 14/11,")
	const u = "https://sonoivu.namdinh.gov.vn/tin-tuc/so-ket-cong-tac-thi-dua-5678"
	plain, err := Extract(body, u, "", article.Selectors{})
	if err != nil {
		t.Fatal(err)
	}
	hinted, err := Extract(body, u, "", article.Selectors{}, WithListedDate(vn(2023, 11, 15, 0, 0, 0)))
	if err != nil {
		t.Fatal(err)
	}
	if hinted.Published.IsZero() || !plain.Published.IsZero() {
		t.Fatalf("published with hint %v, without %v", hinted.Published, plain.Published)
	}
	hinted.Published, hinted.DateOnly = plain.Published, plain.DateOnly
	delete(hinted.Layers, "published")
	if fmt.Sprint(hinted) != fmt.Sprint(plain) {
		t.Errorf("the hint changed more than the date:\n%+v\n%+v", hinted, plain)
	}
}

func TestNearestYear(t *testing.T) {
	tests := []struct {
		day, month int
		hint       time.Time
		want       time.Time // zero: none
	}{
		{14, 11, vn(2023, 11, 15, 0, 0, 0), vn(2023, 11, 14, 0, 0, 0)},
		{28, 12, vn(2024, 1, 2, 0, 0, 0), vn(2023, 12, 28, 0, 0, 0)},
		{2, 1, vn(2023, 12, 30, 0, 0, 0), vn(2024, 1, 2, 0, 0, 0)},
		// About half a year away: whichever side is nearer.
		{25, 6, vn(2023, 1, 1, 0, 0, 0), vn(2023, 6, 25, 0, 0, 0)},
		{5, 7, vn(2023, 1, 1, 0, 0, 0), vn(2022, 7, 5, 0, 0, 0)},
		// A hint late in the evening UTC is the next day in Vietnam.
		{1, 1, time.Date(2023, 12, 31, 20, 0, 0, 0, time.UTC), vn(2024, 1, 1, 0, 0, 0)},
		{29, 2, vn(2021, 6, 1, 0, 0, 0), time.Time{}},
		{31, 4, vn(2023, 4, 1, 0, 0, 0), time.Time{}},
		// Before 1995 no year is valid.
		{14, 11, vn(1980, 11, 15, 0, 0, 0), time.Time{}},
	}
	for _, tc := range tests {
		got, ok := nearestYear(tc.day, tc.month, tc.hint)
		if ok != !tc.want.IsZero() || !got.Equal(tc.want) {
			t.Errorf("nearestYear(%d, %d, %v) = %v, %v; want %v", tc.day, tc.month, tc.hint, got, ok, tc.want)
		}
	}
}
