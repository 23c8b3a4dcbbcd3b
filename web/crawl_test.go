package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

const testToken = "c0ffee-5ecret-t0ken-0123456789"

// fakeCrawl records the crawls it is asked for and answers with err.
type fakeCrawl struct {
	mu    sync.Mutex
	calls [][]string
	err   error
}

func (f *fakeCrawl) crawl(_ context.Context, ids []string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, ids)
	return f.err
}

func (f *fakeCrawl) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

// syncLog is a log buffer safe for the server's goroutines.
type syncLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *syncLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *syncLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Nothing changes state over HTTP unless a token is configured: without
// one (or without a crawl to start) POST /api/crawl does not exist.
func TestCrawlEndpointOffByDefault(t *testing.T) {
	st := openStore(t, t.TempDir(), 2)
	defer st.Close()
	fc := &fakeCrawl{}
	for name, opts := range map[string]Options{
		"no token":     {Crawl: fc.crawl},
		"no crawl":     {AdminToken: testToken},
		"neither":      {},
		"empty string": {AdminToken: "", Crawl: fc.crawl},
	} {
		_, hs := newTestServer(t, st, opts)
		for _, m := range []string{"POST", "GET", "PUT"} {
			if r := get(t, hs, m, "/api/crawl", "Authorization", "Bearer "+testToken); r.code != 404 {
				t.Errorf("%s: %s /api/crawl: %d, want 404", name, m, r.code)
			}
		}
	}
	if fc.count() != 0 {
		t.Errorf("a crawl started: %v", fc.calls)
	}
}

func TestCrawlEndpoint(t *testing.T) {
	st := openStore(t, t.TempDir(), 2)
	defer st.Close()
	fc := &fakeCrawl{}
	var logs syncLog
	_, hs := newTestServer(t, st, Options{AdminToken: testToken, Crawl: fc.crawl,
		Log: slog.New(slog.NewTextHandler(&logs, nil))})
	auth := "Bearer " + testToken
	for _, tc := range []struct {
		name, method, path string
		hdr                []string
		code               int
		msg                string
	}{
		{"GET", "GET", "/api/crawl", []string{"Authorization", auth}, 405, ""},
		{"HEAD", "HEAD", "/api/crawl", []string{"Authorization", auth}, 405, ""},
		{"no token", "POST", "/api/crawl", nil, 401, "send the admin token"},
		{"empty bearer", "POST", "/api/crawl", []string{"Authorization", "Bearer "}, 401, "send the admin token"},
		{"basic auth", "POST", "/api/crawl", []string{"Authorization", "Basic YWRtaW46" + testToken}, 401, "send the admin token"},
		{"bare token", "POST", "/api/crawl", []string{"Authorization", testToken}, 401, "send the admin token"},
		{"wrong token", "POST", "/api/crawl", []string{"Authorization", "Bearer " + strings.ToUpper(testToken)}, 401, "wrong token"},
		{"prefix of the token", "POST", "/api/crawl", []string{"Authorization", "Bearer " + testToken[:10]}, 401, "wrong token"},
		{"token and more", "POST", "/api/crawl", []string{"Authorization", auth + "0"}, 401, "wrong token"},
		{"token in the query", "POST", "/api/crawl?token=" + testToken, nil, 400, "never in the URL"},
		{"access_token in the query", "POST", "/api/crawl?access_token=" + testToken, []string{"Authorization", auth}, 400, "never in the URL"},
		{"unknown source", "POST", "/api/crawl?source=nope", []string{"Authorization", auth}, 400, `unknown source "nope"`},
		{"traversal as a source", "POST", "/api/crawl?source=..%2F..%2Fetc", []string{"Authorization", auth}, 400, "unknown source"},
		{"unknown among known", "POST", "/api/crawl?source=sonla,nope", []string{"Authorization", auth}, 400, `unknown source "nope"`},
		{"unknown source without a token", "POST", "/api/crawl?source=nope", nil, 401, "send the admin token"},
	} {
		r := get(t, hs, tc.method, tc.path, tc.hdr...)
		if r.code != tc.code {
			t.Errorf("%s: %d %s, want %d", tc.name, r.code, r.body, tc.code)
			continue
		}
		if tc.code == 401 && !strings.HasPrefix(r.hdr.Get("WWW-Authenticate"), `Bearer realm="noivu"`) {
			t.Errorf("%s: WWW-Authenticate %q", tc.name, r.hdr.Get("WWW-Authenticate"))
		}
		if tc.code == 405 && r.hdr.Get("Allow") != "POST" {
			t.Errorf("%s: Allow %q", tc.name, r.hdr.Get("Allow"))
		}
		var reply crawlReply
		if tc.msg != "" && (json.Unmarshal([]byte(r.body), &reply) != nil || !strings.Contains(reply.Error, tc.msg)) {
			t.Errorf("%s: %s, want an error saying %q", tc.name, r.body, tc.msg)
		}
	}
	if n := fc.count(); n != 0 {
		t.Fatalf("refused requests started %d crawls: %v", n, fc.calls)
	}

	r := get(t, hs, "POST", "/api/crawl", "Authorization", auth)
	var reply crawlReply
	if r.code != 202 || json.Unmarshal([]byte(r.body), &reply) != nil || reply.Status != "started" || len(reply.Sources) != 0 ||
		!strings.HasPrefix(r.hdr.Get("Content-Type"), "application/json") {
		t.Errorf("good token: %d %s", r.code, r.body)
	}
	r = get(t, hs, "POST", "/api/crawl?source=gialai,sonla&source=binhdinh", "authorization", "bearer  "+testToken)
	if r.code != 202 || !strings.Contains(r.body, `"sources":["gialai","sonla","binhdinh"]`) {
		t.Errorf("good token, three sources: %d %s", r.code, r.body)
	}
	if fc.count() != 2 || len(fc.calls[0]) != 0 || strings.Join(fc.calls[1], ",") != "gialai,sonla,binhdinh" {
		t.Errorf("crawls started: %v", fc.calls)
	}

	fc.err = fmt.Errorf("serve: %w: the lock is held", ErrBusy)
	if r := get(t, hs, "POST", "/api/crawl", "Authorization", auth); r.code != 409 || !strings.Contains(r.body, "already running") {
		t.Errorf("busy: %d %s, want 409", r.code, r.body)
	}
	fc.err = errors.New("disk full")
	if r := get(t, hs, "POST", "/api/crawl", "Authorization", auth); r.code != 500 || strings.Contains(r.body, "disk full") {
		t.Errorf("failed to start: %d %s, want 500 without the detail", r.code, r.body)
	}

	out := logs.String()
	for _, want := range []string{"outcome=no_token", "outcome=wrong_token", "outcome=token_in_url", "outcome=bad_source",
		"outcome=started", "outcome=busy", "outcome=error", "remote=127.0.0.1"} {
		if !strings.Contains(out, want) {
			t.Errorf("the log lacks %q", want)
		}
	}
	if strings.Contains(out, testToken) || strings.Contains(strings.ToLower(out), strings.ToLower(testToken)) {
		t.Errorf("the log shows the token:\n%s", out)
	}
}

