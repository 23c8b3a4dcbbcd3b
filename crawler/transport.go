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
// reads the whole body within the size limit, archives the exchange and only
// then hands the response on. A body that fails or is too large is neither
// archived nor handed on.
type recorder struct {
	base    http.RoundTripper
	gates   *gates
	delay   time.Duration
	archive Archive
	maxBody int64

	mu    sync.Mutex
	taken map[string]raw // request URL -> what was archived, until the pass takes it
}

// raw is one archived response as received, before any decoding.
type raw struct {
	capture article.Capture
	body    []byte
}

// ErrTooLarge is returned for a response body over crawl.max_body_bytes.
var ErrTooLarge = errors.New("crawler: response body over the size limit")

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	g := r.gates.get(req.URL.Host, r.delay)
	if err := g.acquire(req.Context()); err != nil {
		return nil, err
	}
	resp, body, err := r.exchange(req)
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
	r.mu.Lock()
	r.taken[req.URL.String()] = raw{capture: capture, body: body}
	r.mu.Unlock()
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
