package crawler

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/noivu/noivu/archive"
	"github.com/noivu/noivu/article"
)

// maxRetryAfter caps how long one Retry-After may pause a host in a run.
const maxRetryAfter = 5 * time.Minute

// gate keeps the politeness of one host: one request at a time, and at least
// delay between the end of one request and the start of the next, stretched by
// Retry-After. Other hosts never wait on it.
type gate struct {
	slot   chan struct{}
	mu     sync.Mutex
	delay  time.Duration
	last   time.Time // end of the previous request
	paused time.Time // Retry-After: no request before this
}

func newGate(delay time.Duration) *gate {
	return &gate{slot: make(chan struct{}, 1), delay: delay}
}

// setDelay raises the gap between requests (robots.txt Crawl-delay); it
// applies to the very next request.
func (g *gate) setDelay(d time.Duration) {
	g.mu.Lock()
	if d > g.delay {
		g.delay = d
	}
	g.mu.Unlock()
}

// acquire waits for the host's turn; release must follow.
func (g *gate) acquire(ctx context.Context) error {
	select {
	case g.slot <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	g.mu.Lock()
	next := g.last.Add(g.delay)
	if g.paused.After(next) {
		next = g.paused
	}
	g.mu.Unlock()
	wait := time.Until(next)
	if wait <= 0 {
		return nil
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		<-g.slot
		return ctx.Err()
	}
}

// release ends a request; pause, when positive, holds the host back longer.
func (g *gate) release(pause time.Duration) {
	g.mu.Lock()
	now := time.Now()
	g.last = now
	if p := now.Add(pause); pause > 0 && p.After(g.paused) {
		g.paused = p
	}
	g.mu.Unlock()
	<-g.slot
}

// gates hands out one gate per host, "www." twins sharing one.
type gates struct {
	mu    sync.Mutex
	byKey map[string]*gate
}

func (gs *gates) get(host string, delay time.Duration) *gate {
	key := strings.TrimPrefix(strings.ToLower(host), "www.")
	gs.mu.Lock()
	defer gs.mu.Unlock()
	if gs.byKey == nil {
		gs.byKey = map[string]*gate{}
	}
	g, ok := gs.byKey[key]
	if !ok {
		g = newGate(delay)
		gs.byKey[key] = g
	}
	g.setDelay(delay)
	return g
}

// Archive receives every HTTP exchange before anything interprets it.
type Archive interface {
	Write(ctx context.Context, ex archive.Exchange) (article.Capture, error)
}

// recorder is the RoundTripper of one source: it waits for the host's gate,
// reads the whole body within the size limit and the time-out, archives the
// exchange and only then hands the response on.
//
// A body that does not arrive whole (a reset, a short read against
// Content-Length or an unfinished chunked body, a time-out) or that passes
// crawl.max_body_bytes is neither archived nor handed on: the fetch fails and
// a later run fetches the page again. The WARC 1.1 way to keep such a body
// is a response record marked "WARC-Truncated: length|time|disconnect", but
// the archive is what extraction and the index are rebuilt from, and neither
// archive.Walk nor archive.ReadCapture reports that field, so a marked record
// would be read back as a whole page. A cut body is worth nothing to a
// researcher that the next run's whole one is not, so nothing half-received
// is written. The reading stops at max_body_bytes+1 bytes (at once when
// Content-Length declares more), so a huge page costs no more memory than
// the limit.
type recorder struct {
	base    http.RoundTripper
	gates   *gates
	delay   time.Duration
	archive Archive
	maxBody int64
	timeout time.Duration // crawl.timeout for one exchange; 0: none

	mu    sync.Mutex
	taken map[string]raw // request URL -> what was archived, until the pass takes it
}

// raw is one archived response as received, before any decoding.
type raw struct {
	capture article.Capture
	body    []byte
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	g := r.gates.get(req.URL.Host, r.delay)
	if err := g.acquire(req.Context()); err != nil {
		return nil, err
	}
	// crawl.timeout bounds the exchange itself, headers and body. It starts
	// once the host's turn has come, so that politeness (crawl.delay,
	// Crawl-delay, a Retry-After pause longer than the time-out) is never
	// mistaken for a slow server; colly's own client time-out is off.
	ctx, cancel := req.Context(), context.CancelFunc(func() {})
	if r.timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, r.timeout)
	}
	resp, body, err := r.exchange(req.WithContext(ctx))
	cancel()
	if err != nil && errors.Is(ctx.Err(), context.DeadlineExceeded) && req.Context().Err() == nil {
		err = fmt.Errorf("%w (%v): %w", ErrTimeout, r.timeout, err)
	}
	var pause time.Duration
	if resp != nil && (resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode == http.StatusServiceUnavailable) {
		pause = retryAfter(resp.Header.Get("Retry-After"), time.Now())
	}
	g.release(pause)
	if err != nil {
		return nil, err
	}
	capture, err := r.archive.Write(req.Context(), archive.Exchange{
		Method: req.Method, URL: req.URL.String(), RequestHeader: req.Header.Clone(), RequestProto: "HTTP/1.1",
		StatusCode: resp.StatusCode, Status: resp.Status, ResponseProto: resp.Proto,
		ResponseHeader: resp.Header.Clone(), Body: body, Date: time.Now(),
	})
	if err != nil {
		return nil, fmt.Errorf("crawler: archive %s: %w", req.URL, err)
	}
	// A redirect the client follows (or refuses) never reaches the pass:
	// keeping its body until the pass ends would only hold memory.
	if !followed(resp) {
		r.mu.Lock()
		r.taken[req.URL.String()] = raw{capture: capture, body: body}
		r.mu.Unlock()
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	resp.ContentLength = int64(len(body))
	return resp, nil
}

