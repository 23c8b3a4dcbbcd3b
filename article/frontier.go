package article

import "time"

// Kind says what a fetched URL turned out to be.
type Kind string

// The kinds of URL the crawler tracks.
const (
	KindUnknown    Kind = ""           // discovered, not fetched yet
	KindCandidate  Kind = "candidate"  // discovered through a headline-like link: probably an article
	KindArticle    Kind = "article"    // one article: extracted and stored
	KindListing    Kind = "listing"    // links to articles: re-read every run
	KindOther      Kind = "other"      // neither: not fetched again unless due
	KindSitemap    Kind = "sitemap"    // sitemap.xml or a sitemap index
	KindFeed       Kind = "feed"       // the site's own RSS or Atom feed
	KindAttachment Kind = "attachment" // a document (pdf, doc, xls...)
)

// URLRecord is the crawler's memory of one URL.
type URLRecord struct {
	URL      string // as fetched (absolute)
	SourceID string
	Kind     Kind
	Depth    int // link hops from a seed when first discovered

	ETag         string
	LastModified string // the Last-Modified header, verbatim
	LastStatus   int    // 0 before the first fetch or after a network error
	LastError    string
	Failures     int       // consecutive failed fetches
	NextRetry    time.Time // zero when not failing
	NextCheck    time.Time // when to re-check a fetched article with a conditional GET; zero: never
	FirstSeen    time.Time
	LastFetched  time.Time // zero until fetched successfully
	RedirectedTo string    // final URL when the fetch was redirected
	ArticleID    string    // set when Kind is KindArticle
}

// Fetched reports whether the URL has been fetched successfully at least once.
func (r URLRecord) Fetched() bool { return !r.LastFetched.IsZero() }

// RunStats sums up one crawl pass over one source.
type RunStats struct {
	SourceID      string
	Started       time.Time
	Finished      time.Time
	Fetched       int    // HTTP exchanges that returned a response (any status)
	New           int    // articles stored for the first time
	Updated       int    // articles whose content changed (a revision was kept)
	Unchanged     int    // articles re-checked and found the same (304 or same hash)
	Failed        int    // fetches that failed (network, 5xx, truncated, too large)
	RobotsSkipped int    // URLs not fetched because robots.txt disallows them
	Err           string // why the pass over this source stopped early; empty when it completed
}

// Change says what saving a fetched article did to the store.
type Change int

// The outcomes of saving an article.
const (
	Unchanged Change = iota // same content as stored
	New                     // first time stored
	Updated                 // content changed; the old one was kept as a revision
)

func (c Change) String() string {
	switch c {
	case New:
		return "new"
	case Updated:
		return "updated"
	default:
		return "unchanged"
	}
}
