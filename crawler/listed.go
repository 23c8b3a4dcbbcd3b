package crawler

import (
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/extract"
)

// Listed dates: many articles date themselves only in their lead and without
// a year ("Ngày 14/11, ..."), while the listing that links them prints the
// date beside the headline. The pass keeps that date per article link and
// hands it to the extractor (extract.WithListedDate), which takes only the
// year from it and only when the page gives none of its own.

// Bounds of a listing item around its headline link.
const (
	// itemLevels is how many ancestors above the link an item may span: a
	// card is a few elements deep (div > div > h3 > a), a list entry one
	// (li > a), a table row two (tr > td > a).
	itemLevels = 4
	// itemMaxText is the most text an item holds outside its headline: a
	// date, a view count and a short summary. A larger element is a page
	// region, whose dates ("today" in a header) are not the article's.
	itemMaxText = 1200
)

// listedDates is what the listings of one pass showed beside their article
// links, by canonical URL; safe for concurrent use, usable when zero.
type listedDates struct {
	mu    sync.Mutex
	dates map[string]listedDate
}

// listedDate is one article's listed date; own says its item printed it,
// rather than the items around it.
type listedDate struct {
	t   time.Time
	own bool
}

// listItem is the element that holds one headline link of a listing, and
// the date it shows.
type listItem struct {
	node *html.Node
	url  string
	date time.Time
}

// note records the dates a page shows beside its article links: links and
// anchors as the page's classifier found them.
func (l *listedDates) note(links []link, all []anchor) {
	articles := map[string]bool{}
	for _, k := range links {
		if k.Role == roleArticle {
			articles[k.URL] = true
		}
	}
	if len(articles) == 0 {
		return
	}
	anchors := articleAnchors(all, articles)
	var items []*listItem
	byNode := map[*html.Node]*listItem{}
	for _, a := range all {
		if !articles[a.url] {
			continue
		}
		u := a.url
		node, texts := itemOf(a.node, u, anchors)
		it := byNode[node]
		if it == nil {
			it = &listItem{node: node, url: u}
			byNode[node] = it
			items = append(items, it)
		}
		// A thumbnail's link and its headline's share an item: its date is
		// read once, dates being the costly part.
		for _, text := range texts {
			if !it.date.IsZero() {
				break
			}
			if t, _, ok := extract.ParseDate(text); ok {
				it.date = t
			}
		}
	}
	for i, it := range items {
		if !it.date.IsZero() {
			l.put(it.url, it.date, true)
		} else if t, ok := neighbourDate(items, i); ok {
			l.put(it.url, t, false)
		}
	}
}

// minListItems is how many like items under one parent make a list whose
// neighbours can date each other: two lone headlines side by side (one
// block per category, each showing one) are not a list in date order.
const minListItems = 3

// neighbourDate dates item i of items by the items just before and after it
// in the same list (like elements under one parent): listings run in date
// order, so two neighbours that agree on the year, or the only dated one,
// give it.
func neighbourDate(items []*listItem, i int) (time.Time, bool) {
	it := items[i]
	like := func(o *listItem) bool { return o.node.Parent == it.node.Parent && o.node.Data == it.node.Data }
	n := 0
	for _, o := range items {
		if like(o) {
			n++
		}
	}
	if n < minListItems {
		return time.Time{}, false
	}
	var near []time.Time
	for _, j := range []int{i - 1, i + 1} {
		if j >= 0 && j < len(items) && like(items[j]) && !items[j].date.IsZero() {
			near = append(near, items[j].date)
		}
	}
	switch {
	case len(near) == 1:
		return near[0], true
	case len(near) == 2 && near[0].Year() == near[1].Year():
		return near[0], true
	}
	return time.Time{}, false
}

// put keeps the first date seen for an article, but a date its own item
// showed replaces one its neighbours lent it.
func (l *listedDates) put(u string, t time.Time, own bool) {
	key, err := article.Canonical(u)
	if err != nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.dates == nil {
		l.dates = map[string]listedDate{}
	}
	if old, ok := l.dates[key]; ok && (old.own || !own) {
		return
	}
	l.dates[key] = listedDate{t: t, own: own}
}

// date returns the listed date of the first of urls that has one; zero when
// none has.
func (l *listedDates) date(urls ...string) time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, u := range urls {
		key, err := article.Canonical(u)
		if err != nil {
			continue
		}
		if d, ok := l.dates[key]; ok {
			return d.t
		}
	}
	return time.Time{}
}

// listedOption passes the listed date of the page m asked for (or of the
// page its redirects ended on) to the extractor.
func (p *pass) listedOption(m *meta, final *url.URL) extract.Option {
	return extract.WithListedDate(p.listed.date(m.url, final.String()))
}

// anchorSet maps the <a> elements of a page's article links to their URLs.
type anchorSet struct {
	urls map[*html.Node]string
}

// articleAnchors keeps the anchors of the page's article links.
func articleAnchors(all []anchor, articles map[string]bool) anchorSet {
	s := anchorSet{urls: map[*html.Node]string{}}
	for _, a := range all {
		if articles[a.url] {
			s.urls[a.node] = a.url
		}
	}
	return s
}

// itemOf climbs from a headline anchor to the largest element, at most
// itemLevels up, that holds no other article's link and little text, and
// returns it with the text of each element on the way, nearest first: the
// item's date is the first found in them. The text leaves out the headline,
// whose own dates name what the article is about ("Thông báo ... ngày
// 14/11/2023"), not when it appeared.
func itemOf(a *html.Node, u string, anchors anchorSet) (*html.Node, []string) {
	item := a
	var texts []string
	for range itemLevels {
		up := item.Parent
		if up == nil || up.Type != html.ElementNode || up.DataAtom == atom.Body || up.DataAtom == atom.Html {
			break
		}
		text, ok := textBeside(up, u, anchors)
		if !ok {
			break
		}
		item = up
		texts = append(texts, text)
	}
	return item, texts
}

// textBeside returns the text of n outside article links, scripts and
// styles; ok is false when it runs past itemMaxText or n holds a link to an
// article other than u (the parser never nests links, and scripts and
// styles hold none, so those it skips hide none).
func textBeside(n *html.Node, u string, anchors anchorSet) (string, bool) {
	var b strings.Builder
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
			b.WriteByte(' ')
			return b.Len() <= itemMaxText
		case n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style):
			return true
		}
		if v, ok := anchors.urls[n]; ok {
			return v == u
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if !walk(c) {
				return false
			}
		}
		return true
	}
	ok := walk(n)
	return b.String(), ok
}
