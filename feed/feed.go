// Package feed turns articles into feed documents: RSS 2.0, Atom 1.0 and
// JSON Feed 1.1 through gorilla/feeds, and OPML lists of feeds.
//
// It owns what a feed says about an article: the id that never changes
// (derived from the article ID, never from a URL or a time), the link to the
// original, the full sanitised content beside a short plain-text summary, the
// author, the dates in Vietnam time, the categories and the enclosures. It
// must not read the store nor know HTTP: callers hand it the articles and the
// URLs, and it hands back bytes.
//
// gorilla/feeds writes the documents; this package fills the few things it
// leaves out (RSS guid isPermaLink, atom:link self, several categories,
// xml:lang, Atom published, dc:creator, several enclosures) by wrapping its
// structs rather than rewriting them.
package feed

import (
	"fmt"
	"net/url"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gorilla/feeds"

	"github.com/noivu/noivu/article"
)

// Format is a feed format.
type Format string

// The formats a Document renders to.
const (
	RSS  Format = "rss"
	Atom Format = "atom"
	JSON Format = "json"
)

// Formats lists every format, in the order pages show them.
var Formats = []Format{RSS, Atom, JSON}

// ParseFormat maps a file extension ("rss", "atom", "json") to its Format.
func ParseFormat(ext string) (Format, bool) {
	for _, f := range Formats {
		if string(f) == ext {
			return f, true
		}
	}
	return "", false
}

// ContentType is the media type to serve the format with.
func (f Format) ContentType() string {
	switch f {
	case Atom:
		return "application/atom+xml; charset=utf-8"
	case JSON:
		return "application/feed+json; charset=utf-8"
	default:
		return "application/rss+xml; charset=utf-8"
	}
}

// MediaType is ContentType without parameters, for <link rel="alternate">.
func (f Format) MediaType() string {
	mt, _, _ := strings.Cut(f.ContentType(), ";")
	return mt
}

// Language is the language every feed declares.
const Language = "vi"

// Meta describes one feed.
type Meta struct {
	ID          string            // the feed's permanent id, a URI (see FeedID)
	Title       string            // e.g. "Sở Nội vụ tỉnh Sơn La"
	Description string            // one line
	HomeURL     string            // the HTML page the feed belongs to, absolute
	Self        map[Format]string // the feed's own absolute URL in each format
	Author      string            // who publishes the feed as a whole
	// Updated is the feed's update time; zero means the newest item time.
	Updated time.Time
}

// ItemID returns the permanent id of an article's feed entry. It derives
// from the article ID alone, which derives from the canonical URL, so it
// survives restarts, rebuilds, a new base_url and edits to the article.
func ItemID(articleID string) string { return "urn:noivu:article:" + articleID }

// FeedID returns the permanent id of a feed; kind is "all", "source",
// "province" or "search" and key what narrows it.
func FeedID(kind, key string) string {
	if key == "" {
		return "urn:noivu:feed:" + kind
	}
	return "urn:noivu:feed:" + kind + ":" + url.PathEscape(key)
}

// Document is one feed, built once and rendered to any format.
type Document struct {
	meta    Meta
	feed    *feeds.Feed
	extras  []itemExtra // beside feed.Items, same order
	updated time.Time
}

// itemExtra is what gorilla/feeds' Item has no field for.
type itemExtra struct {
	published  time.Time // zero when undated
	author     string
	categories []string
	enclosures []enclosure
	images     []string
}

type enclosure struct{ url, typ, title string }

// New builds the document for items, kept in the order given (newest first
// is the caller's business). sources names each article's source; an
// article whose source is missing gets its SourceID as category.
func New(meta Meta, items []article.Article, sources map[string]article.Source) *Document {
	d := &Document{meta: meta}
	f := &feeds.Feed{
		Title:       meta.Title,
		Link:        &feeds.Link{Href: meta.HomeURL},
		Description: meta.Description,
		Id:          meta.ID,
	}
	if meta.Author != "" {
		f.Author = &feeds.Author{Name: meta.Author}
	}
	for i := range items {
		a := &items[i]
		it, ex := newItem(a, sources[a.SourceID])
		f.Items = append(f.Items, it)
		d.extras = append(d.extras, ex)
		if t := it.Updated; t.After(d.updated) {
			d.updated = t
		}
		if t := a.FirstSeen; t.After(d.updated) {
			d.updated = t
		}
	}
	if !meta.Updated.IsZero() {
		d.updated = meta.Updated
	}
	d.updated = vn(d.updated)
	f.Updated = d.updated
	d.feed = f
	return d
}

