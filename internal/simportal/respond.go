package simportal

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"
)

// route is what a fixed path serves.
type route struct {
	kind   string
	art    *article
	static *staticPage
	ctype  string
	data   []byte
}

// response is a rendered answer before conditional GET and faults apply.
type response struct {
	kind    string
	status  int
	ctype   string
	body    []byte
	lastMod time.Time
	etag    string // set by validate
}

// ServeHTTP serves the portal, logs the request and injects faults. A
// request is logged before its response is written, so a client that has
// its answer finds it in Log; the faults that stream a body (FaultHuge*,
// FaultStallBody) log it once the client has stopped reading.
func (p *Portal) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := Request{
		Method: r.Method, Path: r.URL.RequestURI(), UserAgent: r.UserAgent(), At: time.Now(),
		Conditional: r.Header.Get("If-None-Match") != "" || r.Header.Get("If-Modified-Since") != "",
	}
	res := p.respond(r)
	rec.Kind = res.kind
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		rec.Status = http.StatusMethodNotAllowed
		p.log.add(rec)
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if strings.HasPrefix(r.URL.Path, LoopPrefix+"/") {
		p.loopBack(w, r, rec)
		return
	}
	var f Fault
	switch {
	case res.kind == kindArticle && res.status == http.StatusOK:
		f, _ = p.faults.take(r.URL.Path)
	case res.kind == kindRobots:
		f = p.faults.settings().Robots
	}
	if f != "" {
		var done bool
		if res, done = p.applyFault(w, r, f, res, rec); done {
			return
		}
	}
	res = validate(r, res)
	rec.Status = res.status
	if r.Method == http.MethodGet {
		rec.Bytes = len(res.body)
	}
	p.log.add(rec)
	writeResponse(w, r, res)
}

func (p *Portal) respond(r *http.Request) response {
	p.mu.RLock()
	defer p.mu.RUnlock()
	path := r.URL.Path
	pg := &page{p: p, base: baseURL(r), path: path}
	if res, ok := p.respondMachine(pg, path); ok {
		return res
	}
	if res, ok := p.respondHidden(pg, path); ok {
		return res
	}
	switch {
	case path == "/lich":
		return p.calendar(pg, r.URL.Query().Get("ngay"))
	case p.isDisallowed(path):
		return p.privatePage(pg)
	}
	if rt, ok := p.routes[path]; ok {
		switch {
		case rt.art != nil:
			return p.articlePage(pg, rt.art)
		case rt.static != nil:
			return p.staticPage(pg, rt.static)
		}
		return response{kind: rt.kind, status: http.StatusOK, ctype: rt.ctype, body: rt.data, lastMod: p.arts[0].Published}
	}
	if res, ok := assetResponse(path); ok {
		return res
	}
	if path == "/" {
		return p.home(pg)
	}
	if cat, n, ok := p.lay.parseListing(path, r.URL.Query()); ok {
		return p.listing(pg, cat, n)
	}
	return p.notFound(pg)
}

func (p *Portal) isDisallowed(path string) bool {
	for _, d := range p.site.disallowed {
		if strings.HasPrefix(path, d) {
			return true
		}
	}
	return false
}

// htmlResponse finishes an HTML page in the charset and normal form its
// article (if any) is served in.
func htmlResponse(kind string, pg *page, lastMod time.Time, a *article) response {
	body := pg.sb.String()
	res := response{kind: kind, status: http.StatusOK, ctype: "text/html; charset=utf-8", lastMod: lastMod}
	switch {
	case a != nil && a.Charset == charset1258:
		res.body, res.ctype = encode1258(body), "text/html; charset=windows-1258"
	case a != nil && a.NFD:
		res.body = norm.NFD.Bytes([]byte(body))
	default:
		res.body = []byte(body)
	}
	return res
}

// validate adds the validators and turns the answer into a bodiless 304
// when the client's copy is current.
func validate(r *http.Request, res response) response {
	if res.status != http.StatusOK {
		return res
	}
	res.etag = etagOf(res.body)
	if notModified(r, res.etag, res.lastMod) {
		res.status, res.body = http.StatusNotModified, nil
	}
	return res
}

func writeResponse(w http.ResponseWriter, r *http.Request, res response) {
	h := w.Header()
	if res.etag != "" {
		h.Set("ETag", res.etag)
		if !res.lastMod.IsZero() {
			h.Set("Last-Modified", res.lastMod.UTC().Format(http.TimeFormat))
		}
	}
	if res.status != http.StatusNotModified {
		h.Set("Content-Type", res.ctype)
		h.Set("Content-Length", strconv.Itoa(len(res.body)))
	}
	w.WriteHeader(res.status)
	if r.Method != http.MethodHead {
		w.Write(res.body)
	}
}

// etagOf is a strong validator: a hash of the exact bytes served.
func etagOf(b []byte) string {
	sum := sha256.Sum256(b)
	return `"` + hex.EncodeToString(sum[:12]) + `"`
}

// notModified follows RFC 9110: If-None-Match wins over If-Modified-Since.
func notModified(r *http.Request, etag string, lastMod time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == "*" || t == etag {
				return true
			}
		}
		return false
	}
	ims := r.Header.Get("If-Modified-Since")
	if ims == "" || lastMod.IsZero() {
		return false
	}
	t, err := http.ParseTime(ims)
	return err == nil && !lastMod.Truncate(time.Second).After(t)
}

func baseURL(r *http.Request) string {
	if r.TLS != nil {
		return "https://" + r.Host
	}
	return "http://" + r.Host
}
