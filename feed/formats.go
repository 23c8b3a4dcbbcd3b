package feed

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"time"

	"github.com/gorilla/feeds"
)

// Namespaces the RSS document declares beside gorilla/feeds' content:.
const (
	nsAtom = "http://www.w3.org/2005/Atom"
	nsDC   = "http://purl.org/dc/elements/1.1/"
)

// rssDoc is gorilla/feeds' <rss> with the atom and dc namespaces added.
type rssDoc struct {
	XMLName   xml.Name `xml:"rss"`
	Version   string   `xml:"version,attr"`
	ContentNS string   `xml:"xmlns:content,attr"`
	AtomNS    string   `xml:"xmlns:atom,attr"`
	DCNS      string   `xml:"xmlns:dc,attr"`
	Channel   rssChannel
}

// rssChannel adds atom:link rel="self" and the richer items to the channel.
type rssChannel struct {
	*feeds.RssFeed
	Self  *rssSelf   `xml:"atom:link"`
	Items []*rssItem `xml:"item"`
}

type rssSelf struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

// rssItem adds dc:creator (RSS's <author> must be an e-mail address) and
// one <category> per category.
type rssItem struct {
	*feeds.RssItem
	Creator    string   `xml:"dc:creator,omitempty"`
	Categories []string `xml:"category"`
}

func (d *Document) rss() ([]byte, error) {
	ch := (&feeds.Rss{Feed: d.feed}).RssFeed()
	ch.Language = Language
	ch.Generator = "noivu"
	ch.PubDate = ""        // lastBuildDate says it; pubDate would repeat it
	ch.ManagingEditor = "" // RSS wants an e-mail address there; we have none
	items := ch.Items
	ch.Items = nil
	c := rssChannel{RssFeed: ch, Items: make([]*rssItem, len(items))}
	if self := d.meta.Self[RSS]; self != "" {
		c.Self = &rssSelf{Href: self, Rel: "self", Type: RSS.MediaType()}
	}
	for i, it := range items {
		ex := d.extras[i]
		it.Author = ""
		it.PubDate = "" // undated articles get none: crawl time is not a publication date
		if !ex.published.IsZero() {
			it.PubDate = ex.published.Format(time.RFC1123Z)
		}
		c.Items[i] = &rssItem{RssItem: it, Creator: ex.author, Categories: ex.categories}
	}
	doc := rssDoc{Version: "2.0", ContentNS: "http://purl.org/rss/1.0/modules/content/",
		AtomNS: nsAtom, DCNS: nsDC, Channel: c}
	return marshalXML(doc)
}

// atomFeed adds xml:lang, several links and the richer entries.
type atomFeed struct {
	*feeds.AtomFeed
	Lang    string           `xml:"xml:lang,attr"`
	Links   []feeds.AtomLink `xml:"link"`
	Entries []*atomEntry     `xml:"entry"`
}

// atomEntry replaces gorilla/feeds' text <category> with Atom's term form.
type atomEntry struct {
	*feeds.AtomEntry
	Categories []atomCategory `xml:"category"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

func (d *Document) atom() ([]byte, error) {
	af := (&feeds.Atom{Feed: d.feed}).AtomFeed()
	af.Id = d.meta.ID
	af.Link = nil
	entries := af.Entries
	af.Entries = nil
	f := atomFeed{AtomFeed: af, Lang: Language, Entries: make([]*atomEntry, len(entries))}
	f.Links = append(f.Links, feeds.AtomLink{Href: d.meta.HomeURL, Rel: "alternate", Type: "text/html"})
	for _, fm := range Formats {
		if u := d.meta.Self[fm]; u != "" {
			rel := "alternate"
			if fm == Atom {
				rel = "self"
			}
			f.Links = append(f.Links, feeds.AtomLink{Href: u, Rel: rel, Type: fm.MediaType()})
		}
	}
	for i, e := range entries {
		ex := d.extras[i]
		if !ex.published.IsZero() {
			e.Published = ex.published.Format(time.RFC3339)
		}
		if e.Summary != nil {
			e.Summary.Type = "text" // a plain-text summary, not escaped HTML
		}
		e.Links = e.Links[:1] // gorilla's one enclosure, replaced by all of them
		for _, enc := range ex.enclosures {
			e.Links = append(e.Links, feeds.AtomLink{Href: enc.url, Rel: "enclosure", Type: enc.typ})
		}
		cats := make([]atomCategory, len(ex.categories))
		for j, c := range ex.categories {
			cats[j] = atomCategory{Term: c}
		}
		f.Entries[i] = &atomEntry{AtomEntry: e, Categories: cats}
	}
	return marshalXML(f)
}

func (d *Document) json() ([]byte, error) {
	jf := (&feeds.JSON{Feed: d.feed}).JSONFeed()
	jf.Language = Language
	jf.FeedUrl = d.meta.Self[JSON]
	jf.Author = nil // deprecated in 1.1; Authors says it
	for i, it := range jf.Items {
		ex := d.extras[i]
		it.Author = nil
		it.PublishedDate = nil
		if !ex.published.IsZero() {
			p := ex.published
			it.PublishedDate = &p
		}
		it.Tags = ex.categories
		it.Image = ""
		if len(ex.images) > 0 {
			it.Image = ex.images[0]
		}
		for _, enc := range ex.enclosures {
			it.Attachments = append(it.Attachments, feeds.JSONAttachment{Url: enc.url, MIMEType: enc.typ, Title: enc.title})
		}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // content_html is HTML on purpose; \u003c only bloats it
	if err := enc.Encode(jf); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func marshalXML(v any) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}
