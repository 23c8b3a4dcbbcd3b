package web

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// CrawlFunc starts a crawl pass over the sources with these ids (every
// enabled source when there are none) and returns without waiting for it.
// ctx is the request's: it bounds starting, not the pass.
type CrawlFunc func(ctx context.Context, sourceIDs []string) error

// crawlAuth is what POST /api/crawl checks a request against. Only the
// digest of the token is kept: comparing two digests of equal length in
// constant time tells a timing observer nothing, not even the length.
type crawlAuth struct {
	sum [sha256.Size]byte

	// Wrong tokens, by client address: each may send failBurst, then one
	// every failEvery; beyond that its requests are refused unread, the
	// right token included, until it may try again.
	mu    sync.Mutex
	fails map[string]*rate.Limiter
	swept time.Time // when fails was last cleared of full allowances
	now   func() time.Time
}

const (
	failBurst  = 5
	failEvery  = 12 * time.Second
	maxClients = 4096 // addresses remembered (key)
)

func newCrawlAuth(token string) *crawlAuth {
	return &crawlAuth{sum: sha256.Sum256([]byte(token)), fails: map[string]*rate.Limiter{}, now: time.Now}
}

func (c *crawlAuth) allows(token string) bool {
	sum := sha256.Sum256([]byte(token))
	return subtle.ConstantTimeCompare(sum[:], c.sum[:]) == 1
}

// wait returns how long ip must wait before its token is read again: 0
// unless it sent too many wrong ones.
func (c *crawlAuth) wait(ip string) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	l := c.fails[c.key(ip)]
	if l == nil {
		return 0
	}
	if tokens := l.TokensAt(c.now()); tokens < 1 {
		return time.Duration((1 - tokens) * float64(failEvery))
	}
	return 0
}

// failed counts a wrong token from ip.
func (c *crawlAuth) failed(ip string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	// Forget those back to a full allowance when room is needed, once per
	// failEvery at most: in a flood from many addresses nothing is full.
	if c.key(ip) == "" && now.Sub(c.swept) >= failEvery {
		c.swept = now
		for a, l := range c.fails {
			if l.TokensAt(now) >= failBurst {
				delete(c.fails, a)
			}
		}
	}
	k := c.key(ip)
	l := c.fails[k]
	if l == nil {
		l = rate.NewLimiter(rate.Every(failEvery), failBurst)
		c.fails[k] = l
	}
	l.AllowN(now, 1)
}

// key is the limiter ip counts against: its own, or, when maxClients
// addresses are remembered already, the one they share: many addresses
// cannot buy many guesses.
func (c *crawlAuth) key(ip string) string {
	if _, ok := c.fails[ip]; ok || len(c.fails) < maxClients {
		return ip
	}
	return ""
}

// bearer returns the token of an "Authorization: Bearer TOKEN" header
// value (the scheme in any case, RFC 9110 §11.1), and false for anything
// else.
func bearer(header string) (string, bool) {
	scheme, tok, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.Trim(tok, " ")
	if tok == "" || strings.ContainsAny(tok, " \t\r\n") {
		return "", false
	}
	return tok, true
}

// credentialParams are query parameters that would carry a token in the
// URL, where proxies, browser histories and access logs keep it.
var credentialParams = []string{"token", "access_token", "admin_token", "auth", "key"}

// crawlReply is the JSON body of every /api/crawl answer.
type crawlReply struct {
	Status  string   `json:"status"`            // started, or error
	Sources []string `json:"sources,omitempty"` // as asked; none: every enabled source
	Watch   string   `json:"watch,omitempty"`   // where to see the pass's outcome
	Error   string   `json:"error,omitempty"`
}

// handleCrawl answers POST /api/crawl[?source=ID[,ID]]: with the admin
// token as a bearer token it starts a crawl pass and answers 202; 401
// without the right token, 400 for a token in the URL or an unknown
// source, 409 while a crawl runs, 429 to a client that sent too many
// wrong tokens. Every attempt is logged with the client's address and its
// outcome, never with the token.
func (s *Server) handleCrawl(w http.ResponseWriter, r *http.Request) {
	ip := remoteIP(r)
	log := s.log.With("remote", ip)
	if wait := s.crawlAuth.wait(ip); wait > 0 {
		log.Warn("web: crawl request refused", "outcome", "too_many_wrong_tokens")
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		crawlError(w, http.StatusTooManyRequests, "too many wrong tokens from this address; try again later")
		return
	}
	q := r.URL.Query()
	for _, k := range credentialParams {
		if q.Has(k) {
			log.Warn("web: crawl request refused", "outcome", "token_in_url")
			crawlError(w, http.StatusBadRequest, "send the token in an Authorization: Bearer header, never in the URL")
			return
		}
	}
	hdr := r.Header.Values("Authorization")
	tok, ok := "", len(hdr) == 1
	if ok {
		tok, ok = bearer(hdr[0])
	}
	if !ok {
		log.Warn("web: crawl request refused", "outcome", "no_token")
		w.Header().Set("WWW-Authenticate", `Bearer realm="noivu"`)
		crawlError(w, http.StatusUnauthorized, "send the admin token: Authorization: Bearer TOKEN")
		return
	}
	if !s.crawlAuth.allows(tok) {
		s.crawlAuth.failed(ip)
		log.Warn("web: crawl request refused", "outcome", "wrong_token")
		w.Header().Set("WWW-Authenticate", `Bearer realm="noivu", error="invalid_token"`)
		crawlError(w, http.StatusUnauthorized, "wrong token")
		return
	}
	ids, err := listParam("source", q["source"])
	if err == nil {
		for _, id := range ids {
			if _, known := s.byID[id]; !known {
				err = badParam("unknown source %s", quote(id))
				break
			}
		}
	}
	if err != nil {
		log.Info("web: crawl request refused", "outcome", "bad_source")
		crawlError(w, http.StatusBadRequest, err.Error())
		return
	}
	err = s.opts.Crawl(r.Context(), ids)
	switch {
	case errors.Is(err, ErrBusy):
		log.Info("web: crawl request refused", "outcome", "busy", "err", err)
		crawlError(w, http.StatusConflict, "a crawl is already running; try again when it ends")
	case err != nil:
		log.Error("web: crawl request failed", "outcome", "error", "err", err)
		crawlError(w, http.StatusInternalServerError, "the crawl could not start; see the server log")
	default:
		log.Info("web: crawl started", "outcome", "started", "sources", ids)
		writeJSON(w, http.StatusAccepted, crawlReply{Status: "started", Sources: ids, Watch: s.base + "/sources"})
	}
}

func crawlError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, crawlReply{Status: "error", Error: msg})
}

// remoteIP is the client's address as the connection gives it. Headers
// such as X-Forwarded-For are not trusted: anyone can send them.
func remoteIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
