package crawler

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/noivu/noivu/article"
)

// maxRedirects bounds one fetch's chain of redirects, as browsers and Go do.
const maxRedirects = 10

// Why checkRedirect refuses a redirect; RedirectError.Reason.
const (
	redirectOffHost = "to another host"
	redirectRobots  = "to a path robots.txt disallows"
	redirectLoop    = "loop"
	redirectSeen    = "to a page already fetched in this run"
)

// checkRedirect is the pass's only redirect policy (colly's domain filter and
// visited set are off, see newCollector). It refuses:
//   - a redirect off the source's hosts, port included: a page that moved to
//     another host (a merged province's new portal, say) is not this
//     source's, and the target is never requested;
//   - a redirect to a path robots.txt disallows (a login page, say): what
//     the site asks not to be fetched is not fetched by way of a redirect
//     either (RFC 9309 §2.2.2 applies to every URI requested);
//   - a loop: a URL the chain has already visited twice (once is allowed:
//     some CMSs bounce A -> B -> A to set a session cookie), and any chain
//     over maxRedirects hops;
//   - a redirect to a page this run has already fetched or queued, which
//     would archive and count it twice.
//
// A target it follows is marked seen, so that a later link to it is not
// fetched again.
func (p *pass) checkRedirect(req *http.Request, via []*http.Request) error {
	to := req.URL.String()
	refuse := func(reason string) error {
		e := &RedirectError{From: via[len(via)-1].URL.String(), To: to, Reason: reason}
		if req.Response != nil {
			e.Status = req.Response.StatusCode
		}
		return e
	}
	if !p.hosts[strings.ToLower(req.URL.Host)] {
		return refuse(redirectOffHost)
	}
	if !p.rob.allowed(req.URL) {
		return refuse(redirectRobots)
	}
	if len(via) >= maxRedirects {
		return refuse(fmt.Sprintf("chain over %d hops", maxRedirects))
	}
	visits, inChain := 0, false
	key, err := article.Canonical(to)
	if err != nil {
		return refuse("to a URL that cannot be read: " + err.Error())
	}
	for _, v := range via {
		if v.URL.String() == to {
			visits++
		}
		if k, err := article.Canonical(v.URL.String()); err == nil && k == key {
			inChain = true
		}
	}
	if visits >= 2 {
		return refuse(redirectLoop)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.seen[key] && !inChain {
		return refuse(redirectSeen)
	}
	p.seen[key] = true
	return nil
}
