package simportal

import (
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

var layouts = []Layout{LayoutNukeViet, LayoutSonLa, LayoutDrupal}

func fixedNow() time.Time { return time.Date(2024, 3, 28, 9, 15, 0, 0, vnZone) }

// TestMain fails the run when goroutines outlive the tests: servers must be
// closed and stalls must end with their request.
func TestMain(m *testing.M) {
	before := runtime.NumGoroutine()
	code := m.Run()
	if code == 0 {
		http.DefaultClient.CloseIdleConnections()
		deadline := time.Now().Add(5 * time.Second)
		for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		if n := runtime.NumGoroutine(); n > before {
			buf := make([]byte, 1<<16)
			fmt.Fprintf(os.Stderr, "goroutine leak: %d before, %d after\n%s\n", before, n, buf[:runtime.Stack(buf, true)])
			code = 1
		}
	}
	os.Exit(code)
}

func serve(t *testing.T, opts Options) (*Portal, *httptest.Server) {
	t.Helper()
	if opts.Now == nil {
		opts.Now = fixedNow
	}
	p := New(opts)
	s := httptest.NewServer(p)
	t.Cleanup(s.Close)
	return p, s
}

// client is a fresh client without keep-alive, so that a reset connection is
// never silently retried by the transport.
func client() *http.Client {
	return &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func get(t *testing.T, url string, hdr ...string) reply {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i] == "Host" {
			req.Host = hdr[i+1]
			continue
		}
		req.Header.Set(hdr[i], hdr[i+1])
	}
	c := client()
	defer c.CloseIdleConnections()
	res, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("GET %s: body: %v", url, err)
	}
	return reply{res.StatusCode, res.Header, b}
}

// visibleText decodes a page as a reader's browser would: charset, NFC and
// entities.
func visibleText(body []byte, charset string) string {
	s := string(body)
	if charset == charset1258 {
		s = decode1258(body)
	}
	return html.UnescapeString(norm.NFC.String(s))
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

func stripTags(s string) string { return tagRE.ReplaceAllString(s, "") }

var hrefRE = regexp.MustCompile(`href="([^"]*)"`)

func hrefs(body []byte) []string {
	var out []string
	for _, m := range hrefRE.FindAllSubmatch(body, -1) {
		out = append(out, html.UnescapeString(string(m[1])))
	}
	return out
}

func internal(p *Portal, path string) *article {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.routes[path].art
}

func kinds(p *Portal) map[string]int {
	out := map[string]int{}
	for _, r := range p.Log() {
		out[r.Kind]++
	}
	return out
}

func mustContain(t *testing.T, what, text, want string) {
	t.Helper()
	if !strings.Contains(text, want) {
		t.Errorf("%s: missing %q", what, want)
	}
}
