package simportal

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault is a kind of server failure injected on article pages (and, through
// Faults.Robots, on robots.txt).
type Fault string

// The faults a Portal can inject. The first group fails on the wire or in
// the status line; the second serves a whole answer that is wrong.
const (
	Fault500             Fault = "500"               // 500 Internal Server Error
	Fault503             Fault = "503-retry-after"   // 503 with Retry-After
	Fault429             Fault = "429-retry-after"   // 429 with Retry-After
	FaultStall           Fault = "stall"             // sleep StallFor before the headers, then serve normally
	FaultStallBody       Fault = "stall-body"        // headers and half the body, sleep StallFor, then the rest
	FaultReset           Fault = "reset"             // close the connection without a response
	FaultTruncate        Fault = "truncate"          // full Content-Length, half the body, then close
	FaultTruncateChunked Fault = "truncate-chunked"  // chunked, half the body, then close without the last chunk
	FaultHuge            Fault = "huge"              // a HugeSize page with its Content-Length, streamed
	FaultHugeChunked     Fault = "huge-chunked"      // the same page chunked, with no Content-Length
	FaultRedirectLoop    Fault = "redirect-loop"     // 302 to LoopPrefix+path, which 302s back to path
	FaultRedirectOffHost Fault = "redirect-off-host" // 302 to the same path on OffHost
	// FaultRedirectDisallowed answers 302 to DisallowedTarget under the
	// first path robots.txt disallows, which a polite crawler never asks for.
	FaultRedirectDisallowed Fault = "redirect-disallowed"

	FaultCharsetLatin1  Fault = "charset-latin1"  // windows-1258 bytes; header says iso-8859-1, <meta> windows-1258
	FaultCharsetUTF8    Fault = "charset-utf8"    // windows-1258 bytes; header and <meta> say utf-8
	FaultCharsetMissing Fault = "charset-missing" // windows-1258 bytes; no charset in the header, no <meta>
	FaultBinaryPNG      Fault = "binary-png"      // a PNG image served as text/html
	FaultBinaryPDF      Fault = "binary-pdf"      // a PDF served as text/html
	FaultBinaryGzip     Fault = "binary-gzip"     // the page gzipped, served as text/html with no Content-Encoding
)

// DisallowedTarget is where FaultRedirectDisallowed sends a page, under the
// layout's first disallowed prefix (Portal.Disallowed).
const DisallowedTarget = "dang-nhap"

// LoopPrefix is the path prefix of the second leg of FaultRedirectLoop:
// LoopPrefix+path always redirects back to path, faults on or off.
const LoopPrefix = "/chuyen-huong"

// Defaults of Faults' optional fields.
const (
	DefaultHugeSize = 50 << 20                 // FaultHuge and FaultHugeChunked
	DefaultOffHost  = "http://sonoivu.invalid" // FaultRedirectOffHost: .invalid never resolves (RFC 2606)
)

// Faults says which article pages fail, how, and how often.
type Faults struct {
	Kinds      []Fault       // rotated over the affected URLs, oldest article first
	Fraction   float64       // share of article pages affected, chosen by a hash of the path
	Paths      []string      // when set, exactly these article paths are affected, in Kinds' rotation; Fraction is ignored
	Times      int           // each affected path fails on its first Times requests; <0: always
	StallFor   time.Duration // FaultStall, FaultStallBody: how long to sleep (returns early when the client leaves)
	RetryAfter int           // seconds in Retry-After of 429/503 (default 1)
	HugeSize   int64         // FaultHuge*: body size in bytes (default DefaultHugeSize); never held in memory
	OffHost    string        // FaultRedirectOffHost: scheme://host[:port] the pages "moved" to (default DefaultOffHost)
	// Robots is injected on every request of robots.txt while set (the
	// wire faults and the statuses make sense there: FaultStall, Fault500,
	// Fault503, FaultReset...). Times does not apply to it.
	Robots Fault
}

type faultState struct {
	mu     sync.Mutex
	cfg    Faults
	assign map[string]Fault
	count  map[string]int
	next   int // rotation position for articles added later
}

// SetFaults replaces the fault plan and resets the per-path counts; the zero
// value turns faults off.
func (p *Portal) SetFaults(f Faults) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	s := &p.faults
	s.mu.Lock()
	s.cfg, s.assign, s.count, s.next = f, map[string]Fault{}, map[string]int{}, 0
	s.mu.Unlock()
	for _, a := range p.arts {
		s.extend(a.Path)
	}
}

