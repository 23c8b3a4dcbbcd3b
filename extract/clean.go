package extract

import (
	"net/url"
	"regexp"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

var (
	// reJunkClass matches id/class values of non-article parts inside a body.
	reJunkClass = regexp.MustCompile(`(?i)share|social|addthis|fb-like|zalo|print|font-?size|text-?size|` +
		`related|tin-?khac|lien-?quan|other-?news|news-?other|comment|binh-?luan|pagination|pager|` +
		`rating|vote|toolbar|breadcrumb|tool-?bar|back-?to-?top`)
	// reTailHeading starts the lists and forms that follow an article.
	reTailHeading = regexp.MustCompile(`(?i)^(các tin khác|tin khác|các bài khác|tin liên quan|bài liên quan|` +
		`tin cùng chuyên mục|tin cùng loại|những tin mới hơn|những tin cũ hơn|tin mới hơn|tin cũ hơn|` +
		`ý kiến bạn đọc|ý kiến phản hồi|phản hồi|bình luận|gửi ý kiến|gửi phản hồi|xem thêm)\b[\s:.]*$`)
	// reJunkLine matches a whole line of furniture.
	reJunkLine = regexp.MustCompile(`(?i)^(?:(?:lượt xem|đã xem|số lượt xem|lượt đọc|lượt truy cập)\s*:?\s*[\d.,]+` +
		`|[\d.,]+\s*lượt xem|xem với cỡ chữ.*|cỡ chữ\s*:.*|tin nổi bật\s*:?.*|trang đầu\b.*trang cuối` +
		`|bản quyền thuộc.*|(?:in bài viết|in trang|bản in|gửi email|gửi bài viết|chia sẻ|quay lại|trở về|` +
		`về đầu trang|lên đầu trang|đầu trang|tweet|thích|like)\s*[:|]?\s*)$`)
	// reFilePath matches captions that are only a file name or a Windows path.
	reFilePath = regexp.MustCompile(`(?i)^(?:[a-z]:\\\S.*|\S+\.(?:jpe?g|png|gif|bmp|tiff?|webp))$`)
	// reJunkAlt matches alt texts that say nothing ("anh tin bai", "image001").
	reJunkAlt = regexp.MustCompile(`(?i)^(?:anh tin bai|ảnh tin bài|anh|ảnh|image|img|hinh|hình|photo|picture|untitled)?\s*[\d_\-]*$|\.(?:jpe?g|png|gif|bmp)$|^[a-z]:\\`)
)

var junkAtoms = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Iframe: true, atom.Form: true,
	atom.Button: true, atom.Input: true, atom.Select: true, atom.Textarea: true, atom.Nav: true,
	atom.Object: true, atom.Embed: true, atom.Link: true, atom.Meta: true, atom.Template: true,
}

// cleanBody removes boilerplate from a body copy and makes its URLs absolute.
func cleanBody(root *html.Node, base *url.URL) {
	var doomed []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if junk(c) {
				doomed = append(doomed, c)
				continue
			}
			walk(c)
		}
	}
	walk(root)
	for _, n := range doomed {
		remove(n)
	}
	cutTails(root)
	pruneEmpty(root)
	fixMedia(root, base)
}

// pruneEmpty removes elements left without text or pictures (a caption
// whose file path went, an emptied share bar).
func pruneEmpty(root *html.Node) {
	for c := root.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			pruneEmpty(c)
			if !keepEmpty[c.DataAtom] && c.FirstChild == nil || (c.FirstChild != nil && isBlank(c)) {
				remove(c)
			}
		}
		c = next
	}
}

var keepEmpty = map[atom.Atom]bool{atom.Br: true, atom.Hr: true, atom.Img: true, atom.Td: true, atom.Th: true}

// isBlank says n holds only white space and no picture or table cell.
func isBlank(n *html.Node) bool {
	if strings.TrimSpace(nodeText(n)) != "" || hasImage(n) {
		return false
	}
	return firstElement(n, atom.Td) == nil && firstElement(n, atom.Th) == nil && !keepEmpty[n.DataAtom]
}

