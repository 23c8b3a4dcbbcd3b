package crawler_test

import (
	"bytes"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/noivu/noivu/archive"
	"github.com/noivu/noivu/internal/simportal"
)

// Articles that no page links are found through each way a site offers
// besides its pages: /sitemap.xml (looked for even when robots.txt does not
// name it), the RSS feed the home page's <link rel="alternate"> advertises,
// and a sitemap index that only robots.txt's Sitemap: line names.
func TestDiscoveryFromSitemapsAndFeeds(t *testing.T) {
	h := newHarness(t,
		simportal.Options{Layout: simportal.LayoutNukeViet, Articles: 15, Seed: 21, Orphans: true},
		simportal.Options{Layout: simportal.LayoutSonLa, Articles: 15, Seed: 22, Orphans: true},
		simportal.Options{Layout: simportal.LayoutDrupal, Articles: 15, Seed: 23, Orphans: true})
	h.crawl()
	got := h.articles()
	ways := []struct {
		via  string
		what string
		// layouts whose portal offers this way
		layouts []simportal.Layout
	}{
		{simportal.ViaSitemap, "/sitemap.xml (robots.txt does not name it)", []simportal.Layout{simportal.LayoutNukeViet, simportal.LayoutSonLa, simportal.LayoutDrupal}},
		{simportal.ViaFeed, "the RSS feed of the home page's <link rel=\"alternate\">", []simportal.Layout{simportal.LayoutNukeViet, simportal.LayoutDrupal}},
		{simportal.ViaRobots, "the child of a sitemap index that only robots.txt names", []simportal.Layout{simportal.LayoutNukeViet, simportal.LayoutSonLa, simportal.LayoutDrupal}},
	}
	for _, w := range ways {
		for _, l := range w.layouts {
			t.Run(w.via+"/"+string(l), func(t *testing.T) {
				s := siteOf(t, h, l)
				var found bool
				for _, o := range s.portal.Orphans() {
					if o.Via != w.via {
						continue
					}
					found = true
					a, ok := got[s.id][o.Path]
					if !ok {
						t.Errorf("%s: %s, listed only in %s, was not stored", s.id, o.Path, w.what)
						continue
					}
					checkArticle(t, s.id, o.Article, a)
				}
				if !found {
					t.Fatalf("%s: no article is listed only in %s: the test proves nothing", s.id, w.what)
				}
			})
		}
	}
	for _, s := range h.sites {
		if want := len(s.portal.Articles()) + len(s.portal.Orphans()); len(got[s.id]) != want {
			t.Errorf("%s: %d articles stored, want %d (the listed ones and the hidden ones)", s.id, len(got[s.id]), want)
		}
	}
}

func siteOf(t *testing.T, h *harness, l simportal.Layout) *site {
	t.Helper()
	for _, s := range h.sites {
		if s.id == string(l) {
			return s
		}
	}
	t.Fatalf("no %s site", l)
	return nil
}

