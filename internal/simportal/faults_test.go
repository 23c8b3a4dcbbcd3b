package simportal

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

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
