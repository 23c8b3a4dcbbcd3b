package web

import (
	"context"
	"errors"
	"sort"
	"sync"
	"time"

	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/feed"
	"github.com/noivu/noivu/store"
)

// chartWeeks is how many weeks the health page's charts cover.
const chartWeeks = 12

// maxVariants bounds the variants a snapshot keeps; past it they are
// rendered for the request and dropped.
const maxVariants = 256

// sourceData is what a snapshot holds of one source.
type sourceData struct {
	items  []article.Article // newest first, at most DefaultLimit
	recent []time.Time       // publication times within the chart window
}

// snapshot is everything served at one change_seq; it is never modified
// once published, except for the variants memo under mu.
type snapshot struct {
	seq      int64
	built    time.Time
	data     map[string]*sourceData
	lists    map[scope][]article.Article // the DefaultLimit newest of each scope
	feeds    map[string]*entry           // by path, default limit
	pages    map[string]*entry           // HTML pages, OPML, OpenSearch, CSS by path
	statuses []store.SourceStatus

	mu       sync.Mutex
	variants map[string]*entry
}

var errStop = errors.New("web: enough articles")

// scopes lists every prebuilt scope: all, each source, each province.
func (s *Server) scopes() []scope {
	out := []scope{scopeAll}
	for _, src := range s.opts.Sources {
		out = append(out, scope{"source", src.ID})
	}
	for _, p := range s.provs {
		out = append(out, scope{"province", p.Slug})
	}
	return out
}

// sourcesOf returns the source ids a scope covers.
func (s *Server) sourcesOf(sc scope) []string {
	switch sc.kind {
	case "source":
		return []string{sc.key}
	case "province":
		return s.provBySlg[sc.key].Sources
	}
	ids := make([]string, len(s.opts.Sources))
	for i, src := range s.opts.Sources {
		ids[i] = src.ID
	}
	return ids
}

// build makes the snapshot at seq: it re-reads the sources in changed (all
// when nil) and re-renders the scopes that cover them; the rest is old's.
func (s *Server) build(ctx context.Context, old *snapshot, seq int64, changed map[string]bool,
	statuses []store.SourceStatus) (*snapshot, error) {
	sn := &snapshot{seq: seq, built: s.opts.Now(), data: map[string]*sourceData{},
		lists: map[scope][]article.Article{}, feeds: map[string]*entry{}, statuses: statuses,
		variants: map[string]*entry{}}
	fresh := func(id string) bool { return old == nil || changed == nil || changed[id] }
	for _, src := range s.opts.Sources {
		if !fresh(src.ID) {
			sn.data[src.ID] = old.data[src.ID]
			continue
		}
		d, err := s.readSource(ctx, src.ID)
		if err != nil {
			return nil, err
		}
		sn.data[src.ID] = d
	}
	for _, sc := range s.scopes() {
		ids := s.sourcesOf(sc)
		dirty := false
		for _, id := range ids {
			dirty = dirty || fresh(id)
		}
		if !dirty {
			sn.lists[sc] = old.lists[sc]
			for _, f := range feed.Formats {
				sn.feeds[sc.path(f)] = old.feeds[sc.path(f)]
			}
			continue
		}
		lists := make([][]article.Article, len(ids))
		for i, id := range ids {
			lists[i] = sn.data[id].items
		}
		sn.lists[sc] = merge(DefaultLimit, lists...)
		for _, f := range feed.Formats {
			e, err := s.render(sc, "", sn.lists[sc], f)
			if err != nil {
				return nil, err
			}
			sn.feeds[sc.path(f)] = e
		}
	}
	return sn, s.buildPages(sn)
}

// withPages returns a copy of sn at seq with new statuses and pages: the
// health page changes with every crawl run even when no article does.
func (sn *snapshot) withPages(s *Server, seq int64, statuses []store.SourceStatus) (*snapshot, error) {
	cp := &snapshot{seq: seq, built: sn.built, data: sn.data, lists: sn.lists, feeds: sn.feeds,
		statuses: statuses, variants: map[string]*entry{}}
	return cp, s.buildPages(cp)
}

