package extract

import (
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestCollapseSpacesMatchesRegexp checks the loop against the regexp it
// replaced, on white space of every kind, invalid UTF-8 included.
func TestCollapseSpacesMatchesRegexp(t *testing.T) {
	re := regexp.MustCompile(`[\s\x{00A0}\x{200B}\x{FEFF}]+`)
	for _, s := range []string{
		"", " ", "a", " a ", "a  b", "a\tb\nc\fd\re", "\u00a0Sở\u200bNội\ufeff vụ\u00a0", "x\vy",
		"bad \xff\xfe bytes\xc2", "  lead and trail  ", "one two", "\u2003em space", "a\u00a0\u00a0 b",
	} {
		want := strings.TrimSpace(re.ReplaceAllString(s, " "))
		if got := collapseSpaces(s); got != want {
			t.Errorf("collapseSpaces(%q) = %q, want %q", s, got, want)
		}
	}
}

func TestTextUpToMatchesNodeText(t *testing.T) {
	doc, err := html.Parse(strings.NewReader(`<div>Lượt xem: <b>470</b><script>var x = 1;</script><style>p{}</style> <span>tin</span></div>`))
	if err != nil {
		t.Fatal(err)
	}
	got, whole := textUpTo(doc, 1000)
	if !whole || got != nodeText(doc) {
		t.Errorf("textUpTo = %q (whole %v), nodeText = %q", got, whole, nodeText(doc))
	}
	if _, whole := textUpTo(doc, 5); whole {
		t.Error("textUpTo ignored its limit")
	}
}
