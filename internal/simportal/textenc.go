package simportal

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// Charsets an article can be served in.
const (
	charsetUTF8 = "utf-8"
	charset1258 = "windows-1258"
)

// slugify folds a title to ASCII the way most CMSs do ("Tổ chức" -> "to-chuc").
// A lossy slug instead loses every letter carrying two diacritics
// ("Tin tức" -> "tin-t-c"), as some portals do; either way a title can never
// be rebuilt from it.
func slugify(s string, lossy bool, maxWords int) string {
	if !lossy {
		s = strings.NewReplacer("đ", "d", "Đ", "D").Replace(s)
		var b strings.Builder
		for _, r := range norm.NFD.String(s) {
			if !unicode.Is(unicode.Mn, r) {
				b.WriteRune(r)
			}
		}
		s = b.String()
	}
	var words []string
	var cur strings.Builder
	flush := func() {
		if w := strings.Trim(cur.String(), "-"); w != "" {
			words = append(words, w)
		}
		cur.Reset()
	}
	for _, r := range strings.ToLower(s) {
		switch {
		case r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			cur.WriteRune(r)
		case unicode.IsLetter(r) && len([]rune(norm.NFD.String(string(r)))) > 2:
			cur.WriteByte('-') // a letter with two diacritics is lost
		case unicode.IsLetter(r):
			cur.WriteString(foldRune(r))
		default:
			flush()
		}
	}
	flush()
	if len(words) > maxWords {
		words = words[:maxWords]
	}
	out := strings.Join(words, "-")
	for strings.Contains(out, "--") {
		out = strings.ReplaceAll(out, "--", "-")
	}
	return out
}

// foldRune strips the diacritics of one letter ("ộ" -> "o", "đ" -> "d").
func foldRune(r rune) string {
	if r == 'đ' {
		return "d"
	}
	var b strings.Builder
	for _, c := range norm.NFD.String(string(r)) {
		if c < 128 {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// toneMarks are the five Vietnamese tone marks; Windows-1258 encodes them as
// combining characters after a base letter.
func isToneMark(r rune) bool {
	switch r {
	case '\u0300', '\u0301', '\u0303', '\u0309', '\u0323':
		return true
	}
	return false
}

// encode1258 encodes NFC text to Windows-1258 the way Windows does: each
// letter whose precomposed form exists in the code page is written as one
// byte; otherwise the base letter (ơ, ư, â, ê, ô, ă, đ...) is written
// precomposed and the tone mark follows as a combining character. Decoding the
// result and normalising to NFC gives the original text back. A rune the code
// page cannot hold at all is written as a numeric character reference.
func encode1258(s string) []byte {
	rs := []rune(norm.NFD.String(s))
	out := make([]byte, 0, len(s))
	for i := 0; i < len(rs); {
		j := i + 1
		for j < len(rs) && unicode.Is(unicode.Mn, rs[j]) {
			j++
		}
		out = appendCluster1258(out, rs[i:j])
		i = j
	}
	return out
}

func appendCluster1258(out []byte, cl []rune) []byte {
	enc := charmap.Windows1258
	if c := []rune(norm.NFC.String(string(cl))); len(c) == 1 {
		if b, ok := enc.EncodeRune(c[0]); ok {
			return append(out, b)
		}
	}
	var base, tones []rune
	for _, r := range cl {
		if isToneMark(r) {
			tones = append(tones, r)
		} else {
			base = append(base, r)
		}
	}
	for _, r := range append([]rune(norm.NFC.String(string(base))), tones...) {
		if b, ok := enc.EncodeRune(r); ok {
			out = append(out, b)
		} else {
			out = fmt.Appendf(out, "&#%d;", r)
		}
	}
	return out
}

// decode1258 is the inverse used by tests and by the demo's self-checks.
func decode1258(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		sb.WriteRune(charmap.Windows1258.DecodeByte(c))
	}
	return norm.NFC.String(sb.String())
}
