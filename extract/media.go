package extract

import (
	"net/url"
	"path"
	"regexp"
	"strings"

	"github.com/noivu/noivu/article"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

var (
	reDocExt       = regexp.MustCompile(`(?i)\.(pdf|docx?|xlsx?|zip|rar|7z|pptx?|odt|ods)$`)
	reAttachBlock  = regexp.MustCompile(`(?i)attach|dinh-?kem|file-?download|files?-?list|tep-?tin|tap-?tin`)
	reAttachLabel  = regexp.MustCompile(`(?i)^(file đính kèm|tệp đính kèm|tập tin đính kèm|tập tin|tài liệu đính kèm|văn bản đính kèm|đính kèm|tải về)`)
	reCaptionClass = regexp.MustCompile(`(?i)caption|chu-?thich|image_desc|img-desc`)
)

const maxCaption = 300

// collectImages lists the body's pictures with their captions.
func collectImages(root *html.Node, base *url.URL) []article.Image {
	var out []article.Image
	seen := map[string]bool{}
	eachElement(root, atom.Img, func(img *html.Node) {
		src := attr(img, "src")
		if src == "" || strings.HasPrefix(src, "data:") || seen[src] {
			return
		}
		seen[src] = true
		out = append(out, article.Image{URL: src, Alt: clean(attr(img, "alt")), Caption: caption(img)})
	})
	return out
}

// caption finds an image's caption: a figcaption, a caption cell of the
// table the image sits in, or a short italic or caption-classed line after it.
func caption(img *html.Node) string {
	depth := 0
	for a := img.Parent; a != nil && depth < 5; a, depth = a.Parent, depth+1 {
		switch a.DataAtom {
		case atom.Figure:
			if fc := firstElement(a, atom.Figcaption); fc != nil {
				return captionText(fc)
			}
		case atom.Table:
			if t := clean(nodeText(a)); t != "" && len(t) <= maxCaption {
				return captionText(a)
			}
		}
	}
	for a := img.Parent; a != nil; a = a.Parent {
		if blockAtoms[a.DataAtom] {
			if t := clean(nodeText(a)); t != "" && len(t) <= maxCaption && reCaptionClass.MatchString(attr(a, "class")) {
				return captionText(a)
			}
			return siblingCaption(a)
		}
	}
	return ""
}

func siblingCaption(block *html.Node) string {
	s := block.NextSibling
	for s != nil && s.Type != html.ElementNode {
		if strings.TrimSpace(s.Data) != "" {
			return ""
		}
		s = s.NextSibling
	}
	if s == nil || hasImage(s) {
		return ""
	}
	t := clean(nodeText(s))
	if t == "" || len(t) > maxCaption {
		return ""
	}
	style := strings.ToLower(attr(s, "style") + attr(s, "align") + attr(s, "class"))
	italic := firstElement(s, atom.Em) != nil || firstElement(s, atom.I) != nil
	if italic || reCaptionClass.MatchString(style) || strings.Contains(style, "center") {
		return captionText(s)
	}
	return ""
}

func captionText(n *html.Node) string {
	t := clean(nodeText(n))
	if reFilePath.MatchString(t) {
		return ""
	}
	return t
}

// collectAttachments lists document links in the body and in "File đính
// kèm"-like blocks anywhere on the page.
func collectAttachments(root, doc *html.Node, base *url.URL) []article.Attachment {
	var out []article.Attachment
	seen := map[string]bool{}
	add := func(a *html.Node) {
		u := absURL(base, attr(a, "href"))
		if seen[u] || !isDocument(u) {
			return
		}
		seen[u] = true
		out = append(out, article.Attachment{URL: u, Name: attachmentName(a, u)})
	}
	eachElement(root, atom.A, add)
	eachElement(doc, atom.A, func(a *html.Node) {
		// The cheap test first: most of a page's links are not documents.
		if href, ok := attrOK(a, "href"); ok && isDocument(strings.TrimSpace(href)) && inAttachBlock(a) {
			add(a)
		}
	})
	return out
}

// inAttachBlock says a link sits in an attachment block: an element whose
// class names one, or that starts with (or follows) an attachment label.
func inAttachBlock(a *html.Node) bool {
	depth := 0
	for n := a.Parent; n != nil && depth < 4; n, depth = n.Parent, depth+1 {
		if isChromeElement(n) {
			return false
		}
		if reAttachBlock.MatchString(attr(n, "id") + " " + attr(n, "class")) {
			return true
		}
		if reAttachLabel.MatchString(leadingText(n)) {
			return true
		}
		prev := n.PrevSibling
		for prev != nil && prev.Type != html.ElementNode {
			prev = prev.PrevSibling
		}
		if prev != nil && reAttachLabel.MatchString(leadingText(prev)) {
			return true
		}
	}
	return false
}

// leadingText is the start of n's text, cheap on large elements.
func leadingText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			return b.Len() > 80
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if walk(c) {
				return true
			}
		}
		return false
	}
	walk(n)
	return clean(b.String())
}

// isDocument says u points to a document: its path, a path segment (Liferay
// puts the file name before a UUID) or a query value ends in a document extension.
func isDocument(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "") {
		return false
	}
	for _, seg := range strings.Split(u.Path, "/") {
		if reDocExt.MatchString(seg) {
			return true
		}
	}
	for _, vs := range u.Query() {
		for _, v := range vs {
			if reDocExt.MatchString(v) {
				return true
			}
		}
	}
	return false
}

func attachmentName(a *html.Node, u string) string {
	if t := clean(nodeText(a)); t != "" && !strings.EqualFold(t, "tải về") && !strings.EqualFold(t, "download") {
		return t
	}
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	for _, seg := range strings.Split(p.Path, "/") {
		if reDocExt.MatchString(seg) {
			if s, err := url.PathUnescape(seg); err == nil {
				return s
			}
			return seg
		}
	}
	return path.Base(p.Path)
}

func eachElement(root *html.Node, a atom.Atom, fn func(*html.Node)) {
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == a {
			fn(c)
		}
		eachElement(c, a, fn)
	}
}

func firstElement(root *html.Node, a atom.Atom) *html.Node {
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == a {
			return c
		}
		if f := firstElement(c, a); f != nil {
			return f
		}
	}
	return nil
}