// readSource reads a source's newest articles and its recent publication times.
func (s *Server) readSource(ctx context.Context, id string) (*sourceData, error) {
	window := s.opts.Now().AddDate(0, 0, -7*chartWeeks)
	d := &sourceData{}
	err := s.opts.Store.EachArticle(ctx, id, func(a article.Article) error {
		if len(d.items) < DefaultLimit {
			d.items = append(d.items, s.feedSafe(a))
		}
		if a.Published.After(window) {
			d.recent = append(d.recent, a.Published)
			return nil
		}
		if len(d.items) >= DefaultLimit {
			return errStop
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return nil, err
	}
	return d, nil
}

// readScope reads the limit newest articles of a scope from the store, for
// limits beyond what snapshots hold.
func (s *Server) readScope(ctx context.Context, sc scope, limit int) ([]article.Article, error) {
	ids := []string{""}
	if sc.kind != "all" {
		ids = s.sourcesOf(sc)
	}
	lists := make([][]article.Article, len(ids))
	for i, id := range ids {
		err := s.opts.Store.EachArticle(ctx, id, func(a article.Article) error {
			if sc.kind == "all" {
				if _, ok := s.byID[a.SourceID]; !ok {
					return nil // a source no longer configured has no feed of its own either
				}
			}
			lists[i] = append(lists[i], s.feedSafe(a))
			if len(lists[i]) >= limit {
				return errStop
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			return nil, err
		}
	}
	return merge(limit, lists...), nil
}

// merge returns the limit newest articles of lists, each newest first.
func merge(limit int, lists ...[]article.Article) []article.Article {
	var all []article.Article
	for _, l := range lists {
		all = append(all, l...)
	}
	sort.SliceStable(all, func(i, j int) bool { return newer(&all[i], &all[j]) })
	if len(all) > limit {
		all = all[:limit]
	}
	return all
}

// newer orders as the store does: published newest first, undated last,
// then by id.
func newer(a, b *article.Article) bool {
	if !a.Published.Equal(b.Published) {
		return a.Published.After(b.Published)
	}
	return a.ID < b.ID
}

// render builds the response for list as scope sc's feed in format f;
// query is appended to the self link.
func (s *Server) render(sc scope, query string, list []article.Article, f feed.Format) (*entry, error) {
	doc := feed.New(s.meta(sc, query), list, s.byID)
	b, err := doc.Render(f)
	if err != nil {
		return nil, err
	}
	lastMod := doc.Updated()
	for i := range list {
		if list[i].FetchedAt.After(lastMod) {
			lastMod = list[i].FetchedAt // a re-fetched article may have new content
		}
	}
	return newEntry(b, f.ContentType(), feedCache, lastMod), nil
}

// meta describes scope sc's feed.
func (s *Server) meta(sc scope, query string) feed.Meta {
	m := feed.Meta{ID: feed.FeedID(sc.kind, sc.key), Author: "noivu", HomeURL: s.base + "/",
		Title:       "Sở Nội vụ các tỉnh, thành phố",
		Description: "Tin bài mới của các Sở Nội vụ, lưu trữ bởi noivu", Self: map[feed.Format]string{}}
	switch sc.kind {
	case "source":
		src := s.byID[sc.key]
		m.Title, m.HomeURL = src.Name, src.URL
		m.Description = "Tin bài mới của " + src.Name
	case "province":
		p := s.provBySlg[sc.key]
		m.Title = "Sở Nội vụ " + p.Name
		m.Description = "Tin bài mới của các Sở Nội vụ thuộc " + p.Name
	case "search":
		m.Title = "Tìm kiếm: " + sc.key
		m.Description = "Tin bài khớp với “" + sc.key + "”"
	}
	for _, f := range feed.Formats {
		m.Self[f] = s.base + sc.path(f) + query
	}
	return m
}
