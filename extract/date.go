package extract

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/noivu/noivu/article"
)

// The date shapes the portals write, always day first. Each finder reports
// day, month, year by submatch index so that new shapes are a table row.
type dateShape struct {
	re               *regexp.Regexp
	day, month, year int  // submatch indexes
	named            bool // month is an English name
	sameSep          [2]int
	// keys, when set, are lower-case words one of which every match holds:
	// a text without any is not searched (see mayMatch).
	keys []string
}

// monthKeys begin every English month name.
var monthKeys = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// mayMatch says the shape's regexp may match in a text whose lower-case
// form is lower. The case-insensitive regexps have no literal prefix to
// skip ahead with and try every position; a plain search for their words
// is far cheaper. (?i) also folds "ſ" onto "s" and "K" onto "k", which
// lower-casing does not: a text holding either is always searched.
func (d dateShape) mayMatch(text, lower string) bool {
	if len(d.keys) == 0 || strings.ContainsAny(text, "\u017f\u212a") {
		return true
	}
	for _, k := range d.keys {
		if strings.Contains(lower, k) {
			return true
		}
	}
	return false
}

const monthNames = `january|february|march|april|may|june|july|august|september|october|november|december|` +
	`jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec`

var dateShapes = []dateShape{
	// 24/01/2014 · 28 - 08 - 2015 · 17-05-2022 · 05.12.2013
	{re: regexp.MustCompile(`(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*([/.\-])\s*(\d{4})`), day: 1, month: 3, year: 5, sameSep: [2]int{2, 4}},
	// ngày 14 tháng 11 năm 2023
	{re: regexp.MustCompile(`(?i)ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s*,?\s+năm\s+(\d{4})`), day: 1, month: 2, year: 3, keys: []string{"ngày"}},
	// Monday, September 25, 2017
	{re: regexp.MustCompile(`(?i)\b(` + monthNames + `)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\s*,?\s+(\d{4})`), day: 2, month: 1, year: 3, named: true, keys: monthKeys},
	// 25 September 2017
	{re: regexp.MustCompile(`(?i)(\d{1,2})(?:st|nd|rd|th)?\s+(` + monthNames + `)\.?\s*,?\s+(\d{4})`), day: 1, month: 2, year: 3, named: true, keys: monthKeys},
	// 2017-09-25 (ISO, year first: only with dashes)
	{re: regexp.MustCompile(`(\d{4})-(\d{1,2})-(\d{1,2})`), day: 3, month: 2, year: 1},
}

// reClock finds a time of day: 09:59:30 · 10:47 · 09h30 · 04:00:00 PM · 8 giờ 30.
var reClock = regexp.MustCompile(`(\d{1,2})\s*(?::|h|giờ)\s*(\d{2})(?:\s*:\s*(\d{2}))?(?:\s*([\p{L}.]+))?`)

var (
	reGapAfter  = regexp.MustCompile(`(?i)^[\s,|\-–—:()\[\]]*(?:(?:vào\s+)?lúc|at)?[\s,:]*$`)
	reGapBefore = regexp.MustCompile(`^[\s,|\-–—()\[\]]*(?:(?i)ngày)?[\s,]*$`)
)

