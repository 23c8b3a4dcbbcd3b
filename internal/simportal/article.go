package simportal

import (
	"fmt"
	"time"

	"golang.org/x/text/unicode/norm"
)

// Article is what a test may expect an extractor to find on an article page.
type Article struct {
	Path                        string // path of the article page, from the root
	ID                          int
	Category                    string    // the category's display name
	Title, Author, Unit, Outlet string    // Author "" when the page names none
	Published                   time.Time // in +07:00; the time shown on the page
	DateOnly                    bool      // page shows a date without a time
	Text                        []string  // the body paragraphs, lead first (NFC)
	Attachments                 []string  // paths of attached documents
	Charset                     string    // "utf-8" or "windows-1258"
	NFD                         bool      // served in decomposed Unicode
}

// article adds what the pages show beyond Article.
type article struct {
	Article
	seq      int
	cat      int
	slug     string
	dshape   dateShape
	ashape   authorShape
	modified time.Time // a shown "Cập nhật" time, or zero
	views    int
	image    string // path of the photo, or ""
	caption  string
	yearless bool // Options.Yearless: only its lead dates it, without a year
}

func (a *article) lastMod() time.Time {
	if a.modified.After(a.Published) {
		return a.modified
	}
	return a.Published
}

func (a *article) export() Article {
	e := a.Article
	e.Text = append([]string(nil), a.Text...)
	e.Attachments = append([]string(nil), a.Attachments...)
	return e
}

// dateText is the date exactly as the article page prints it.
func (a *article) dateText() string {
	if a.yearless {
		return ""
	}
	return a.dshape.format(a.Published, a.views)
}

// authorLine is the author line exactly as the page prints it ("" for none).
func (a *article) authorLine() string { return a.ashape.line(a.Author, a.Unit) }

// publish creates article number seq at time raw and routes its URLs; callers
// hold p.mu (or own p exclusively) and call reindex afterwards.
func (p *Portal) publish(seq int, raw time.Time, added bool) *article {
	g := newGen(p.opts.Seed, seq, hash64(string(p.opts.Layout)), raw, p.site.places)
	a := &article{seq: seq}
	a.dshape = pickWeighted(g.r, p.lay.dateMix())
	if added && a.dshape.dateOnly() {
		a.dshape = p.lay.dateMix()[0].v // a midnight date could sort below older news
	}
	a.Published, a.DateOnly = a.dshape.truncate(raw), a.dshape.dateOnly()
	g.t = a.Published
	a.cat = g.r.IntN(len(p.site.cats))
	tp := g.topic(p.site.cats[a.cat].topic)
	a.Category = p.site.cats[a.cat].name
	a.Title = p.uniqueTitle(g, tp)
	a.Text = make([]string, p.opts.Paragraphs)
	a.Text[0] = norm.NFC.String(g.lead(tp))
	for i := 1; i < len(a.Text); i++ {
		a.Text[i] = norm.NFC.String(g.paragraph(tp))
	}
	p.pickPeople(g, a)
	a.views = 100 + g.r.IntN(9000)
	if added {
		a.views = 5 + g.r.IntN(60) // keeps "most read" sidebars stable
	}
	if g.r.IntN(4) == 0 {
		a.modified = a.Published.Add(time.Duration(3600+g.r.IntN(72*3600)) * time.Second).Truncate(time.Second)
	}
	a.ID = p.lay.articleID(seq)
	a.Charset = charsetUTF8
	if p.opts.Layout == LayoutSonLa && seq%5 == 0 {
		a.Charset = charset1258
	} else if seq%7 == 0 {
		a.NFD = true // windows-1258 cannot hold fully decomposed text
	}
	a.slug = p.uniqueSlug(slugify(a.Title, seq%4 == 3, 9))
	a.Path = p.lay.articlePath(a)
	p.addMedia(g, a)
	p.makeYearless(a, added)
	p.arts = append(p.arts, a)
	p.routes[a.Path] = route{kind: kindArticle, art: a}
	return a
}

func (p *Portal) pickPeople(g *gen, a *article) {
	a.ashape = pickWeighted(g.r, p.lay.authorMix())
	if a.ashape != asNone {
		a.Author = g.pick(people)
		if a.ashape == asBare && g.r.IntN(3) == 0 {
			a.Author = abbreviate(a.Author)
		}
		if a.ashape.hasUnit() {
			a.Unit = g.pick(units)
		}
	}
	if g.r.IntN(3) == 0 {
		a.Outlet = g.pick(p.site.outlets)
	}
}

// addMedia gives every second article a photo (every third photo captioned
// with a leftover Windows path) and every third an attached document.
func (p *Portal) addMedia(g *gen, a *article) {
	dir := p.lay.uploadDir(a.Published)
	if a.seq%2 == 0 {
		a.image = fmt.Sprintf("%simg_%04d.jpg", dir, 2000+a.seq)
		a.caption = g.pick(photos)
		if a.seq%3 == 0 {
			a.caption = fmt.Sprintf(`E:\Anh\%d\IMG_%04d.JPG`, a.Published.Year(), 2000+a.seq)
		}
		p.routes[a.image] = route{kind: kindStatic, ctype: "image/jpeg", data: fakeJPEG}
	}
	if a.seq%3 == 0 {
		ext, ctype := ".pdf", "application/pdf"
		if a.seq%2 == 0 {
			ext, ctype = ".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
		}
		path := fmt.Sprintf("%s%s-%d%s", dir, slugify(a.Title, false, 5), a.ID, ext)
		a.Attachments = []string{path}
		p.routes[path] = route{kind: kindAttachment, ctype: ctype, data: fakeDocument(ext, a)}
	}
}

func (p *Portal) uniqueTitle(g *gen, tp topic) string {
	t := norm.NFC.String(g.title(tp))
	for k := 0; k < 4 && p.titles[t]; k++ {
		t = norm.NFC.String(g.title(tp))
	}
	for k := 2; p.titles[t]; k++ {
		t = norm.NFC.String(fmt.Sprintf("%s (lần %d)", g.title(tp), k))
	}
	p.titles[t] = true
	return t
}

func (p *Portal) uniqueSlug(s string) string {
	u := s
	for k := 2; p.slugs[u]; k++ {
		u = fmt.Sprintf("%s-%d", s, k)
	}
	p.slugs[u] = true
	return u
}

var fakeJPEG = []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9")

func fakeDocument(ext string, a *article) []byte {
	name := slugify(a.Title, false, 12)
	if ext == ".pdf" {
		return fmt.Appendf(nil, "%%PDF-1.4\n%% simportal\n1 0 obj\n<< /Title (%s) >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%%%EOF\n", name)
	}
	return fmt.Appendf(nil, "PK\x03\x04\x14\x00\x00\x00\x08\x00word/document.xml %s", name)
}
