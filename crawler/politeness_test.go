package crawler_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/noivu/noivu/config"
	"github.com/noivu/noivu/internal/simportal"
)

// Every request a pass makes, robots.txt, sitemaps, feeds, pages,
// attachments and the retry after a 429 included, carries the User-Agent of
// the config, by which a site's operator knows who is asking.
func TestEveryRequestCarriesTheConfiguredUserAgent(t *testing.T) {
	const ua = "noivu-ua-probe/2.3 (+https://example.org/lien-he)"
	h := newHarness(t,
		simportal.Options{Layout: simportal.LayoutNukeViet, Articles: 12, Seed: 41, Orphans: true},
		simportal.Options{Layout: simportal.LayoutSonLa, Articles: 12, Seed: 42, Orphans: true},
		simportal.Options{Layout: simportal.LayoutDrupal, Articles: 12, Seed: 43, Orphans: true})
	h.cfg.UserAgent = ua
	retried := h.sites[0]
	retried.portal.SetFaults(simportal.Faults{Kinds: []simportal.Fault{simportal.Fault429}, Paths: []string{retried.portal.Articles()[0].Path}, Times: 1, RetryAfter: 1})
	h.crawl()
	for _, s := range h.sites {
		kinds := map[string]bool{}
		var wrong []string
		for _, r := range s.portal.Log() {
			kinds[r.Kind] = true
			if r.UserAgent != ua {
				wrong = append(wrong, fmt.Sprintf("%s %s (%s): %q", r.Method, r.Path, r.Kind, r.UserAgent))
			}
		}
		if len(wrong) > 0 {
			t.Errorf("%s: %d of %d requests without User-Agent %q, such as\n%s", s.id, len(wrong), len(s.portal.Log()), ua, strings.Join(wrong[:min(5, len(wrong))], "\n"))
		}
		want := []string{"robots", "home", "listing", "article", "sitemap", "attachment"}
		if s.id != string(simportal.LayoutSonLa) { // the one layout without a feed
			want = append(want, "feed")
		}
		for _, k := range want {
			if !kinds[k] {
				t.Errorf("%s: no %s request: the check did not cover it", s.id, k)
			}
		}
	}
	statuses := map[int]int{}
	for _, r := range retried.portal.Log() {
		if r.Path == retried.portal.Articles()[0].Path {
			statuses[r.Status]++
		}
	}
	if statuses[http.StatusTooManyRequests] != 1 || statuses[http.StatusOK] != 1 {
		t.Errorf("%s: the 429 and its retry: statuses %v", retried.id, statuses)
	}
}

// crawl.max_depth bounds the link hops to menu-like pages, counted from
// each seed (the home page, and every start_urls entry): a chain of pages,
// each linking the next, is read as deep as max_depth and no deeper.
// Articles, sitemaps, feeds and attachments are not bounded (README: "for
// non-article links"), nor is pagination, which is no hop.
func TestMaxDepthBoundsMenuHops(t *testing.T) {
	const chain = 8
	tests := []struct {
		name      string
		maxDepth  int
		startURLs []int // chain pages given as start_urls
		want      []int // chain pages fetched
	}{
		{"0: no menu page", 0, nil, nil},
		{"1", 1, nil, []int{1}},
		{"3", 3, nil, []int{1, 2, 3}},
		{"2 from a start_url too", 2, []int{5}, []int{1, 2, 5, 6, 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, simportal.Options{Layout: simportal.LayoutNukeViet, Articles: 30, Categories: 2, PageSize: 10, Paragraphs: 3, Seed: 31, Chain: chain})
			s := h.sites[0]
			h.cfg.Crawl.MaxDepth = tt.maxDepth
			for _, k := range tt.startURLs {
				h.cfg.Sources[0].StartURLs = append(h.cfg.Sources[0].StartURLs, s.srv.URL+simportal.ChainPrefix+strconv.Itoa(k))
			}
			h.crawl()
			var got []int
			kinds := map[string]int{}
			for _, r := range s.portal.Log() {
				kinds[r.Kind]++
				if r.Kind == "chain" {
					k, _ := strconv.Atoi(strings.TrimPrefix(r.Path, simportal.ChainPrefix))
					got = append(got, k)
				}
			}
			sort.Ints(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("max_depth %d, start_urls %v: chain pages %v fetched, want %v", tt.maxDepth, tt.startURLs, got, tt.want)
			}
			stored := h.articles()[s.id]
			if len(stored) != len(s.portal.Articles()) {
				t.Errorf("max_depth %d: %d of %d articles stored; articles are not bounded by depth", tt.maxDepth, len(stored), len(s.portal.Articles()))
			}
			switch tt.maxDepth {
			case 0:
				// The category pages are one hop from the home page and in no
				// sitemap (NukeViet's sitemap of articles lists no hubs).
				if kinds["listing"] > 0 {
					t.Errorf("max_depth 0: %d listing pages fetched, each one hop from the home page", kinds["listing"])
				}
			case 1:
				pages := 0
				for _, n := range perCategory(s.portal.Articles()) {
					pages += (n + 9) / 10
				}
				if kinds["listing"] < pages {
					t.Errorf("max_depth 1: %d listing pages of %d read; pagination is not a hop", kinds["listing"], pages)
				}
			}
		})
	}
}

