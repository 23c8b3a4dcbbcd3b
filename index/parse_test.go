package index

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/noivu/noivu/article"
)

func TestParseQuery(t *testing.T) {
	w := func(s string) Clause { return Clause{Text: s} }
	tests := []struct {
		in   string
		want []Clause
	}{
		{"", nil},
		{"cải cách", []Clause{w("cải"), w("cách")}},
		{`"cải cách" -"hành chính"`, []Clause{{Text: "cải cách", Phrase: true}, {Text: "hành chính", Phrase: true, Not: true}}},
		{"a OR b c", []Clause{{Any: []Clause{w("a"), w("b")}}, w("c")}},
		{"a OR b OR c", []Clause{{Any: []Clause{w("a"), w("b"), w("c")}}}},
		{"-(a b)", []Clause{{Not: true, Group: []Clause{w("a"), w("b")}}}},
		{`TITLE:"a b" author:c`, []Clause{{Field: "title", Text: "a b", Phrase: true}, {Field: "author", Text: "c"}}},
		{"source:sonla province:Đắk", []Clause{{Field: "source", Text: "sonla"}, {Field: "province", Text: "Đắk"}}},
		{"NĐ-CP 15/2024", []Clause{w("NĐ-CP"), w("15/2024")}},
		{"http://a.vn x:y", []Clause{w("http://a.vn"), w("x:y")}},
		{"a AND b", []Clause{w("a"), w("b")}},
		{"or - a", []Clause{w("or"), w("-"), w("a")}},
	}
	for _, tt := range tests {
		q, err := ParseQuery(tt.in)
		if err != nil {
			t.Errorf("ParseQuery(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(q.Clauses, tt.want) {
			t.Errorf("ParseQuery(%q):\n got %+v\nwant %+v", tt.in, q.Clauses, tt.want)
		}
	}
}

func TestParseDates(t *testing.T) {
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, article.VietnamZone) }
	tests := []struct {
		in           string
		since, until time.Time
	}{
		{"since:2024-01-05", day(2024, 1, 5), time.Time{}},
		{"until:2024-12-31", time.Time{}, day(2025, 1, 1)},
		{"published:2024-01..2024-06", day(2024, 1, 1), day(2024, 7, 1)},
		{"published:2024", day(2024, 1, 1), day(2025, 1, 1)},
		{"published:..2023-02", time.Time{}, day(2023, 3, 1)},
		{"published:2022.. since:2023 until:2030", day(2023, 1, 1), day(2031, 1, 1)},
	}
	for _, tt := range tests {
		q, err := ParseQuery(tt.in)
		if err != nil {
			t.Errorf("ParseQuery(%q): %v", tt.in, err)
			continue
		}
		if !q.Since.Equal(tt.since) || !q.Until.Equal(tt.until) || len(q.Clauses) != 0 {
			t.Errorf("ParseQuery(%q) = [%v, %v) %v, want [%v, %v)", tt.in, q.Since, q.Until, q.Clauses, tt.since, tt.until)
		}
	}
}

// FuzzParseQuery checks that no query panics, that every refusal is
// ErrBadQuery and that whatever parses also runs against a real index.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"cải cách", `"a b" -c`, "a OR (b -c)", "title:\"x y\" since:2024-01",
		"published:2024-01..2024-06", "((a))", `-"`, "source:x OR province:\"Đắk Lắk\"", "a\x00b\xff",
		"x*?", "--a", "-(", "OR", "since:..", "published:..", strings.Repeat("(", 5)} {
		f.Add(s)
	}
	c := loadCorpus(f)
	ix := openTemp(f)
	ix.SetSources(c.Sources)
	if _, err := ix.Sync(context.Background(), memSource(c.Articles)); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, err := ParseQuery(s)
		if err != nil && !errors.Is(err, ErrBadQuery) {
			t.Fatalf("ParseQuery(%q): %v is not ErrBadQuery", s, err)
		}
		_, err = ix.Search(context.Background(), Request{Query: s, Facets: true})
		if err != nil && !errors.Is(err, ErrBadQuery) {
			t.Fatalf("Search(%q): %v is not ErrBadQuery", s, err)
		}
	})
}
