package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// handleAPISearch answers /api/search?q=... with the JSON of `noivu search
// --json`: {"total": N, "hits": [...]}. The parameters are checked here,
// with the same bounds and messages as the search page and the feeds; a
// query the index refuses is a 400 with the reason; no index is a 501.
func (s *Server) handleAPISearch(w http.ResponseWriter, r *http.Request) {
	if s.opts.Searcher == nil {
		http.Error(w, "search index not available", http.StatusNotImplemented)
		return
	}
	params, err := apiParams(r.URL.Query())
	if err == nil {
		var out any
		if out, err = s.opts.Searcher.SearchAPI(r.Context(), params); err == nil {
			writeJSON(w, http.StatusOK, out)
			return
		}
	}
	if unavailable(w, err) {
		return
	}
	if errors.Is(err, ErrBadQuery) {
		http.Error(w, userMessage(err), http.StatusBadRequest)
		return
	}
	s.logFailure(r, "web: api search", "query", params.Get("q"), "err", err)
	http.Error(w, "search failed; see the server log", http.StatusInternalServerError)
}

// apiParams checks /api/search's parameters and returns those the Searcher
// reads, normalised: q trimmed, limit always set, source as one list.
func apiParams(v url.Values) (url.Values, error) {
	out := url.Values{}
	q, err := parseQuery(v.Get("q"))
	if err != nil {
		return out, err
	}
	out.Set("q", q)
	limit, err := parseLimit(v.Get("limit"), apiLimit, apiMaxLimit)
	if err != nil {
		return out, err
	}
	out.Set("limit", strconv.Itoa(limit))
	sort, err := parseSort(v.Get("sort"))
	if err != nil {
		return out, err
	}
	if sort != "" {
		out.Set("sort", sort)
	}
	sources, err := listParam("source", v["source"])
	if err != nil {
		return out, err
	}
	if len(sources) > 0 {
		out.Set("source", strings.Join(sources, ","))
	}
	if _, _, err := dateRange(v.Get("since"), v.Get("until")); err != nil {
		return out, err
	}
	for _, k := range []string{"since", "until"} {
		if d := v.Get(k); d != "" {
			out.Set(k, d)
		}
	}
	return out, nil
}

// writeJSON writes v as JSON with status code. Archived text goes out as
// it is (no \u003c): the type and nosniff keep browsers from rendering it.
func writeJSON(w http.ResponseWriter, code int, v any) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}
