// Package config reads config.yaml into one validated Config that the
// commands pass explicitly to the packages that need it. It owns the file's
// schema, the defaults and validation; it must not start anything (no network,
// and no files read beyond the config itself and the CA bundles it names).
//
// Loading goes in three steps:
//  1. parse the YAML into a syntax tree (positions are kept for messages);
//  2. decode the tree strictly into the file schema (schema.go): an unknown or
//     mistyped key is an error;
//  3. validate, apply defaults and resolve relative paths (validate.go).
//
// Every failure is one *Error naming the file, the line and the key path.
//
// Relative paths in the file (data_dir, ca_bundle) are relative to the folder
// that holds the config file, not to the working directory, so a cron job and
// `noivu serve` started from different folders agree on them.
package config

import (
	"path/filepath"
	"time"

	"github.com/noivu/noivu/article"
)

// Defaults applied to keys the file leaves out.
const (
	DefaultDataDir      = "./data"
	DefaultUserAgent    = "noivu/0.1 (+https://github.com/noivu/noivu)"
	DefaultDelay        = time.Second
	DefaultConcurrency  = 4
	DefaultTimeout      = 30 * time.Second
	DefaultMaxDepth     = 4
	DefaultMaxPages     = 2000
	DefaultMaxBodyBytes = 10 << 20
	DefaultRecheckMin   = 24 * time.Hour
	DefaultRecheckMax   = 720 * time.Hour
)

// Config is the whole of config.yaml after defaults and validation. The file's
// keys are snake_case versions of these names (see schema.go).
type Config struct {
	DataDir   string // absolute, or relative to the working directory when the config's folder could not be made absolute
	UserAgent string // sent with every request
	BaseURL   string // public URL of `noivu serve`, for absolute links; may be empty
	// Schedule is a cron expression ("0 */6 * * *", "@hourly") on which
	// `noivu serve` crawls in-process; empty leaves crawling to an external cron.
	Schedule string
	// AdminToken is the bearer token that state-changing HTTP endpoints of
	// `noivu serve` (POST /api/crawl) require; empty turns them off. The
	// environment variable NOIVU_ADMIN_TOKEN overrides the file (see Load).
	AdminToken Secret
	Crawl      Crawl    // politeness and bounds
	Sources    []Source // in file order; IDs are unique
}

// Crawl holds the politeness and bounds of one crawl pass.
type Crawl struct {
	Delay        time.Duration // minimum gap between two requests to one host (default 1s)
	Concurrency  int           // sources crawled at once (default 4)
	Timeout      time.Duration // one HTTP exchange, headers and body (default 30s)
	MaxDepth     int           // hops to menu-like pages from a seed (default 4); articles, feeds, sitemaps and pagination are not bounded; 0: no menu page beyond the seeds
	MaxPages     int           // requests per source per run (default 2000)
	MaxBodyBytes int64         // larger responses are cut and counted as failed (default 10 MiB)
	// RecheckMin and RecheckMax bound the decaying interval at which a known
	// article is re-checked with a conditional GET (defaults 24h and 720h).
	RecheckMin time.Duration
	RecheckMax time.Duration
}

// Source is one portal as configured.
type Source struct {
	article.Source                       // Name defaults to ID
	StartURLs          []string          // absolute, on the source's host or its www. twin
	Selectors          article.Selectors // CSS overrides, already checked to compile
	CABundle           string            // PEM file of extra roots/intermediates for this host; absolute path
	InsecureSkipVerify bool              // last resort; logged as a warning on every run
	Delay              time.Duration     // overrides crawl.delay for this source when larger
	Disabled           bool              // kept in feeds and search, not crawled
}

// Source returns the configured source with the given id, disabled or not.
func (c *Config) Source(id string) (Source, bool) {
	for _, s := range c.Sources {
		if s.ID == id {
			return s, true
		}
	}
	return Source{}, false
}

// Enabled returns the sources to crawl, in file order.
func (c *Config) Enabled() []Source {
	var out []Source
	for _, s := range c.Sources {
		if !s.Disabled {
			out = append(out, s)
		}
	}
	return out
}

// ArticleSources returns every source, disabled ones included, as the rest of
// noivu sees them: articles of a source that is no longer crawled stay in the
// archive and still need its name and province.
func (c *Config) ArticleSources() []article.Source {
	out := make([]article.Source, 0, len(c.Sources))
	for _, s := range c.Sources {
		out = append(out, s.Source)
	}
	return out
}

// Path resolves rel under DataDir; an absolute rel is returned cleaned.
func (c *Config) Path(rel string) string {
	if filepath.IsAbs(rel) {
		return filepath.Clean(rel)
	}
	return filepath.Join(c.DataDir, rel)
}

// DelayFor returns the gap to keep between two requests to s's host: the
// larger of crawl.delay and the source's own delay.
func (c *Config) DelayFor(s Source) time.Duration {
	return max(c.Crawl.Delay, s.Delay)
}
