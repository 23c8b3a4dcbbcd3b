package web

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/noivu/noivu/article"
)

// Bounds on what a request may ask for. Every parser in this file returns a
// value within them or a paramError, which the handlers answer with a 400
// and its message; none of them allocates more than its input.
const (
	maxQueryChars = 1000 // ?q=, in characters, as the index allows
	maxListValues = 100  // values of ?source= or ?province=, repeats and commas together
	maxValueBytes = 200  // one value of such a list
	apiMaxLimit   = 100  // /api/search: one page of the index
	apiLimit      = 20   // /api/search without ?limit=
	minYear       = 1900 // dates the index can hold
	maxYear       = 2199
	maxDigits     = 9 // a number parameter; more cannot be in range and could overflow
)

// paramError is a request parameter the server cannot accept: the user's
// mistake, a 400. It matches ErrBadQuery so that the handlers that already
// answer a bad query with a 400 answer it the same way; its message carries
// no "bad query" prefix.
type paramError string

func (e paramError) Error() string        { return string(e) }
func (e paramError) Is(target error) bool { return target == ErrBadQuery }

func badParam(format string, args ...any) error { return paramError(fmt.Sprintf(format, args...)) }

// parseLimit reads ?limit=: def when absent, else a whole number from 1 to
// max. Above max is refused, not clamped, so that nobody takes a shortened
// answer for the whole one.
func parseLimit(s string, def, max int) (int, error) {
	if s == "" {
		return def, nil
	}
	n, ok := wholeNumber(s)
	if !ok || n < 1 || n > max {
		return 0, badParam("limit must be a whole number from 1 to %d", max)
	}
	return n, nil
}

// parsePage reads ?page= of the search page: 1 when absent, else 1 to the
// last page maxResults reaches.
func parsePage(s string) (int, error) {
	if s == "" {
		return 1, nil
	}
	last := maxResults / pageSize
	n, ok := wholeNumber(s)
	if !ok || n < 1 || n > last {
		return 0, badParam("page must be a whole number from 1 to %d", last)
	}
	return n, nil
}

// wholeNumber parses 1 to maxDigits ASCII digits: no sign, no spaces, no
// exponent, nothing that strconv would take and a person would not mean.
func wholeNumber(s string) (int, bool) {
	if s == "" || len(s) > maxDigits {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// parseQuery reads ?q=: trimmed, at most maxQueryChars characters.
func parseQuery(s string) (string, error) {
	s = strings.TrimSpace(s)
	if len(s) > maxQueryChars { // cheap first: fewer bytes than that is fewer characters too
		if n := utf8.RuneCountInString(s); n > maxQueryChars {
			return "", badParam("the query is %d characters long; the limit is %d", n, maxQueryChars)
		}
	}
	return s, nil
}

// parseSort reads ?sort=: "" (relevance), relevance or newest.
func parseSort(s string) (string, error) {
	switch s {
	case "", "relevance", "newest":
		return s, nil
	}
	return "", badParam("sort %s: use relevance or newest", quote(s))
}

// dayParam parses ?since= or ?until= (name), YYYY-MM-DD, as the start of
// that day in Vietnam, plus addDays (1 makes an inclusive "until" an
// exclusive bound). The year must be one the index can hold.
func dayParam(name, s string, addDays int) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2006-01-02", s, article.VietnamZone)
	if err != nil || len(s) != len("2006-01-02") || t.Year() < minYear || t.Year() > maxYear {
		return time.Time{}, badParam("%s %s is not a date: write YYYY-MM-DD, a year from %d to %d",
			name, quote(s), minYear, maxYear)
	}
	return t.AddDate(0, 0, addDays), nil
}

// dateRange parses ?since= and ?until= (inclusive) into [since, until).
func dateRange(since, until string) (time.Time, time.Time, error) {
	s, err := dayParam("since", since, 0)
	if err != nil {
		return s, s, err
	}
	u, err := dayParam("until", until, 1)
	if err != nil {
		return s, u, err
	}
	if !s.IsZero() && !u.IsZero() && !s.Before(u) {
		return s, u, badParam("since %s is after until %s: the range is empty", since, until)
	}
	return s, u, nil
}

// listParam reads a list parameter (name): repeated and comma-separated
// values, trimmed, blanks dropped, at most maxListValues of at most
// maxValueBytes each.
func listParam(name string, vs []string) ([]string, error) {
	var out []string
	for _, v := range vs {
		for s := range strings.SplitSeq(v, ",") {
			if s = strings.TrimSpace(s); s == "" {
				continue
			}
			if len(s) > maxValueBytes {
				return nil, badParam("%s %s is too long", name, quote(s))
			}
			if len(out) == maxListValues {
				return nil, badParam("too many values of %s; the limit is %d", name, maxListValues)
			}
			out = append(out, s)
		}
	}
	return out, nil
}

// splitList is listParam for values already checked, for links to the search.
func splitList(vs []string) []string {
	out, _ := listParam("", vs)
	return out
}

// validID reports whether id is an article ID: 16 lower-case hex digits.
func validID(id string) bool {
	if len(id) != 16 {
		return false
	}
	for _, c := range []byte(id) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// quote quotes what the user sent for a message, cut to a readable length.
func quote(s string) string {
	const max = 40
	if len(s) <= max {
		return strconv.Quote(s)
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return strconv.Quote(s[:cut]) + "…"
}

// userMessage is the message of an error the user caused, without the
// prefixes the layers it crossed added ("bad query: index: bad query: ").
func userMessage(err error) string {
	msg := err.Error()
	for {
		m := strings.TrimPrefix(strings.TrimPrefix(msg, ErrBadQuery.Error()+": "), "index: ")
		if m == msg {
			return msg
		}
		msg = m
	}
}
