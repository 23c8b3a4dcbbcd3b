package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"time"

	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/feed"
)

// handleFeed serves the feeds of one kind of scope in one format.
func (s *Server) handleFeed(ext, kind string) http.HandlerFunc {
	f, _ := feed.ParseFormat(ext)
	return func(w http.ResponseWriter, r *http.Request) {
		sc := scope{kind: kind}
		switch kind {
		case "source":
			sc.key = r.PathValue("id")
		case "province":
			sc.key = r.PathValue("slug")
		}
		q := r.URL.Query()
		if id := q.Get("source"); id != "" && kind == "all" {
			sc = scope{"source", id}
		}
		if !s.known(sc) {
			http.Error(w, "no such feed: unknown "+sc.kind+" "+quote(sc.key), http.StatusNotFound)
			return
		}
		limit, err := parseLimit(q.Get("limit"), DefaultLimit, MaxLimit)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		query, err := parseQuery(q.Get("q"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var e *entry
		if query != "" {
			if s.opts.Searcher == nil {
				http.Error(w, "search index not available yet: ?q= feeds need it", http.StatusNotImplemented)
				return
			}
			e, err = s.searchFeed(r.Context(), sc, query, limit, f)
		} else {
			e, err = s.feedEntry(r.Context(), sc, limit, f)
		}
		if unavailable(w, err) {
			return
		}
		if errors.Is(err, ErrBadQuery) {
			http.Error(w, userMessage(err), http.StatusBadRequest)
			return
		}
		if err != nil {
			s.logFailure(r, "web: feed", "path", r.URL.Path, "err", err)
			http.Error(w, "could not build this feed; see the server log", http.StatusInternalServerError)
			return
		}
		serve(w, r, e)
	}
}

func (s *Server) known(sc scope) bool {
	switch sc.kind {
	case "source":
		_, ok := s.byID[sc.key]
		return ok
	case "province":
		_, ok := s.provBySlg[sc.key]
		return ok
	}
	return true
}

// feedEntry returns the prebuilt feed, or the memoised variant for another
// limit, rendering it on its first request in this snapshot.
func (s *Server) feedEntry(ctx context.Context, sc scope, limit int, f feed.Format) (*entry, error) {
	sn := s.snap.Load()
	if limit == DefaultLimit {
		return sn.feeds[sc.path(f)], nil
	}
	key := sc.path(f) + "?limit=" + strconv.Itoa(limit)
	if e := sn.variant(key); e != nil {
		return e, nil
	}
	list := sn.lists[sc]
	if limit <= len(list) || len(list) < DefaultLimit {
		list = list[:min(limit, len(list))]
	} else {
		var err error
		if list, err = s.readScope(ctx, sc, limit); err != nil {
			return nil, err
		}
	}
	e, err := s.render(sc, "?limit="+strconv.Itoa(limit), list, f)
	if err != nil {
		return nil, err
	}
	sn.keep(key, e)
	return e, nil
}

func (sn *snapshot) variant(key string) *entry {
	sn.mu.Lock()
	defer sn.mu.Unlock()
	return sn.variants[key]
}

func (sn *snapshot) keep(key string, e *entry) {
	sn.mu.Lock()
	defer sn.mu.Unlock()
	if len(sn.variants) < maxVariants {
		sn.variants[key] = e
	}
}

// searchTTL is how long a search feed is kept: the index lags the store,
// so a snapshot change is not the only thing that changes its answer.
const searchTTL = time.Minute

// searchCache memoises search feeds for searchTTL.
type searchCache struct {
	mu      sync.Mutex
	entries map[string]searchHit
}

type searchHit struct {
	e       *entry
	expires time.Time
}

// searchFeed is the feed of the articles matching query within sc.
func (s *Server) searchFeed(ctx context.Context, sc scope, query string, limit int, f feed.Format) (*entry, error) {
	qs := url.Values{"q": {query}}
	if limit != DefaultLimit {
		qs.Set("limit", strconv.Itoa(limit))
	}
	self := "?" + qs.Encode()
	key := sc.path(f) + self
	now := s.opts.Now()
	if e := s.searches.get(key, now); e != nil {
		return e, nil
	}
	list, err := s.search(ctx, sc, query, limit)
	if err != nil {
		return nil, err
	}
	m := s.meta(sc, self)
	m.ID = feed.FeedID("search", sc.kind+":"+sc.key+":"+query)
	m.Title = "Tìm kiếm “" + plainText(query) + "” — " + m.Title
	doc := feed.New(m, list, s.byID)
	b, err := doc.Render(f)
	if err != nil {
		return nil, err
	}
	e := newEntry(b, f.ContentType(), feedCache, doc.Updated())
	s.searches.put(key, e, now.Add(searchTTL))
	return e, nil
}

// search asks the Searcher and loads the hits, newest first.
func (s *Server) search(ctx context.Context, sc scope, query string, limit int) ([]article.Article, error) {
	ids, err := s.searchIDs(ctx, sc, query, limit)
	if err != nil {
		return nil, err
	}
	in := map[string]bool{}
	for _, id := range s.sourcesOf(sc) {
		in[id] = true
	}
	var list []article.Article
	for _, id := range ids {
		a, ok, err := s.opts.Store.Article(ctx, id)
		if err != nil {
			return nil, err
		}
		if ok && in[a.SourceID] {
			list = append(list, s.feedSafe(a))
		}
		if len(list) == limit {
			break
		}
	}
	return list, nil
}

// searchPage is the most hits one SearchParams may ask for.
const searchPage = 100

// searchIDs returns the ids of at most limit articles of sc matching query,
// newest first. A province covers several sources: they go to the searcher
// as its source filter, so that the hits are the province's own and a small
// province is not crowded out by the big ones. SearchIDs takes one source,
// so a province asks Search, a page at a time.
func (s *Server) searchIDs(ctx context.Context, sc scope, query string, limit int) ([]string, error) {
	switch sc.kind {
	case "source":
		return s.opts.Searcher.SearchIDs(ctx, query, sc.key, limit)
	case "all":
		return s.opts.Searcher.SearchIDs(ctx, query, "", limit)
	}
	p := SearchParams{Query: query, Source: s.sourcesOf(sc), Sort: "newest"}
	var ids []string
	for len(ids) < limit {
		p.From, p.Size = len(ids), min(limit-len(ids), searchPage)
		res, err := s.opts.Searcher.Search(ctx, p)
		if err != nil {
			return nil, err
		}
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		if len(res.Hits) < p.Size {
			break
		}
	}
	return ids, nil
}

func (c *searchCache) get(key string, now time.Time) *entry {
	c.mu.Lock()
	defer c.mu.Unlock()
	if h, ok := c.entries[key]; ok && now.Before(h.expires) {
		return h.e
	}
	return nil
}

func (c *searchCache) put(key string, e *entry, expires time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= maxVariants {
		c.entries = map[string]searchHit{} // crude, but bounded
	}
	c.entries[key] = searchHit{e, expires}
}
