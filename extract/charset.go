package extract

import (
	"bytes"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/unicode"
)

// reMetaCharset finds <meta charset=...> and the http-equiv form. The HTML
// prescan reads only 1024 bytes; portals often declare it later, so we read more.
var reMetaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_\-:.]+)`)

// metaScanBytes is how far into the page a <meta charset> is looked for.
const metaScanBytes = 16 << 10

// decode turns body into UTF-8: a BOM, then the HTTP header, then <meta>,
// then detection (valid UTF-8, else windows-1258, the Vietnamese code page).
// It returns the text and the name of the charset used.
func decode(body []byte, contentType string) (string, string) {
	if enc, name, n := bomEncoding(body); enc != nil {
		return decodeWith(enc, body[n:]), name
	}
	name := headerCharset(contentType)
	if name == "" {
		name = metaCharset(body)
	}
	enc, canonical := lookupCharset(name)
	if enc != nil && westernDefault(canonical) && utf8.Valid(body) && hasNonASCII(body) {
		// A server default of latin-1 in front of a UTF-8 page is common.
		enc = nil
	}
	if enc == nil {
		if utf8.Valid(body) {
			return string(body), "utf-8"
		}
		enc, canonical = lookupCharset("windows-1258")
	}
	if canonical == "utf-8" {
		return strings.ToValidUTF8(string(body), "\uFFFD"), canonical
	}
	return decodeWith(enc, body), canonical
}

func bomEncoding(b []byte) (encoding.Encoding, string, int) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return unicode.UTF8, "utf-8", 3
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "utf-16be", 2
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "utf-16le", 2
	}
	return nil, "", 0
}

func headerCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return params["charset"]
}

func metaCharset(body []byte) string {
	if len(body) > metaScanBytes {
		body = body[:metaScanBytes]
	}
	if m := reMetaCharset.FindSubmatch(body); m != nil {
		return string(m[1])
	}
	return ""
}

// lookupCharset maps a label to an encoding by the WHATWG names; nil when unknown.
func lookupCharset(label string) (encoding.Encoding, string) {
	label = strings.TrimSpace(strings.Trim(label, `"'`))
	if label == "" {
		return nil, ""
	}
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil, ""
	}
	name, err := htmlindex.Name(enc)
	if err != nil {
		name = strings.ToLower(label)
	}
	return enc, name
}

func westernDefault(name string) bool {
	return name == "windows-1252" || name == "iso-8859-1" || name == "us-ascii"
}

func hasNonASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

func decodeWith(enc encoding.Encoding, b []byte) string {
	out, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return string(out)
}
