// Package archive owns noivu's raw captures: every HTTP exchange the crawler
// makes is written here as a WARC 1.1 request and response record before
// anything interprets it, so extraction, the store and the index can all be
// rebuilt from these files later.
//
// Files are gzip-compressed per record ("<prefix>-<UTC ms timestamp>-<serial>.warc.gz")
// and rotate by size. While a file is being written its name ends in ".open";
// it loses the suffix when it is finished. Readers accept both names.
//
// Bodies are archived as the crawler received them after transfer and content
// decoding. So that each record is self-consistent, the response header gets a
// Content-Length equal to the stored body, and the original Content-Encoding,
// Transfer-Encoding and Content-Length (when they differ) are kept under
// "X-Noivu-Orig-" names; each file's warcinfo record says so too.
//
// Steps of a Write:
//  1. build the request and response records (digests computed by gowarc);
//  2. rotate when the current file has reached Options.MaxFileSize;
//  3. append both records, one gzip member each, to the ".open" file;
//  4. report where the response record's member lies (article.Capture).
//
// The package must not know anything about articles beyond article.Capture and
// must not touch the network.
package archive

import (
	"net/http"
	"time"

	"github.com/noivu/noivu/article"
)

// Options configure a Writer.
type Options struct {
	Dir         string // folder for .warc.gz files; created when missing
	MaxFileSize int64  // a file is finished once it reaches this size; default 1 GiB
	Prefix      string // file name prefix; default "noivu"
	Software    string // software named in each warcinfo record, e.g. "noivu/0.1"
}

// Exchange is one HTTP request and the response it got.
type Exchange struct {
	Method        string // default "GET"
	URL           string // absolute
	RequestHeader http.Header
	RequestProto  string // default "HTTP/1.1"

	StatusCode     int
	Status         string // "200 OK"; default: the code and its standard text
	ResponseProto  string // default "HTTP/1.1"
	ResponseHeader http.Header
	// Body is the body as received after transfer and content decoding.
	Body []byte

	RemoteAddr string    // the server's IP, with or without a port; may be empty
	Date       time.Time // when the request was sent; default now
}

// Response is an archived HTTP response read back from a capture.
type Response struct {
	URL        string
	StatusCode int
	Header     http.Header
	Body       []byte
	Date       time.Time // WARC-Date, to the second
}

// Record is one WARC record as Walk sees it.
type Record struct {
	Type       string // "request", "response" or "warcinfo"
	URL        string // WARC-Target-URI; empty for warcinfo
	RecordID   string // WARC-Record-ID without angle brackets
	Capture    article.Capture
	Date       time.Time
	StatusCode int         // responses only
	Header     http.Header // the HTTP header of requests and responses
	// Body is the HTTP payload of requests and responses, and the whole
	// block of other records.
	Body []byte
}
