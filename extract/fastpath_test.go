package extract

import (
	"regexp"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// The hot paths below replaced a library call or a regexp for speed; each
// fuzz test holds the fast version to the slow one it replaced.

var fastPathSeeds = []string{
	"", " ", "a", " a ", "a  b", "a\tb\nc\fd\re", "\u00a0Sở\u200bNội\ufeff vụ\u00a0", "x\vy",
	"bad \xff\xfe bytes\xc2", "\xe2\xc2\xa0", "\xef\xbb", "a\u00a0\u00a0 b", "\u2003em space",
	"Nghị quyết số 12", "Nghi\u0323 quyê\u0301t", "Ảnh: Hà Nội.", "tiếp theo”", "B¸o c¸o thùc tËp",
	"® 2024", "\u2000\u2126\u212b", "ơ\u0301", "e\u0302\u0301", "\u1100\u1161", "안녕", "x\u0345",
	"one two three four five six seven eight nine ten",
}

func FuzzNFCMatchesNorm(f *testing.F) {
	for _, s := range fastPathSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := nfc(s), norm.NFC.String(s); got != want {
			t.Errorf("nfc(%q) = %q, want %q", s, got, want)
		}
	})
}

// TestInertRunes checks every rune the table calls inert, alone and before
// each combining mark of U+0300-U+036F, against norm.
func TestInertRunes(t *testing.T) {
	for a := rune(0); a < inertLimit; a++ {
		if !plainNFC(string(a)) {
			continue
		}
		for b := rune(0x300); b < 0x370; b++ {
			s := string(a) + string(b)
			if got, want := nfc(s), norm.NFC.String(s); got != want {
				t.Fatalf("nfc(%q) = %q, want %q", s, got, want)
			}
		}
	}
}

func FuzzCollapseSpacesMatchesRegexp(f *testing.F) {
	re := regexp.MustCompile(`[\s\x{00A0}\x{200B}\x{FEFF}]+`)
	for _, s := range fastPathSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := collapseSpaces(s), strings.TrimSpace(re.ReplaceAllString(s, " ")); got != want {
			t.Errorf("collapseSpaces(%q) = %q, want %q", s, got, want)
		}
	})
}

func FuzzMidSentenceMatchesRegexp(f *testing.F) {
	re := regexp.MustCompile(`[.!?:;…"”’)\]]$`)
	for _, s := range fastPathSeeds {
		f.Add(s, "tiếp")
	}
	f.Fuzz(func(t *testing.T, prev, next string) {
		r, _ := utf8.DecodeRuneInString(next)
		want := !re.MatchString(prev) && unicode.IsLower(r)
		if got := midSentence(prev, next); got != want {
			t.Errorf("midSentence(%q, %q) = %v, want %v", prev, next, got, want)
		}
	})
}

func FuzzMayBeTCVN3MatchesContainsAny(f *testing.F) {
	for _, s := range fastPathSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := mayBeTCVN3(s), strings.ContainsAny(s, tcvn3Common); got != want {
			t.Errorf("mayBeTCVN3(%q) = %v, want %v", s, got, want)
		}
	})
}

// FuzzDateShapeKeys checks that a text a date shape matches always passes
// the shape's word test, and that a labelled update date's line always
// holds reUpdatedWord.
func FuzzDateShapeKeys(f *testing.F) {
	for _, s := range append(fastPathSeeds, "NGÀY 14 THÁNG 11 NĂM 2023", "ſeptember 5, 2019", "5 SEPT 2020",
		"Cập nhật: 12/03/2024", "UPDATED 2024-01-02", "ngày 1 tháng 2 năm 2020") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 300 {
			return // the suffix loop is quadratic
		}
		lower := strings.ToLower(s)
		for i, shape := range dateShapes {
			if shape.re.MatchString(s) && !shape.mayMatch(s, lower) {
				t.Errorf("shape %d matches %q but its words are not found", i, s)
			}
		}
		for i := range s {
			if reUpdatedLabel.MatchString(s[i:]) && !reUpdatedWord.MatchString(s) {
				t.Errorf("%q has an update label but no reUpdatedWord", s)
			}
		}
	})
}

func TestIsLetterMatchesUnicode(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if isLetter(r) != unicode.IsLetter(r) {
			t.Fatalf("isLetter(%U) = %v", r, isLetter(r))
		}
	}
}
