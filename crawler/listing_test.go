package crawler_test

import (
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/noivu/noivu/internal/simportal"
)

// On a portal with no sitemap and no feed, the listings and their pagination
// are the only way to older articles: a first run reads every page of every
// category, each once, and stores every article. The portals are shaped as
// real ones are: a category's first page repeats the headlines of the home
// page (so that hardly any of its links are its own), and in the Drupal
// layout a thumbnail link comes before each headline.
func TestFirstRunReadsEveryListingPage(t *testing.T) {
	shapes := []struct {
		name                           string
		articles, categories, pageSize int
		seed                           int64
	}{
		// Three categories of four pages: the home page shows four
		// headlines of each, nearly all of a category's first page.
		{"small pages", 60, 3, 5, 31},
		{"ten per page", 200, 2, 10, 36},
		{"one category", 45, 1, 10, 7},
		// No pagination: a category page is a listing by its own
		// headlines, half of them behind a thumbnail link.
		{"one page per category", 30, 2, 20, 12},
	}
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			var opts []simportal.Options
			for _, l := range []simportal.Layout{simportal.LayoutNukeViet, simportal.LayoutSonLa, simportal.LayoutDrupal} {
				opts = append(opts, simportal.Options{Layout: l, Articles: sh.articles, Categories: sh.categories,
					PageSize: sh.pageSize, Paragraphs: 3, Seed: sh.seed, PagesOnly: true})
			}
			h := newHarness(t, opts...)
			h.crawl()
			got := h.articles()
			for _, s := range h.sites {
				pages, firsts := 0, 0
				for _, n := range perCategory(s.portal.Articles()) {
					pages += (n + sh.pageSize - 1) / sh.pageSize
					firsts++
				}
				read := listingReads(s.portal.Log())
				var twice []string
				for uri, n := range read {
					if n > 1 {
						twice = append(twice, uri)
					}
				}
				sort.Strings(twice)
				if len(read) != pages {
					t.Errorf("%s: %d listing pages read, want every one of the %d (%d categories): %v",
						s.id, len(read), pages, firsts, keys(read))
				}
				if len(twice) > 0 {
					t.Errorf("%s: listing pages read more than once in one run: %v", s.id, twice)
				}
				missing := 0
				for _, a := range s.portal.Articles() {
					if _, ok := got[s.id][a.Path]; !ok {
						missing++
					}
				}
				if missing > 0 {
					t.Errorf("%s: %d of %d articles not stored", s.id, missing, len(s.portal.Articles()))
				}

				// A later run reads each category's first page again: the
				// store took it for a listing, not for a static page.
				s.portal.ResetLog()
			}
			h.now = h.now.Add(time.Hour)
			h.crawl()
			for _, s := range h.sites {
				firsts := map[string]bool{}
				for uri := range listingReads(s.portal.Log()) {
					if !strings.Contains(uri, "page") {
						firsts[uri] = true
					}
				}
				if want := len(perCategory(s.portal.Articles())); len(firsts) != want {
					t.Errorf("%s: the second run read the first page of %d categories, want %d: %v", s.id, len(firsts), want, keys(firsts))
				}
			}
		})
	}
}

// listingReads counts the listing pages a portal answered, by request URI.
func listingReads(log []simportal.Request) map[string]int {
	out := map[string]int{}
	for _, r := range log {
		if r.Kind == "listing" && (r.Status == http.StatusOK || r.Status == http.StatusNotModified) {
			out[r.Path]++
		}
	}
	return out
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
