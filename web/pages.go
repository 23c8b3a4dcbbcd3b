package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"html/template"
	"net/http"
	"time"

	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/feed"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/style.css
var styleCSS []byte

var templates = template.Must(template.ParseFS(templateFS, "templates/*.html"))

// page is what every HTML template gets.
type page struct {
	Title      string
	Base       string
	Alternates []alternate
	Seq        int64
	Built      string
}

// alternate is an autodiscovery link. Type is the whole type="..."
// attribute: html/template would write the media type's "+" as &#43;,
// which naive feed-reader discovery does not decode.
type alternate struct {
	Type        template.HTMLAttr
	Title, Href string
}

func typeAttr(f feed.Format) template.HTMLAttr {
	return template.HTMLAttr(`type="` + f.MediaType() + `"`) // a constant of ours, not input
}

// feedLinks are one scope's feed URLs, for the index page.
type feedLinks struct {
	Name, Home, RSS, Atom, JSON string
}

// buildPages renders the pages of sn: they change with the statuses and
// the snapshot, never per request.
func (s *Server) buildPages(sn *snapshot) error {
	sn.pages = map[string]*entry{}
	built := sn.built.In(article.VietnamZone).Format("02/01/2006 15:04")
	base := page{Base: s.base, Seq: sn.seq, Built: built}
	all := s.links(scopeAll, "Tất cả các nguồn", s.base+"/")
	base.Alternates = []alternate{{typeAttr(feed.RSS), "Tất cả (RSS)", all.RSS},
		{typeAttr(feed.Atom), "Tất cả (Atom)", all.Atom}, {typeAttr(feed.JSON), "Tất cả (JSON Feed)", all.JSON}}
	idx := struct {
		page
		All       feedLinks
		Provinces []feedLinks
		Sources   []feedLinks
	}{page: base, All: all}
	idx.Title = "noivu: tin bài các Sở Nội vụ"
	for _, p := range s.provs {
		idx.Provinces = append(idx.Provinces, s.links(scope{"province", p.Slug}, p.Name, ""))
	}
	for _, src := range s.opts.Sources {
		idx.Sources = append(idx.Sources, s.links(scope{"source", src.ID}, src.Name, src.URL))
	}
	health := base
	health.Title = "Tình trạng các nguồn"
	steps := []struct {
		path, ctype string
		body        func() ([]byte, error)
	}{
		{"/", "text/html; charset=utf-8", func() ([]byte, error) { return execute("index.html", idx) }},
		{"/sources", "text/html; charset=utf-8", func() ([]byte, error) { return s.healthPage(sn, health) }},
		{"/opml", "text/x-opml; charset=utf-8", s.opml},
		{"/opensearch.xml", "application/opensearchdescription+xml; charset=utf-8", s.openSearch},
		{"/static/style.css", "text/css; charset=utf-8", func() ([]byte, error) { return styleCSS, nil }},
	}
	for _, st := range steps {
		b, err := st.body()
		if err != nil {
			return fmt.Errorf("web: page %s: %w", st.path, err)
		}
		sn.pages[st.path] = newEntry(b, st.ctype, pageCache, time.Time{})
	}
	return nil
}

func (s *Server) links(sc scope, name, home string) feedLinks {
	return feedLinks{Name: name, Home: home, RSS: s.base + sc.path(feed.RSS),
		Atom: s.base + sc.path(feed.Atom), JSON: s.base + sc.path(feed.JSON)}
}

func execute(name string, data any) ([]byte, error) {
	var b bytes.Buffer
	err := templates.ExecuteTemplate(&b, name, data)
	return b.Bytes(), err
}

func (s *Server) handlePage(w http.ResponseWriter, r *http.Request) {
	e := s.snap.Load().pages[r.URL.Path]
	if e == nil {
		http.NotFound(w, r)
		return
	}
	serve(w, r, e)
}

// opml lists every feed: all sources, each province, each source.
func (s *Server) opml() ([]byte, error) {
	all := feed.Outline{Text: "Sở Nội vụ các tỉnh, thành phố (tất cả)", XMLURL: s.base + scopeAll.path(feed.RSS), HTMLURL: s.base + "/"}
	provs := feed.Outline{Text: "Theo tỉnh, thành phố"}
	for _, p := range s.provs {
		provs.Children = append(provs.Children, feed.Outline{Text: "Sở Nội vụ " + p.Name,
			XMLURL: s.base + scope{"province", p.Slug}.path(feed.RSS), HTMLURL: s.base + "/"})
	}
	srcs := feed.Outline{Text: "Theo nguồn"}
	for _, src := range s.opts.Sources {
		srcs.Children = append(srcs.Children, feed.Outline{Text: src.Name,
			XMLURL: s.base + scope{"source", src.ID}.path(feed.RSS), HTMLURL: src.URL})
	}
	return feed.OPML("noivu: Sở Nội vụ các tỉnh, thành phố", time.Time{}, []feed.Outline{all, provs, srcs})
}

func (s *Server) openSearch() ([]byte, error) {
	var base bytes.Buffer
	if err := xml.EscapeText(&base, []byte(s.base)); err != nil {
		return nil, err
	}
	b := base.String()
	return []byte(`<?xml version="1.0" encoding="UTF-8"?>
<OpenSearchDescription xmlns="http://a9.com/-/spec/opensearch/1.1/">
  <ShortName>noivu</ShortName>
  <Description>Tìm trong kho tin bài các Sở Nội vụ</Description>
  <InputEncoding>UTF-8</InputEncoding>
  <Language>vi</Language>
  <Url type="text/html" template="` + b + `/search?q={searchTerms}"/>
  <Url type="application/rss+xml" template="` + b + `/feed.rss?q={searchTerms}"/>
  <Url type="application/atom+xml" template="` + b + `/feed.atom?q={searchTerms}"/>
</OpenSearchDescription>
`), nil
}

// handleHealth answers 200 while the store answers, 503 otherwise.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	sn := s.snap.Load()
	poll := s.lastPoll.Load()
	out := struct {
		Status    string    `json:"status"`
		Sources   int       `json:"sources"`
		ChangeSeq int64     `json:"change_seq"`
		BuiltAt   time.Time `json:"feeds_built_at"`
		PolledAt  time.Time `json:"polled_at"`
		Error     string    `json:"error,omitempty"`
	}{Status: "ok", Sources: len(s.opts.Sources), ChangeSeq: sn.seq, BuiltAt: sn.built, PolledAt: poll.at}
	code := http.StatusOK
	if poll.err != nil {
		out.Status, out.Error, code = "error", poll.err.Error(), http.StatusServiceUnavailable
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(out)
}
