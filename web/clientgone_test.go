package web

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// waitSearcher blocks every search until its context ends, as a slow
// search does when the reader closes the tab, and returns the context's
// error; started says a search is under way.
type waitSearcher struct{ started chan struct{} }

func (ws waitSearcher) wait(ctx context.Context) error {
	ws.started <- struct{}{}
	<-ctx.Done()
	return ctx.Err()
}
func (ws waitSearcher) SearchIDs(ctx context.Context, _, _ string, _ int) ([]string, error) {
	return nil, ws.wait(ctx)
}
func (ws waitSearcher) SearchAPI(ctx context.Context, _ url.Values) (any, error) {
	return nil, ws.wait(ctx)
}
func (ws waitSearcher) Search(ctx context.Context, _ SearchParams) (SearchResults, error) {
	return SearchResults{}, ws.wait(ctx)
}

// A client that leaves mid-request is not a server error: nothing is
// logged at ERROR level for it (a load of readers closing tabs must not
// page an operator), while a search that fails with the client still
// there is.
func TestClientGoneIsNotAnError(t *testing.T) {
	st := openStore(t, t.TempDir(), 3)
	var logs bytes.Buffer
	ws := waitSearcher{started: make(chan struct{}, 1)}
	_, hs := newTestServer(t, st, Options{Searcher: ws, Log: slog.New(slog.NewTextHandler(&logs, nil))})
	for _, path := range []string{"/api/search?q=a", "/search?q=a", "/feed.rss?q=a", "/search.csv?q=a"} {
		ctx, cancel := context.WithCancel(context.Background())
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, hs.URL+path, nil)
		done := make(chan struct{})
		go func() {
			defer close(done)
			if resp, err := http.DefaultClient.Do(req); err == nil {
				resp.Body.Close()
			}
		}()
		select {
		case <-ws.started:
		case <-time.After(10 * time.Second):
			t.Fatalf("%s: the search never started", path)
		}
		cancel()
		<-done
	}
	hs.Close() // waits for the handlers, so their logging is done
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("a client leaving was logged as an error:\n%s", logs.String())
	}
}

// busySearcher cannot search yet: its index is held by another command.
type busySearcher struct{}

func (busySearcher) SearchIDs(context.Context, string, string, int) ([]string, error) {
	return nil, fmt.Errorf("opening: %w", ErrUnavailable)
}
func (busySearcher) SearchAPI(context.Context, url.Values) (any, error) {
	return nil, fmt.Errorf("opening: %w", ErrUnavailable)
}
func (busySearcher) Search(context.Context, SearchParams) (SearchResults, error) {
	return SearchResults{}, fmt.Errorf("opening: %w", ErrUnavailable)
}

// While the index cannot be searched yet, every search answers 503 with a
// Retry-After and says to try again, never a 500; the feeds still work.
func TestSearchUnavailableIs503(t *testing.T) {
	st := openStore(t, t.TempDir(), 3)
	var logs bytes.Buffer
	_, hs := newTestServer(t, st, Options{Searcher: busySearcher{}, Log: slog.New(slog.NewTextHandler(&logs, nil))})
	for _, path := range []string{"/api/search?q=a", "/search?q=a", "/feed.rss?q=a", "/search.csv?q=a", "/search.jsonl?q=a"} {
		r := get(t, hs, "GET", path)
		if r.code != http.StatusServiceUnavailable || r.hdr.Get("Retry-After") == "" {
			t.Errorf("%s: %d, Retry-After %q; want 503 with Retry-After", path, r.code, r.hdr.Get("Retry-After"))
		}
		if !strings.Contains(r.body, "try again") && !strings.Contains(r.body, "thử lại") {
			t.Errorf("%s: body %q does not say to try again", path, r.body[:min(len(r.body), 200)])
		}
	}
	if r := get(t, hs, "GET", "/feed.rss"); r.code != http.StatusOK {
		t.Errorf("/feed.rss without a query: %d, want 200", r.code)
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("an index not open yet was logged as an error:\n%s", logs.String())
	}
}
