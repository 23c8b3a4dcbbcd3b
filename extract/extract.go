// Package extract turns one fetched page into an article: bytes, the page URL,
// the HTTP Content-Type and the source's CSS overrides in, values out.
//
// It is pure: no network, no disk, no package-level mutable state. Every
// field is found by layers, the first hit wins:
//
//  1. the source's selectors from config.yaml ("selector");
//  2. structured data: JSON-LD, OpenGraph and article meta, <time> ("jsonld", "meta");
//  3. CMS-aware rules for the platforms the portals run on ("cms:<name>");
//  4. a generic fallback: go-trafilatura for the body, headings matched
//     against <title> for the title, the article's meta block and lead for
//     the date ("generic", "lead"; "lead+listing" when a yearless lead
//     date took its year from WithListedDate).
//
// Every output string is NFC; dates are Vietnam time (+07:00).
//
// Pictures and captions belong to the text of a Vietnamese portal's article:
// the researchers reading the archive cite "Ảnh: ..." lines and the people
// named under a photo. On any other page the generic layer follows
// trafilatura's own convention, a text without pictures or captions (and no
// Images): those pages are not what the archive is for, and the captions,
// photo credits and gallery headings they bring lower the body's precision
// (0.006 F1 on the article-extraction benchmark, cmd/noivu-extractbench).
package extract

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/PuerkitoBio/goquery"
	"github.com/noivu/noivu/article"
	"golang.org/x/net/html"
)

// Result is what Extract found on one page.
type Result struct {
	article.Article
	// IsArticle says the page is one article (a title and a real body), not
	// a listing, home or static page.
	IsArticle bool
	// Layers maps a field ("title", "author", "published", "updated",
	// "body", "outlet", "section") to the layer that found it.
	Layers map[string]string
	// CMS is the detected platform; empty when unknown.
	CMS string
	// Charset is the charset the body was decoded with.
	Charset string
	// Garbled says the page's text showed TCVN3 or VNI mojibake.
	Garbled bool
	// Recoded names the legacy font encoding ("tcvn3" or "vni") whose
	// text was converted to Unicode; empty when nothing was converted.
	Recoded string
}

// page is the state of one extraction; it lives for one call only.
type page struct {
	doc    *goquery.Document
	raw    string // the decoded page, for platform markers
	base   *url.URL
	sel    article.Selectors
	opts   options // what the caller knows of the page
	cms    *cmsRule
	meta   structured
	heads  heads // the <meta>, <script>, <time> and <title> elements
	res    *Result
	title  *html.Node // the element holding the title, when one was found
	bodyAt *html.Node // the body root in the original document, for positions
	body   *html.Node // the cleaned copy of the body that text and HTML come from
	lead   string     // a separate lead (sapo) shown above the body
	// portal says the page is a Vietnamese portal's (see portalPage).
	portal bool
	// bodyGuessed says no known container held the body: trafilatura chose it.
	bodyGuessed bool
	outline     []segment // the document's text in order, for dates and authors
	// poster is a "Người đăng bài viết" name, the author only when no
	// other is found; posterLayer is where it was read.
	poster, posterLayer string
}

// Extract reads one page. contentType is the HTTP header (may be empty);
// sel holds the source's overrides (may be zero); opts add what the caller
// knows of the page (see WithListedDate).
func Extract(body []byte, pageURL string, contentType string, sel article.Selectors, opts ...Option) (Result, error) {
	d, err := Parse(body, pageURL, contentType)
	if err != nil {
		return Result{}, err
	}
	return d.Extract(sel, opts...)
}

// Document is one page decoded to UTF-8, normalised to NFC and parsed:
// what Extract reads. A caller that reads the page too (the crawler looks
// for its links) parses it once with Parse and extracts from the same tree.
type Document struct {
	doc      *goquery.Document
	text     string // the decoded page
	pageURL  string
	charset  string
	recoded  string // the legacy font encoding converted in the tree: "tcvn3", "vni" or ""
	verbatim bool
}

// Parse decodes, normalises and parses one page; the errors are Extract's.
func Parse(body []byte, pageURL string, contentType string) (d *Document, err error) {
	defer func() {
		if r := recover(); r != nil { // a library bug must not stop a crawl
			d, err = nil, fmt.Errorf("extract: %s: internal error: %v", pageURL, r)
		}
	}()
	if !looksLikeHTML(body, contentType) {
		return nil, fmt.Errorf("%w: %s is %s", ErrNotHTML, orUnnamed(pageURL), sniffType(body, contentType))
	}
	text, cs := decode(body, contentType)
	text = nfc(text)
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("extract: parse %s: %w", pageURL, err)
	}
	d = &Document{doc: doc, text: text, pageURL: pageURL, charset: cs}
	switch root := doc.Selection.Nodes[0]; {
	case mayBeTCVN3(text) && recodeTCVN3(root):
		d.recoded = "tcvn3"
	case mayBeVNI(text) && recodeVNINodes(root):
		d.recoded = "vni"
	}
	d.verbatim = d.recoded == "" && text == string(body)
	return d, nil
}

