package web

import (
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// maxURIBytes bounds the request target. The longest query any handler
// accepts (1,000 Vietnamese characters, percent-encoded, with filters) fits
// well within it; a longer target is a 414 before any handler reads it.
// Headers as a whole are bounded by http.Server.MaxHeaderBytes (a 431).
const maxURIBytes = 16 << 10

// inertPolicy is the Content-Security-Policy of every response that is not
// an HTML page (feeds, JSON, text, errors): should a browser render one, it
// runs nothing, loads nothing and cannot be framed. HTML pages replace it
// with contentSecurityPolicy.
const inertPolicy = "default-src 'none'; frame-ancestors 'none'; sandbox"

// guard refuses, before routing, the requests no handler should see, and
// sets the headers every response carries. The checks are cheap and
// bounded by the size of the request target.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Content-Security-Policy", inertPolicy)
		if code, msg := checkTarget(r.RequestURI, r.URL); code != 0 {
			http.Error(w, msg, code)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// checkTarget returns the status and message refusing a request target, or
// 0 when it may be routed: requestURI is the target as sent, u as parsed.
func checkTarget(requestURI string, u *url.URL) (int, string) {
	if len(requestURI) > maxURIBytes {
		return http.StatusRequestURITooLong, "the request URL is longer than 16384 bytes"
	}
	if msg := checkPath(u.Path, u.EscapedPath()); msg != "" {
		return http.StatusBadRequest, msg
	}
	if msg := checkQuery(u.RawQuery); msg != "" {
		return http.StatusBadRequest, msg
	}
	return 0, ""
}

// checkPath refuses what only path traversal or a confused client sends:
// "." and ".." segments (also when encoded as %2e), empty segments,
// backslashes, encoded slashes, bytes that are not UTF-8 and control
// characters. No route has any of them, and ServeMux would answer some with
// a redirect to the cleaned path rather than with an error.
func checkPath(path, escaped string) string {
	if msg := checkText(path); msg != "" {
		return "the path " + msg
	}
	if strings.ContainsRune(path, '\\') {
		return "the path has a backslash"
	}
	lower := strings.ToLower(escaped)
	if strings.Contains(lower, "%2f") || strings.Contains(lower, "%5c") {
		return "the path has an encoded slash"
	}
	for seg := range strings.SplitSeq(path, "/") {
		if seg == "." || seg == ".." {
			return "the path has a '.' or '..' segment"
		}
	}
	if strings.Contains(path, "//") {
		return "the path has an empty segment ('//')"
	}
	return ""
}

// checkQuery refuses a query string that does not parse (a bad %-escape, a
// ';' separator), whose keys or values are not UTF-8 text, or that holds
// control characters. r.URL.Query() would silently drop the pairs that do
// not parse, and answer a different question than the one asked.
func checkQuery(raw string) string {
	if raw == "" {
		return ""
	}
	v, err := url.ParseQuery(raw)
	if err != nil {
		return "the query string is malformed: " + err.Error()
	}
	for k, vs := range v {
		if msg := checkText(k); msg != "" {
			return "the query string " + msg
		}
		for _, s := range vs {
			if msg := checkText(s); msg != "" {
				return "parameter " + quote(k) + " " + msg
			}
		}
	}
	return ""
}

// checkText says what is wrong with s as text from a request, or "".
// Tabs and line breaks are text; other control characters (NUL among them)
// are not.
func checkText(s string) string {
	if !utf8.ValidString(s) {
		return "has bytes that are not UTF-8 text"
	}
	for _, r := range s {
		if (r < ' ' && r != '\t' && r != '\n' && r != '\r') || r == 0x7f {
			return "has a control character"
		}
	}
	return ""
}