// Nothing outside the source's host is asked for, whatever way leads there:
// a headline, a menu entry and an attachment on the home page, a feed its
// head advertises, a Sitemap: line of robots.txt, sitemap and feed entries.
// The other site shares the source's IP address and differs by its port
// only, which is a different host.
func TestNothingOutsideTheSourceHost(t *testing.T) {
	var mu sync.Mutex
	var asked []string
	other := simportal.New(simportal.Options{Layout: simportal.LayoutNukeViet, Articles: 12, Seed: 51, Orphans: true})
	otherSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.URL.RequestURI())
		mu.Unlock()
		other.ServeHTTP(w, r)
	}))
	defer otherSrv.Close()
	h := newHarness(t,
		simportal.Options{Layout: simportal.LayoutNukeViet, Articles: 12, Seed: 52, Offsite: otherSrv.URL},
		simportal.Options{Layout: simportal.LayoutSonLa, Articles: 12, Seed: 53, Offsite: otherSrv.URL},
		simportal.Options{Layout: simportal.LayoutDrupal, Articles: 12, Seed: 54, Offsite: otherSrv.URL})
	for _, s := range h.sites {
		if home := fetch(t, s.srv.URL+"/"); !strings.Contains(string(home), otherSrv.URL+"/") {
			t.Fatalf("%s: the home page does not link %s: the test proves nothing", s.id, otherSrv.URL)
		}
	}
	h.crawl()
	mu.Lock()
	defer mu.Unlock()
	if len(asked) > 0 {
		t.Errorf("another host (%s) was asked for %d URLs, such as %v", otherSrv.URL, len(asked), asked[:min(8, len(asked))])
	}
	got := h.articles()
	for _, s := range h.sites {
		for _, a := range got[s.id] {
			if !strings.HasPrefix(a.URL, s.srv.URL+"/") {
				t.Errorf("%s: stored %s, which is not on the source's host", s.id, a.URL)
				break
			}
		}
		if len(got[s.id]) != len(s.portal.Articles()) {
			t.Errorf("%s: %d of %d articles stored", s.id, len(got[s.id]), len(s.portal.Articles()))
		}
	}
}

// twinChild marks the child process of TestWWWTwinIsFollowed.
const twinChild = "NOIVU_TEST_TWIN_CHILD"

