package web

import (
	"encoding/json"
	"errors"
	"net/http"
)

// maxQueryBytes bounds what /api/search reads of a query before refusing it.
const maxQueryBytes = 2000

// handleAPISearch answers /api/search?q=... with the JSON of `noivu search
// --json`: {"total": N, "hits": [...]}. A query the index refuses is a 400
// with the reason; no index is a 501.
func (s *Server) handleAPISearch(w http.ResponseWriter, r *http.Request) {
	if s.opts.Searcher == nil {
		http.Error(w, "search index not available", http.StatusNotImplemented)
		return
	}
	params := r.URL.Query()
	if len(params.Get("q")) > maxQueryBytes {
		http.Error(w, "query too long", http.StatusBadRequest)
		return
	}
	out, err := s.opts.Searcher.SearchAPI(r.Context(), params)
	if errors.Is(err, ErrBadQuery) {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err != nil {
		s.log.Error("web: api search", "query", params.Get("q"), "err", err)
		http.Error(w, "search failed; see the server log", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(out)
}
