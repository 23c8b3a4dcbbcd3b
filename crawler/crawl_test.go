package crawler_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/noivu/noivu/archive"
	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/config"
	"github.com/noivu/noivu/crawler"
	"github.com/noivu/noivu/internal/simportal"
	"github.com/noivu/noivu/store"
)

// site is one simulated portal served on 127.0.0.1.
type site struct {
	id     string
	portal *simportal.Portal
	srv    *httptest.Server
}

// harness crawls simulated portals into a temporary data_dir, opening the
// store and archive afresh for every run as separate `noivu crawl` processes
// would.
type harness struct {
	t     *testing.T
	dir   string
	sites []*site
	cfg   *config.Config
	now   time.Time
}

func newHarness(t *testing.T, opts ...simportal.Options) *harness {
	t.Helper()
	h := &harness{t: t, dir: t.TempDir(), now: time.Now()}
	h.cfg = &config.Config{
		DataDir:   h.dir,
		UserAgent: "noivu-test/1.0",
		Crawl: config.Crawl{Delay: 0, Concurrency: 3, Timeout: 30 * time.Second, MaxDepth: 4, MaxPages: 5000,
			MaxBodyBytes: 10 << 20, RecheckMin: 24 * time.Hour, RecheckMax: 720 * time.Hour},
	}
	for _, o := range opts {
		p := simportal.New(o)
		srv := httptest.NewServer(p)
		t.Cleanup(srv.Close)
		s := &site{id: string(o.Layout), portal: p, srv: srv}
		h.sites = append(h.sites, s)
		src := config.Source{StartURLs: nil}
		src.ID, src.Name, src.Province, src.URL = s.id, "Sở Nội vụ "+s.id, "Tỉnh "+s.id, srv.URL+"/"
		h.cfg.Sources = append(h.cfg.Sources, src)
	}
	return h
}

// crawl runs one pass over every site and returns the statistics by source.
func (h *harness) crawl() map[string]article.RunStats {
	h.t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(h.dir, "noivu.db"))
	if err != nil {
		h.t.Fatal(err)
	}
	defer st.Close()
	ar, err := archive.Open(ctx, archive.Options{Dir: filepath.Join(h.dir, "warc")})
	if err != nil {
		h.t.Fatal(err)
	}
	defer ar.Close()
	c := crawler.New(h.cfg, st, ar, crawler.WithClock(func() time.Time { return h.now }))
	out := map[string]article.RunStats{}
	for _, s := range c.Run(ctx, h.cfg.Sources) {
		out[s.SourceID] = s
	}
	return out
}

