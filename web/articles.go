package web

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"mime"
	"net/http"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/noivu/noivu/archive"
	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/store"
)

// articleView is what article.html gets.
type articleView struct {
	page
	ID, URL, Source, SourceURL, Province, Author, Unit, Outlet string
	Section, Published, Updated, FirstSeen, FetchedAt          string
	Body                                                       template.HTML
	Images                                                     []article.Image
	Attachments                                                []article.Attachment
	Raw                                                        string
	Revision                                                   int // 0: the current text
	Current                                                    string
	Revisions                                                  []revisionLink
}

type revisionLink struct {
	N               int
	Href, FetchedAt string
	Current         bool
}

// handleArticle shows the archived copy of an article, or one of its
// earlier revisions at /articles/{id}/revisions/{n}.
func (s *Server) handleArticle(w http.ResponseWriter, r *http.Request) {
	a, revs, rev, ok := s.loadArticle(w, r)
	if !ok {
		return
	}
	v := articleView{page: s.dynamicPage(a.Title), ID: a.ID, URL: a.URL, Source: a.SourceID,
		Section: a.Section, Author: a.Author, Unit: a.Unit, Outlet: a.Outlet,
		Published: showTime(a.Published, a.DateOnly), Updated: showTime(a.Updated, false),
		FirstSeen: showTime(a.FirstSeen, false), FetchedAt: showTime(a.FetchedAt, false),
		Body:     template.HTML(safeHTML(a.HTML)), // sanitised here, whatever the store holds
		Revision: rev, Current: s.base + "/articles/" + a.ID}
	v.Images, v.Attachments = safeMedia(a)
	if v.Title == "" {
		v.Title = a.URL
	}
	if src, ok := s.byID[a.SourceID]; ok {
		v.Source, v.SourceURL, v.Province = src.Name, src.URL, src.Province
	}
	if capturable(a.Capture) && s.opts.ArchiveDir != "" {
		v.Raw = s.base + "/articles/" + a.ID + "/raw"
		if rev > 0 {
			v.Raw += "?rev=" + strconv.Itoa(rev)
		}
	}
	for _, r := range revs {
		v.Revisions = append(v.Revisions, revisionLink{N: r.N, FetchedAt: showTime(r.FetchedAt, false),
			Href: fmt.Sprintf("%s/articles/%s/revisions/%d", s.base, a.ID, r.N), Current: r.N == rev})
	}
	s.writePage(w, http.StatusOK, "article.html", v)
}

// loadArticle reads the article of the request, its revisions and the
// revision asked for (by path or ?rev=; 0 for none), answering 404 itself.
func (s *Server) loadArticle(w http.ResponseWriter, r *http.Request) (article.Article, []store.Revision, int, bool) {
	id := r.PathValue("id")
	if !validID(id) {
		s.notFound(w, "Mã bài không hợp lệ: mã bài gồm 16 chữ số thập lục phân.")
		return article.Article{}, nil, 0, false
	}
	a, found, err := s.opts.Store.Article(r.Context(), id)
	if err == nil && !found {
		s.notFound(w, "Không có bài nào mang mã này trong kho lưu trữ.")
		return a, nil, 0, false
	}
	var revs []store.Revision
	if err == nil {
		revs, err = s.opts.Store.Revisions(r.Context(), id)
	}
	if err != nil {
		s.logFailure(r, "web: article", "id", id, "err", err)
		http.Error(w, "the store failed; see the server log", http.StatusInternalServerError)
		return a, nil, 0, false
	}
	sort.Slice(revs, func(i, j int) bool { return revs[i].N > revs[j].N })
	n := r.PathValue("n")
	if n == "" {
		n = r.URL.Query().Get("rev")
	}
	if n == "" {
		return a, revs, 0, true
	}
	for _, rv := range revs {
		if strconv.Itoa(rv.N) == n {
			return rv.Article, revs, rv.N, true
		}
	}
	s.notFound(w, "Bài này không có phiên bản đó.")
	return a, nil, 0, false
}

func (s *Server) notFound(w http.ResponseWriter, msg string) {
	v := struct {
		page
		Message string
	}{s.dynamicPage("Không tìm thấy"), msg}
	s.writePage(w, http.StatusNotFound, "notfound.html", v)
}

// handleRaw serves an article's capture from the WARC as inert text: the
// response's status line and headers, a blank line, then the body. The
// archived bytes are a hostile page's; text/plain, nosniff and a sandbox
// CSP make sure no browser runs or renders them.
func (s *Server) handleRaw(w http.ResponseWriter, r *http.Request) {
	a, _, _, ok := s.loadArticle(w, r)
	if !ok {
		return
	}
	if !capturable(a.Capture) || s.opts.ArchiveDir == "" {
		s.notFound(w, "Bài này không có bản thu gốc trong kho WARC.")
		return
	}
	res, err := archive.ReadCapture(s.opts.ArchiveDir, a.Capture)
	if errors.Is(err, fs.ErrNotExist) {
		s.notFound(w, "Tệp WARC của bản thu này không còn.")
		return
	}
	if err != nil {
		s.log.Error("web: raw capture", "id", a.ID, "err", err)
		http.Error(w, "the archive failed; see the server log", http.StatusInternalServerError)
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "WARC-Target-URI: %s\nWARC-Date: %s\n\nHTTP %d %s\n", res.URL,
		res.Date.UTC().Format(time.RFC3339), res.StatusCode, http.StatusText(res.StatusCode))
	keys := make([]string, 0, len(res.Header))
	for k := range res.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range res.Header[k] {
			fmt.Fprintf(&b, "%s: %s\n", k, v)
		}
	}
	b.WriteString("\n")
	ctype := "text/plain; charset=utf-8"
	if _, params, err := mime.ParseMediaType(res.Header.Get("Content-Type")); err == nil && params["charset"] != "" {
		ctype = mime.FormatMediaType("text/plain", map[string]string{"charset": params["charset"]})
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("Content-Disposition", "inline")
	h.Set("Cache-Control", "public, max-age=3600")
	w.WriteHeader(http.StatusOK)
	w.Write([]byte(b.String()))
	w.Write(res.Body)
}

// capturable reports whether c names a capture the archive folder can
// hold: a plain file name, a place in it. Anything else (a path, a negative
// offset) is a damaged record, never a file to open.
func capturable(c article.Capture) bool {
	return c.File != "" && c.File == filepath.Base(c.File) && c.File != "." && c.File != ".." &&
		!strings.ContainsAny(c.File, `/\`) && c.Offset >= 0 && c.Length >= 0
}

// showTime formats t in Vietnam time, "" when zero.
func showTime(t time.Time, dateOnly bool) string {
	if t.IsZero() {
		return ""
	}
	if dateOnly {
		return t.In(article.VietnamZone).Format("02/01/2006")
	}
	return t.In(article.VietnamZone).Format("02/01/2006 15:04 (UTC+7)")
}
