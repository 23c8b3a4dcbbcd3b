package feed

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"time"
)

// Outline is one entry of an OPML list: a feed when XMLURL is set, else a
// folder of Children.
type Outline struct {
	Text     string
	XMLURL   string // the feed
	HTMLURL  string // the page it belongs to
	Children []Outline
}

type opmlDoc struct {
	XMLName xml.Name      `xml:"opml"`
	Version string        `xml:"version,attr"`
	Title   string        `xml:"head>title"`
	Created string        `xml:"head>dateCreated,omitempty"`
	Body    []opmlOutline `xml:"body>outline"`
}

type opmlOutline struct {
	Text     string        `xml:"text,attr"`
	Title    string        `xml:"title,attr,omitempty"`
	Type     string        `xml:"type,attr,omitempty"`
	XMLURL   string        `xml:"xmlUrl,attr,omitempty"`
	HTMLURL  string        `xml:"htmlUrl,attr,omitempty"`
	Children []opmlOutline `xml:"outline"`
}

// OPML renders an OPML 2.0 subscription list; created may be zero.
func OPML(title string, created time.Time, outlines []Outline) ([]byte, error) {
	doc := opmlDoc{Version: "2.0", Title: title, Body: opmlOutlines(outlines)}
	if !created.IsZero() {
		doc.Created = vn(created).Format(time.RFC1123Z)
	}
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("feed: opml %q: %w", title, err)
	}
	b.WriteByte('\n')
	return b.Bytes(), nil
}

func opmlOutlines(list []Outline) []opmlOutline {
	out := make([]opmlOutline, len(list))
	for i, o := range list {
		out[i] = opmlOutline{Text: o.Text, HTMLURL: o.HTMLURL, Children: opmlOutlines(o.Children)}
		if o.XMLURL != "" {
			out[i].Type, out[i].Title, out[i].XMLURL = "rss", o.Text, o.XMLURL
		}
	}
	return out
}