// The www. twin of the source's host is the same site: links to it are
// followed and an article found only there is stored, once, while no other
// host is asked for anything. Loopback has no names, so every host is played
// by one local proxy, which the crawler's transport reaches through
// HTTP_PROXY; net/http reads that variable once per process, so the test
// runs itself again in a child process with it set.
func TestWWWTwinIsFollowed(t *testing.T) {
	if os.Getenv(twinChild) == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestWWWTwinIsFollowed$", "-test.v")
		cmd.Env = append(os.Environ(), twinChild+"=1")
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), "--- PASS: TestWWWTwinIsFollowed") {
			t.Fatalf("child process: %v\n%s", err, out)
		}
		return
	}
	const host, twin = "snv.binhdinh.test", "www.snv.binhdinh.test"
	portal := simportal.New(simportal.Options{Layout: simportal.LayoutNukeViet, Articles: 12, Seed: 61, Offsite: "http://" + twin})
	var mu sync.Mutex
	asked := map[string][]string{} // host -> paths
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked[r.Host] = append(asked[r.Host], r.URL.RequestURI())
		mu.Unlock()
		if r.Method == http.MethodConnect || (r.Host != host && r.Host != twin) {
			http.Error(w, "no such host", http.StatusBadGateway)
			return
		}
		portal.ServeHTTP(w, r)
	}))
	defer proxy.Close()
	for _, k := range []string{"HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"} {
		t.Setenv(k, proxy.URL)
	}
	t.Setenv("NO_PROXY", "")
	t.Setenv("no_proxy", "")

	h := newHarness(t)
	src := config.Source{}
	src.ID, src.Name, src.URL = "binhdinh", "Sở Nội vụ tỉnh Bình Định", "http://"+host+"/"
	h.cfg.Sources = []config.Source{src}
	h.crawl()

	mu.Lock()
	defer mu.Unlock()
	for hst, paths := range asked {
		if hst != host && hst != twin {
			t.Errorf("host %s was asked for %v", hst, paths)
		}
	}
	if len(asked[twin]) == 0 {
		t.Fatalf("the www. twin was never asked; only %d URLs of %s", len(asked[host]), host)
	}
	t.Logf("asked of the twin: %v", asked[twin])
	onHost := map[string]bool{}
	for _, p := range asked[host] {
		onHost[p] = true
	}
	for _, p := range asked[twin] {
		if onHost[p] {
			t.Errorf("%s fetched from both the host and its www. twin", p)
		}
	}
	o := portal.Orphans()[0]
	stored := h.articles()[src.ID]
	if a, ok := stored[o.Path]; !ok {
		t.Errorf("the article only the www. twin links to (%s) was not stored; twin asked for %v", o.Path, asked[twin])
	} else {
		checkArticle(t, src.ID, o.Article, a)
	}
	if want := len(portal.Articles()) + 1; len(stored) != want {
		t.Errorf("%d articles stored, want %d", len(stored), want)
	}
}

// crawl.concurrency is how many hosts are crawled at once: with 1, no two
// hosts are ever being fetched at the same time; with as many as there are
// hosts, all of them are.
func TestConcurrencyBoundsHostsAtOnce(t *testing.T) {
	for _, n := range []int{1, 2, 3} {
		t.Run("concurrency "+strconv.Itoa(n), func(t *testing.T) {
			h := newHarness(t,
				simportal.Options{Layout: simportal.LayoutNukeViet, Articles: 6, Categories: 2, Seed: 71},
				simportal.Options{Layout: simportal.LayoutSonLa, Articles: 6, Categories: 2, Seed: 72},
				simportal.Options{Layout: simportal.LayoutDrupal, Articles: 6, Categories: 2, Seed: 73})
			h.cfg.Crawl.Concurrency = n
			h.cfg.Crawl.Delay = 25 * time.Millisecond
			h.cfg.Crawl.MaxPages = 12
			h.crawl()
			// Each host is busy from its first request to its last.
			type edge struct {
				at    time.Time
				delta int
			}
			var edges []edge
			for _, s := range h.sites {
				log := s.portal.Log()
				if len(log) < 5 {
					t.Fatalf("%s: %d requests", s.id, len(log))
				}
				edges = append(edges, edge{log[0].At, +1}, edge{log[len(log)-1].At, -1})
			}
			sort.Slice(edges, func(i, j int) bool {
				if !edges[i].at.Equal(edges[j].at) {
					return edges[i].at.Before(edges[j].at)
				}
				return edges[i].delta < edges[j].delta // an end before a start at the same instant
			})
			busy, most := 0, 0
			for _, e := range edges {
				busy += e.delta
				most = max(most, busy)
			}
			if most != n {
				t.Errorf("crawl.concurrency %d: at most %d hosts were being fetched at once, want %d", n, most, n)
			}
		})
	}
}
