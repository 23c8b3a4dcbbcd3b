package extract

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
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

func readStructured(doc *goquery.Document) structured {
	var s structured
	doc.Find(`script[type="application/ld+json"]`).Each(func(_ int, sc *goquery.Selection) {
		var v any
		if json.Unmarshal([]byte(strings.TrimSpace(sc.Text())), &v) == nil {
			s.readLD(v, 0)
		}
	})
	s.ogTitle = metaContent(doc, `meta[property="og:title"]`, `meta[name="og:title"]`)
	s.ogSiteName = metaContent(doc, `meta[property="og:site_name"]`)
	s.metaPublished = metaContent(doc, `meta[property="article:published_time"]`,
		`meta[name="article:published_time"]`, `meta[itemprop="datePublished"]`,
		`meta[name="pubdate"]`, `meta[name="publishdate"]`, `meta[name="dc.date.issued"]`)
	s.metaModified = metaContent(doc, `meta[property="article:modified_time"]`,
		`meta[name="article:modified_time"]`, `meta[itemprop="dateModified"]`)
	doc.Find(`time[itemprop="datePublished"], time.published, time.entry-date, article time[datetime]`).
		EachWithBreak(func(_ int, t *goquery.Selection) bool {
			s.timeTag, _ = t.Attr("datetime")
			return s.timeTag == ""
		})
	s.timeModified, _ = doc.Find(`time[itemprop="dateModified"], time.updated`).First().Attr("datetime")
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

func metaContent(doc *goquery.Document, selectors ...string) string {
	for _, sel := range selectors {
		if c, ok := doc.Find(sel).First().Attr("content"); ok && strings.TrimSpace(c) != "" {
			return clean(c)
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
