package config

import (
	"crypto/x509"
	"errors"
	"fmt"
	"github.com/robfig/cron/v3"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/andybalholm/cascadia"
	"github.com/goccy/go-yaml/ast"
	"github.com/noivu/noivu/article"
)

var slugRE = regexp.MustCompile(`^[a-z0-9-]+$`)

// validator checks the decoded schema, applies defaults and collects what is
// wrong; the error reported is the earliest in the file.
type validator struct {
	name string   // the config file, for messages
	root ast.Node // its syntax tree, for lines
	dir  string   // its folder, for relative paths
	errs []*Error
}

func (v *validator) fail(path []any, format string, args ...any) {
	v.errs = append(v.errs, &Error{
		Path: v.name,
		Line: lookup(v.root, path...),
		Key:  formatPath(path),
		Msg:  fmt.Sprintf(format, args...),
	})
}

// first returns the error on the earliest line, or nil.
func (v *validator) first() *Error {
	if len(v.errs) == 0 {
		return nil
	}
	return slices.MinFunc(v.errs, func(a, b *Error) int {
		return a.Line - b.Line
	})
}

func (v *validator) resolve(p string) string {
	if filepath.IsAbs(p) {
		return filepath.Clean(p)
	}
	return filepath.Join(v.dir, p)
}

