package crawler

import (
	"errors"
	"fmt"
)

var (
	// ErrTooLarge is returned for a response body over crawl.max_body_bytes.
	ErrTooLarge = errors.New("crawler: response body over the size limit")
	// ErrTimeout is returned when an exchange (headers and body) takes
	// longer than crawl.timeout. The wait for the host's turn does not count.
	ErrTimeout = errors.New("crawler: no complete response within crawl.timeout")
	// ErrNotPage is returned for a response labelled as a page whose bytes
	// are an image, a PDF, an archive or other binary data.
	ErrNotPage = errors.New("crawler: binary body served as a page")
)

// RedirectError is a redirect a pass refused to follow.
type RedirectError struct {
	From, To string
	Status   int    // of the response that redirected
	Reason   string // "to another host", "loop", ...
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("crawler: redirect %s: %s -> %s", e.Reason, e.From, e.To)
}
