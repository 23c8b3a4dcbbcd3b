package simportal

import (
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Fault is a kind of server failure injected on article pages.
type Fault string

// The faults a Portal can inject.
const (
	Fault500      Fault = "500"             // 500 Internal Server Error
	Fault503      Fault = "503-retry-after" // 503 with Retry-After
	Fault429      Fault = "429-retry-after" // 429 with Retry-After
	FaultStall    Fault = "stall"           // sleep StallFor, then serve normally
	FaultReset    Fault = "reset"           // close the connection without a response
	FaultTruncate Fault = "truncate"        // full Content-Length, half the body, then close
)

// Faults says which article pages fail, how, and how often.
type Faults struct {
	Kinds      []Fault       // rotated over the affected URLs, oldest article first
	Fraction   float64       // share of article pages affected, chosen by a hash of the path
	Times      int           // each affected path fails on its first Times requests; <0: always
	StallFor   time.Duration // FaultStall: how long to sleep (returns early when the client leaves)
	RetryAfter int           // seconds in Retry-After of 429/503 (default 1)
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

// extend decides whether one more article path is affected.
func (s *faultState) extend(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.cfg.Kinds) == 0 || s.cfg.Fraction <= 0 {
		return
	}
	if float64(hash64("fault:"+path)>>11)/float64(1<<53) >= s.cfg.Fraction {
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

// applyFault injects f and logs rec; it returns false, logging nothing, when
// the request should then be served normally (a stall that ran its course).
func (p *Portal) applyFault(w http.ResponseWriter, r *http.Request, f Fault, res response, rec Request) bool {
	cfg := p.faults.settings()
	switch f {
	case FaultStall:
		t := time.NewTimer(cfg.StallFor)
		defer t.Stop()
		select {
		case <-t.C:
			return false
		case <-r.Context().Done():
			p.log.add(rec) // Status 0: the client left
			return true
		}
	case FaultReset:
		p.log.add(rec)
		resetConn(w)
	case FaultTruncate:
		rec.Status, rec.Bytes = http.StatusOK, len(res.body)/2
		p.log.add(rec)
		truncate(w, res)
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
	return true
}

// resetConn drops the connection without a byte of response.
func resetConn(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0) // send RST rather than FIN
	}
	conn.Close()
}

// truncate promises the whole body, sends half of it and hangs up.
func truncate(w http.ResponseWriter, res response) {
	half := res.body[:len(res.body)/2]
	hj, ok := w.(http.Hijacker)
	if !ok {
		w.Header().Set("Content-Type", res.ctype)
		w.Header().Set("Content-Length", strconv.Itoa(len(res.body)))
		w.Write(half)
		http.NewResponseController(w).Flush()
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\nETag: %s\r\nDate: %s\r\nConnection: close\r\n\r\n",
		res.ctype, len(res.body), etagOf(res.body), time.Now().UTC().Format(http.TimeFormat))
	conn.Write(half)
}
