package extract

import (
	"html"
	"regexp"
	"strings"

	"golang.org/x/text/unicode/norm"
)

var (
	reSpaces = regexp.MustCompile(`[\s\x{00A0}\x{200B}\x{FEFF}]+`)
	reEntity = regexp.MustCompile(`&(#\d+|#[xX][0-9a-fA-F]+|[a-zA-Z]+);`)
)

// nfc returns s in Unicode normal form C.
func nfc(s string) string { return norm.NFC.String(s) }

// clean collapses white space, decodes left-over (double-escaped) entities
// and applies NFC: the form every short field is compared and stored in.
func clean(s string) string {
	if reEntity.MatchString(s) {
		s = html.UnescapeString(s)
	}
	return strings.TrimSpace(reSpaces.ReplaceAllString(nfc(s), " "))
}

// fold lower-cases s for comparisons that ignore case and spacing.
func fold(s string) string { return strings.ToLower(clean(s)) }
