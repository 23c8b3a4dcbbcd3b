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

// nfc returns s in Unicode normal form C. Almost every string it sees is
// NFC already, and norm's own check of that (a trie lookup per rune) was a
// tenth of a crawl's time: a scan against inertRunes answers first, and
// only a string holding some other rune goes through norm.
func nfc(s string) string {
	if plainNFC(s) {
		return s
	}
	return norm.NFC.String(s)
}

// inertLimit bounds the runes inertRunes knows: ASCII, the Latin blocks
// (Vietnamese letters included, up to U+1EFF) and general punctuation.
const inertLimit = 0x2100

// inertRunes has a bit set for each rune below inertLimit that is NFC on
// its own and combines with nothing before it: a string made of such runes
// is NFC (the quick check of UAX #15 answers yes). Built once from norm's
// own tables; read only.
var inertRunes = func() *[inertLimit / 64]uint64 {
	var t [inertLimit / 64]uint64
	buf := make([]byte, 0, utf8.UTFMax)
	for r := rune(0); r < inertLimit; r++ {
		buf = utf8.AppendRune(buf[:0], r)
		if norm.NFC.Properties(buf).BoundaryBefore() && norm.NFC.IsNormal(buf) {
			t[r/64] |= 1 << (r % 64)
		}
	}
	return &t
}()

// plainNFC says s is made of inert runes only, so it is NFC; false means
// "ask norm", not "not NFC".
func plainNFC(s string) bool {
	for i := 0; i < len(s); {
		// Eight ASCII bytes at a time: most of a page is markup.
		if i+8 <= len(s) && (uint64(s[i])|uint64(s[i+1])|uint64(s[i+2])|uint64(s[i+3])|
			uint64(s[i+4])|uint64(s[i+5])|uint64(s[i+6])|uint64(s[i+7]))&0x80 == 0 {
			i += 8
			continue
		}
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		// Vietnamese letters are two bytes (ă, đ, ơ, ư and Latin-1) or
		// three starting 0xE1 (U+1EA0-U+1EF9): decoded here, the rest by utf8.
		if 0xC2 <= c && c <= 0xDF && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			if r := rune(c&0x1F)<<6 | rune(s[i+1]&0x3F); inertRunes[r/64]&(1<<(r%64)) == 0 {
				return false
			}
			i += 2
			continue
		}
		if c == 0xE1 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			if r := 0x1000 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F); inertRunes[r/64]&(1<<(r%64)) == 0 {
				return false
			}
			i += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r >= inertLimit || r == utf8.RuneError || inertRunes[r/64]&(1<<(r%64)) == 0 {
			return false
		}
		i += size
	}
	return true
}

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
// runs on every element the layers look at. It works on bytes and copies
// the runs between spaces whole: the three multi-byte spaces are told by
// their encodings, whose first bytes never continue another rune.
func collapseSpaces(s string) string {
	if !needsCollapse(s) {
		return strings.TrimSpace(s) // Unicode spaces at the ends, as before
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for i := 0; i < len(s); {
		if n := spaceLen(s, i); n > 0 {
			space = true
			i += n
			continue
		}
		j := i + 1
		for j < len(s) && (!spaceStart[s[j]] || spaceLen(s, j) == 0) {
			j++
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteString(s[i:j]) // invalid bytes stay as they were
		i = j
	}
	return strings.TrimSpace(b.String())
}

// spaceLen is the length of the collapsible space at s[i], or 0.
func spaceLen(s string, i int) int {
	switch s[i] {
	case ' ', '\t', '\n', '\f', '\r':
		return 1
	case 0xC2: // U+00A0
		if i+1 < len(s) && s[i+1] == 0xA0 {
			return 2
		}
	case 0xE2: // U+200B
		if i+2 < len(s) && s[i+1] == 0x80 && s[i+2] == 0x8B {
			return 3
		}
	case 0xEF: // U+FEFF
		if i+2 < len(s) && s[i+1] == 0xBB && s[i+2] == 0xBF {
			return 3
		}
	}
	return 0
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
		if !spaceStart[s[i]] {
			continue
		}
		// A space is never last here, so s[i+1] exists; the multi-byte
		// starts only may be U+00A0, U+200B, U+FEFF.
		if s[i] != ' ' || s[i+1] == ' ' {
			return true
		}
	}
	return false
}

// spaceStart marks the bytes that may start a collapsible space: one table
// load per byte, where a chain of comparisons was most of needsCollapse's
// time on long texts. Read only.
var spaceStart = [256]bool{' ': true, '\t': true, '\n': true, '\f': true, '\r': true, 0xC2: true, 0xE2: true, 0xEF: true}

// fold lower-cases s for comparisons that ignore case and spacing.
func fold(s string) string { return strings.ToLower(clean(s)) }