// Root returns the parsed page. It is the caller's to read, never to
// change: Extract works on it afterwards.
func (d *Document) Root() *html.Node { return d.doc.Selection.Nodes[0] }

// Verbatim says the parsed text is the body's bytes unchanged (UTF-8
// already, NFC already, no legacy font converted), so that Root is the tree
// html.Parse gives for the body itself.
func (d *Document) Verbatim() bool { return d.verbatim }

// Extract reads the parsed page; sel holds the source's overrides (may be
// zero), opts what the caller knows of the page. The tree is left as it was
// found.
func (d *Document) Extract(sel article.Selectors, opts ...Option) (res Result, err error) {
	defer func() {
		if r := recover(); r != nil { // a library bug must not stop a crawl
			res, err = Result{}, fmt.Errorf("extract: %s: internal error: %v", d.pageURL, r)
		}
	}()
	res.Recoded = d.recoded
	base, _ := url.Parse(d.pageURL)
	if base == nil {
		base = &url.URL{}
	}
	res.Layers, res.Charset = map[string]string{}, d.charset
	res.URL = d.pageURL
	res.ID, _ = article.IDFor(d.pageURL) // empty for a URL that cannot identify an article
	p := &page{doc: d.doc, raw: d.text, base: base, sel: sel, opts: collectOptions(opts), res: &res}
	p.run()
	return res, nil
}

// run fills the result field by field; later steps use earlier ones.
func (p *page) run() {
	p.heads = gatherHeads(p.doc.Selection.Nodes[0])
	p.cms = detectCMS(p.heads.metas, p.raw, p.base)
	if p.cms != nil {
		p.res.CMS = p.cms.name
	}
	p.meta = readStructured(p.heads)
	if p.res.Section = sectionFrom(p.doc, p.base, p.heads); p.res.Section != "" {
		p.res.Layers["section"] = "breadcrumb"
	}
	p.findTitle()
	p.portal = p.portalPage()
	p.findBody()
	p.outline = buildOutline(p.doc.Selection.Nodes[0], p.title, p.bodyAt)
	p.findDates()
	p.findAuthor()
	p.finishBody()
	p.res.IsArticle = p.isArticle()
	// German or French text is full of Latin-1 letters that are odd in Vietnamese.
	p.res.Garbled = p.res.Recoded != "" || p.portal && garbled(p.res.Title, p.res.Text)
	normaliseResult(p.res)
}

// looksLikeHTML rejects bodies that are clearly something else.
func looksLikeHTML(body []byte, contentType string) bool {
	ct := strings.ToLower(contentType)
	for _, bad := range []string{"application/pdf", "image/", "audio/", "video/", "application/zip",
		"application/msword", "application/vnd.", "application/octet-stream", "font/"} {
		if strings.Contains(ct, bad) {
			return false
		}
	}
	head := body
	if len(head) > 1024 {
		head = head[:1024]
	}
	if bytes.IndexByte(head, 0) >= 0 && !bytes.HasPrefix(body, []byte{0xFE, 0xFF}) && !bytes.HasPrefix(body, []byte{0xFF, 0xFE}) {
		return false
	}
	if bytes.HasPrefix(body, []byte("%PDF")) || bytes.HasPrefix(body, []byte("PK\x03\x04")) {
		return false
	}
	return true
}

// normaliseResult applies NFC and trims every string of the result.
func normaliseResult(r *Result) {
	for _, s := range []*string{&r.Title, &r.Author, &r.Unit, &r.Outlet, &r.Text, &r.HTML} {
		*s = strings.TrimSpace(nfc(*s))
	}
	for i := range r.Images {
		r.Images[i].Alt = nfc(r.Images[i].Alt)
		r.Images[i].Caption = nfc(r.Images[i].Caption)
	}
	for i := range r.Attachments {
		r.Attachments[i].Name = nfc(r.Attachments[i].Name)
	}
}

func orUnnamed(s string) string {
	if s == "" {
		return "the page"
	}
	return s
}

// sniffType names what a body is, for an error message.
func sniffType(body []byte, contentType string) string {
	if contentType != "" {
		return contentType
	}
	return http.DetectContentType(body)
}
