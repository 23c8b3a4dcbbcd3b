package extract

import (
	"testing"
	"time"

	"github.com/noivu/noivu/article"
)

func vn(y int, m time.Month, d, h, min, s int) time.Time {
	return time.Date(y, m, d, h, min, s, 0, article.VietnamZone)
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in       string
		want     time.Time
		dateOnly bool
		ok       bool
	}{
		{"Đăng ngày: 24/01/2014 09:59:30", vn(2014, 1, 24, 9, 59, 30), false, true},
		{"Đăng ngày 28 - 08 - 2015", vn(2015, 8, 28, 0, 0, 0), true, true},
		{"01/11/2024 - 09:50 470", vn(2024, 11, 1, 9, 50, 0), false, true},
		{"Ngày đăng: Monday, September 25, 2017", vn(2017, 9, 25, 0, 0, 0), true, true},
		{"Thứ ba - 09/04/2019 10:47", vn(2019, 4, 9, 10, 47, 0), false, true},
		{"(15:32 | 22/01/2024)", vn(2024, 1, 22, 15, 32, 0), false, true},
		{"- 12/05/2016 04:00:00 PM", vn(2016, 5, 12, 16, 0, 0), false, true},
		{"- 12/05/2016 12:30:00 AM", vn(2016, 5, 12, 0, 30, 0), false, true},
		{"18:21:26 , 24/10/2014", vn(2014, 10, 24, 18, 21, 26), false, true},
		{"[17-05-2022]", vn(2022, 5, 17, 0, 0, 0), true, true},
		{"Lượt xem: 7370 | Gửi lúc: 05/12/2013 15:42:27", vn(2013, 12, 5, 15, 42, 27), false, true},
		{"ngày 14 tháng 11 năm 2023", vn(2023, 11, 14, 0, 0, 0), true, true},
		{"Thứ năm, Ngày 28 Tháng 3 Năm 2024", vn(2024, 3, 28, 0, 0, 0), true, true},
		{"25 September 2017", vn(2017, 9, 25, 0, 0, 0), true, true},
		{"Sept. 5, 2019", vn(2019, 9, 5, 0, 0, 0), true, true},
		{"lúc 08h30 ngày 02/03/2021", vn(2021, 3, 2, 8, 30, 0), false, true},
		{"05/12/2013 lúc 15:42", vn(2013, 12, 5, 15, 42, 0), false, true},
		{"2017-09-25", vn(2017, 9, 25, 0, 0, 0), true, true},
		{"05/12/2013 03:15 CH", vn(2013, 12, 5, 15, 15, 0), false, true},
		// Day first even when the day could be a month.
		{"03/04/2020", vn(2020, 4, 3, 0, 0, 0), true, true},
		// NFD input.
		{"Đăng nga\u0300y: 24/01/2014", vn(2014, 1, 24, 0, 0, 0), true, true},
		// A bad time leaves the date alone.
		{"24/01/2014 25:99", vn(2014, 1, 24, 0, 0, 0), true, true},
		// Rejections.
		{"13/13/2020", time.Time{}, false, false},
		{"31/02/2020", time.Time{}, false, false},
		{"01/01/1990", time.Time{}, false, false},
		{"01/01/2999", time.Time{}, false, false},
		{"Số 15/2023/TT-BNV", time.Time{}, false, false},
		{"0212.3852.1234", time.Time{}, false, false},
		{"12/05-2016", time.Time{}, false, false},
		{"Lượt xem: 470", time.Time{}, false, false},
		{"", time.Time{}, false, false},
		{"123/05/20161", time.Time{}, false, false},
		// The first valid date wins over a later one.
		{"13/13/2020 rồi 01/02/2020", vn(2020, 2, 1, 0, 0, 0), true, true},
	}
	for _, tt := range tests {
		got, only, ok := ParseDate(tt.in)
		if ok != tt.ok || !got.Equal(tt.want) || only != tt.dateOnly {
			t.Errorf("ParseDate(%q) = %v, %v, %v; want %v, %v, %v", tt.in, got, only, ok, tt.want, tt.dateOnly, tt.ok)
		}
		if ok && got.Location() != article.VietnamZone {
			t.Errorf("ParseDate(%q): zone %v, want +07:00", tt.in, got.Location())
		}
	}
}

