// Package article is noivu's shared vocabulary: the article, the source it
// comes from, the URLs the crawler tracks and where raw captures live.
//
// It imports nothing but the standard library so that every other package can
// depend on it; it must never grow behaviour that needs the network or disk.
package article

import "time"

// Article is one extracted article. Every string is NFC.
type Article struct {
	ID        string    `json:"id"`
	URL       string    `json:"url"`
	SourceID  string    `json:"source,omitempty"`
	Title     string    `json:"title"`
	Author    string    `json:"author,omitempty"`  // a person, never a unit or an outlet
	Unit      string    `json:"unit,omitempty"`    // the author's unit ("Phòng CCHC&VTLT, Sở Nội vụ")
	Outlet    string    `json:"outlet,omitempty"`  // "Nguồn:" / "Nguồn tin:", the source outlet
	Section   string    `json:"section,omitempty"` // the site's section holding it, as its breadcrumb names it
	Published time.Time `json:"published"`         // zero when the page gives no date
	Updated   time.Time `json:"updated"`           // zero when the page gives none
	DateOnly  bool      `json:"date_only,omitempty"`
	Text      string    `json:"text"` // plain text, paragraphs separated by blank lines
	HTML      string    `json:"html"` // sanitised HTML with absolute links

	Images      []Image      `json:"images,omitempty"`
	Attachments []Attachment `json:"attachments,omitempty"`

	FirstSeen   time.Time `json:"first_seen"`
	FetchedAt   time.Time `json:"fetched_at"`
	ContentHash string    `json:"content_hash,omitempty"`
	Capture     Capture   `json:"capture"`
}

// Image is a picture inside an article body.
type Image struct {
	URL     string `json:"url"`
	Alt     string `json:"alt,omitempty"`
	Caption string `json:"caption,omitempty"`
}

// Attachment is an official document (văn bản) linked from an article.
type Attachment struct {
	URL  string `json:"url"`
	Name string `json:"name"`
}

// Capture says where the raw HTTP response of a page is archived.
type Capture struct {
	File   string `json:"warc_file,omitempty"`   // base name of the WARC file under the archive folder
	Offset int64  `json:"warc_offset,omitempty"` // byte offset of the gzip member holding the response record
	Length int64  `json:"warc_length,omitempty"` // compressed length of that member
	// RecordID is the WARC-Record-ID of the response record.
	RecordID string `json:"warc_record_id,omitempty"`
}

// Selectors are per-source CSS overrides; an empty field means "find it yourself".
type Selectors struct {
	Title  string `yaml:"title" json:"title,omitempty"`
	Author string `yaml:"author" json:"author,omitempty"`
	Date   string `yaml:"date" json:"date,omitempty"`
	Body   string `yaml:"body" json:"body,omitempty"`
	Links  string `yaml:"links" json:"links,omitempty"` // article links on listing pages
	Next   string `yaml:"next" json:"next,omitempty"`   // the "next page" link on listing pages
}

// VietnamZone is the zone every portal writes its times in: +07:00, no daylight saving.
var VietnamZone = time.FixedZone("ICT", 7*60*60)