// articles returns what the store holds, by source and URL path.
func (h *harness) articles() map[string]map[string]article.Article {
	h.t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(h.dir, "noivu.db"))
	if err != nil {
		h.t.Fatal(err)
	}
	defer st.Close()
	out := map[string]map[string]article.Article{}
	err = st.EachArticle(ctx, "", func(a article.Article) error {
		if out[a.SourceID] == nil {
			out[a.SourceID] = map[string]article.Article{}
		}
		i := strings.Index(a.URL[len("http://"):], "/")
		out[a.SourceID][a.URL[len("http://")+i:]] = a
		return nil
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return out
}

// warcResponses counts the response records per URL in the archive.
func (h *harness) warcResponses() map[string]int {
	h.t.Helper()
	out := map[string]int{}
	err := archive.Walk(context.Background(), filepath.Join(h.dir, "warc"), func(r archive.Record) error {
		if r.Type == "response" {
			out[r.URL]++
		}
		return nil
	})
	if err != nil {
		h.t.Fatal(err)
	}
	return out
}

func layouts() []simportal.Options {
	return []simportal.Options{
		{Layout: simportal.LayoutNukeViet, Articles: 35, Seed: 1},
		{Layout: simportal.LayoutSonLa, Articles: 35, Seed: 2},
		{Layout: simportal.LayoutDrupal, Articles: 35, Seed: 3},
	}
}

// A first crawl stores every article once, with the right fields, asks for
// nothing robots.txt forbids, stays out of the calendar, and archives every
// response it received.
func TestCrawlArchivesEveryArticleOnce(t *testing.T) {
	h := newHarness(t, layouts()...)
	stats := h.crawl()
	got := h.articles()
	warc := h.warcResponses()
	for _, s := range h.sites {
		st := stats[s.id]
		if st.Err != "" {
			t.Errorf("%s: pass error %q", s.id, st.Err)
		}
		want := s.portal.Articles()
		if len(got[s.id]) != len(want) || st.New != len(want) {
			t.Errorf("%s: stored %d articles (stats new %d), portal has %d", s.id, len(got[s.id]), st.New, len(want))
		}
		wantPaths := map[string]bool{}
		for _, w := range want {
			wantPaths[w.Path] = true
		}
		for p, a := range got[s.id] {
			if !wantPaths[p] {
				t.Errorf("%s: %s stored as an article (%q) but it is not one", s.id, p, a.Title)
			}
		}
		for _, w := range want {
			a, ok := got[s.id][w.Path]
			if !ok {
				t.Errorf("%s: article %s not stored", s.id, w.Path)
				continue
			}
			checkArticle(t, s.id, w, a)
		}
		log := s.portal.Log()
		calendar, responses := 0, 0
		for _, r := range log {
			switch r.Kind {
			case "disallowed":
				t.Errorf("%s: requested %s, which robots.txt disallows", s.id, r.Path)
			case "calendar":
				calendar++
			}
			if r.Status != 0 {
				responses++
				if warc[s.srv.URL+r.Path] == 0 {
					t.Errorf("%s: response to %s (status %d) is not in the WARC files", s.id, r.Path, r.Status)
				}
			}
			if r.Kind == "article" && r.Status == 200 && warc[s.srv.URL+r.Path] != 1 {
				t.Errorf("%s: article %s archived %d times, want once", s.id, r.Path, warc[s.srv.URL+r.Path])
			}
		}
		if calendar > 40 {
			t.Errorf("%s: %d calendar requests: the trap is not bounded", s.id, calendar)
		}
		if st.RobotsSkipped == 0 {
			t.Errorf("%s: robots_skipped is 0 but the home page links the disallowed area", s.id)
		}
		t.Logf("%s: %d requests, %d calendar, stats %+v", s.id, len(log), calendar, st)
	}
}

func checkArticle(t *testing.T, site string, w simportal.Article, a article.Article) {
	t.Helper()
	if a.Title != w.Title {
		t.Errorf("%s %s: title %q, want %q", site, w.Path, a.Title, w.Title)
	}
	if !a.Published.Equal(w.Published) || a.DateOnly != w.DateOnly {
		t.Errorf("%s %s: published %v (date only %v), want %v (%v)", site, w.Path, a.Published, a.DateOnly, w.Published, w.DateOnly)
	}
	if _, off := a.Published.Zone(); !a.Published.IsZero() && off != 7*3600 {
		t.Errorf("%s %s: published offset %d s, want +07:00", site, w.Path, off)
	}
	if a.Author != w.Author {
		t.Errorf("%s %s: author %q, want %q", site, w.Path, a.Author, w.Author)
	}
	for _, para := range w.Text {
		if !strings.Contains(a.Text, para) {
			t.Errorf("%s %s: body lacks paragraph %q", site, w.Path, clip(para))
			break
		}
	}
	if a.Capture.File == "" {
		t.Errorf("%s %s: no WARC capture recorded", site, w.Path)
	}
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

// After five new articles appear, the next run downloads those five and a
// few listing pages, and re-checks nothing that is not due.
func TestSecondRunDownloadsOnlyWhatIsNew(t *testing.T) {
	h := newHarness(t, layouts()...)
	h.crawl()
	for _, s := range h.sites {
		s.portal.ResetLog()
		s.portal.AddArticles(5)
	}
	h.now = h.now.Add(time.Hour)
	stats := h.crawl()
	got := h.articles()
	for _, s := range h.sites {
		if stats[s.id].New != 5 {
			t.Errorf("%s: second run stored %d new articles, want 5", s.id, stats[s.id].New)
		}
		if len(got[s.id]) != len(s.portal.Articles()) {
			t.Errorf("%s: %d articles stored, portal has %d", s.id, len(got[s.id]), len(s.portal.Articles()))
		}
		full, listings, other := 0, 0, 0
		for _, r := range s.portal.Log() {
			switch {
			case r.Kind == "article" && r.Status == 200:
				full++
			case r.Kind == "listing" || r.Kind == "home":
				listings++
			case r.Kind == "robots" || r.Kind == "sitemap" || r.Kind == "feed":
			case r.Kind == "attachment":
				other++ // the new articles' documents
			default:
				t.Errorf("%s: second run asked for %s %s (-> %d): nothing old or static is due", s.id, r.Kind, r.Path, r.Status)
			}
		}
		if full > 5 {
			t.Errorf("%s: %d full article downloads, want at most 5", s.id, full)
		}
		if listings > 8 {
			t.Errorf("%s: %d listing pages fetched, want a few", s.id, listings)
		}
		t.Logf("%s: second run: %d article downloads, %d listing pages, %d attachments", s.id, full, listings, other)
	}
}

// With faults on, a run completes, and later runs retry until every article
// is archived.
func TestFaultsAreRetriedOnLaterRuns(t *testing.T) {
	h := newHarness(t, layouts()...)
	h.cfg.Crawl.Timeout = time.Second // shorter than the stall; later runs retry anything slow
	for _, s := range h.sites {
		s.portal.SetFaults(simportal.Faults{
			Kinds:    []simportal.Fault{simportal.Fault500, simportal.FaultReset, simportal.FaultTruncate, simportal.FaultStall},
			Fraction: 0.3, Times: 2, StallFor: 3 * time.Second,
		})
	}
	first := h.crawl()
	for _, s := range h.sites {
		if first[s.id].Failed == 0 {
			t.Errorf("%s: no failure counted with faults on", s.id)
		}
	}
	for run := 2; run <= 6; run++ {
		h.now = h.now.Add(25 * time.Hour)
		h.crawl()
		done := true
		got := h.articles()
		for _, s := range h.sites {
			if len(got[s.id]) != len(s.portal.Articles()) {
				done = false
			}
		}
		if done {
			t.Logf("every article archived after %d runs", run)
			return
		}
	}
	got := h.articles()
	for _, s := range h.sites {
		t.Errorf("%s: %d of %d articles archived after 6 runs", s.id, len(got[s.id]), len(s.portal.Articles()))
	}
}
