package web

import (
	"net/url"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"

	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/extract"
)

// Archived text is a hostile site's until shown otherwise. Extraction
// sanitises it before it is stored, but every output sanitises it again, so
// that a page stays safe even if a stored value was not (an older extractor,
// a hand-edited database): HTML through extract.SanitizeHTML (the policy it
// was stored under, so clean HTML comes out byte for byte and feed ETags do
// not move), snippets through
// snippetPolicy, text meant as text through plainText, links through webURL.
// html/template escapes the rest of what the pages show.

// snippetPolicy keeps the one element a search snippet has: <mark>.
var snippetPolicy = bluemonday.NewPolicy().AllowElements("mark")

// safeHTML is s with nothing left that runs, loads or restyles.
func safeHTML(s string) string { return extract.SanitizeHTML(s) }

// plainText is s, meant as text, with any markup in it taken out, for the
// places a reader may take for HTML: feed titles, authors and summaries
// (many readers render RSS <title> and <description> as HTML). Tags go,
// with the content of script and style; entities are decoded; and a '<'
// that could still open a tag gets a space after it, so that no removal
// can splice a new tag together ("<<b>script>"). Text without '<' is
// returned as it is.
func plainText(s string) string {
	if !strings.Contains(s, "<") {
		return s
	}
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	skip := ""
	for {
		switch z.Next() {
		case html.ErrorToken:
			return inertText(b.String())
		case html.TextToken:
			if skip == "" {
				b.Write(z.Text())
			}
		case html.StartTagToken:
			if name, _ := z.TagName(); skip == "" && (string(name) == "script" || string(name) == "style") {
				skip = string(name)
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); string(name) == skip {
				skip = ""
			}
		}
	}
}

// inertText puts a space after every '<' that an HTML parser would read as
// the start of a tag, a comment or a declaration.
func inertText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteByte(s[i])
		if s[i] == '<' && i+1 < len(s) && opensTag(s[i+1]) {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

func opensTag(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '/' || c == '!' || c == '?'
}

// webURL is s when it is an absolute http(s) URL, else "": a link to
// javascript:, data: or anything else is dropped, not neutralised.
func webURL(s string) string {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	return s
}

// safeMedia returns a's images and attachments with web URLs only, their
// names as plain text. The slices are new: a's may be shared.
func safeMedia(a article.Article) ([]article.Image, []article.Attachment) {
	var ims []article.Image
	for _, im := range a.Images {
		if webURL(im.URL) != "" {
			im.Alt, im.Caption = plainText(im.Alt), plainText(im.Caption)
			ims = append(ims, im)
		}
	}
	var ats []article.Attachment
	for _, at := range a.Attachments {
		if webURL(at.URL) != "" {
			at.Name = plainText(at.Name)
			ats = append(ats, at)
		}
	}
	return ims, ats
}

// feedSafe is a as the feeds show it: HTML sanitised, text fields as plain
// text, links that are web links (an article whose own URL is not one links
// to its archived copy instead).
func (s *Server) feedSafe(a article.Article) article.Article {
	a.Title, a.Author, a.Unit, a.Outlet = plainText(a.Title), plainText(a.Author), plainText(a.Unit), plainText(a.Outlet)
	a.Section, a.Text, a.HTML = plainText(a.Section), plainText(a.Text), safeHTML(a.HTML)
	if webURL(a.URL) == "" {
		a.URL = s.base + "/articles/" + a.ID
	}
	a.Images, a.Attachments = safeMedia(a)
	return a
}