func TestCrawlAuthCompares(t *testing.T) {
	a := newCrawlAuth(testToken)
	for tok, want := range map[string]bool{testToken: true, "": false, testToken + " ": false, testToken[1:]: false,
		strings.Repeat("x", 10000): false} {
		if got := a.allows(tok); got != want {
			t.Errorf("allows(%.20q) = %v, want %v", tok, got, want)
		}
	}
}

func TestBearer(t *testing.T) {
	for hdr, want := range map[string]string{
		"Bearer abc": "abc", "bearer abc": "abc", "BEARER  abc ": "abc", "Bearer": "", "Bearer ": "",
		"Basic abc": "", "Bearer a b": "", "Bearerabc": "", "abc": "", "Bearer a\tb": "", "": "",
	} {
		got, ok := bearer(hdr)
		if got != want || ok != (want != "") {
			t.Errorf("bearer(%q) = %q, %v; want %q", hdr, got, ok, want)
		}
	}
}

// A client that sends wrong tokens is slowed down: failBurst of them, then
// one every failEvery; meanwhile its requests get 429 with Retry-After,
// the right token included, and other clients are not affected. When
// maxClients addresses are remembered, new ones share one allowance.
func TestCrawlWrongTokensAreLimited(t *testing.T) {
	a := newCrawlAuth(testToken)
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	a.now = func() time.Time { return now }
	for i := 0; i < failBurst; i++ {
		if w := a.wait("10.0.0.1"); w != 0 {
			t.Fatalf("wrong token %d: wait %v before the burst is spent", i+1, w)
		}
		a.failed("10.0.0.1")
	}
	if w := a.wait("10.0.0.1"); w != failEvery {
		t.Errorf("after %d wrong tokens: wait %v, want %v", failBurst, w, failEvery)
	}
	if w := a.wait("10.0.0.2"); w != 0 {
		t.Errorf("another address waits %v", w)
	}
	now = now.Add(failEvery)
	if w := a.wait("10.0.0.1"); w != 0 {
		t.Errorf("after %v: wait %v, want one more try", failEvery, w)
	}
	a.failed("10.0.0.1")
	if w := a.wait("10.0.0.1"); w != failEvery {
		t.Errorf("after one more wrong token: wait %v, want %v", w, failEvery)
	}

	for i := 0; len(a.fails) < maxClients; i++ {
		a.failed(fmt.Sprintf("10.1.%d.%d", i/256, i%256))
	}
	for i := 0; i < failBurst; i++ {
		a.failed(fmt.Sprintf("10.2.0.%d", i)) // new addresses, each once
	}
	if w := a.wait("10.2.0.99"); w == 0 {
		t.Errorf("with %d addresses remembered, new ones spent their shared allowance and one more may still try", maxClients)
	}
	if len(a.fails) > maxClients+1 {
		t.Errorf("%d addresses remembered, at most %d", len(a.fails), maxClients+1)
	}
	now = now.Add(failBurst * failEvery) // every allowance full again: forgotten when room is needed
	a.failed("10.3.0.1")
	if len(a.fails) > 2 {
		t.Errorf("%d addresses remembered after every allowance filled up again", len(a.fails))
	}
}

// Over HTTP: the sixth wrong token in a row gets 429 and Retry-After, and
// so does the right one from that address.
func TestCrawlEndpointLimitsWrongTokens(t *testing.T) {
	st := openStore(t, t.TempDir(), 2)
	defer st.Close()
	fc := &fakeCrawl{}
	_, hs := newTestServer(t, st, Options{AdminToken: testToken, Crawl: fc.crawl})
	for i := 0; i < failBurst; i++ {
		if r := get(t, hs, "POST", "/api/crawl", "Authorization", "Bearer wrong-"+testToken); r.code != 401 {
			t.Fatalf("wrong token %d: %d, want 401", i+1, r.code)
		}
	}
	for _, tok := range []string{"wrong-" + testToken, testToken} {
		r := get(t, hs, "POST", "/api/crawl", "Authorization", "Bearer "+tok)
		if r.code != 429 || r.hdr.Get("Retry-After") == "" {
			t.Errorf("after %d wrong tokens: %d, Retry-After %q; want 429 and a delay", failBurst, r.code, r.hdr.Get("Retry-After"))
		}
	}
	if fc.count() != 0 {
		t.Errorf("a crawl started: %v", fc.calls)
	}
}
