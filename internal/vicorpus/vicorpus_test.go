package vicorpus

import (
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestGenerateIsSeededValidNFC(t *testing.T) {
	a, b := Generate(20, 7), Generate(20, 7)
	for i := range a {
		if a[i].Text != b[i].Text || a[i].Title != b[i].Title {
			t.Fatalf("article %d differs between two runs with one seed", i)
		}
		if !utf8.ValidString(a[i].Text) || !norm.NFC.IsNormalString(a[i].Text) {
			t.Fatalf("article %d is not valid NFC UTF-8", i)
		}
		if n := len(a[i].Text); n < 2000 {
			t.Errorf("article %d: %d bytes, want ~900 syllables", i, n)
		}
	}
	if Generate(1, 8)[0].Text == a[0].Text {
		t.Error("another seed gives the same text")
	}
}