var englishMonths = map[string]time.Month{
	"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
	"jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}

// dateHit is one date found in a string, with its byte span (time included).
type dateHit struct {
	t          time.Time
	dateOnly   bool
	start, end int
}

// ParseDate finds the first date in free text and returns it in Vietnam
// time. dateOnly is true when no time of day goes with it. Impossible dates
// (month 13, 31 February, years before 1995 or after next year) are skipped.
func ParseDate(s string) (t time.Time, dateOnly bool, ok bool) {
	hits := findDates(s)
	if len(hits) == 0 {
		return time.Time{}, false, false
	}
	return hits[0].t, hits[0].dateOnly, true
}

// findDates returns every valid date in s, in order of appearance.
func findDates(s string) []dateHit {
	s = nfc(s)
	if len(s) > 1<<16 {
		s = s[:1<<16]
	}
	var hits []dateHit
	for _, w := range yearWindows(s) {
		hits = append(hits, datesIn(s, w[0], w[1])...)
	}
	return hits
}

// datesIn finds the dates of s[from:to], with byte spans in s.
func datesIn(s string, from, to int) []dateHit {
	var hits []dateHit
	clocks := shifted(reClock.FindAllStringSubmatchIndex(s[from:to], -1), from)
	lower := strings.ToLower(s[from:to])
	for _, shape := range dateShapes {
		if !shape.mayMatch(s[from:to], lower) {
			continue
		}
		for _, m := range shifted(shape.re.FindAllStringSubmatchIndex(s[from:to], -1), from) {
			if overlaps(hits, m[0], m[1]) || !digitBounded(s, m[0], m[1]) {
				continue
			}
			if h, ok := shape.hit(s, m); ok {
				attachClock(s, &h, clocks)
				hits = append(hits, h)
			}
		}
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].start < hits[j].start })
	return hits
}

// Every date shape holds a four-digit year, and a date with its clock and
// labels spans well under yearBefore bytes before the year and yearAfter after.
const (
	yearBefore = 120
	yearAfter  = 80
)

// yearWindows returns the spans of s around its runs of four or more
// digits, widened to white space and merged: the regexps then read a few
// hundred bytes of a long text instead of all of it, six times over.
func yearWindows(s string) [][2]int {
	var out [][2]int
	for i := 0; i < len(s); {
		if !isDigit(s[i]) {
			i++
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j-i >= 4 {
			from, to := toSpace(s, max(i-yearBefore, 0), -1), toSpace(s, min(j+yearAfter, len(s)), 1)
			if n := len(out); n > 0 && from <= out[n-1][1] {
				out[n-1][1] = to
			} else {
				out = append(out, [2]int{from, to})
			}
		}
		i = j
	}
	return out
}

// toSpace moves i in direction dir (-1, 1) to an ASCII space or the end of
// s, at most 64 bytes, then to a rune boundary, so that no match is cut.
func toSpace(s string, i, dir int) int {
	for k := 0; k < 64 && i > 0 && i < len(s) && s[i] != ' '; k++ {
		i += dir
	}
	for i > 0 && i < len(s) && !utf8.RuneStart(s[i]) {
		i += dir
	}
	return i
}

// shifted adds off to every index of a FindAllStringSubmatchIndex result.
func shifted(ms [][]int, off int) [][]int {
	for _, m := range ms {
		for k := range m {
			if m[k] >= 0 {
				m[k] += off
			}
		}
	}
	return ms
}

func (d dateShape) hit(s string, m []int) (dateHit, bool) {
	sub := func(i int) string { return s[m[2*i]:m[2*i+1]] }
	if d.sameSep[0] != 0 && sub(d.sameSep[0]) != sub(d.sameSep[1]) {
		return dateHit{}, false
	}
	day, _ := strconv.Atoi(sub(d.day))
	year, _ := strconv.Atoi(sub(d.year))
	var month int
	if d.named {
		name := strings.ToLower(sub(d.month))
		if len(name) > 3 && name != "sept" {
			name = name[:3]
		}
		month = int(englishMonths[name])
	} else {
		month, _ = strconv.Atoi(sub(d.month))
	}
	t, ok := validDate(year, month, day)
	return dateHit{t: t, dateOnly: true, start: m[0], end: m[1]}, ok
}

// validDate builds a Vietnam-time midnight, rejecting what cannot be a
// publication date of a Sở Nội vụ page.
func validDate(year, month, day int) (time.Time, bool) {
	if month < 1 || month > 12 || day < 1 || day > 31 {
		return time.Time{}, false
	}
	if year < 1995 || year > time.Now().Year()+1 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, article.VietnamZone)
	if t.Day() != day { // 31 February rolls over
		return time.Time{}, false
	}
	return t, true
}

