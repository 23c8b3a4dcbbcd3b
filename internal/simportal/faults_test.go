package simportal

import (
	"context"
	"errors"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// fetch returns the status, Retry-After and the error of reading a page.
func fetch(url string) (int, string, error) {
	c := client()
	defer c.CloseIdleConnections()
	res, err := c.Get(url)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	_, err = io.ReadAll(res.Body)
	return res.StatusCode, res.Header.Get("Retry-After"), err
}

func TestFaultsFailEachAffectedArticleOnce(t *testing.T) {
	for _, l := range layouts {
		p, s := serve(t, Options{Layout: l, Seed: 7})
		p.SetFaults(Faults{Kinds: []Fault{Fault500, Fault503, Fault429, FaultReset, FaultTruncate}, Fraction: 0.5, Times: 1, RetryAfter: 2})
		affected := map[string]Fault{}
		p.faults.mu.Lock()
		for k, v := range p.faults.assign {
			affected[k] = v
		}
		p.faults.mu.Unlock()
		if n := len(affected); n < 10 || n > 30 {
			t.Fatalf("%s: %d of 40 articles affected at Fraction 0.5", l, n)
		}
		for _, a := range p.Articles() {
			f, hit := affected[a.Path]
			status, retry, err := fetch(s.URL + a.Path)
			switch {
			case !hit && (status != 200 || err != nil):
				t.Errorf("%s: unaffected %s: %d %v", l, a.Path, status, err)
			case f == Fault500 && status != 500, f == Fault503 && (status != 503 || retry != "2"), f == Fault429 && (status != 429 || retry != "2"):
				t.Errorf("%s: %s %s gave %d, Retry-After %q", l, f, a.Path, status, retry)
			case f == FaultReset && err == nil:
				t.Errorf("%s: reset %s gave no client error", l, a.Path)
			case f == FaultTruncate && !errors.Is(err, io.ErrUnexpectedEOF):
				t.Errorf("%s: truncate %s gave %v", l, a.Path, err)
			}
			if status, _, err := fetch(s.URL + a.Path); status != 200 || err != nil {
				t.Errorf("%s: second request of %s: %d %v", l, a.Path, status, err)
			}
		}
		for _, r := range p.Log() {
			if want, ok := map[Fault]int{Fault500: 500, Fault503: 503, Fault429: 429, FaultReset: 0, FaultTruncate: 200}[affected[r.Path]]; ok && r.Status != want && r.Status != 200 {
				t.Errorf("%s: logged %+v", l, r)
			}
		}
		if len(p.Log()) != 80 {
			t.Errorf("%s: %d requests logged, want 80", l, len(p.Log()))
		}
		p.SetFaults(Faults{})
		if status, _, _ := fetch(s.URL + p.Articles()[0].Path); status != 200 {
			t.Errorf("%s: faults still on", l)
		}
	}
}

func TestFaultsFollowAddedArticlesAndOnlyHitArticles(t *testing.T) {
	p, s := serve(t, Options{Layout: LayoutDrupal})
	p.SetFaults(Faults{Kinds: []Fault{Fault500}, Fraction: 1, Times: 2})
	for _, path := range []string{"/", "/tin-tuc", "/sitemap.xml", "/robots.txt"} {
		if status, _, _ := fetch(s.URL + path); status != 200 {
			t.Errorf("%s: %d", path, status)
		}
	}
	a := p.AddArticles(1)[0]
	for i, want := range []int{500, 500, 200} {
		if status, _, _ := fetch(s.URL + a.Path + "?utm_source=zalo"); status != want {
			t.Errorf("request %d of new article: %d, want %d", i, status, want)
		}
	}
}

func TestStall(t *testing.T) {
	p, s := serve(t, Options{Layout: LayoutNukeViet})
	arts := p.Articles()
	p.SetFaults(Faults{Kinds: []Fault{FaultStall}, Fraction: 1, Times: 1, StallFor: 30 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+arts[0].Path, nil)
	c := client()
	if _, err := c.Do(req); err == nil {
		t.Fatal("stalled request succeeded")
	}
	deadline := time.Now().Add(3 * time.Second)
	for len(p.Log()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if log := p.Log(); len(log) != 1 || log[0].Status != 0 {
		t.Fatalf("stall did not end with its client: %+v", log)
	}
	p.SetFaults(Faults{Kinds: []Fault{FaultStall}, Fraction: 1, Times: 1, StallFor: 150 * time.Millisecond})
	start := time.Now()
	if status, _, err := fetch(s.URL + arts[1].Path); status != 200 || err != nil || time.Since(start) < 150*time.Millisecond {
		t.Errorf("short stall: %d %v after %v", status, err, time.Since(start))
	}
}

func TestWindows1258(t *testing.T) {
	p, s := serve(t, Options{Layout: LayoutSonLa, Articles: 60, Seed: 10})
	n := 0
	for _, a := range p.Articles() {
		if a.Charset != charset1258 {
			continue
		}
		n++
		r := get(t, s.URL+a.Path)
		if r.header.Get("Content-Type") != "text/html; charset=windows-1258" || !strings.Contains(string(r.body), `<meta charset="windows-1258"`) {
			t.Errorf("%s: %q", a.Path, r.header.Get("Content-Type"))
		}
		if strings.Contains(string(r.body), "&#") {
			t.Errorf("%s: a character the code page cannot hold", a.Path)
		}
		text := visibleText(r.body, charset1258)
		mustContain(t, a.Path, text, a.Title)
		for _, para := range a.Text {
			mustContain(t, a.Path, text, para)
		}
		// The exact round trip: decode, NFC, and the UTF-8 rendering comes back.
		pg := &page{p: p, base: s.URL, path: a.Path}
		p.mu.RLock()
		want := string(p.articlePage(pg, internal(p, a.Path)).body)
		utf := pg.sb.String()
		p.mu.RUnlock()
		if decode1258([]byte(want)) != norm.NFC.String(utf) || decode1258(r.body) != utf {
			t.Errorf("%s: windows-1258 round trip differs", a.Path)
		}
	}
	if n != 12 {
		t.Errorf("%d windows-1258 articles of 60, want 12", n)
	}
	for _, s := range []string{"Đẩy mạnh cải cách hành chính", "Người có công ở huyện Quỳnh Nhai", "ỗ ự ậ ẫ ẻ ỹ Ợ"} {
		if got := decode1258(encode1258(s)); got != s {
			t.Errorf("round trip %q -> %q", s, got)
		}
	}
}

func TestNFDPages(t *testing.T) {
	for _, l := range layouts {
		p, s := serve(t, Options{Layout: l, Seed: 12})
		n := 0
		for _, a := range p.Articles() {
			if !a.NFD {
				if !norm.NFC.IsNormalString(strings.Join(a.Text, "")) {
					t.Errorf("%s: Text not NFC", a.Path)
				}
				continue
			}
			n++
			b := get(t, s.URL+a.Path).body
			if !norm.NFD.IsNormal(b) || norm.NFC.IsNormal(b) {
				t.Errorf("%s %s: page not in NFD", l, a.Path)
			}
			mustContain(t, a.Path, visibleText(b, charsetUTF8), a.Title)
		}
		if n == 0 {
			t.Errorf("%s: no NFD article", l)
		}
	}
}

func TestFaultPathsAndAffected(t *testing.T) {
	p, s := serve(t, Options{Layout: LayoutDrupal, Articles: 12, Seed: 3})
	arts := p.Articles()
	paths := []string{arts[2].Path, arts[5].Path}
	p.SetFaults(Faults{Kinds: []Fault{Fault500}, Paths: paths, Fraction: 1, Times: -1})
	got := p.Affected()
	if len(got) != 2 || got[paths[0]] != Fault500 || got[paths[1]] != Fault500 {
		t.Fatalf("Affected() = %v, want exactly %v", got, paths)
	}
	for i, a := range arts {
		want := 200
		if i == 2 || i == 5 {
			want = 500
		}
		for range 2 { // Times < 0: every request fails
			if status, _, _ := fetch(s.URL + a.Path); status != want {
				t.Errorf("%s: %d, want %d", a.Path, status, want)
			}
		}
	}
}

func TestRobotsFault(t *testing.T) {
	p, s := serve(t, Options{Layout: LayoutNukeViet, Seed: 5})
	p.SetFaults(Faults{Robots: Fault503, RetryAfter: 3})
	for range 2 {
		if status, retry, _ := fetch(s.URL + "/robots.txt"); status != 503 || retry != "3" {
			t.Errorf("robots.txt with Robots fault 503: %d, Retry-After %q", status, retry)
		}
	}
	if status, _, _ := fetch(s.URL + p.Articles()[0].Path); status != 200 {
		t.Errorf("an article is hit by the robots.txt fault: %d", status)
	}
	p.SetFaults(Faults{Robots: FaultStall, StallFor: 30 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL+"/robots.txt", nil)
	if _, err := client().Do(req); err == nil {
		t.Error("stalled robots.txt answered within 100ms")
	}
	p.SetFaults(Faults{})
	if status, _, _ := fetch(s.URL + "/robots.txt"); status != 200 {
		t.Errorf("robots.txt with faults off: %d", status)
	}
}

// waitLog waits until the portal has logged n requests: streamed faults log
// once the client has stopped reading. The deadline is a safety bound only.
func waitLog(t *testing.T, p *Portal, n int) []Request {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for len(p.Log()) < n && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	log := p.Log()
	if len(log) < n {
		t.Fatalf("%d requests logged, want %d", len(log), n)
	}
	return log
}

func TestStallBody(t *testing.T) {
	p, s := serve(t, Options{Layout: LayoutSonLa, Seed: 6})
	arts := p.Articles()
	p.SetFaults(Faults{Kinds: []Fault{FaultStallBody}, Fraction: 1, Times: 1, StallFor: 30 * time.Second})
	c := client()
	c.Timeout = 200 * time.Millisecond
	res, err := c.Get(s.URL + arts[0].Path)
	if err != nil {
		t.Fatalf("headers should come before the stall: %v", err)
	}
	_, err = io.ReadAll(res.Body)
	res.Body.Close()
	if err == nil {
		t.Fatal("stalled body read whole within the client's time-out")
	}
	if log := waitLog(t, p, 1); log[0].Status != 200 || log[0].Bytes == 0 || log[0].Bytes >= int(res.ContentLength) {
		t.Errorf("stalled body logged %+v of %d bytes", log[0], res.ContentLength)
	}
	p.SetFaults(Faults{Kinds: []Fault{FaultStallBody}, Fraction: 1, Times: 1, StallFor: 50 * time.Millisecond})
	r := get(t, s.URL+arts[1].Path)
	if r.status != 200 || !strings.HasSuffix(strings.TrimSpace(string(r.body)), "</html>") {
		t.Errorf("short body stall: %d, %d bytes", r.status, len(r.body))
	}
}

func TestTruncateChunked(t *testing.T) {
	p, s := serve(t, Options{Layout: LayoutDrupal, Seed: 7})
	p.SetFaults(Faults{Kinds: []Fault{FaultTruncateChunked}, Fraction: 1, Times: 1})
	res, err := client().Get(s.URL + p.Articles()[0].Path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.ContentLength != -1 || len(res.TransferEncoding) == 0 {
		t.Errorf("Content-Length %d, Transfer-Encoding %v: want chunked", res.ContentLength, res.TransferEncoding)
	}
	if _, err := io.ReadAll(res.Body); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("reading a chunked body cut short: %v", err)
	}
}

// A huge page is streamed whole when read whole, and the portal stops
// writing when the client stops reading; it never holds the page.
func TestHugePages(t *testing.T) {
	p, s := serve(t, Options{Layout: LayoutNukeViet, Articles: 6, Seed: 8})
	arts := p.Articles()
	const size = 3<<20 + 17
	p.SetFaults(Faults{Kinds: []Fault{FaultHuge, FaultHugeChunked}, Paths: []string{arts[0].Path, arts[1].Path}, Times: -1, HugeSize: size})
	for _, a := range arts[:2] {
		f := p.Affected()[a.Path]
		r := get(t, s.URL+a.Path)
		text := string(r.body)
		if len(r.body) != size || !utf8.Valid(r.body) || !strings.Contains(text[:64<<10], a.Title) || !strings.HasSuffix(strings.TrimSpace(text), "</html>") {
			t.Errorf("%s: %d bytes (want %d), title at the top %v", f, len(r.body), size, strings.Contains(text, a.Title))
		}
		if cl := r.header.Get("Content-Length"); (f == FaultHuge) != (cl == strconv.Itoa(size)) {
			t.Errorf("%s: Content-Length %q", f, cl)
		}
	}

	// 50 MB, the default: the client reads 1 MiB and leaves.
	p.ResetLog()
	p.SetFaults(Faults{Kinds: []Fault{FaultHugeChunked}, Paths: []string{arts[2].Path}, Times: -1})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	res, err := client().Get(s.URL + arts[2].Path)
	if err != nil {
		t.Fatal(err)
	}
	n, _ := io.Copy(io.Discard, io.LimitReader(res.Body, 1<<20))
	res.Body.Close()
	log := waitLog(t, p, 1)
	runtime.ReadMemStats(&after)
	if n != 1<<20 || log[0].Bytes >= DefaultHugeSize/2 {
		t.Errorf("read %d bytes; portal wrote %d of %d: it should stop when the client leaves", n, log[0].Bytes, DefaultHugeSize)
	}
	t.Logf("portal wrote %d bytes; %d KiB allocated", log[0].Bytes, (after.TotalAlloc-before.TotalAlloc)>>10)
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
		t.Errorf("%d MiB allocated to serve 1 MiB of a huge page: it is not streamed", alloc>>20)
	}
}

func TestRedirectFaults(t *testing.T) {
	p, s := serve(t, Options{Layout: LayoutSonLa, Articles: 6, Seed: 9})
	arts := p.Articles()
	p.SetFaults(Faults{Kinds: []Fault{FaultRedirectLoop, FaultRedirectOffHost}, Paths: []string{arts[0].Path, arts[1].Path}, Times: -1})
	for _, a := range arts[:2] {
		r := get(t, s.URL+a.Path)
		loc := r.header.Get("Location")
		switch p.Affected()[a.Path] {
		case FaultRedirectLoop:
			if r.status != 302 || loc != LoopPrefix+a.Path {
				t.Fatalf("loop, first leg: %d to %q", r.status, loc)
			}
			back := get(t, s.URL+loc)
			if back.status != 302 || back.header.Get("Location") != a.Path {
				t.Errorf("loop, second leg: %d to %q", back.status, back.header.Get("Location"))
			}
		case FaultRedirectOffHost:
			if r.status != 302 || loc != DefaultOffHost+a.Path {
				t.Errorf("off-host: %d to %q", r.status, loc)
			}
		}
	}
	if kinds(p)["redirect"] != 1 {
		t.Errorf("logged kinds %v: want one redirect (the loop's second leg)", kinds(p))
	}
	p.SetFaults(Faults{Kinds: []Fault{FaultRedirectOffHost}, Paths: []string{arts[0].Path}, Times: 1, OffHost: "http://127.0.0.1:9/"})
	if loc := get(t, s.URL+arts[0].Path).header.Get("Location"); loc != "http://127.0.0.1:9"+arts[0].Path {
		t.Errorf("off-host with OffHost set: to %q", loc)
	}
	if r := get(t, s.URL+arts[0].Path); r.status != 200 {
		t.Errorf("after Times: %d", r.status)
	}
}

// Each charset fault serves the same text in windows-1258 under a false or
// missing label.
func TestCharsetFaults(t *testing.T) {
	for _, l := range layouts {
		p, s := serve(t, Options{Layout: l, Articles: 12, Seed: 11})
		arts := p.Articles()
		faults := []Fault{FaultCharsetLatin1, FaultCharsetUTF8, FaultCharsetMissing}
		p.SetFaults(Faults{Kinds: faults, Paths: []string{arts[0].Path, arts[1].Path, arts[2].Path}, Times: -1})
		for _, a := range arts[:3] {
			f := p.Affected()[a.Path]
			r := get(t, s.URL+a.Path)
			metas := metaCharsetRE.FindAllString(string(r.body), -1)
			want := map[Fault]struct{ ct, meta string }{
				FaultCharsetLatin1:  {"text/html; charset=iso-8859-1", "charset=windows-1258"},
				FaultCharsetUTF8:    {"text/html; charset=utf-8", "charset=utf-8"},
				FaultCharsetMissing: {"text/html", ""},
			}[f]
			wantCT, wantMeta := want.ct, want.meta
			if ct := r.header.Get("Content-Type"); ct != wantCT {
				t.Errorf("%s %s: Content-Type %q, want %q", l, f, ct, wantCT)
			}
			if (wantMeta == "" && len(metas) != 0) || (wantMeta != "" && (len(metas) != 1 || !strings.Contains(metas[0], wantMeta))) {
				t.Errorf("%s %s: <meta> %q, want one with %q", l, f, metas, wantMeta)
			}
			if utf8.Valid(r.body) {
				t.Errorf("%s %s: body is valid UTF-8, want windows-1258", l, f)
			}
			text := visibleText(r.body, charset1258)
			mustContain(t, string(f), text, a.Title)
			for _, para := range a.Text {
				mustContain(t, string(f), text, para)
			}
		}
	}
}

func TestBinaryFaults(t *testing.T) {
	p, s := serve(t, Options{Layout: LayoutDrupal, Articles: 6, Seed: 12})
	arts := p.Articles()
	want := map[Fault]string{FaultBinaryPNG: "image/png", FaultBinaryPDF: "application/pdf", FaultBinaryGzip: "application/x-gzip"}
	p.SetFaults(Faults{Kinds: []Fault{FaultBinaryPNG, FaultBinaryPDF, FaultBinaryGzip}, Paths: []string{arts[0].Path, arts[1].Path, arts[2].Path}, Times: 1})
	for _, a := range arts[:3] {
		f := p.Affected()[a.Path]
		r := get(t, s.URL+a.Path)
		if ct, sniffed := r.header.Get("Content-Type"), http.DetectContentType(r.body); ct != "text/html; charset=utf-8" || sniffed != want[f] {
			t.Errorf("%s: served as %q, sniffed %q, want %q", f, ct, sniffed, want[f])
		}
		if r := get(t, s.URL+a.Path); !strings.HasPrefix(http.DetectContentType(r.body), "text/html") {
			t.Errorf("%s: second request still binary", f)
		}
	}
}

func TestHostDownAndUp(t *testing.T) {
	p := New(Options{Layout: LayoutNukeViet, Articles: 6, Seed: 13, Now: fixedNow})
	h, err := NewHost(p)
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	if r := get(t, h.URL()+"/robots.txt"); r.status != 200 {
		t.Fatalf("host up: %d", r.status)
	}
	h.Down()
	h.Down() // twice is fine
	if _, _, err := fetch(h.URL() + "/robots.txt"); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("host down: %v, want connection refused", err)
	}
	if err := h.Up(); err != nil {
		t.Fatal(err)
	}
	if r := get(t, h.URL()+"/robots.txt"); r.status != 200 {
		t.Errorf("host back up: %d", r.status)
	}
	if n := len(p.Log()); n != 2 {
		t.Errorf("%d requests logged, want 2 (none while down)", n)
	}
}
