package index

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	bdoc "github.com/blevesearch/bleve/v2/document"
	index "github.com/blevesearch/bleve_index_api"
	"golang.org/x/text/unicode/norm"

	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/internal/vicorpus"
)

// TestFieldsAsTheMapping checks that a document analysed once per text
// (fields.go) holds the fields, options, lengths, terms, frequencies and
// positions that the mapping's four analyzers give one by one, which is
// what queries are analysed with.
func TestFieldsAsTheMapping(t *testing.T) {
	var docs []article.Article
	for _, text := range []string{
		"Cải cách hành chính năm 2024: Sở Nội vụ tỉnh Đắk Lắk",
		"ĐẮK LẮK, Đà Nẵng và TP. HỒ CHÍ MINH",  // upper case
		norm.NFD.String("Cải cách hành chính"), // NFD: made NFC first
		"an toàn thông tin mạng, COVID-19, e-mail, 15/2024/NĐ-CP",
		"một", "", "   ", "Café, naïve, Straße, q̃, 北京, 🙂 và của các",
		"của của của các các và và và", "x", "x y",
	} {
		docs = append(docs, article.Article{ID: fmt.Sprint("e", len(docs)), URL: "https://x.vn/", SourceID: "x",
			Title: text, Text: text + ". " + text, Author: text})
	}
	docs = append(docs, vicorpus.Generate(50, 3)...)
	for _, a := range docs {
		checkFieldsAsTheMapping(t, &a)
	}
}

// FuzzFieldsAsTheMapping is TestFieldsAsTheMapping on any text.
func FuzzFieldsAsTheMapping(f *testing.F) {
	for _, s := range []string{"Cải cách hành chính", "ĐẮK LẮK", "q̃ 🙂 của các", "a\u0301", "\xff\xfe", ""} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, title, text string) {
		a := article.Article{ID: "f", URL: "https://x.vn/", SourceID: "x", Title: title, Text: text, Author: title}
		checkFieldsAsTheMapping(t, &a)
	})
}

func checkFieldsAsTheMapping(t *testing.T, a *article.Article) {
	t.Helper()
	im, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	a.Published = time.Date(2024, 3, 1, 9, 0, 0, 0, article.VietnamZone)
	src := article.Source{ID: "x", Province: "Đắk Lắk"}
	want := bdoc.NewDocument(a.ID)
	if err := im.MapDocument(want, map[string]interface{}(newDocument(a, src))); err != nil {
		t.Fatal(err)
	}
	got, err := buildDocument(im, a, src)
	if err != nil {
		t.Fatal(err)
	}
	fields := func(d *bdoc.Document) map[string]bdoc.Field {
		out := map[string]bdoc.Field{}
		for _, f := range d.Fields {
			if f.Options().IsIndexed() {
				f.Analyze()
			}
			out[f.Name()] = f
		}
		return out
	}
	gf, wf := fields(got), fields(want)
	if len(gf) != len(wf) {
		t.Fatalf("%q: %d fields, the mapping gives %d", a.Text, len(gf), len(wf))
	}
	for name, w := range wf {
		g, ok := gf[name]
		if !ok {
			t.Fatalf("%q: no field %s", a.Text, name)
		}
		// Bleve lower-cases the value of a field it does not store in
		// place, as it analyses it: only a stored value counts.
		stored := !w.Options().IsStored() || string(g.Value()) == string(w.Value())
		if g.Options() != w.Options() || !stored || g.EncodedFieldType() != w.EncodedFieldType() {
			t.Fatalf("%q: field %s: options %v value %q type %c, the mapping gives %v %q %c", a.Text, name,
				g.Options(), g.Value(), g.EncodedFieldType(), w.Options(), w.Value(), w.EncodedFieldType())
		}
		if g.AnalyzedLength() != w.AnalyzedLength() {
			t.Fatalf("%q: field %s: length %d, the mapping gives %d", a.Text, name, g.AnalyzedLength(), w.AnalyzedLength())
		}
		if gs, ws := freqString(g.AnalyzedTokenFrequencies()), freqString(w.AnalyzedTokenFrequencies()); gs != ws {
			t.Fatalf("%q: field %s:\n got %s\nwant %s", a.Text, name, gs, ws)
		}
	}
}

// freqString writes frequencies out in a stable order: term, frequency,
// and each location's position and offsets.
func freqString(tf index.TokenFrequencies) string {
	var out []string
	for term, f := range tf {
		s := fmt.Sprintf("%q×%d", term, f.Frequency())
		if string(f.Term) != term {
			s += fmt.Sprintf("(term %q)", f.Term)
		}
		for _, l := range f.Locations {
			s += fmt.Sprintf(" %d@%d-%d%v", l.Position, l.Start, l.End, l.ArrayPositions)
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return strings.Join(out, "; ")
}