func (v *validator) config(raw *fileSchema) *Config {
	c := &Config{
		DataDir:   v.resolve(orDefault(raw.DataDir, DefaultDataDir)),
		UserAgent: orDefault(raw.UserAgent, DefaultUserAgent),
		BaseURL:   raw.BaseURL,
		Schedule:  strings.TrimSpace(raw.Schedule),
	}
	c.AdminToken = v.adminToken(raw.AdminToken)
	if c.Schedule != "" {
		if _, err := cron.ParseStandard(c.Schedule); err != nil {
			v.fail([]any{"schedule"}, "bad cron expression %q: %v", c.Schedule, err)
		}
	}
	if raw.BaseURL != "" {
		if _, ok := httpURL(raw.BaseURL); !ok {
			v.fail([]any{"base_url"}, "%q is not an absolute http(s) URL", raw.BaseURL)
		}
	}
	c.Crawl = v.crawl(&raw.Crawl)
	c.Sources = v.sources(raw.Sources)
	return c
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (v *validator) crawl(r *crawlSchema) Crawl {
	at := func(key string) []any { return []any{"crawl", key} }
	c := Crawl{
		Delay:        v.duration(r.Delay, DefaultDelay, false, at("delay")),
		Concurrency:  count(v, r.Concurrency, DefaultConcurrency, 1, at("concurrency")),
		Timeout:      v.duration(r.Timeout, DefaultTimeout, true, at("timeout")),
		MaxDepth:     count(v, r.MaxDepth, DefaultMaxDepth, 0, at("max_depth")),
		MaxPages:     count(v, r.MaxPages, DefaultMaxPages, 1, at("max_pages")),
		MaxBodyBytes: count(v, r.MaxBodyBytes, DefaultMaxBodyBytes, 1, at("max_body_bytes")),
		RecheckMin:   v.duration(r.RecheckMin, DefaultRecheckMin, true, at("recheck_min")),
		RecheckMax:   v.duration(r.RecheckMax, DefaultRecheckMax, true, at("recheck_max")),
	}
	switch {
	case c.RecheckMin <= c.RecheckMax:
	case r.RecheckMin != nil:
		v.fail(at("recheck_min"), "%v is more than crawl.recheck_max (%v)", c.RecheckMin, c.RecheckMax)
	default:
		v.fail(at("recheck_max"), "%v is less than crawl.recheck_min (%v by default)", c.RecheckMax, c.RecheckMin)
	}
	return c
}

// duration parses a Go duration string; nil gives def.
func (v *validator) duration(s *string, def time.Duration, positive bool, path []any) time.Duration {
	if s == nil {
		return def
	}
	d, err := time.ParseDuration(*s)
	switch {
	case err != nil:
		v.fail(path, "bad duration %q (write it like 1s, 500ms or 24h)", *s)
		return def
	case d < 0:
		v.fail(path, "must not be negative, got %q", *s)
		return def
	case d == 0 && positive:
		v.fail(path, "must be more than 0, got %q", *s)
		return def
	}
	return d
}

// count checks an integer against its least value; nil gives def.
func count[T int | int64](v *validator, n *T, def, least T, path []any) T {
	if n == nil {
		return def
	}
	if *n < least {
		if least == 0 {
			v.fail(path, "must not be negative, got %d", *n)
		} else {
			v.fail(path, "must be at least %d, got %d", least, *n)
		}
		return def
	}
	return *n
}

func (v *validator) sources(raws []sourceSchema) []Source {
	out := make([]Source, 0, len(raws))
	first := make(map[string]int, len(raws))
	for i := range raws {
		s := v.source(i, &raws[i])
		if slugRE.MatchString(s.ID) {
			if j, dup := first[s.ID]; dup {
				v.fail([]any{"sources", i, "id"}, "duplicate id %q (first at sources[%d])", s.ID, j)
			} else {
				first[s.ID] = i
			}
		}
		out = append(out, s)
	}
	return out
}

func (v *validator) source(i int, r *sourceSchema) Source {
	at := func(keys ...any) []any { return append([]any{"sources", i}, keys...) }
	s := Source{
		StartURLs:          r.StartURLs,
		InsecureSkipVerify: r.InsecureSkipVerify,
		Delay:              v.duration(r.Delay, 0, false, at("delay")),
		Disabled:           r.Disabled,
	}
	s.ID, s.Name, s.URL = r.ID, orDefault(r.Name, r.ID), r.URL
	s.Province, s.CurrentProvince = r.Province, r.CurrentProvince
	switch {
	case r.ID == "":
		v.fail(at("id"), "missing")
	case !slugRE.MatchString(r.ID):
		v.fail(at("id"), "%q is not a slug (use a-z, 0-9 and -)", r.ID)
	}
	home, ok := httpURL(r.URL)
	switch {
	case r.URL == "":
		v.fail(at("url"), "missing")
	case !ok:
		v.fail(at("url"), "%q is not an absolute http(s) URL", r.URL)
	}
	for j, su := range r.StartURLs {
		u, ok := httpURL(su)
		switch {
		case !ok:
			v.fail(at("start_urls", j), "%q is not an absolute http(s) URL", su)
		case home != nil && siteHost(u) != siteHost(home):
			v.fail(at("start_urls", j), "host %q is not the source's host %q or its www. twin", u.Hostname(), home.Hostname())
		}
	}
	s.Selectors = v.selectors(&r.Selectors, at("selectors"))
	if r.CABundle != "" {
		s.CABundle = v.resolve(r.CABundle)
		v.caBundle(s.CABundle, r.CABundle, at("ca_bundle"))
	}
	return s
}

// httpURL parses s and reports whether it is an absolute http(s) URL with a host.
func httpURL(s string) (*url.URL, bool) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return nil, false
	}
	return u, true
}

// siteHost is the host name that identifies a site: lower-cased, without a
// trailing dot or a leading "www.".
func siteHost(u *url.URL) string {
	h := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	return strings.TrimPrefix(h, "www.")
}

func (v *validator) selectors(r *selectorsSchema, path []any) (out article.Selectors) {
	check := func(key, sel string) string {
		if sel == "" {
			return ""
		}
		if _, err := cascadia.Compile(sel); err != nil {
			v.fail(append(slices.Clip(path), key), "bad CSS selector %q: %v", sel, err)
		}
		return sel
	}
	out.Title = check("title", r.Title)
	out.Author = check("author", r.Author)
	out.Date = check("date", r.Date)
	out.Body = check("body", r.Body)
	out.Links = check("links", r.Links)
	out.Next = check("next", r.Next)
	return out
}

// caBundle checks that file (as written: given) holds at least one PEM certificate.
func (v *validator) caBundle(file, given string, path []any) {
	data, err := os.ReadFile(file)
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		v.fail(path, "cannot read %q: %v", given, err)
		return
	}
	if !x509.NewCertPool().AppendCertsFromPEM(data) {
		v.fail(path, "no PEM certificate in %q", given)
	}
}