// attachClock gives h the time of day written right after or right before it.
func attachClock(s string, h *dateHit, clocks [][]int) {
	// Only the nearest clock on each side can fit: a farther one's gap
	// holds the nearer one's digits. Looking no further keeps this linear.
	for _, c := range clocks {
		if c[0] >= h.end {
			if reGapAfter.MatchString(s[h.end:c[0]]) && setClock(s, h, c) {
				h.end = clockEnd(s, c)
				return
			}
			break
		}
	}
	for i := len(clocks) - 1; i >= 0; i-- {
		if c := clocks[i]; c[1] <= h.start {
			if reGapBefore.MatchString(s[c[1]:h.start]) && setClock(s, h, c) {
				h.start = c[0]
			}
			return
		}
	}
}

// clockEnd is where a clock match ends: after its AM/PM word, or after the
// minutes or seconds when the word that follows is not one ("16:45 Cập
// nhật: ..." must leave "Cập nhật" to the next date's label).
func clockEnd(s string, c []int) int {
	if c[8] >= 0 && meridiem(s[c[8]:c[9]]) != "" {
		return c[1]
	}
	if c[6] >= 0 {
		return c[7]
	}
	return c[5]
}

func meridiem(word string) string {
	switch w := strings.ToLower(strings.ReplaceAll(word, ".", "")); w {
	case "pm", "ch", "chiều", "tối":
		return "pm"
	case "am", "sa", "sáng":
		return "am"
	}
	return ""
}

// setClock applies the clock match c to h; false when it is not a time.
func setClock(s string, h *dateHit, c []int) bool {
	if !digitBounded(s, c[0], c[5]) {
		return false
	}
	hour, _ := strconv.Atoi(s[c[2]:c[3]])
	minute, _ := strconv.Atoi(s[c[4]:c[5]])
	sec := 0
	if c[6] >= 0 {
		sec, _ = strconv.Atoi(s[c[6]:c[7]])
	}
	if c[8] >= 0 {
		switch meridiem(s[c[8]:c[9]]) {
		case "pm":
			if hour < 1 || hour > 12 {
				return false
			}
			if hour < 12 {
				hour += 12
			}
		case "am":
			if hour < 1 || hour > 12 {
				return false
			}
			if hour == 12 {
				hour = 0
			}
		}
	}
	if hour > 23 || minute > 59 || sec > 59 {
		return false
	}
	h.t = h.t.Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute + time.Duration(sec)*time.Second)
	h.dateOnly = false
	return true
}

// digitBounded says s[start:end] is not glued to further digits.
func digitBounded(s string, start, end int) bool {
	if start > 0 && isDigit(s[start-1]) {
		return false
	}
	return end >= len(s) || !isDigit(s[end])
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func overlaps(hits []dateHit, start, end int) bool {
	for _, h := range hits {
		if start < h.end && end > h.start {
			return true
		}
	}
	return false
}

// atMidnight reports a machine date whose clock reads 00:00:00 in Vietnam:
// CMSs fill the time of a date-only article with zeros, and almost nothing
// is published at midnight, so it is taken as a date without a time.
func atMidnight(t time.Time) bool {
	h, m, s := t.Clock()
	return h == 0 && m == 0 && s == 0 && t.Nanosecond() == 0
}

var phpZoneAbbrevRE = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})[A-Z]{2,5}(\d{2}:\d{2}(?::\d{2})?)$`)

// parseISO reads the machine dates of JSON-LD, meta tags and <time datetime>.
// A time without a zone is Vietnam time.
func parseISO(s string) (time.Time, bool, bool) {
	s = strings.TrimSpace(s)
	// NukeViet prints PHP's date('Y-m-dTH:i:s'), where T is the zone's
	// abbreviation: "2024-12-02ICT11:56:00". The clock is Vietnam time.
	if m := phpZoneAbbrevRE.FindStringSubmatch(s); m != nil {
		s = m[1] + "T" + m[2]
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			t = t.In(article.VietnamZone)
			_, ok := validDate(t.Year(), int(t.Month()), t.Day())
			return t, atMidnight(t), ok
		}
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, article.VietnamZone); err == nil {
			_, ok := validDate(t.Year(), int(t.Month()), t.Day())
			return t, atMidnight(t), ok
		}
	}
	return ParseDate(s)
}
