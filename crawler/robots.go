package crawler

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/temoto/robotstxt"
)

// maxCrawlDelay caps a robots.txt Crawl-delay: a site asking for more is
// crawled at this pace and says so in the log.
const maxCrawlDelay = 60 * time.Second

// robots is what robots.txt allows for our user agent.
type robots struct {
	group    *robotstxt.Group // nil: everything allowed
	sitemaps []string
	delay    time.Duration
}

func (r *robots) allowed(u *url.URL) bool {
	if r == nil || r.group == nil {
		return true
	}
	p := u.EscapedPath()
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return r.group.Test(p)
}

// fetchRobots reads robots.txt as RFC 9309 says: a 4xx means no rules, a 5xx
// or a network failure means the site cannot be crawled this run. status is
// 0 when no response came back.
//
// A time-out is a network failure: RFC 9309 §2.3.1.4 calls robots.txt
// unreachable then, and the crawler "MUST assume complete disallow". Each
// pass reads robots.txt afresh, so the next run tries again.
func fetchRobots(ctx context.Context, client *http.Client, home *url.URL, userAgent string) (rob *robots, status int, err error) {
	u := robotsURL(home)
	unreachable := func(err error) error {
		return fmt.Errorf("crawler: robots %s: %w; site treated as closed this run", u, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, 0, fmt.Errorf("crawler: robots %s: %w", u, err)
	}
	req.Header.Set("User-Agent", userAgent)
	resp, err := client.Do(req)
	if err != nil {
		return nil, 0, unreachable(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 512<<10))
	if err != nil {
		return nil, resp.StatusCode, unreachable(err)
	}
	switch {
	case resp.StatusCode >= 500:
		return nil, resp.StatusCode, fmt.Errorf("crawler: robots %s: status %d, site treated as closed this run", u, resp.StatusCode)
	case resp.StatusCode >= 400:
		return &robots{}, resp.StatusCode, nil
	}
	data, err := robotstxt.FromStatusAndBytes(resp.StatusCode, body)
	if err != nil {
		// A robots.txt we cannot read gives no rules.
		return &robots{}, resp.StatusCode, nil
	}
	g := data.FindGroup(userAgent)
	d := g.CrawlDelay
	if d > maxCrawlDelay {
		d = maxCrawlDelay
	}
	return &robots{group: g, sitemaps: data.Sitemaps, delay: d}, resp.StatusCode, nil
}

// robotsURL is where a site's robots.txt lives.
func robotsURL(home *url.URL) *url.URL {
	return &url.URL{Scheme: home.Scheme, Host: home.Host, Path: "/robots.txt"}
}
