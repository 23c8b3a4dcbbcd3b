package article

import "time"

// Kind says what a fetched URL turned out to be.
type Kind string

// The kinds of URL the crawler tracks.
const (
	KindUnknown    Kind = ""           // discovered, not fetched yet
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