// Affected returns the article paths the current plan affects, with the
// fault each gets, so that a test knows what to expect of them.
func (p *Portal) Affected() map[string]Fault {
	s := &p.faults
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]Fault, len(s.assign))
	for k, v := range s.assign {
		out[k] = v
	}
	return out
}

// extend decides whether one more article path is affected.
func (s *faultState) extend(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.cfg.Kinds) == 0 {
		return
	}
	if len(s.cfg.Paths) > 0 {
		if !slices.Contains(s.cfg.Paths, path) {
			return
		}
	} else if s.cfg.Fraction <= 0 || float64(hash64("fault:"+path)>>11)/float64(1<<53) >= s.cfg.Fraction {
		return
	}
	s.assign[path] = s.cfg.Kinds[s.next%len(s.cfg.Kinds)]
	s.next++
}

// take reports the fault to inject on this request of path, counting it.
func (s *faultState) take(path string) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.assign[path]
	if !ok || (s.cfg.Times >= 0 && s.count[path] >= s.cfg.Times) {
		return "", false
	}
	s.count[path]++
	return f, true
}

func (s *faultState) settings() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg
}

// applyFault injects f. When it has answered (or refused to) it logs rec and
// returns true; otherwise the request is served normally with the returned
// response, which a fault of the second group has rewritten, and a stall
// that ran its course returns res as it was.
func (p *Portal) applyFault(w http.ResponseWriter, r *http.Request, f Fault, res response, rec Request) (response, bool) {
	cfg := p.faults.settings()
	switch f {
	case FaultStall:
		t := time.NewTimer(cfg.StallFor)
		defer t.Stop()
		select {
		case <-t.C:
			return res, false
		case <-r.Context().Done():
			p.log.add(rec) // Status 0: the client left
			return res, true
		}
	case FaultStallBody:
		p.stallBody(w, r, res, rec, cfg.StallFor)
	case FaultReset:
		p.log.add(rec)
		resetConn(w)
	case FaultTruncate, FaultTruncateChunked:
		rec.Status, rec.Bytes = http.StatusOK, len(res.body)/2
		p.log.add(rec)
		truncate(w, res, f == FaultTruncateChunked)
	case FaultHuge, FaultHugeChunked:
		size := cfg.HugeSize
		if size <= 0 {
			size = DefaultHugeSize
		}
		p.huge(w, r, res, rec, size, f == FaultHugeChunked)
	case FaultRedirectLoop:
		p.redirect(w, r, LoopPrefix+r.URL.RequestURI(), rec)
	case FaultRedirectOffHost:
		host := cfg.OffHost
		if host == "" {
			host = DefaultOffHost
		}
		p.redirect(w, r, strings.TrimSuffix(host, "/")+r.URL.RequestURI(), rec)
	case FaultRedirectDisallowed:
		p.redirect(w, r, p.site.disallowed[0]+DisallowedTarget, rec)
	case FaultCharsetLatin1, FaultCharsetUTF8, FaultCharsetMissing:
		return recharset(res, f), false
	case FaultBinaryPNG, FaultBinaryPDF, FaultBinaryGzip:
		return binaryBody(res, f), false
	case Fault503, Fault429:
		rec.Status = http.StatusServiceUnavailable
		if f == Fault429 {
			rec.Status = http.StatusTooManyRequests
		}
		p.log.add(rec)
		w.Header().Set("Retry-After", strconv.Itoa(max(cfg.RetryAfter, 1)))
		http.Error(w, http.StatusText(rec.Status), rec.Status)
	default:
		rec.Status = http.StatusInternalServerError
		p.log.add(rec)
		http.Error(w, "Lỗi hệ thống: không kết nối được cơ sở dữ liệu", rec.Status)
	}
	return res, true
}
