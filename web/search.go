package web

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/noivu/noivu/article"
)

// SearchParams is one search as the search page and its downloads ask for
// it; the Searcher maps it onto the index.
type SearchParams struct {
	Query    string
	Source   []string  // source ids; any of them
	Province []string  // province names; any of them
	Since    time.Time // published at or after; zero: no bound
	Until    time.Time // published before (exclusive); zero: no bound
	Sort     string    // "relevance" ("" too) or "newest"
	From     int       // hits to skip
	Size     int       // hits to return (at most 100)
	Facets   bool      // also count by source, province, year and month
}

// SearchResults is one page of hits with, when asked for, the facets.
type SearchResults struct {
	Total    int
	Hits     []SearchHit
	Sources  []FacetCount // by source id, most frequent first
	Province []FacetCount // by province name
	Years    []FacetCount // newest first
	Timeline []FacetCount // matches per month ("2024-03"), oldest first, gaps as zeros
	Took     time.Duration
}

// SearchHit is one matching article.
type SearchHit struct {
	ID, URL, Title, Author string
	Published              time.Time // zero when undated
	DateOnly               bool
	Source, Province       string
	// SnippetHTML is escaped text with the matches in <mark>: the index
	// escapes it, so it is the one string the page writes unescaped.
	SnippetHTML string
}

// FacetCount is one value of a facet and the matches that have it.
type FacetCount struct {
	Value string
	Count int
}

// Search page bounds.
const (
	pageSize   = 20
	maxResults = 10000 // the deepest hit a page or a download reaches
)

// parseSearch reads the page's query parameters; an error is the user's.
func parseSearch(v url.Values) (SearchParams, int, error) {
	var p SearchParams
	var err error
	if p.Query, err = parseQuery(v.Get("q")); err != nil {
		return p, 1, err
	}
	if p.Sort, err = parseSort(v.Get("sort")); err != nil {
		return p, 1, err
	}
	if p.Source, err = listParam("source", v["source"]); err != nil {
		return p, 1, err
	}
	if p.Province, err = listParam("province", v["province"]); err != nil {
		return p, 1, err
	}
	if p.Since, p.Until, err = dateRange(v.Get("since"), v.Get("until")); err != nil {
		return p, 1, err
	}
	pageNo, err := parsePage(v.Get("page"))
	return p, max(pageNo, 1), err
}

// searchView is what search.html gets.
type searchView struct {
	page
	Query, Since, Until, Sort string
	Searched                  bool
	Error                     string
	Total                     int
	Took                      string
	Hits                      []hitView
	Filters                   []link // active filters, each linking to the search without it
	Sources, Provinces, Years []link // facet values, each adding itself as a filter
	Chart                     timeline
	Prev, Next                string
	PageNo, Pages, Start      int
	CSV, JSONL                string
}

type hitView struct {
	ID, URL, Title, Date, Source, Author string
	Snippet                              template.HTML
	Archived                             string
}

type link struct {
	Text, Href string
	Count      int
}

// timeline is the inline SVG chart of matches per month.
type timeline struct {
	Width, Height int
	Label         string
	Bars          []monthBar
	First, Last   string
}

type monthBar struct {
	X, Y, W, H  int
	Title, Href string
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	view := searchView{page: s.dynamicPage("Tìm kiếm"), Query: v.Get("q"), Since: v.Get("since"),
		Until: v.Get("until"), Sort: v.Get("sort")}
	if s.opts.Searcher == nil {
		view.Error = "Chưa có chỉ mục tìm kiếm trên máy chủ này."
		s.writePage(w, http.StatusNotImplemented, "search.html", view)
		return
	}
	p, pageNo, err := parseSearch(v)
	searched := len(v) > 0 && (p.Query != "" || len(p.Source)+len(p.Province) > 0 || !p.Since.IsZero() || !p.Until.IsZero())
	if err == nil && searched {
		p.From, p.Size, p.Facets = (pageNo-1)*pageSize, pageSize, true
		var res SearchResults
		res, err = s.opts.Searcher.Search(r.Context(), p)
		if err == nil {
			view.Searched = true
			s.fillSearch(&view, v, p, res, pageNo)
		}
	}
	if errors.Is(err, ErrUnavailable) {
		view.Error = "Chỉ mục tìm kiếm đang bận hoặc đang mở; xin thử lại sau ít giây."
		w.Header().Set("Retry-After", "10")
		s.writePage(w, http.StatusServiceUnavailable, "search.html", view)
		return
	}
	if err != nil {
		if !errors.Is(err, ErrBadQuery) {
			s.logFailure(r, "web: search page", "query", p.Query, "err", err)
			view.Error = "Tìm kiếm gặp lỗi; xin thử lại sau."
			s.writePage(w, http.StatusInternalServerError, "search.html", view)
			return
		}
		view.Title = "Câu tìm kiếm chưa hợp lệ"
		view.Error = "Câu tìm kiếm chưa hợp lệ: " + userMessage(err)
		s.writePage(w, http.StatusBadRequest, "search.html", view)
		return
	}
	if view.Searched && p.Query != "" {
		view.Title = "Tìm kiếm: " + p.Query
	}
	s.writePage(w, http.StatusOK, "search.html", view)
}

