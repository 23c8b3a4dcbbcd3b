package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// entry is one prebuilt response: the bytes plain and gzipped, and the
// header values, computed once when the store changes and then only copied
// out. Header values are kept as ready []string so that a request allocates
// nothing for them; nothing may modify them.
type entry struct {
	body, gz     []byte
	etag, etagGz string
	lastMod      time.Time // whole seconds, as Last-Modified says it
	hdr          http.Header
	hdrGz        http.Header
}

// Cache lifetimes sent with Cache-Control.
const (
	feedCache = "public, max-age=300"
	pageCache = "public, max-age=60"
)

// contentSecurityPolicy is sent with every HTML page: no scripts at all
// (inline or not), no plugins, styles and images from here only (the charts
// are inline SVG markup; an archived body's images on the portals are not
// loaded, so a reader's visit is not reported to them), no framing.
const contentSecurityPolicy = "default-src 'none'; script-src 'none'; object-src 'none'; style-src 'self'; " +
	"img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// newEntry prebuilds body as a response of type ctype.
func newEntry(body []byte, ctype, cacheControl string, lastMod time.Time) *entry {
	sum := sha256.Sum256(body)
	tag := hex.EncodeToString(sum[:10])
	e := &entry{body: body, etag: `"` + tag + `"`, etagGz: `"` + tag + `-gz"`, lastMod: lastMod.UTC().Truncate(time.Second)}
	var zb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&zb, gzip.DefaultCompression)
	zw.Write(body)
	zw.Close()
	if zb.Len() < len(body) {
		e.gz = zb.Bytes()
	}
	base := http.Header{
		"Content-Type":           {ctype},
		"Cache-Control":          {cacheControl},
		"Vary":                   {"Accept-Encoding"},
		"X-Content-Type-Options": {"nosniff"},
	}
	if !lastMod.IsZero() {
		base["Last-Modified"] = []string{e.lastMod.Format(http.TimeFormat)}
	}
	if strings.HasPrefix(ctype, "text/html") {
		base["Content-Security-Policy"] = []string{contentSecurityPolicy}
		base["Referrer-Policy"] = []string{"no-referrer"}
	}
	e.hdr = with(base, "ETag", e.etag, "Content-Length", strconv.Itoa(len(e.body)))
	if e.gz != nil {
		e.hdrGz = with(base, "ETag", e.etagGz, "Content-Length", strconv.Itoa(len(e.gz)), "Content-Encoding", "gzip")
	}
	return e
}

// with copies h and sets the given key, value pairs.
func with(h http.Header, kv ...string) http.Header {
	out := make(http.Header, len(h)+len(kv)/2)
	for k, v := range h {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = []string{kv[i+1]}
	}
	return out
}
