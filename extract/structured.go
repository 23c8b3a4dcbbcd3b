package extract

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
)

// structured is what a page says about itself in machine-readable form.
type structured struct {
	ldTitle, ldAuthor       string
	ldPublished, ldModified string
	ogTitle, ogSiteName     string
	metaPublished           string
	metaModified            string
	timeTag                 string // <time datetime> marked as the publication
	timeModified            string // <time datetime> marked as the update
}

var articleTypes = map[string]bool{
	"newsarticle": true, "article": true, "blogposting": true, "reportagenewsarticle": true,
	"analysisnewsarticle": true, "report": true, "scholarlyarticle": true,
}

// heads are the elements the structured layer reads (and the first
// <title>), gathered in one walk: a Find over the whole document for each of
// the twenty selectors below was a walk of its own.
type heads struct {
	metas, scripts, times []*html.Node
	title                 *html.Node
}

func gatherHeads(root *html.Node) heads {
	var h heads
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type == html.ElementNode {
				// By name, as the selectors match: an SVG <title> counts.
				switch c.Data {
				case "meta":
					h.metas = append(h.metas, c)
				case "script":
					h.scripts = append(h.scripts, c)
				case "time":
					h.times = append(h.times, c)
				case "title":
					if h.title == nil {
						h.title = c
					}
				}
			}
			walk(c)
		}
	}
	walk(root)
	return h
}

// titleText is the text of the page's first <title>, as goquery gives it.
func (h heads) titleText() string {
	if h.title == nil {
		return ""
	}
	return allText(h.title)
}

// allText is n's text as goquery's Text gives it: scripts and styles included.
func allText(n *html.Node) string { return textOf(n, false) }

// attrOK is attr, and whether n has the attribute at all.
func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// The selectors of the structured layer, compiled once; read only.
var (
	selLDScript     = cascadia.MustCompile(`script[type="application/ld+json"]`)
	selOGTitle      = sels(`meta[property="og:title"]`, `meta[name="og:title"]`)
	selOGSiteName   = sels(`meta[property="og:site_name"]`)
	selMetaPub      = sels(`meta[property="article:published_time"]`, `meta[name="article:published_time"]`, `meta[itemprop="datePublished"]`, `meta[name="pubdate"]`, `meta[name="publishdate"]`, `meta[name="dc.date.issued"]`)
	selMetaMod      = sels(`meta[property="article:modified_time"]`, `meta[name="article:modified_time"]`, `meta[itemprop="dateModified"]`)
	selGenerator    = sels(`meta[name="generator"]`, `meta[name="Generator"]`)
	selTimePub      = cascadia.MustCompile(`time[itemprop="datePublished"], time.published, time.entry-date, article time[datetime]`)
	selTimeModified = cascadia.MustCompile(`time[itemprop="dateModified"], time.updated`)
)

func sels(selectors ...string) []cascadia.Selector {
	out := make([]cascadia.Selector, len(selectors))
	for i, s := range selectors {
		out[i] = cascadia.MustCompile(s)
	}
	return out
}

func readStructured(h heads) structured {
	var s structured
	for _, sc := range h.scripts {
		if !selLDScript.Match(sc) {
			continue
		}
		var v any
		if json.Unmarshal([]byte(strings.TrimSpace(allText(sc))), &v) == nil {
			s.readLD(v, 0)
		}
	}
	s.ogTitle = metaContent(h.metas, selOGTitle)
	s.ogSiteName = metaContent(h.metas, selOGSiteName)
	s.metaPublished = metaContent(h.metas, selMetaPub)
	s.metaModified = metaContent(h.metas, selMetaMod)
	for _, t := range h.times {
		if selTimePub.Match(t) {
			if s.timeTag = attr(t, "datetime"); s.timeTag != "" {
				break
			}
		}
	}
	for _, t := range h.times {
		if selTimeModified.Match(t) {
			s.timeModified = attr(t, "datetime")
			break
		}
	}
	return s
}

// readLD walks a JSON-LD value (object, array or @graph) for the first article.
func (s *structured) readLD(v any, depth int) {
	if depth > 6 || s.ldTitle != "" {
		return
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			s.readLD(e, depth+1)
		}
	case map[string]any:
		if g, ok := x["@graph"]; ok {
			s.readLD(g, depth+1)
		}
		if !isArticleType(x["@type"]) {
			return
		}
		s.ldTitle = clean(ldString(x["headline"]))
		if s.ldTitle == "" {
			s.ldTitle = clean(ldString(x["name"]))
		}
		s.ldAuthor = clean(ldName(x["author"]))
		s.ldPublished = ldString(x["datePublished"])
		s.ldModified = ldString(x["dateModified"])
	}
}

func isArticleType(t any) bool {
	switch x := t.(type) {
	case string:
		return articleTypes[strings.ToLower(x)]
	case []any:
		for _, e := range x {
			if isArticleType(e) {
				return true
			}
		}
	}
	return false
}

func ldString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []any:
		if len(x) > 0 {
			return ldString(x[0])
		}
	}
	return ""
}

// ldName reads an author: a string, a Person object or a list of them.
func ldName(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		if t, _ := x["@type"].(string); strings.EqualFold(t, "Organization") {
			return ""
		}
		return ldString(x["name"])
	case []any:
		for _, e := range x {
			if n := ldName(e); n != "" {
				return n
			}
		}
	}
	return ""
}

// metaContent returns the content of the first of metas (in document
// order) that the first selector matches with a content, else the second...
func metaContent(metas []*html.Node, selectors []cascadia.Selector) string {
	for _, sel := range selectors {
		for _, m := range metas {
			if !sel.Match(m) {
				continue
			}
			if c, ok := attrOK(m, "content"); ok && strings.TrimSpace(c) != "" {
				return clean(c)
			}
			break // the first match only, as Find(sel).First() had it
		}
	}
	return ""
}

// published returns the structured publication and update times, with the layer.
func (s structured) dates() (pub, upd time.Time, pubOnly bool, layer string) {
	try := func(raw, l string) bool {
		if raw == "" || !pub.IsZero() {
			return false
		}
		if t, only, ok := parseISO(raw); ok {
			pub, pubOnly, layer = t, only, l
			return true
		}
		return false
	}
	_ = try(s.ldPublished, "jsonld") || try(s.metaPublished, "meta") || try(s.timeTag, "meta")
	for _, raw := range []string{s.ldModified, s.metaModified, s.timeModified} {
		if t, _, ok := parseISO(raw); ok && upd.IsZero() {
			upd = t
		}
	}
	return pub, upd, pubOnly, layer
}