// fillSearch turns one page of results into the view.
func (s *Server) fillSearch(view *searchView, v url.Values, p SearchParams, res SearchResults, pageNo int) {
	view.Total, view.PageNo, view.Start = res.Total, pageNo, p.From+1
	view.Took = res.Took.Round(time.Millisecond).String()
	view.Pages = (min(res.Total, maxResults) + pageSize - 1) / pageSize
	for _, h := range res.Hits {
		hv := hitView{ID: h.ID, URL: h.URL, Title: h.Title, Source: h.Source, Author: h.Author,
			Snippet: template.HTML(snippetPolicy.Sanitize(h.SnippetHTML)), Archived: s.base + "/articles/" + h.ID} // sanitised here
		if src, ok := s.byID[h.Source]; ok {
			hv.Source = src.Name
		}
		if !h.Published.IsZero() {
			layout := "02/01/2006 15:04"
			if h.DateOnly {
				layout = "02/01/2006"
			}
			hv.Date = h.Published.In(article.VietnamZone).Format(layout)
		}
		view.Hits = append(view.Hits, hv)
	}
	base := without(v, "page")
	for _, f := range []struct{ key, label string }{{"source", "Nguồn"}, {"province", "Tỉnh"},
		{"since", "Từ ngày"}, {"until", "Đến ngày"}} {
		for _, val := range splitList(v[f.key]) {
			view.Filters = append(view.Filters, link{Text: f.label + ": " + val, Href: s.searchURL(removeValue(base, f.key, val))})
		}
	}
	for _, f := range res.Sources {
		text := f.Value
		if src, ok := s.byID[f.Value]; ok {
			text = src.Name
		}
		view.Sources = append(view.Sources, link{text, s.searchURL(addValue(base, "source", f.Value)), f.Count})
	}
	for _, f := range res.Province {
		view.Provinces = append(view.Provinces, link{f.Value, s.searchURL(addValue(base, "province", f.Value)), f.Count})
	}
	for _, f := range res.Years {
		u := setValue(base, "since", f.Value+"-01-01")
		view.Years = append(view.Years, link{f.Value, s.searchURL(setValue(u, "until", f.Value+"-12-31")), f.Count})
	}
	view.Chart = s.monthChart(res.Timeline, base)
	if pageNo > 1 {
		view.Prev = s.searchURL(setValue(base, "page", strconv.Itoa(pageNo-1)))
	}
	if pageNo < view.Pages {
		view.Next = s.searchURL(setValue(base, "page", strconv.Itoa(pageNo+1)))
	}
	view.CSV = s.base + "/search.csv?" + base.Encode()
	view.JSONL = s.base + "/search.jsonl?" + base.Encode()
}

// monthChart draws the timeline; each bar links to its month.
func (s *Server) monthChart(months []FacetCount, base url.Values) timeline {
	const height, maxWidth = 60, 720
	if len(months) == 0 {
		return timeline{}
	}
	peak := 1
	for _, m := range months {
		peak = max(peak, m.Count)
	}
	barW := max(1, min(12, maxWidth/len(months)))
	tl := timeline{Width: barW * len(months), Height: height, First: months[0].Value, Last: months[len(months)-1].Value,
		Label: fmt.Sprintf("Số bài khớp theo tháng, từ %s đến %s", months[0].Value, months[len(months)-1].Value)}
	for i, m := range months {
		h := m.Count * height / peak
		if m.Count > 0 {
			h = max(h, 1)
		}
		first, err := time.Parse("2006-01", m.Value)
		if err != nil {
			continue
		}
		u := setValue(setValue(base, "since", first.Format("2006-01-02")), "until", first.AddDate(0, 1, -1).Format("2006-01-02"))
		tl.Bars = append(tl.Bars, monthBar{X: i * barW, Y: height - h, W: max(1, barW-1), H: h,
			Title: fmt.Sprintf("%s: %d bài", m.Value, m.Count), Href: s.searchURL(without(u, "page"))})
	}
	return tl
}

func (s *Server) searchURL(v url.Values) string { return s.base + "/search?" + v.Encode() }

// setValue returns a copy of v with key set to val.
func setValue(v url.Values, key, val string) url.Values {
	c := without(v, "")
	c.Set(key, val)
	return c
}

// without returns a copy of v without key.
func without(v url.Values, key string) url.Values {
	c := url.Values{}
	for k, vs := range v {
		if k != key {
			c[k] = append([]string(nil), vs...)
		}
	}
	return c
}

// addValue returns a copy of v with val added to key's list, once.
func addValue(v url.Values, key, val string) url.Values {
	have := splitList(v[key])
	for _, h := range have {
		if h == val {
			return without(v, "page")
		}
	}
	c := without(v, key)
	c[key] = append(have, val)
	return c
}

// removeValue returns a copy of v with val taken out of key's list.
func removeValue(v url.Values, key, val string) url.Values {
	c := without(v, key)
	for _, h := range splitList(v[key]) {
		if h != val {
			c.Add(key, h)
		}
	}
	return c
}