// On a later run, a listing's pagination is walked only as far as it shows
// articles the store does not know, and one page more: with ten pages per
// category, new articles cost the home page and a page or two of each
// category, not a walk through every page.
//
// Three pagination styles: /page-N, ?page=N counted from 1 and (Drupal)
// ?page=N counted from 0. The first run reads every listing page (checked
// below).
func TestLaterRunsStopPaginationAtKnownArticles(t *testing.T) {
	const pageSize = 10
	opts := func(l simportal.Layout, seed int64) simportal.Options {
		return simportal.Options{Layout: l, Articles: 200, Categories: 2, PageSize: pageSize, Paragraphs: 3, Seed: seed}
	}
	h := newHarness(t, opts(simportal.LayoutNukeViet, 31), opts(simportal.LayoutSonLa, 32), opts(simportal.LayoutDrupal, 36))
	h.crawl()
	for _, s := range h.sites {
		pages := 0
		for _, n := range perCategory(s.portal.Articles()) {
			pages += (n + pageSize - 1) / pageSize
		}
		if walked := countKind(s.portal.Log(), "listing"); walked < pages {
			t.Fatalf("%s: the first run read %d listing pages of %d: the test proves nothing", s.id, walked, pages)
		}
		t.Logf("%s: %d listing pages, all read by the first run", s.id, pages)
	}
	for _, added := range []int{5, 25} {
		t.Run("after "+strconv.Itoa(added)+" new articles", func(t *testing.T) {
			news := map[string][]simportal.Article{}
			for _, s := range h.sites {
				s.portal.ResetLog()
				news[s.id] = s.portal.AddArticles(added)
			}
			h.now = h.now.Add(time.Hour)
			stats := h.crawl()
			got := h.articles()
			for _, s := range h.sites {
				// A category needs the pages that hold its new articles, and
				// the next one to see that it holds none.
				newIn, bound := perCategory(news[s.id]), 0
				for cat, n := range perCategory(s.portal.Articles()) {
					bound += min((n+pageSize-1)/pageSize, (newIn[cat]+pageSize-1)/pageSize+1)
				}
				log := s.portal.Log()
				if n := countKind(log, "home"); n != 1 {
					t.Errorf("%s: home page fetched %d times", s.id, n)
				}
				if n := countKind(log, "listing"); n > bound {
					t.Errorf("%s: %d listing pages fetched, want at most %d: the pages holding new articles and the one after them, per category", s.id, n, bound)
				}
				full := 0
				for _, r := range log {
					switch r.Kind {
					case "article":
						if r.Status == http.StatusOK {
							full++
						}
					case "home", "listing", "robots", "sitemap", "feed", "attachment":
					default:
						t.Errorf("%s: asked for %s %s, which nothing new links", s.id, r.Kind, r.Path)
					}
				}
				if full != added || stats[s.id].New != added {
					t.Errorf("%s: %d article downloads, %d stored as new; want %d", s.id, full, stats[s.id].New, added)
				}
				for _, a := range news[s.id] {
					if _, ok := got[s.id][a.Path]; !ok {
						t.Errorf("%s: new article %s not stored", s.id, a.Path)
					}
				}
				t.Logf("%s: %d requests, %d listing pages (bound %d)", s.id, len(log), countKind(log, "listing"), bound)
			}
		})
	}
}

func perCategory(arts []simportal.Article) map[string]int {
	out := map[string]int{}
	for _, a := range arts {
		out[a.Category]++
	}
	return out
}

func countKind(log []simportal.Request, kind string) int {
	n := 0
	for _, r := range log {
		if r.Kind == kind {
			n++
		}
	}
	return n
}

// Every document an article attaches is archived: a whole 200 response of
// its URL, the bytes the site served, readable back from its capture.
func TestAttachmentsAreArchived(t *testing.T) {
	h := newHarness(t, layouts()...)
	h.crawl()
	got := h.articles()
	records := map[string]archive.Record{}
	err := archive.Walk(t.Context(), filepath.Join(h.dir, "warc"), func(r archive.Record) error {
		if r.Type == "response" {
			records[r.URL] = r
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range h.sites {
		var checked int
		var missing []string
		for _, w := range s.portal.Articles() {
			a, ok := got[s.id][w.Path]
			if !ok {
				t.Errorf("%s: article %s not stored", s.id, w.Path)
				continue
			}
			listed := map[string]bool{}
			for _, at := range a.Attachments {
				listed[at.URL] = true
			}
			for _, p := range w.Attachments {
				u := s.srv.URL + p
				checked++
				if !listed[u] {
					t.Errorf("%s %s: the stored article does not list its attachment %s", s.id, w.Path, u)
				}
				rec, ok := records[u]
				if !ok {
					missing = append(missing, p)
					continue
				}
				back, err := archive.ReadCapture(filepath.Join(h.dir, "warc"), rec.Capture)
				if err != nil {
					t.Errorf("%s: attachment %s: its capture does not read back: %v", s.id, u, err)
					continue
				}
				if want := fetch(t, u); back.StatusCode != http.StatusOK || !bytes.Equal(back.Body, want) {
					t.Errorf("%s: attachment %s archived as %d with %d bytes; the site serves %d bytes", s.id, u, back.StatusCode, len(back.Body), len(want))
				}
			}
		}
		if len(missing) > 0 {
			t.Errorf("%s: %d of %d attachments have no response record in the WARC files: %v", s.id, len(missing), checked, missing)
		}
		if checked == 0 {
			t.Errorf("%s: no article has an attachment: the test proves nothing", s.id)
		}
	}
}

// fetch returns the body the site serves at u.
func fetch(t *testing.T, u string) []byte {
	t.Helper()
	res, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
