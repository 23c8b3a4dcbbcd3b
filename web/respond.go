package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/noivu/noivu/article"
)

// serve writes e for r: 304 when r's validators match, the gzipped bytes
// when r accepts them, headers only for HEAD.
func serve(w http.ResponseWriter, r *http.Request, e *entry) {
	hdr, body := e.hdr, e.body
	if e.gz != nil && acceptsGzip(r.Header["Accept-Encoding"]) {
		hdr, body = e.hdrGz, e.gz
	}
	h := w.Header()
	for k, v := range hdr {
		h[k] = v
	}
	if notModified(r, e) {
		delete(h, "Content-Length")
		delete(h, "Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// notModified applies RFC 9110 §13.2.2: If-None-Match when present (weak
// comparison, either encoding's tag), otherwise If-Modified-Since.
func notModified(r *http.Request, e *entry) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, tag := range strings.Split(inm, ",") {
			tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
			if tag == "*" || tag == e.etag || tag == e.etagGz {
				return true
			}
		}
		return false
	}
	ims := r.Header.Get("If-Modified-Since")
	if ims == "" || e.lastMod.IsZero() {
		return false
	}
	t, err := http.ParseTime(ims)
	return err == nil && !e.lastMod.After(t.Truncate(time.Second))
}

// acceptsGzip reports whether Accept-Encoding allows gzip (q=0 refuses it).
func acceptsGzip(values []string) bool {
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			if !strings.EqualFold(strings.TrimSpace(name), "gzip") && strings.TrimSpace(name) != "*" {
				continue
			}
			q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
			return !(q == "q=0" || q == "q=0.0" || q == "q=0.00" || q == "q=0.000")
		}
	}
	return false
}

// dynamicPage is the template base of a page rendered per request.
func (s *Server) dynamicPage(title string) page {
	sn := s.snap.Load()
	return page{Title: title, Base: s.base, Seq: sn.seq, Built: sn.built.In(article.VietnamZone).Format("02/01/2006 15:04")}
}

// writePage renders a template per request with the headers every HTML
// page gets; a template error is a 500 with nothing half-written.
func (s *Server) writePage(w http.ResponseWriter, code int, name string, data any) {
	b, err := execute(name, data)
	if err != nil {
		s.log.Error("web: render", "template", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-cache")
	w.WriteHeader(code)
	w.Write(b)
}

// logFailure logs a failed request as an error, unless the client had left
// (or the server was shutting down) by then: a reader closing the tab
// mid-search is no fault to wake an operator for.
func (s *Server) logFailure(r *http.Request, msg string, args ...any) {
	if r.Context().Err() != nil {
		s.log.Debug(msg+" (client gone)", args...)
		return
	}
	s.log.Error(msg, args...)
}

// unavailable answers a search the Searcher cannot run yet with a 503 and
// a Retry-After; it reports whether err was that.
func unavailable(w http.ResponseWriter, err error) bool {
	if !errors.Is(err, ErrUnavailable) {
		return false
	}
	w.Header().Set("Retry-After", "10")
	http.Error(w, ErrUnavailable.Error(), http.StatusServiceUnavailable)
	return true
}
