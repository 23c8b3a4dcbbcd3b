package simportal

import (
	"sync"
	"time"
)

// Kinds of page a Request can be logged as.
const (
	kindHome       = "home"
	kindListing    = "listing"
	kindArticle    = "article"
	kindRobots     = "robots"
	kindSitemap    = "sitemap"
	kindFeed       = "feed"
	kindCalendar   = "calendar"
	kindDisallowed = "disallowed"
	kindStatic     = "static"
	kindAttachment = "attachment"
	kindNotFound   = "notfound"
	kindRedirect   = "redirect" // the second leg of a redirect loop
	kindChain      = "chain"    // a page of Options.Chain
)

// Request is one logged request.
type Request struct {
	Method      string
	Path        string // with query
	Status      int    // the status meant; 0 when the connection was reset or the client left during a stall
	Conditional bool   // If-None-Match or If-Modified-Since present
	Kind        string // home, listing, article, robots, sitemap, feed, calendar, disallowed, static, attachment, notfound, redirect, chain
	UserAgent   string
	At          time.Time // wall-clock arrival time
	Bytes       int       // body bytes written (for a huge or stalled body: once it is over, as many as the client took)
}

type requestLog struct {
	mu   sync.Mutex
	reqs []Request
}

func (l *requestLog) add(r Request) {
	l.mu.Lock()
	l.reqs = append(l.reqs, r)
	l.mu.Unlock()
}

// Log returns every request answered so far, in the order they were
// answered; a request is logged just before its response is written.
func (p *Portal) Log() []Request {
	p.log.mu.Lock()
	defer p.log.mu.Unlock()
	return append([]Request(nil), p.log.reqs...)
}

// ResetLog forgets the requests logged so far.
func (p *Portal) ResetLog() {
	p.log.mu.Lock()
	p.log.reqs = nil
	p.log.mu.Unlock()
}
