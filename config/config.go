// Package config reads config.yaml into one validated Config that the
// commands pass explicitly to the packages that need it. It owns defaults and
// validation; it must not start anything (no network, no files beyond the
// config itself).
package config

import (
	"time"

	"github.com/noivu/noivu/article"
)

// Config is the whole of config.yaml after defaults and validation.
type Config struct {
	DataDir   string   `yaml:"data_dir"`
	UserAgent string   `yaml:"user_agent"`
	BaseURL   string   `yaml:"base_url"` // public URL of `noivu serve`, for absolute links
	Crawl     Crawl    `yaml:"crawl"`
	Sources   []Source `yaml:"sources"`
}

// Crawl holds the politeness and bounds of one crawl pass.
type Crawl struct {
	Delay        time.Duration // minimum gap between two requests to one host (default 1s)
	Concurrency  int           // sources crawled at once (default 4)
	Timeout      time.Duration // one HTTP exchange, headers and body (default 30s)
	MaxDepth     int           // link hops from a seed (default 4); pagination does not count
	MaxPages     int           // requests per source per run (default 2000)
	MaxBodyBytes int64         // larger responses are cut and counted as failed (default 10 MiB)
	// RecheckMin and RecheckMax bound the decaying interval at which a known
	// article is re-checked with a conditional GET (defaults 24h and 720h).
	RecheckMin time.Duration
	RecheckMax time.Duration
}

// Source is one portal as configured.
type Source struct {
	article.Source     `yaml:",inline"`
	StartURLs          []string          `yaml:"start_urls"`
	Selectors          article.Selectors `yaml:"selectors"`
	CABundle           string            `yaml:"ca_bundle"`            // PEM file of extra roots/intermediates for this host
	InsecureSkipVerify bool              `yaml:"insecure_skip_verify"` // last resort; logged as a warning on every run
	Delay              time.Duration     `yaml:"delay"`                // overrides crawl.delay for this source when larger
	Disabled           bool              `yaml:"disabled"`
}
