package crawler

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/mmcdole/gofeed"
)

// sitemap is either a urlset or a sitemapindex (sitemaps.org 0.9).
type sitemap struct {
	XMLName  xml.Name
	URLs     []sitemapLoc `xml:"url"`
	Sitemaps []sitemapLoc `xml:"sitemap"`
}

type sitemapLoc struct {
	Loc string `xml:"loc"`
}

// maxSitemapURLs bounds one sitemap file, as the protocol does.
const maxSitemapURLs = 50000

// parseSitemap returns the page URLs and the child sitemaps of a sitemap file.
func parseSitemap(body []byte) (pages, children []string, err error) {
	var sm sitemap
	dec := xml.NewDecoder(bytes.NewReader(body))
	dec.Strict = false
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	if err := dec.Decode(&sm); err != nil {
		return nil, nil, fmt.Errorf("crawler: sitemap: %w", err)
	}
	switch sm.XMLName.Local {
	case "urlset", "sitemapindex":
	default:
		return nil, nil, fmt.Errorf("crawler: sitemap: root element <%s> is not urlset or sitemapindex", sm.XMLName.Local)
	}
	for i, l := range sm.URLs {
		if i >= maxSitemapURLs {
			break
		}
		if s := strings.TrimSpace(l.Loc); s != "" {
			pages = append(pages, s)
		}
	}
	for _, l := range sm.Sitemaps {
		if s := strings.TrimSpace(l.Loc); s != "" {
			children = append(children, s)
		}
	}
	return pages, children, nil
}

// parseFeed returns the item links of an RSS, Atom or JSON feed.
func parseFeed(body []byte) ([]string, error) {
	f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("crawler: feed: %w", err)
	}
	var out []string
	for _, it := range f.Items {
		if it.Link != "" {
			out = append(out, it.Link)
		} else if len(it.Links) > 0 {
			out = append(out, it.Links[0])
		}
	}
	return out, nil
}

// looksLikeXML sniffs whether a body is XML rather than HTML.
func looksLikeXML(contentType string, body []byte) bool {
	ct := strings.ToLower(contentType)
	if strings.Contains(ct, "xml") || strings.Contains(ct, "rss") || strings.Contains(ct, "atom") {
		return true
	}
	head := bytes.TrimSpace(body)
	if len(head) > 512 {
		head = head[:512]
	}
	return bytes.HasPrefix(head, []byte("<?xml")) && !bytes.Contains(bytes.ToLower(head), []byte("<html"))
}
