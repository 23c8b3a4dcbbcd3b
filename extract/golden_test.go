package extract

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/noivu/noivu/article"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

var update = flag.Bool("update", false, "rewrite testdata/<case>.json from the current output")

// goldenCase is one row of testdata/cases.json: a page and how it was fetched.
type goldenCase struct {
	Name        string            `json:"name"`
	URL         string            `json:"url"`
	ContentType string            `json:"content_type,omitempty"`
	Selectors   article.Selectors `json:"selectors,omitempty"`
	// Source names a UTF-8 file that -update encodes into the case's page
	// (decomposed, windows-1258) so the page's bytes stay reproducible.
	Source string `json:"source,omitempty"`
}

// golden is the part of a Result a golden file pins down.
type golden struct {
	URL         string               `json:"url"`
	IsArticle   bool                 `json:"is_article"`
	CMS         string               `json:"cms"`
	Charset     string               `json:"charset"`
	Garbled     bool                 `json:"garbled"`
	Recoded     string               `json:"recoded,omitempty"`
	Title       string               `json:"title"`
	Author      string               `json:"author"`
	Unit        string               `json:"unit"`
	Outlet      string               `json:"outlet"`
	Section     string               `json:"section"`
	Published   string               `json:"published"`
	Updated     string               `json:"updated"`
	DateOnly    bool                 `json:"date_only"`
	Layers      map[string]string    `json:"layers"`
	Images      []article.Image      `json:"images"`
	Attachments []article.Attachment `json:"attachments"`
	Text        string               `json:"text"`
	HTML        string               `json:"html"`
}

func toGolden(r Result) golden {
	ts := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.RFC3339)
	}
	return golden{URL: r.URL, IsArticle: r.IsArticle, CMS: r.CMS, Charset: r.Charset, Garbled: r.Garbled, Recoded: r.Recoded,
		Title: r.Title, Author: r.Author, Unit: r.Unit, Outlet: r.Outlet, Section: r.Section,
		Published: ts(r.Published), Updated: ts(r.Updated), DateOnly: r.DateOnly, Layers: r.Layers,
		Images: r.Images, Attachments: r.Attachments, Text: r.Text, HTML: r.HTML}
}

func loadCases(tb testing.TB) []goldenCase {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "cases.json"))
	if err != nil {
		tb.Fatal(err)
	}
	var cases []goldenCase
	if err := json.Unmarshal(raw, &cases); err != nil {
		tb.Fatalf("cases.json: %v", err)
	}
	return cases
}

func TestGolden(t *testing.T) {
	for _, c := range loadCases(t) {
		t.Run(c.Name, func(t *testing.T) {
			htmlPath := filepath.Join("testdata", c.Name+".html")
			if *update && c.Source != "" {
				writeWindows1258(t, filepath.Join("testdata", c.Source), htmlPath)
			}
			body, err := os.ReadFile(htmlPath)
			if err != nil {
				t.Fatal(err)
			}
			res, err := Extract(body, c.URL, c.ContentType, c.Selectors)
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			for _, f := range []string{res.Title, res.Author, res.Unit, res.Outlet, res.Text, res.HTML} {
				if !norm.NFC.IsNormalString(f) {
					t.Errorf("not NFC: %q", f)
				}
			}
			got, _ := json.MarshalIndent(toGolden(res), "", "  ")
			got = append(got, '\n')
			jsonPath := filepath.Join("testdata", c.Name+".json")
			if *update {
				if err := os.WriteFile(jsonPath, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(jsonPath)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from the golden; run go test -run TestGolden -update and review the diff\ngot:\n%s", jsonPath, got)
			}
		})
	}
}

// writeWindows1258 encodes a UTF-8 page the way windows-1258 sites store
// it: decomposed, tone marks as combining characters.
func writeWindows1258(t *testing.T, src, dst string) {
	t.Helper()
	raw, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	out, err := charmap.Windows1258.NewEncoder().Bytes([]byte(toneDecompose(string(raw))))
	if err != nil {
		t.Fatalf("encode %s: %v", src, err)
	}
	if err := os.WriteFile(dst, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

// toneDecompose writes each letter as windows-1258 does: the base letter
// (with its circumflex, breve or horn) precomposed, the tone mark combining.
func toneDecompose(s string) string {
	var b strings.Builder
	for _, r := range norm.NFC.String(s) {
		var base, tones []rune
		for _, d := range norm.NFD.String(string(r)) {
			switch d {
			case '\u0300', '\u0301', '\u0303', '\u0309', '\u0323':
				tones = append(tones, d)
			default:
				base = append(base, d)
			}
		}
		b.WriteString(norm.NFC.String(string(base)))
		b.WriteString(string(tones))
	}
	return b.String()
}

func BenchmarkExtract(b *testing.B) {
	type page struct {
		c    goldenCase
		body []byte
	}
	var pages []page
	for _, c := range loadCases(b) {
		body, err := os.ReadFile(filepath.Join("testdata", c.Name+".html"))
		if err != nil {
			b.Fatal(err)
		}
		pages = append(pages, page{c, body})
	}
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		for _, p := range pages {
			if _, err := Extract(p.body, p.c.URL, p.c.ContentType, p.c.Selectors); err != nil {
				b.Fatal(err)
			}
			n++
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "pages/s")
}
