package simportal

import (
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"sync"
)

// Host serves a handler (a Portal) on a loopback address that stays the same
// while the host is taken down and brought back, so that a crawler's
// configuration and stored URLs still point at it. A host that is down
// refuses connections, as a machine whose web server is stopped does; that
// is the "site down for a whole run" of the fault suite. httptest cannot
// restart a server on its old port, and simportal stays free of httptest,
// which adds a flag to every binary that imports it.
type Host struct {
	h    http.Handler
	addr string // host:port, fixed at NewHost

	mu   sync.Mutex
	srv  *http.Server  // nil while down
	done chan struct{} // closed when srv's Serve returns
}

// NewHost starts serving h on a free port of 127.0.0.1.
func NewHost(h http.Handler) (*Host, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("simportal: host: %w", err)
	}
	host := &Host{h: h, addr: ln.Addr().String()}
	host.serve(ln)
	return host, nil
}

// URL is the host's base URL, "http://127.0.0.1:port", with no slash.
func (h *Host) URL() string { return "http://" + h.addr }

func (h *Host) serve(ln net.Listener) {
	// Resets and truncations are the point of the faults: keep the server's
	// complaints about them out of the test output.
	srv := &http.Server{Handler: h.h, ErrorLog: log.New(io.Discard, "", 0)}
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln) // returns ErrServerClosed on Down or Close
	}()
	h.srv, h.done = srv, done
}

// Down closes the listener and every open connection: from now on a
// connection to URL is refused. Requests in flight are cut. Down on a host
// that is down does nothing.
func (h *Host) Down() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.srv == nil {
		return
	}
	_ = h.srv.Close()
	<-h.done
	h.srv, h.done = nil, nil
}

// Up listens again on the same address. It fails when another program took
// the port in the meantime. Up on a host that is up does nothing.
func (h *Host) Up() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.srv != nil {
		return nil
	}
	ln, err := net.Listen("tcp", h.addr)
	if err != nil {
		return fmt.Errorf("simportal: host %s back up: %w", h.addr, err)
	}
	h.serve(ln)
	return nil
}

// Close takes the host down for good; it is Down under the name tests'
// Cleanup expects.
func (h *Host) Close() { h.Down() }