// exchange performs the request and reads the body whole.
func (r *recorder) exchange(req *http.Request) (*http.Response, []byte, error) {
	resp, err := r.base.RoundTrip(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	if resp.ContentLength > r.maxBody {
		return resp, nil, fmt.Errorf("%w: %s declares %d bytes", ErrTooLarge, req.URL, resp.ContentLength)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, r.maxBody+1))
	if err != nil {
		return resp, nil, fmt.Errorf("crawler: read body of %s: %w", req.URL, err)
	}
	if int64(len(body)) > r.maxBody {
		return resp, nil, fmt.Errorf("%w: %s is over %d bytes", ErrTooLarge, req.URL, r.maxBody)
	}
	return resp, body, nil
}

// followed reports a response net/http's client treats as a redirect: it
// follows it or, when the pass refuses it, fails the fetch.
func followed(resp *http.Response) bool {
	switch resp.StatusCode {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return resp.Header.Get("Location") != ""
	}
	return false
}

// take returns, once, the archived response to rawURL: its capture and the
// body bytes exactly as received (colly may have re-encoded its copy).
func (r *recorder) take(rawURL string) (raw, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	v, ok := r.taken[rawURL]
	delete(r.taken, rawURL)
	return v, ok
}

// retryAfter reads a Retry-After header (seconds or an HTTP date), capped.
func retryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 30 * time.Second
	}
	var d time.Duration
	if s, err := strconv.Atoi(v); err == nil {
		d = time.Duration(s) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	if d < 0 {
		d = 0
	}
	if d > maxRetryAfter {
		d = maxRetryAfter
	}
	return d
}

// TLSOptions are a source's exceptions to normal certificate checks.
type TLSOptions struct {
	CABundle           string // PEM file added to the system roots
	InsecureSkipVerify bool
}

// newBaseTransport builds the network transport of one source.
func newBaseTransport(opts TLSOptions, timeout time.Duration) (*http.Transport, error) {
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       90 * time.Second,
	}
	if opts.CABundle == "" && !opts.InsecureSkipVerify {
		return tr, nil
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if opts.CABundle != "" {
		pem, err := os.ReadFile(opts.CABundle)
		if err != nil {
			return nil, fmt.Errorf("crawler: ca_bundle: %w", err)
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("crawler: ca_bundle %s: no PEM certificate in it", opts.CABundle)
		}
		cfg.RootCAs = pool
	}
	cfg.InsecureSkipVerify = opts.InsecureSkipVerify // #nosec G402 -- explicit per-source flag, warned on every run
	tr.TLSClientConfig = cfg
	return tr, nil
}