// junk says n (a descendant of the body) is furniture.
func junk(n *html.Node) bool {
	switch n.Type {
	case html.CommentNode:
		return true
	case html.TextNode:
		return reFilePath.MatchString(strings.TrimSpace(n.Data))
	case html.ElementNode:
	default:
		return false
	}
	if junkAtoms[n.DataAtom] {
		return true
	}
	if reJunkClass.MatchString(attr(n, "id") + " " + attr(n, "class")) {
		return true
	}
	if n.DataAtom == atom.Img && strings.Contains(attr(n, "src"), "tinnhiemmang") {
		return true
	}
	if n.DataAtom == atom.A && strings.Contains(attr(n, "href"), "tinnhiemmang") {
		return true
	}
	if n.FirstChild != nil && blockAtoms[n.DataAtom] {
		raw, whole := textUpTo(n, junkTextLimit)
		if !whole {
			return false // far longer than any line of furniture
		}
		t := clean(raw)
		return len(t) < 160 && reJunkLine.MatchString(t) && !hasImage(n)
	}
	return false
}

// junkTextLimit bounds the raw text junk reads of a block: a line of
// furniture is under 160 characters, even with generous white space.
const junkTextLimit = 4096

// textUpTo returns nodeText(n) and true, or false once it passes limit
// bytes: blocks nest, and reading each one's whole text would be quadratic.
func textUpTo(n *html.Node, limit int) (string, bool) {
	var b strings.Builder
	var walk func(*html.Node) bool
	walk = func(n *html.Node) bool {
		if n.Type == html.ElementNode && skipAtoms[n.DataAtom] {
			return true // as nodeText does
		}
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			return b.Len() <= limit
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if !walk(c) {
				return false
			}
		}
		return true
	}
	if !walk(n) {
		return "", false
	}
	return b.String(), true
}

// cutTails removes a "Tin liên quan"-like heading and everything after it.
func cutTails(root *html.Node) {
	var heading *html.Node
	var find func(*html.Node)
	find = func(n *html.Node) {
		for c := n.FirstChild; c != nil && heading == nil; c = c.NextSibling {
			if c.Type == html.ElementNode && reTailHeading.MatchString(clean(nodeText(c))) {
				heading = c
				return
			}
			find(c)
		}
	}
	find(root)
	if heading == nil {
		return
	}
	// Climb while the parent holds nothing but the heading, so the list
	// beside the heading's wrapper goes too.
	for heading.Parent != nil && heading.Parent != root &&
		clean(nodeText(heading.Parent)) == clean(nodeText(heading)) {
		heading = heading.Parent
	}
	for n := heading; n != root; n = n.Parent {
		for s := n.NextSibling; s != nil; {
			next := s.NextSibling
			remove(s)
			s = next
		}
	}
	remove(heading)
}

// fixMedia makes links and image sources absolute and drops empty alt texts.
func fixMedia(root *html.Node, base *url.URL) {
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.A:
				setAttr(n, "href", absURL(base, attr(n, "href")))
			case atom.Img:
				src := attr(n, "src")
				for _, lazy := range []string{"data-src", "data-original", "data-lazy-src"} {
					if v := attr(n, lazy); v != "" && (src == "" || strings.HasPrefix(src, "data:")) {
						src = v
					}
				}
				setAttr(n, "src", absURL(base, src))
				if reJunkAlt.MatchString(strings.TrimSpace(attr(n, "alt"))) {
					setAttr(n, "alt", "")
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
}

// absURL resolves ref against base; refs that cannot be parsed stay as they are.
func absURL(base *url.URL, ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" || base == nil {
		return ref
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return base.ResolveReference(u).String()
}

func setAttr(n *html.Node, key, val string) {
	for i := range n.Attr {
		if n.Attr[i].Key == key {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}

func remove(n *html.Node) {
	if n.Parent != nil {
		n.Parent.RemoveChild(n)
	}
}

func hasImage(n *html.Node) bool {
	if n.Type == html.ElementNode && n.DataAtom == atom.Img {
		return true
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if hasImage(c) {
			return true
		}
	}
	return false
}