func TestPickDatesPrefersPublished(t *testing.T) {
	pub, upd := pickDates("Cập nhật: 02/03/2020 10:00 | Ngày đăng: 01/03/2020 08:00")
	if !pub.t.Equal(vn(2020, 3, 1, 8, 0, 0)) || !upd.t.Equal(vn(2020, 3, 2, 10, 0, 0)) {
		t.Errorf("pickDates: published %v updated %v", pub.t, upd.t)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"Đăng ngày: 24/01/2014 09:59:30", "(15:32 | 22/01/2024)", "- 12/05/2016 04:00:00 PM",
		"Monday, September 25, 2017", "ngày 14 tháng 11 năm 2023", "18:21:26 , 24/10/2014", "[17-05-2022]"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, _, ok := ParseDate(s)
		if !ok {
			return
		}
		if got.Year() < 1995 || got.Year() > time.Now().Year()+1 {
			t.Fatalf("ParseDate(%q) = %v: year out of range", s, got)
		}
		if _, off := got.Zone(); off != 7*3600 {
			t.Fatalf("ParseDate(%q) = %v: not +07:00", s, got)
		}
	})
}

func TestParseISOMachineDates(t *testing.T) {
	ict := article.VietnamZone
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2024-12-02T11:56:00+07:00", time.Date(2024, 12, 2, 11, 56, 0, 0, ict)},
		{"2024-12-02T04:56:00Z", time.Date(2024, 12, 2, 11, 56, 0, 0, ict)},
		{"2024-12-02T11:56:00", time.Date(2024, 12, 2, 11, 56, 0, 0, ict)},
		// NukeViet 4 prints date('Y-m-dTH:i:s'): T is the zone abbreviation.
		{"2024-12-02ICT11:56:00", time.Date(2024, 12, 2, 11, 56, 0, 0, ict)},
	}
	for _, tt := range tests {
		got, dateOnly, ok := parseISO(tt.in)
		if !ok || dateOnly || !got.Equal(tt.want) {
			t.Errorf("parseISO(%q) = %v (date only %v, ok %v), want %v", tt.in, got, dateOnly, ok, tt.want)
		}
	}
}

func TestParseISOMidnightIsDateOnly(t *testing.T) {
	for _, in := range []string{"2023-10-21T00:00:00+07:00", "2023-10-20T17:00:00Z", "2023-10-21ICT00:00:00"} {
		got, dateOnly, ok := parseISO(in)
		if !ok || !dateOnly || !got.Equal(time.Date(2023, 10, 21, 0, 0, 0, 0, article.VietnamZone)) {
			t.Errorf("parseISO(%q) = %v, date only %v, ok %v; want 2023-10-21, date only", in, got, dateOnly, ok)
		}
	}
}

func TestPickDatesLeavesTheLabelToTheNextDate(t *testing.T) {
	// A word after the clock that is not AM/PM belongs to what follows.
	pub, upd := pickDates("Ngày đăng: 15/03/2023 16:45 Cập nhật: 17/03/2023 08:00 312 lượt xem")
	if !pub.t.Equal(vn(2023, 3, 15, 16, 45, 0)) || !upd.t.Equal(vn(2023, 3, 17, 8, 0, 0)) {
		t.Errorf("pickDates: published %v updated %v", pub.t, upd.t)
	}
	if got, _, _ := ParseDate("Thứ Sáu, 14/06/2019 - 3:05 PM"); !got.Equal(vn(2019, 6, 14, 15, 5, 0)) {
		t.Errorf("one-digit 12-hour clock: %v", got)
	}
}
