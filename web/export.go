package web

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/noivu/noivu/article"
)

// ExportColumns are the CSV columns of an export, in order.
var ExportColumns = []string{"id", "url", "source", "province", "title", "author", "unit", "outlet",
	"published", "date_only", "text"}

// Exporter writes articles for research, as CSV (ExportColumns) or as
// JSONL (one article object per line, with its province). Call Flush
// at the end.
type Exporter struct {
	csv      *csv.Writer
	buf      *bufio.Writer
	enc      *json.Encoder
	province func(sourceID string) string
}

// NewExporter writes format ("csv" or "jsonl") to w; province names the
// province of a source id.
func NewExporter(w io.Writer, format string, province func(sourceID string) string) (*Exporter, error) {
	x := &Exporter{province: province}
	switch format {
	case "csv":
		x.csv = csv.NewWriter(w)
		return x, x.csv.Write(ExportColumns)
	case "jsonl":
		x.buf = bufio.NewWriter(w)
		x.enc = json.NewEncoder(x.buf)
		x.enc.SetEscapeHTML(false)
		return x, nil
	}
	return nil, fmt.Errorf("%w (not %q)", ErrFormat, format)
}

// exportArticle is one JSONL line: the article's own fields and its province.
type exportArticle struct {
	article.Article
	Province string `json:"province,omitempty"`
}

// Write writes one article.
func (x *Exporter) Write(a article.Article) error {
	prov := x.province(a.SourceID)
	if x.enc != nil {
		a.HTML = safeHTML(a.HTML) // whoever renders the html field gets it safe
		return x.enc.Encode(exportArticle{a, prov})
	}
	published := ""
	if !a.Published.IsZero() {
		published = a.Published.In(article.VietnamZone).Format(time.RFC3339)
	}
	row := []string{a.ID, a.URL, a.SourceID, prov, a.Title, a.Author, a.Unit, a.Outlet,
		published, strconv.FormatBool(a.DateOnly), a.Text}
	for i := range row {
		row[i] = inertCell(row[i])
	}
	return x.csv.Write(row)
}

// inertCell keeps a spreadsheet from running archived text as a formula: a
// cell that starts with = + - @ (or a tab or carriage return before one) gets
// a leading apostrophe, as OWASP advises for CSV exports.
func inertCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// Flush writes out what is buffered and reports any write error.
func (x *Exporter) Flush() error {
	if x.csv != nil {
		x.csv.Flush()
		return x.csv.Error()
	}
	return x.buf.Flush()
}

// handleExport answers /search.csv and /search.jsonl: the articles the
// search page would list for the same parameters, all pages of them up
// to maxResults, streamed as they are read.
func (s *Server) handleExport(format string) http.HandlerFunc {
	ctypes := map[string]string{"csv": "text/csv; charset=utf-8", "jsonl": "application/jsonl; charset=utf-8"}
	return func(w http.ResponseWriter, r *http.Request) {
		if s.opts.Searcher == nil {
			http.Error(w, "search index not available", http.StatusNotImplemented)
			return
		}
		p, _, err := parseSearch(r.URL.Query())
		p.Size = 100
		var first SearchResults
		if err == nil {
			first, err = s.opts.Searcher.Search(r.Context(), p)
		}
		if unavailable(w, err) {
			return
		}
		if errors.Is(err, ErrBadQuery) {
			http.Error(w, userMessage(err), http.StatusBadRequest)
			return
		}
		if err != nil {
			s.logFailure(r, "web: export", "query", p.Query, "err", err)
			http.Error(w, "search failed; see the server log", http.StatusInternalServerError)
			return
		}
		h := w.Header()
		h.Set("Content-Type", ctypes[format])
		h.Set("Content-Disposition", `attachment; filename="noivu-ket-qua.`+format+`"`)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-cache")
		x, _ := NewExporter(w, format, func(id string) string { return s.byID[id].Province })
		if err := s.exportHits(r, x, p, first); err != nil {
			// The status line is gone: cut the download short so that it
			// does not pass for a complete one.
			s.logFailure(r, "web: export", "query", p.Query, "err", err)
			panic(http.ErrAbortHandler)
		}
	}
}

func (s *Server) exportHits(r *http.Request, x *Exporter, p SearchParams, res SearchResults) error {
	for n := 0; ; {
		for _, h := range res.Hits {
			a, ok, err := s.opts.Store.Article(r.Context(), h.ID)
			if err != nil {
				return err
			}
			if ok {
				if err := x.Write(a); err != nil {
					return err
				}
			}
			if n++; n >= maxResults {
				return x.Flush()
			}
		}
		p.From += len(res.Hits)
		if len(res.Hits) == 0 || p.From >= res.Total {
			return x.Flush()
		}
		p.Size = min(p.Size, maxResults-p.From)
		var err error
		if res, err = s.opts.Searcher.Search(r.Context(), p); err != nil {
			return err
		}
	}
}
