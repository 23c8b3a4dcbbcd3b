package simportal

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// vnZone is Vietnam time; the pages never write it, as on the real portals.
var vnZone = time.FixedZone("ICT", 7*3600)

// dateShape is one way SOURCES.md saw a portal write an article's date.
type dateShape int

const (
	dsWeekday      dateShape = iota // Thứ ba - 09/04/2019 10:47
	ds12h                           // - 12/05/2016 04:00:00 PM
	dsEnglish                       // Ngày đăng: Monday, September 25, 2017
	dsDashView                      // 01/11/2024 - 09:50 (a bare view count follows)
	dsDangNgay                      // Đăng ngày: 24/01/2014 09:59:30
	dsDangNgayDash                  // Đăng ngày 28 - 08 - 2015
	dsGuiLuc                        // Lượt xem: 7370 | Gửi lúc: 05/12/2013 15:42:27
	dsTimeFirst                     // 18:21:26 , 24/10/2014
	dsDrupal                        // (15:32 | 22/01/2024)
	dsBracket                       // [17-05-2022]
	dsLong                          // ngày 14 tháng 11 năm 2023
)

var weekdaysVI = [7]string{"Chủ nhật", "Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy"}

func (d dateShape) dateOnly() bool {
	return d == dsEnglish || d == dsDangNgayDash || d == dsBracket || d == dsLong
}

// truncate drops what the page does not show, so that Published is exactly
// the instant a reader of the page can know.
func (d dateShape) truncate(t time.Time) time.Time {
	t = t.In(vnZone)
	switch {
	case d.dateOnly():
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, vnZone)
	case d == dsWeekday || d == dsDashView || d == dsDrupal:
		return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, vnZone)
	}
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, vnZone)
}

func (d dateShape) format(t time.Time, views int) string {
	t = t.In(vnZone)
	switch d {
	case dsWeekday:
		return weekdaysVI[t.Weekday()] + " - " + t.Format("02/01/2006 15:04")
	case ds12h:
		return "- " + t.Format("02/01/2006 03:04:05 PM")
	case dsEnglish:
		return "Ngày đăng: " + t.Format("Monday, January 2, 2006")
	case dsDashView:
		return t.Format("02/01/2006 - 15:04")
	case dsDangNgay:
		return "Đăng ngày: " + t.Format("02/01/2006 15:04:05")
	case dsDangNgayDash:
		return "Đăng ngày " + t.Format("02 - 01 - 2006")
	case dsGuiLuc:
		return fmt.Sprintf("Lượt xem: %d | Gửi lúc: %s", views, t.Format("02/01/2006 15:04:05"))
	case dsTimeFirst:
		return t.Format("15:04:05 , 02/01/2006")
	case dsDrupal:
		return t.Format("(15:04 | 02/01/2006)")
	case dsBracket:
		return t.Format("[02-01-2006]")
	}
	return longDate(t)
}

// longDate is "ngày 14 tháng 11 năm 2023".
func longDate(t time.Time) string {
	return fmt.Sprintf("ngày %d tháng %d năm %d", t.Day(), int(t.Month()), t.Year())
}

// todayHeader is the "today" line some portals print above every page: a
// trap for extractors that take the first date on the page.
func todayHeader(t time.Time) string {
	t = t.In(vnZone)
	return weekdaysVI[t.Weekday()] + ", " + longDate(t)
}

// authorShape is one way SOURCES.md saw a page name its writer.
type authorShape int

const (
	asNone          authorShape = iota
	asTacGia                    // Tác giả: Khúc Thị Thu Hằng - Phòng CCHC&VTLT, Sở Nội vụ
	asTacGiaBaiViet             // Tác giả bài viết: Phạm Thị Thúy Hằng - VPS
	asTinAnh                    // Tin, ảnh: Hồng Hà
	asNguoiViet                 // Người viết: Lê Văn Thành
	asBare                      // the body's last paragraph: "Nguyễn Tuyết Mai" or "P. Hằng"
)

func (s authorShape) hasUnit() bool { return s == asTacGia || s == asTacGiaBaiViet }

// line is the author line as printed; for asBare it is the bare name.
func (s authorShape) line(name, unit string) string {
	switch s {
	case asTacGia:
		return "Tác giả: " + name + " - " + unit
	case asTacGiaBaiViet:
		return "Tác giả bài viết: " + name + " - " + unit
	case asTinAnh:
		return "Tin, ảnh: " + name
	case asNguoiViet:
		return "Người viết: " + name
	case asBare:
		return name
	}
	return ""
}

// abbreviate turns "Phạm Thị Hằng" into "P. Hằng".
func abbreviate(name string) string {
	f := strings.Fields(name)
	if len(f) < 2 {
		return name
	}
	return string([]rune(f[0])[0]) + ". " + f[len(f)-1]
}

type weighted[T any] struct {
	v T
	w int
}

func pickWeighted[T any](r *rand.Rand, choices []weighted[T]) T {
	total := 0
	for _, c := range choices {
		total += c.w
	}
	n := r.IntN(total)
	for _, c := range choices {
		if n < c.w {
			return c.v
		}
		n -= c.w
	}
	return choices[len(choices)-1].v
}
