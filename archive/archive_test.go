package archive

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nlnwa/gowarc"
	"github.com/noivu/noivu/article"
)

// win1258 is "Quyết định" in windows-1258, with its combining tone marks
// (0xD2, 0xDE), then bytes that are not UTF-8 and a WARC end-of-record marker.
var win1258 = []byte("Quy\xeat \xf0i\xdenh \xd2\xec\xcc\x00\xff\r\n\r\nWARC/1.1\r\n")

func testExchange(i int) Exchange {
	body := fmt.Sprintf("<html><body><h1>Sở Nội vụ tỉnh Sơn La — bài %d</h1><p>Quyết định số %d/QĐ-UBND</p>", i, i)
	return Exchange{
		Method:        "GET",
		URL:           fmt.Sprintf("https://sonoivu.sonla.gov.vn/tin-tuc/bai-%d.html?id=%d", i, i),
		RequestHeader: http.Header{"User-Agent": {"noivu-test"}, "Accept": {"text/html"}},
		RequestProto:  "HTTP/1.1",
		StatusCode:    200 + i%3,
		Status:        fmt.Sprintf("%d %s", 200+i%3, http.StatusText(200+i%3)),
		ResponseProto: "HTTP/1.1",
		ResponseHeader: http.Header{
			"Content-Type": {"text/html; charset=utf-8"},
			"X-Bai":        {fmt.Sprint(i)},
			"Set-Cookie":   {"a=1", "b=2"},
		},
		Body:       append([]byte(body), bytes.Repeat([]byte("Tiếng Việt "), i*37)...),
		RemoteAddr: "203.113.0.7:443",
		Date:       time.Date(2025, 7, 1, 8, 0, i, 0, article.VietnamZone),
	}
}

