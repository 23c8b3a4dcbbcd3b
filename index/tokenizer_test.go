package index

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"golang.org/x/text/unicode/norm"

	"github.com/noivu/noivu/internal/vicorpus"
)

// sameTokens fails t unless the syllable tokenizer splits s exactly as
// Bleve's unicode tokenizer does: terms, offsets, positions and types.
func sameTokens(t *testing.T, s string) {
	t.Helper()
	want := unicode.NewUnicodeTokenizer().Tokenize([]byte(s))
	got := newSyllableTokenizer().Tokenize([]byte(s))
	if len(got) != len(want) {
		t.Fatalf("%q: %d tokens, unicode tokenizer %d:\n got %v\nwant %v", s, len(got), len(want), got, want)
	}
	for i := range got {
		g, w := got[i], want[i]
		if string(g.Term) != string(w.Term) || g.Start != w.Start || g.End != w.End ||
			g.Position != w.Position || g.Type != w.Type {
			t.Fatalf("%q token %d: got %v, unicode tokenizer %v", s, i, g, w)
		}
	}
}

func TestSyllableTokenizerCases(t *testing.T) {
	for _, s := range []string{
		"", " ", "a", "Cải cách hành chính", "Số 15/2024/NĐ-CP.", "1.000.000 đồng, 3,5%; 12:30",
		"a.b a..b a. .a a:b 1:2 a,b 1,2 1.a a.1 a1.5 1a.b a'b 1'2 l’État ‘quoted’ a’",
		"e-mail: vanthu@sonoivu.gov.vn http://sonoivu.sonla.gov.vn/tin-tuc?id=12&x=y",
		"«Hà Nội» – “Đắk Lắk” — 25°C × 3 ÷ 2 … • end", "tab\there\r\nnew\vline\fx",
		"snake_case _x x_", "soft\u00adhyphen", "Tokyo 東京 と 2024", "emoji 🙂 here",
		norm.NFD.String("Đắk Lắk Nghệ An"), "zero\u200bwidth", "a\u0301 e\u0302\u0301",
		"µ ª º ß Ø ø ÿ Ā ž ƒ ǅ ȳ ɏ Ḁ ỹ Ỵ ẞ", "\xff\xfe broken \xc3 utf8",
		"x\u00a0y", "tận\u00a0tâm", "Điều 5.2.a, khoản 3", "v.v... ", "TP.HCM", "U.B.N.D.",
	} {
		sameTokens(t, s)
	}
}

// TestSyllableTokenizerRandom compares the tokenizers on random strings
// drawn from the runes around which word boundaries are subtle.
func TestSyllableTokenizerRandom(t *testing.T) {
	pieces := []string{"a", "Z", "đ", "Ư", "ế", "ỹ", "ß", "0", "7", " ", "  ", "\t", "\n", "\r\n", ".", ",", ";",
		":", "'", "’", "‘", "·", "-", "/", "_", "\u00a0", "\u00ad", "\u0301", "東", "🙂", "\u200b", "“", "…",
		"×", "²", "\xff", "cách", "123", "ª", "\u2024", "\u2027"}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 50000; i++ {
		var b strings.Builder
		for n := r.Intn(12); n >= 0; n-- {
			b.WriteString(pieces[r.Intn(len(pieces))])
		}
		sameTokens(t, b.String())
	}
}

func TestSyllableTokenizerCorpus(t *testing.T) {
	for _, a := range vicorpus.Generate(20, 3) {
		sameTokens(t, a.Title)
		sameTokens(t, a.Text)
	}
	for _, a := range loadCorpus(t).Articles {
		sameTokens(t, a.Title)
		sameTokens(t, a.Text)
	}
}

func FuzzSyllableTokenizer(f *testing.F) {
	for _, s := range []string{"Cải cách hành chính", "Số 15/2024/NĐ-CP.", "a.b 1,2 l’a", "東京 x_y \u00ad"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) { sameTokens(t, s) })
}

// TestPlainRunesAreNFC checks what isPlainNFC relies on: each plain rune
// is NFC on its own and never combines with the rune before it, so that a
// text of plain runes needs no normalisation.
func TestPlainRunesAreNFC(t *testing.T) {
	for r := rune(0); r <= 0x1EFF+0x200; r++ {
		if !isPlainRune(r) {
			continue
		}
		s := string(r)
		if !norm.NFC.IsNormalString(s) || !norm.NFC.PropertiesString(s).BoundaryBefore() {
			t.Errorf("U+%04X is plain but not NFC on its own or combines backwards", r)
		}
	}
	for _, s := range []string{"Cải cách", "x\u00a0y – “z”"} {
		if !isPlainNFC([]byte(s)) {
			t.Errorf("isPlainNFC(%q) = false", s)
		}
	}
	for _, s := range []string{norm.NFD.String("Cải"), "東", "e\u0301"} {
		if isPlainNFC([]byte(s)) {
			t.Errorf("isPlainNFC(%q) = true", s)
		}
	}
}
