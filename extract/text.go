package extract

import (
	"html"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

var (
	reEntity = regexp.MustCompile(`&(#\d+|#[xX][0-9a-fA-F]+|[a-zA-Z]+);`)
)

// nfc returns s in Unicode normal form C.
func nfc(s string) string { return norm.NFC.String(s) }

// clean collapses white space and decodes left-over (double-escaped)
// entities: the form every short field is compared and stored in. Text from
// the page is NFC already (Extract normalises the whole page before parsing
// and every field of the result again), so only decoded entities, which may
// spell a decomposed letter, are normalised here: it was a quarter of the
// time of a crawl.
func clean(s string) string {
	if reEntity.MatchString(s) {
		s = nfc(html.UnescapeString(s))
	}
	return collapseSpaces(s)
}

// collapseSpaces turns each run of white space (as regexp's \s: ASCII
// space, tab, line feed, form feed, carriage return; and U+00A0, U+200B,
// U+FEFF) into one space and trims the ends. A loop, not a regexp: clean
// runs on every element the layers look at.
func collapseSpaces(s string) string {
	if !needsCollapse(s) {
		return strings.TrimSpace(s) // Unicode spaces at the ends, as before
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if isCollapsible(r) {
			space = true
		} else {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteString(s[i : i+size]) // invalid bytes stay as they were
		}
		i += size
	}
	return strings.TrimSpace(b.String())
}

// needsCollapse says s has white space other than single spaces between words.
func needsCollapse(s string) bool {
	if s == "" {
		return false
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return true
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\t' || c == '\n' || c == '\f' || c == '\r' || c >= 0x80 && (c == 0xC2 || c == 0xE2 || c == 0xEF):
			return true // the multi-byte ones only may be U+00A0, U+200B, U+FEFF
		case c == ' ' && s[i+1] == ' ':
			return true
		}
	}
	return false
}

func isCollapsible(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\f', '\r', '\u00a0', '\u200b', '\ufeff':
		return true
	}
	return false
}

// fold lower-cases s for comparisons that ignore case and spacing.
func fold(s string) string { return strings.ToLower(clean(s)) }