func openTest(t testing.TB, dir string, maxSize int64) *Writer {
	t.Helper()
	w, err := Open(context.Background(), Options{Dir: dir, MaxFileSize: maxSize, Software: "noivu/test"})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// walkAll returns the records of dir by type and URL.
func walkAll(t *testing.T, dir string) map[string]map[string]Record {
	t.Helper()
	got := map[string]map[string]Record{}
	err := Walk(context.Background(), dir, func(r Record) error {
		if got[r.Type] == nil {
			got[r.Type] = map[string]Record{}
		}
		if _, dup := got[r.Type][r.URL]; dup && r.Type != "warcinfo" {
			t.Errorf("%s %s seen twice", r.Type, r.URL)
		}
		got[r.Type][r.URL] = r
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func checkResponse(t *testing.T, ex Exchange, status int, h http.Header, body []byte) {
	t.Helper()
	if status != ex.StatusCode {
		t.Errorf("%s: status %d, want %d", ex.URL, status, ex.StatusCode)
	}
	if !bytes.Equal(body, ex.Body) {
		t.Errorf("%s: body differs: got %d bytes, want %d", ex.URL, len(body), len(ex.Body))
	}
	for k, v := range ex.ResponseHeader {
		if fmt.Sprint(h[k]) != fmt.Sprint(v) {
			t.Errorf("%s: header %s = %q, want %q", ex.URL, k, h[k], v)
		}
	}
	if got, want := h.Get("Content-Length"), fmt.Sprint(len(ex.Body)); got != want {
		t.Errorf("%s: Content-Length %s, want %s", ex.URL, got, want)
	}
}

func TestConcurrentWriteWalkRead(t *testing.T) {
	dir := t.TempDir()
	w := openTest(t, dir, 0)
	const n, workers = 50, 4
	captures := make([]article.Capture, n)
	var wg sync.WaitGroup
	for g := range workers {
		wg.Go(func() {
			for i := g; i < n; i += workers {
				c, err := w.Write(context.Background(), testExchange(i))
				if err != nil {
					t.Error(err)
					return
				}
				captures[i] = c
			}
		})
	}
	wg.Wait()

	// The file is still being written: readers must cope with ".open".
	if _, err := os.Stat(filepath.Join(dir, captures[7].File+".open")); err != nil {
		t.Fatalf("live file: %v", err)
	}
	r, err := ReadCapture(dir, captures[7])
	if err != nil {
		t.Fatal(err)
	}
	checkResponse(t, testExchange(7), r.StatusCode, r.Header, r.Body)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	got := walkAll(t, dir)
	if len(got["warcinfo"]) != 1 || len(got["request"]) != n || len(got["response"]) != n {
		t.Fatalf("walk: %d warcinfo, %d requests, %d responses; want 1, %d, %d",
			len(got["warcinfo"]), len(got["request"]), len(got["response"]), n, n)
	}
	checkCaptures(t, dir, got, captures)
}

// checkCaptures checks the walked records and ReadCapture against the exchanges
// the captures came from.
func checkCaptures(t *testing.T, dir string, got map[string]map[string]Record, captures []article.Capture) {
	t.Helper()
	for i, c := range captures {
		ex := testExchange(i)
		rec := got["response"][ex.URL]
		checkResponse(t, ex, rec.StatusCode, rec.Header, rec.Body)
		if rec.Capture != c {
			t.Errorf("%s: walk capture %+v, Write returned %+v", ex.URL, rec.Capture, c)
		}
		if !rec.Date.Equal(ex.Date) {
			t.Errorf("%s: date %v, want %v", ex.URL, rec.Date, ex.Date)
		}
		if req := got["request"][ex.URL]; req.Header.Get("User-Agent") != "noivu-test" {
			t.Errorf("%s: request header %v", ex.URL, req.Header)
		}
		r, err := ReadCapture(dir, c)
		if err != nil {
			t.Fatal(err)
		}
		checkResponse(t, ex, r.StatusCode, r.Header, r.Body)
		if r.URL != ex.URL || !r.Date.Equal(ex.Date) {
			t.Errorf("ReadCapture: %s at %v, want %s at %v", r.URL, r.Date, ex.URL, ex.Date)
		}
	}
}

func TestRotation(t *testing.T) {
	dir := t.TempDir()
	w := openTest(t, dir, 4<<10)
	const n = 30
	var captures []article.Capture
	for i := range n {
		c, err := w.Write(context.Background(), testExchange(i))
		if err != nil {
			t.Fatal(err)
		}
		captures = append(captures, c)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	names, err := Files(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) < 3 {
		t.Fatalf("%d files, want several: %v", len(names), names)
	}
	var total int64
	for _, name := range names {
		if !strings.HasPrefix(name, "noivu-") || !strings.HasSuffix(name, ".warc.gz") {
			t.Errorf("file name %q", name)
		}
		fi, _ := os.Stat(filepath.Join(dir, name))
		total += fi.Size()
	}
	if size, err := Size(dir); err != nil || size != total {
		t.Errorf("Size = %d, %v; want %d", size, err, total)
	}
	got := walkAll(t, dir)
	if len(got["warcinfo"]) != 1 || len(got["response"]) != n {
		t.Fatalf("walk: %d responses, want %d", len(got["response"]), n)
	}
	for i, c := range captures {
		r, err := ReadCapture(dir, c)
		if err != nil {
			t.Fatal(err)
		}
		checkResponse(t, testExchange(i), r.StatusCode, r.Header, r.Body)
		req := got["request"][r.URL]
		if req.Capture.File != c.File {
			t.Errorf("%s: request in %s, response in %s", r.URL, req.Capture.File, c.File)
		}
	}
}

// TestRecordsValidate reads the files back with gowarc's own reader, failing
// on any syntax error, spec violation or wrong digest.
func TestRecordsValidate(t *testing.T) {
	dir := t.TempDir()
	w := openTest(t, dir, 0)
	for i := range 5 {
		if _, err := w.Write(context.Background(), testExchange(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	names, _ := Files(dir)
	for _, name := range names {
		rd, err := gowarc.NewWarcFileReader(filepath.Join(dir, name), 0, gowarc.WithStrictValidation())
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]string{} // record ID -> WARC-Concurrent-To
		for {
			rec, _, v, err := rd.Next()
			if rec == nil && err != nil {
				break
			}
			if err != nil || !v.Valid() {
				t.Fatalf("%s: %v %v", rec, err, v)
			}
			h := rec.WarcHeader()
			if rec.Type() == gowarc.Response {
				for _, f := range []string{gowarc.WarcBlockDigest, gowarc.WarcPayloadDigest, gowarc.WarcIPAddress,
					gowarc.WarcTargetURI, gowarc.WarcDate, gowarc.WarcWarcinfoID} {
					if !h.Has(f) {
						t.Errorf("%s: no %s", rec, f)
					}
				}
			}
			if rec.Type() != gowarc.Warcinfo {
				ids[h.GetId(gowarc.WarcRecordID)] = h.GetId(gowarc.WarcConcurrentTo)
			}
		}
		_ = rd.Close()
		if len(ids) != 10 {
			t.Fatalf("%d request and response records, want 10", len(ids))
		}
		for id, to := range ids {
			if ids[to] != id {
				t.Errorf("%s is concurrent to %q, which is concurrent to %q", id, to, ids[to])
			}
		}
	}
}

// TestBytesSurvive checks that Vietnamese text survives byte for byte, in
// UTF-8 and in windows-1258, and that a decoded body gets a truthful header.
func TestBytesSurvive(t *testing.T) {
	dir := t.TempDir()
	w := openTest(t, dir, 0)
	utf8 := testExchange(1)
	utf8.URL = "https://sonoivu.sonla.gov.vn/tin-tức/Sở-Nội-vụ.html?q=đ"
	legacy := testExchange(2)
	legacy.URL = "https://sonoivu.laichau.gov.vn/van-ban.asp"
	legacy.Body = bytes.Repeat(win1258, 200)
	legacy.ResponseHeader = http.Header{
		"Content-Type":     {"text/html; charset=windows-1258"},
		"Content-Encoding": {"gzip"},
		"Content-Length":   {"1234"},
	}
	for _, ex := range []Exchange{utf8, legacy} {
		c, err := w.Write(context.Background(), ex)
		if err != nil {
			t.Fatal(err)
		}
		r, err := ReadCapture(dir, c)
		if err != nil {
			t.Fatal(err)
		}
		if r.URL != ex.URL || !bytes.Equal(r.Body, ex.Body) {
			t.Errorf("%q: got %q, %d bytes; want %d bytes", ex.URL, r.URL, len(r.Body), len(ex.Body))
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	h := walkAll(t, dir)["response"][legacy.URL].Header
	want := http.Header{
		"Content-Type":                  {"text/html; charset=windows-1258"},
		"Content-Length":                {fmt.Sprint(len(legacy.Body))},
		"X-Noivu-Orig-Content-Encoding": {"gzip"},
		"X-Noivu-Orig-Content-Length":   {"1234"},
	}
	if fmt.Sprint(h) != fmt.Sprint(want) {
		t.Errorf("header %v, want %v", h, want)
	}
}

func TestWriteRejectsAndCloses(t *testing.T) {
	w := openTest(t, t.TempDir(), 0)
	bad := testExchange(1)
	bad.URL = "/relative"
	if _, err := w.Write(context.Background(), bad); err == nil || !strings.Contains(err.Error(), "archive: write /relative") {
		t.Errorf("relative URL: err = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := w.Write(ctx, testExchange(1)); err == nil {
		t.Error("cancelled context: no error")
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := w.Write(context.Background(), testExchange(1)); err == nil {
		t.Error("Write after Close: no error")
	}
	if _, err := ReadCapture(t.TempDir(), article.Capture{File: "none.warc.gz"}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: err = %v", err)
	}
}

func BenchmarkWrite(b *testing.B) {
	w := openTest(b, b.TempDir(), 0)
	defer w.Close()
	ex := testExchange(1)
	ex.Body = bytes.Repeat([]byte("<p>Sở Nội vụ tỉnh Sơn La thông báo tuyển dụng công chức năm 2025.</p>\n"), 60<<10/72)
	b.SetBytes(int64(len(ex.Body)))
	b.ResetTimer()
	for b.Loop() {
		if _, err := w.Write(context.Background(), ex); err != nil {
			b.Fatal(err)
		}
	}
}

// TestReadWhileWriting reads the live file as `serve` does while `crawl`
// writes to it.
func TestReadWhileWriting(t *testing.T) {
	dir := t.TempDir()
	w := openTest(t, dir, 16<<10)
	done := make(chan []article.Capture)
	go func() {
		var cs []article.Capture
		for i := range 40 {
			c, err := w.Write(context.Background(), testExchange(i))
			if err != nil {
				t.Error(err)
				break
			}
			cs = append(cs, c)
		}
		done <- cs
	}()
	var captures []article.Capture
	for captures == nil {
		select {
		case captures = <-done:
		default:
			if err := Walk(context.Background(), dir, func(Record) error { return nil }); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	c := captures[3]
	c.RecordID = "urn:uuid:00000000-0000-4000-8000-000000000000"
	if _, err := ReadCapture(dir, c); !errors.Is(err, ErrMismatch) {
		t.Errorf("wrong record ID: err = %v, want ErrMismatch", err)
	}
	c = captures[3]
	c.Offset++
	if _, err := ReadCapture(dir, c); err == nil {
		t.Error("wrong offset: no error")
	}
}