// Updated is the feed's update time: the newest time any of its items was
// published, updated or first seen (Meta.Updated when set).
func (d *Document) Updated() time.Time { return d.updated }

// Len is the number of items.
func (d *Document) Len() int { return len(d.feed.Items) }

// Render writes the document in format f.
func (d *Document) Render(f Format) ([]byte, error) {
	var b []byte
	var err error
	switch f {
	case RSS:
		b, err = d.rss()
	case Atom:
		b, err = d.atom()
	case JSON:
		b, err = d.json()
	default:
		return nil, fmt.Errorf("feed: render %q: %w", f, ErrFormat)
	}
	if err != nil {
		return nil, fmt.Errorf("feed: render %s of %s: %w", f, d.meta.ID, err)
	}
	return b, nil
}

// newItem maps one article to a gorilla/feeds item and what it lacks.
func newItem(a *article.Article, src article.Source) (*feeds.Item, itemExtra) {
	ex := itemExtra{published: vn(a.Published), author: authorOf(a)}
	updated := a.Updated
	if updated.IsZero() || updated.Before(a.Published) {
		updated = a.Published
	}
	if updated.IsZero() {
		updated = a.FirstSeen // an entry needs an update time; never shown as publication
	}
	it := &feeds.Item{
		Title:       a.Title,
		Link:        &feeds.Link{Href: a.URL},
		Description: Summary(a.Text, 280),
		Id:          ItemID(a.ID),
		IsPermaLink: "false",
		Created:     ex.published,
		Updated:     vn(updated),
		Content:     contentOf(a),
	}
	if ex.author != "" {
		it.Author = &feeds.Author{Name: ex.author}
	}
	name := src.Name
	if name == "" {
		name = a.SourceID
	}
	for _, c := range []string{name, src.Province, src.CurrentProvince, a.Section} {
		if c != "" && !contains(ex.categories, c) {
			ex.categories = append(ex.categories, c)
		}
	}
	for _, at := range a.Attachments {
		ex.enclosures = append(ex.enclosures, enclosure{url: at.URL, typ: mediaType(at.URL), title: at.Name})
	}
	for _, im := range a.Images {
		ex.images = append(ex.images, im.URL)
		ex.enclosures = append(ex.enclosures, enclosure{url: im.URL, typ: mediaType(im.URL), title: im.Alt})
	}
	if len(ex.enclosures) > 0 {
		// RSS allows one enclosure: the first document, else the first image.
		e := ex.enclosures[0]
		it.Enclosure = &feeds.Enclosure{Url: e.url, Type: e.typ, Length: "0"}
	}
	return it, ex
}

// authorOf is the person who wrote a, else the unit, else "".
func authorOf(a *article.Article) string {
	if a.Author != "" {
		return a.Author
	}
	return a.Unit
}

// contentOf is the sanitised HTML, or the text in paragraphs when the
// extractor kept no HTML.
func contentOf(a *article.Article) string {
	if strings.TrimSpace(a.HTML) != "" {
		return a.HTML
	}
	var b strings.Builder
	for _, p := range strings.Split(a.Text, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			b.WriteString("<p>" + htmlEscape(p) + "</p>")
		}
	}
	return b.String()
}

// Summary is the start of text, cut at a word boundary to at most max runes
// (an ellipsis added when cut); paragraph breaks become spaces.
func Summary(text string, max int) string {
	s := strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)[:max]
	cut := string(r)
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,.;:-–") + "…"
}

// mediaTypes are the attachment and image types the portals link to. A
// fixed table rather than mime.TypeByExtension, whose answer depends on the
// machine's /etc/mime.types and would make feeds differ between hosts.
var mediaTypes = map[string]string{
	".pdf": "application/pdf", ".doc": "application/msword",
	".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	".xls":  "application/vnd.ms-excel",
	".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".ppt":  "application/vnd.ms-powerpoint", ".zip": "application/zip", ".rar": "application/vnd.rar",
	".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif",
	".webp": "image/webp", ".svg": "image/svg+xml", ".bmp": "image/bmp",
}

func mediaType(rawURL string) string {
	p := rawURL
	if u, err := url.Parse(rawURL); err == nil {
		p = u.Path
	}
	if t, ok := mediaTypes[strings.ToLower(path.Ext(p))]; ok {
		return t
	}
	return "application/octet-stream"
}

// vn shows t in Vietnam time; the zero time stays zero.
func vn(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	return t.In(article.VietnamZone)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;")

func htmlEscape(s string) string { return htmlEscaper.Replace(s) }
