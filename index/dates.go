package index

import (
	"strings"
	"time"

	"github.com/noivu/noivu/article"
)

// takeDates moves the since:, until: and published: clauses of a parsed
// query into its date range. They bound the whole query, so they may not
// sit inside OR, parentheses or an exclusion.
func takeDates(clauses []Clause) (Query, error) {
	var q Query
	for _, c := range clauses {
		if err := checkNoDates(c.Any); err != nil {
			return Query{}, err
		}
		if err := checkNoDates(c.Group); err != nil {
			return Query{}, err
		}
		if !isDateField(c.Field) {
			q.Clauses = append(q.Clauses, c)
			continue
		}
		if c.Not {
			return Query{}, badQuery("%s: cannot be excluded; narrow the dates instead", c.Field)
		}
		since, until, err := dateClause(c.Field, c.Text)
		if err != nil {
			return Query{}, err
		}
		q.Since, q.Until = Intersect(q.Since, q.Until, since, until)
	}
	if !q.Since.IsZero() && !q.Until.IsZero() && !q.Since.Before(q.Until) {
		return Query{}, badQuery("the date range is empty: since %s is not before until %s",
			q.Since.Format("2006-01-02"), q.Until.Add(-time.Nanosecond).Format("2006-01-02"))
	}
	return q, nil
}

func isDateField(f string) bool { return f == "since" || f == "until" || f == "published" }

func checkNoDates(cs []Clause) error {
	for _, c := range cs {
		if isDateField(c.Field) {
			return badQuery("%s: applies to the whole query; it cannot be inside OR or parentheses", c.Field)
		}
		if err := checkNoDates(c.Any); err != nil {
			return err
		}
		if err := checkNoDates(c.Group); err != nil {
			return err
		}
	}
	return nil
}

// dateClause returns the range [since, until) a date clause names.
func dateClause(field, value string) (since, until time.Time, err error) {
	switch field {
	case "since":
		since, _, err = Period(value)
	case "until":
		_, until, err = Period(value)
	default:
		from, to, found := strings.Cut(value, "..")
		if !found {
			to = from
		}
		if from != "" {
			since, _, err = Period(from)
		}
		if to != "" && err == nil {
			_, until, err = Period(to)
		}
		if from == "" && to == "" {
			err = badQuery("published: needs a date or a range such as 2024-01..2024-06")
		}
	}
	if err != nil {
		return time.Time{}, time.Time{}, badQuery("%s:%s: %v", field, value, unwrapBad(err))
	}
	return since, until, nil
}

// Period parses YYYY, YYYY-MM or YYYY-MM-DD and returns the start of that
// year, month or day in Vietnam time and the start of the next one. Errors
// wrap ErrBadQuery.
func Period(s string) (start, end time.Time, err error) {
	layouts := []struct {
		layout string
		next   func(time.Time) time.Time
	}{
		{"2006-01-02", func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
		{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }},
		{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }},
	}
	for _, l := range layouts {
		if len(s) != len(l.layout) {
			continue
		}
		t, err := time.ParseInLocation(l.layout, s, article.VietnamZone)
		if err != nil {
			break
		}
		if t.Year() < 1900 || t.Year() > 2199 {
			return start, end, badQuery("year %d is out of range (1900-2199)", t.Year())
		}
		return t, l.next(t), nil
	}
	return start, end, badQuery("%q is not a date: write YYYY, YYYY-MM or YYYY-MM-DD", s)
}

// Intersect narrows the range [since, until) by [s2, u2); zero bounds are open.
func Intersect(since, until, s2, u2 time.Time) (time.Time, time.Time) {
	if !s2.IsZero() && (since.IsZero() || s2.After(since)) {
		since = s2
	}
	if !u2.IsZero() && (until.IsZero() || u2.Before(until)) {
		until = u2
	}
	return since, until
}

// unwrapBad returns the part of a bad-query error after the sentinel, so
// that nested messages do not repeat "index: bad query:".
func unwrapBad(err error) string {
	msg := err.Error()
	if _, rest, ok := strings.Cut(msg, ErrBadQuery.Error()+": "); ok {
		return rest
	}
	return msg
}
