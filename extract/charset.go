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
// then detection (UTF-8, else windows-1258, the Vietnamese code page).
// It returns the text and the name of the charset used.
//
// A label the bytes prove wrong is passed over for the next one: utf-8 over
// bytes that are mostly not UTF-8 (a template's label over a windows-1258
// page), and a server's Western default (iso-8859-1, windows-1252, us-ascii)
// in front of a UTF-8 page or of a page whose own <meta> names its charset.
func decode(body []byte, contentType string) (string, string) {
	if enc, name, n := bomEncoding(body); enc != nil {
		return decodeWith(enc, body[n:]), name
	}
	isUTF8 := mostlyUTF8(body)
	header, meta := headerCharset(contentType), metaCharset(body)
	for i, label := range []string{header, meta} {
		enc, canonical := lookupCharset(label)
		switch {
		case enc == nil, canonical == "utf-8" && !isUTF8:
			continue
		case westernDefault(canonical) && isUTF8 && hasNonASCII(body):
			// A server default of latin-1 in front of a UTF-8 page is common.
			return strings.ToValidUTF8(string(body), "\uFFFD"), "utf-8"
		case westernDefault(canonical) && i == 0 && meta != "":
			continue // the page's <meta> knows better than the server's default
		case canonical == "utf-8":
			return strings.ToValidUTF8(string(body), "\uFFFD"), canonical
		}
		return decodeWith(enc, body), canonical
	}
	if isUTF8 {
		return strings.ToValidUTF8(string(body), "\uFFFD"), "utf-8"
	}
	enc, canonical := lookupCharset("windows-1258")
	return decodeWith(enc, body), canonical
}

// mostlyUTF8 reports a body that is UTF-8, allowing a few broken sequences
// (an excerpt cut in the middle of a letter) among many good ones.
// Windows-1258 text almost never forms a valid multi-byte sequence: its
// letters above 0x7F are followed by ASCII or by a combining tone mark.
func mostlyUTF8(b []byte) bool {
	if utf8.Valid(b) {
		return true // the common case, checked at utf8.Valid's speed
	}
	good, bad := 0, 0
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && n == 1:
			bad++
		case n > 1:
			good++
		}
		b = b[n:]
	}
	return bad == 0 || good >= 4*bad
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
