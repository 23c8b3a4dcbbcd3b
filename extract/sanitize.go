package extract

import (
	"strings"

	"github.com/microcosm-cc/bluemonday"
)

// policy is built once and only read afterwards (bluemonday policies are
// safe for concurrent use): user-generated-content rules, no scripts,
// styles, frames, event handlers or javascript: URLs.
var policy = newPolicy()

func newPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireParseableURLs(true)
	p.AllowAttrs("colspan", "rowspan").OnElements("td", "th")
	p.AllowElements("figure", "figcaption")
	return p
}

// sanitize cleans body HTML for storage and feeds.
func sanitize(s string) string {
	return strings.TrimSpace(policy.Sanitize(s))
}
