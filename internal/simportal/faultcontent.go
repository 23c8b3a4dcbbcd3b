package simportal

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"regexp"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// This file holds the faults that send a whole answer, but the wrong one:
// redirects that lead nowhere useful, a page under a false or missing
// charset, and binary bytes labelled as a page.

// redirect answers 302 to loc and logs rec as a redirect.
func (p *Portal) redirect(w http.ResponseWriter, r *http.Request, loc string, rec Request) {
	rec.Status = http.StatusFound
	p.log.add(rec)
	http.Redirect(w, r, loc, http.StatusFound)
}

// loopBack serves the second leg of FaultRedirectLoop: LoopPrefix+path
// always redirects back to path.
func (p *Portal) loopBack(w http.ResponseWriter, r *http.Request, rec Request) {
	rec.Kind = kindRedirect
	p.redirect(w, r, strings.TrimPrefix(r.URL.RequestURI(), LoopPrefix), rec)
}

// metaCharsetRE finds the <meta> elements that declare a charset, both forms.
var metaCharsetRE = regexp.MustCompile(`(?i)<meta[^>]*charset[^>]*>`)

// recharset serves the page in windows-1258 under the label f calls for:
// the server's iso-8859-1 default in front of a page whose <meta> is right,
// a template that says utf-8 in both places, or no label at all. The text is
// the same as the page's, so an extractor that sees through the label finds
// every word.
func recharset(res response, f Fault) response {
	text := pageText(res)
	var meta string
	switch f {
	case FaultCharsetLatin1:
		meta, res.ctype = `<meta http-equiv="Content-Type" content="text/html; charset=windows-1258" />`, "text/html; charset=iso-8859-1"
	case FaultCharsetUTF8:
		meta, res.ctype = `<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />`, "text/html; charset=utf-8"
	default:
		meta, res.ctype = "", "text/html"
	}
	n := 0
	text = metaCharsetRE.ReplaceAllStringFunc(text, func(string) string {
		n++
		if n == 1 {
			return meta
		}
		return ""
	})
	if n == 0 && meta != "" {
		if i := strings.Index(text, "<head"); i >= 0 {
			if j := strings.IndexByte(text[i:], '>'); j >= 0 {
				text = text[:i+j+1] + meta + text[i+j+1:]
			}
		}
	}
	res.body = encode1258(text)
	return res
}

// pageText is the text of a rendered page, NFC, whatever it is served in.
func pageText(res response) string {
	if strings.Contains(res.ctype, charset1258) {
		return decode1258(res.body)
	}
	return norm.NFC.String(string(res.body))
}

// binaryBody replaces the page with an image, a PDF or the page gzipped (a
// compressed cache file), still labelled text/html, as a CMS does that
// serves an upload or its cache under an article's URL.
func binaryBody(res response, f Fault) response {
	switch f {
	case FaultBinaryPNG:
		var b bytes.Buffer
		png.Encode(&b, image.NewGray(image.Rect(0, 0, 4, 4)))
		res.body = b.Bytes()
	case FaultBinaryPDF:
		res.body = fmt.Appendf(nil, "%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%%%EOF\n")
	default:
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(res.body)
		zw.Close()
		res.body = b.Bytes()
	}
	res.ctype = "text/html; charset=utf-8"
	return res
}
