package archive

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/nlnwa/gowarc"
)

// origPrefix names the HTTP headers that keep what decoding made untrue.
const origPrefix = "X-Noivu-Orig-"

// buildPair builds the request and response records of ex. The caller must
// Close both.
func buildPair(ex Exchange) (req, resp gowarc.WarcRecord, err error) {
	u, err := url.Parse(ex.URL)
	if err != nil {
		return nil, nil, err
	}
	if !u.IsAbs() || u.Host == "" {
		return nil, nil, fmt.Errorf("not an absolute URL")
	}
	if ex.StatusCode < 100 || ex.StatusCode > 999 {
		return nil, nil, fmt.Errorf("bad status code %d", ex.StatusCode)
	}
	date := ex.Date
	if date.IsZero() {
		date = time.Now()
	}
	req, err = build(gowarc.Request, ex, date, requestHead(ex, u), nil)
	if err != nil {
		return nil, nil, fmt.Errorf("request record: %w", err)
	}
	resp, err = build(gowarc.Response, ex, date, responseHead(ex), ex.Body)
	if err != nil {
		_ = req.Close()
		return nil, nil, fmt.Errorf("response record: %w", err)
	}
	return req, resp, nil
}

// build makes one record of type rt whose block is head followed by body.
func build(rt gowarc.RecordType, ex Exchange, date time.Time, head, body []byte) (gowarc.WarcRecord, error) {
	b := newRecordBuilder(rt)
	b.AddWarcHeader(gowarc.WarcTargetURI, ex.URL)
	b.AddWarcHeaderTime(gowarc.WarcDate, date)
	if ip := remoteIP(ex.RemoteAddr); ip != "" {
		b.AddWarcHeader(gowarc.WarcIPAddress, ip)
	}
	b.AddWarcHeader(gowarc.ContentType, "application/http;msgtype="+rt.String())
	_, err := b.Write(head)
	if err == nil {
		_, err = b.Write(body)
	}
	if err != nil {
		_ = b.Close()
		return nil, err
	}
	rec, v, err := b.Build()
	if err == nil && !v.Valid() {
		err = v
	}
	if err != nil {
		if rec != nil {
			_ = rec.Close()
		}
		return nil, err
	}
	return rec, nil
}

// requestHead is the request as it went on the wire, less the parts Go's
// transport adds itself and the caller did not pass.
func requestHead(ex Exchange, u *url.URL) []byte {
	method := orDefault(ex.Method, http.MethodGet)
	proto := orDefault(ex.RequestProto, "HTTP/1.1")
	h := ex.RequestHeader.Clone()
	if h == nil {
		h = http.Header{}
	}
	host := u.Host
	if v := h.Get("Host"); v != "" {
		host = v
	}
	h.Del("Host")
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s %s\r\nHost: %s\r\n", method, u.RequestURI(), proto, host)
	_ = h.Write(&b)
	b.WriteString("\r\n")
	return b.Bytes()
}

// responseHead is the status line and the header made consistent with the
// decoded body.
func responseHead(ex Exchange) []byte {
	proto := orDefault(ex.ResponseProto, "HTTP/1.1")
	code := strconv.Itoa(ex.StatusCode)
	status := strings.TrimSpace(ex.Status)
	if status == "" {
		status = strings.TrimSpace(code + " " + http.StatusText(ex.StatusCode))
	} else if !strings.HasPrefix(status, code) {
		status = code + " " + status
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s\r\n", proto, status)
	_ = responseHeader(ex.ResponseHeader, len(ex.Body)).Write(&b)
	b.WriteString("\r\n")
	return b.Bytes()
}

// responseHeader returns a copy of h that tells the truth about a body of n
// decoded bytes, keeping what it changed under origPrefix names.
func responseHeader(h http.Header, n int) http.Header {
	h = h.Clone()
	if h == nil {
		h = http.Header{}
	}
	for _, k := range []string{"Content-Encoding", "Transfer-Encoding"} {
		if v, ok := h[k]; ok {
			h[origPrefix+k] = v
			delete(h, k)
		}
	}
	length := strconv.Itoa(n)
	if v, ok := h["Content-Length"]; ok && (len(v) != 1 || v[0] != length) {
		h[origPrefix+"Content-Length"] = v
	}
	h.Set("Content-Length", length)
	return h
}

// remoteIP returns the IP in addr ("ip" or "ip:port"), or "" when there is none.
func remoteIP(addr string) string {
	if host, _, err := net.SplitHostPort(addr); err == nil {
		addr = host
	}
	if net.ParseIP(addr) == nil {
		return ""
	}
	return addr
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
