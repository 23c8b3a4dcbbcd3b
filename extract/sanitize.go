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

// SanitizeHTML cleans body HTML with the policy extraction stores it
// under; what it returns passes through it again unchanged. The web server
// runs every stored body through it again before showing it.
func SanitizeHTML(s string) string { return sanitize(s) }

// sanitize cleans body HTML for storage and feeds.
func sanitize(s string) string {
	return strings.TrimSpace(policy.Sanitize(s))
}
