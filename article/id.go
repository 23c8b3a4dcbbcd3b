package article

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"sort"
	"strings"
)

// trackingParams are query parameters that never change what a page shows.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "msclkid": true, "zarsrc": true,
	"mc_cid": true, "mc_eid": true, "_ga": true, "ref": true, "igshid": true,
}

// IsTrackingParam reports a query parameter that never changes what a page
// shows (utm_*, fbclid, ...): the crawler drops it from the URLs it fetches,
// and Canonical from article identities, so both agree.
func IsTrackingParam(key string) bool {
	lk := strings.ToLower(key)
	return strings.HasPrefix(lk, "utm_") || trackingParams[lk]
}

// Canonical returns the form of rawURL that identifies an article: the scheme,
// a leading "www.", the default port, the fragment, tracking parameters and the
// order of query parameters are ignored; the host is lower-cased. It is a key,
// not a URL to fetch.
func Canonical(rawURL string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil {
		return "", fmt.Errorf("article: canonical %q: %w", rawURL, err)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Host == "" {
		return "", fmt.Errorf("article: canonical %q: not an absolute URL", rawURL)
	}
	host := strings.ToLower(u.Hostname())
	host = strings.TrimRight(host, ".") // "a.vn." is "a.vn"
	host = strings.TrimPrefix(host, "www.")
	if host == "" {
		return "", fmt.Errorf("article: canonical %q: no host", rawURL)
	}
	if strings.HasPrefix(host, ".") || strings.Contains(host, "..") {
		return "", fmt.Errorf("article: canonical %q: bad host: an empty label", rawURL)
	}
	if strings.Contains(host, ":") {
		host = "[" + host + "]" // IPv6 literal
	}
	if p := u.Port(); p != "" && p != "80" && p != "443" {
		host += ":" + p
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("article: canonical %q: scheme must be http or https", rawURL)
	}
	if _, err := url.Parse("http://" + host + "/"); err != nil {
		return "", fmt.Errorf("article: canonical %q: bad host: %w", rawURL, err)
	}
	path := u.EscapedPath()
	if path == "" {
		path = "/"
	}
	q := u.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		if IsTrackingParam(k) {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(host)
	b.WriteString(path)
	for i, k := range keys {
		vs := q[k]
		sort.Strings(vs)
		for j, v := range vs {
			if i == 0 && j == 0 {
				b.WriteByte('?')
			} else {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(k))
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(v))
		}
	}
	return b.String(), nil
}

// IDFor returns the stable article ID of rawURL: 16 hex digits of the SHA-256
// of its canonical form. Feed GUIDs derive from it, so it must never change.
func IDFor(rawURL string) (string, error) {
	c, err := Canonical(rawURL)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(c))
	return hex.EncodeToString(sum[:8]), nil
}
