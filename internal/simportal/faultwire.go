package simportal

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// This file holds the faults that break an answer on the wire: a reset, a
// body cut short or stalled, and a body too large to keep.

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

// truncate sends half the body and hangs up: after promising the whole
// body with a Content-Length, or, chunked, before the last chunk.
func truncate(w http.ResponseWriter, res response, chunked bool) {
	half := res.body[:len(res.body)/2]
	hj, ok := w.(http.Hijacker)
	if !ok {
		w.Header().Set("Content-Type", res.ctype)
		if !chunked {
			w.Header().Set("Content-Length", strconv.Itoa(len(res.body)))
		}
		w.Write(half)
		http.NewResponseController(w).Flush()
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	defer conn.Close()
	date := time.Now().UTC().Format(http.TimeFormat)
	if chunked {
		fmt.Fprintf(conn, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nTransfer-Encoding: chunked\r\nDate: %s\r\nConnection: close\r\n\r\n%x\r\n",
			res.ctype, date, len(half))
		conn.Write(half)
		conn.Write([]byte("\r\n")) // and no "0\r\n\r\n": the body never ends
		return
	}
	fmt.Fprintf(conn, "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %d\r\nETag: %s\r\nDate: %s\r\nConnection: close\r\n\r\n",
		res.ctype, len(res.body), etagOf(res.body), date)
	conn.Write(half)
}

// stallBody sends the headers and half the body, waits d (less when the
// client leaves) and sends the rest. It logs rec once it is done, with the
// bytes it wrote.
func (p *Portal) stallBody(w http.ResponseWriter, r *http.Request, res response, rec Request, d time.Duration) {
	w.Header().Set("Content-Type", res.ctype)
	w.Header().Set("Content-Length", strconv.Itoa(len(res.body)))
	w.WriteHeader(http.StatusOK)
	half := len(res.body) / 2
	n, _ := w.Write(res.body[:half])
	http.NewResponseController(w).Flush()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		m, _ := w.Write(res.body[half:])
		n += m
	case <-r.Context().Done():
	}
	rec.Status, rec.Bytes = http.StatusOK, n
	p.log.add(rec)
}

// fillerBlockSize is the unit huge pages are generated in.
const fillerBlockSize = 64 << 10

// huge streams a page of size bytes (at least the page itself): the page up
// to its </body>, filler paragraphs, then the page's end. It is generated a
// block at a time, so the portal never holds more than a block, and it stops
// as soon as the client stops reading. Chunked, it declares no
// Content-Length. It logs rec once it is done, with the bytes it wrote: a
// client that cut the body at its size limit shows as Bytes well under size.
func (p *Portal) huge(w http.ResponseWriter, r *http.Request, res response, rec Request, size int64, chunked bool) {
	end := bytes.LastIndex(res.body, []byte("</body>"))
	if end < 0 {
		end = len(res.body)
	}
	head, tail := res.body[:end], res.body[end:]
	size = max(size, int64(len(res.body)))
	w.Header().Set("Content-Type", res.ctype)
	if !chunked {
		w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	}
	w.WriteHeader(http.StatusOK)
	var written int64
	defer func() {
		rec.Status, rec.Bytes = http.StatusOK, int(written)
		p.log.add(rec)
	}()
	write := func(b []byte) bool {
		n, err := w.Write(b)
		written += int64(n)
		return err == nil && r.Context().Err() == nil
	}
	block := fillerBlock()
	if !write(head) {
		return
	}
	for left := size - int64(len(head)) - int64(len(tail)); left > 0; {
		b := block
		if left < int64(len(b)) {
			b = bytes.Repeat([]byte(" "), int(left)) // never a rune cut in half
		}
		if !write(b) {
			return
		}
		left -= int64(len(b))
	}
	write(tail)
}

// fillerBlock is fillerBlockSize bytes of whole paragraphs padded with
// spaces, the stuff a huge page is made of (a report pasted whole, say).
func fillerBlock() []byte {
	const para = "<p>Báo cáo tổng hợp số liệu cán bộ, công chức, viên chức cấp xã của các huyện, thành phố trong tỉnh.</p>\n"
	b := []byte(strings.Repeat(para, fillerBlockSize/len(para)))
	return append(b, bytes.Repeat([]byte(" "), fillerBlockSize-len(b))...)
}
