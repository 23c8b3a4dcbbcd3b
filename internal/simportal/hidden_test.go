package simportal

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var linkRE = regexp.MustCompile(`<link>([^<]+)</link>`)

// locsOf returns the <loc> and <link> URLs of a sitemap or feed.
func locsOf(body []byte) []string {
	var out []string
	for _, re := range []*regexp.Regexp{locRE, linkRE} {
		for _, m := range re.FindAllStringSubmatch(string(body), -1) {
			out = append(out, m[1])
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Each orphan is reachable one way only: no HTML page links it, and of the
// machine files only its own lists it.
func TestOrphansReachableOneWayOnly(t *testing.T) {
	for _, l := range layouts {
		t.Run(string(l), func(t *testing.T) {
			p, s := serve(t, Options{Layout: l, Articles: 30, Seed: 12, Orphans: true})
			orphans := p.Orphans()
			wantVias := []string{ViaSitemap, ViaFeed, ViaRobots}
			if p.site.feedPath == "" {
				wantVias = []string{ViaSitemap, ViaRobots}
			}
			if len(orphans) != len(wantVias) {
				t.Fatalf("%d orphans, want %d (%v)", len(orphans), len(wantVias), wantVias)
			}
			for _, a := range p.Articles() {
				for _, o := range orphans {
					if a.Path == o.Path {
						t.Errorf("Articles lists orphan %s", o.Path)
					}
				}
			}
			reached := crawl(t, p, s.URL, 3000)
			robots := string(get(t, s.URL+"/robots.txt").body)
			if strings.Contains(robots, "/sitemap.xml") {
				t.Errorf("robots.txt names /sitemap.xml:\n%s", robots)
			}
			mustContain(t, "robots.txt", robots, "Sitemap: "+s.URL+RobotsSitemapIndex+"\n")
			sitemap := sitemapArticles(t, s.URL)
			index := locsOf(get(t, s.URL+RobotsSitemapIndex).body)
			if len(index) != 1 || index[0] != s.URL+RobotsSitemapChild {
				t.Errorf("robots' sitemap index lists %v, want only its child", index)
			}
			child := locsOf(get(t, s.URL+RobotsSitemapChild).body)
			var feed []string
			if p.site.feedPath != "" {
				feed = locsOf(get(t, s.URL+p.site.feedPath).body)
			}
			for i, o := range orphans {
				if o.Via != wantVias[i] {
					t.Errorf("orphan %d via %s, want %s", i, o.Via, wantVias[i])
				}
				if r := get(t, s.URL+o.Path); r.status != 200 || !strings.Contains(visibleText(r.body, o.Charset), o.Title) {
					t.Errorf("%s orphan %s: status %d or title missing", o.Via, o.Path, r.status)
				}
				if reached[o.Path] {
					t.Errorf("%s orphan %s reached by following HTML links", o.Via, o.Path)
				}
				ways := map[string]bool{
					ViaSitemap: sitemap[o.Path],
					ViaFeed:    contains(feed, s.URL+o.Path),
					ViaRobots:  contains(child, s.URL+o.Path),
				}
				for via, listed := range ways {
					if listed != (via == o.Via) {
						t.Errorf("%s orphan %s: listed by %s %v", o.Via, o.Path, via, listed)
					}
				}
			}
		})
	}
	// Off, robots.txt names /sitemap.xml and nothing is hidden.
	p, s := serve(t, Options{Layout: LayoutNukeViet, Articles: 12})
	if len(p.Orphans()) != 0 || !strings.Contains(string(get(t, s.URL+"/robots.txt").body), "Sitemap: "+s.URL+"/sitemap.xml\n") {
		t.Errorf("defaults changed: %d orphans, robots.txt:\n%s", len(p.Orphans()), get(t, s.URL+"/robots.txt").body)
	}
}

// Offsite is linked from every channel, always to the path of an article
// the portal itself serves and lists nowhere.
func TestOffsiteLinks(t *testing.T) {
	const other = "http://www.example.test"
	for _, l := range layouts {
		t.Run(string(l), func(t *testing.T) {
			p, s := serve(t, Options{Layout: l, Articles: 12, Seed: 13, Offsite: other})
			if len(p.Orphans()) != 1 || p.Orphans()[0].Via != ViaOffsite {
				t.Fatalf("orphans %+v, want one via offsite", p.Orphans())
			}
			o := p.Orphans()[0]
			home := string(get(t, s.URL+"/").body)
			for _, want := range []string{`href="` + other + o.Path + `"`, `href="` + other + `/"`,
				`href="` + other + o.Attachments[0] + `"`, `<link rel="alternate" type="application/rss+xml" title="Tin tức (cổng mới)" href="` + other + `/rss/">`} {
				mustContain(t, "home", home, want)
			}
			mustContain(t, "robots.txt", string(get(t, s.URL+"/robots.txt").body), "Sitemap: "+other+"/sitemap.xml\n")
			if !sitemapArticles(t, s.URL)[other+o.Path] {
				t.Errorf("sitemap does not list %s", other+o.Path)
			}
			if p.site.feedPath != "" && !contains(locsOf(get(t, s.URL+p.site.feedPath).body), other+o.Path) {
				t.Errorf("feed does not list %s", other+o.Path)
			}
			if r := get(t, s.URL+o.Path); r.status != 200 {
				t.Errorf("%s: %d", o.Path, r.status)
			}
		})
	}
}

// Chain page k links page k+1 and no other chain page; only the home page
// links the first.
func TestChain(t *testing.T) {
	p, s := serve(t, Options{Layout: LayoutSonLa, Articles: 12, Seed: 14, Chain: 5})
	chainLinks := func(path string) []string {
		var out []string
		for _, h := range hrefs(get(t, s.URL+path).body) {
			h = strings.TrimPrefix(h, s.URL)
			if strings.HasPrefix(h, ChainPrefix) {
				out = append(out, h)
			}
		}
		return out
	}
	if got := chainLinks("/"); len(got) != 1 || got[0] != ChainPrefix+"1" {
		t.Errorf("home links %v, want the first chain page", got)
	}
	if got := chainLinks(p.Articles()[0].Path); len(got) != 0 {
		t.Errorf("an article links %v", got)
	}
	for k := 1; k <= 5; k++ {
		got := chainLinks(ChainPrefix + strconv.Itoa(k))
		want := []string{ChainPrefix + strconv.Itoa(k+1)}
		if k == 5 {
			want = nil
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("chain page %d links %v, want %v", k, got, want)
		}
	}
	for _, path := range []string{ChainPrefix + "0", ChainPrefix + "6", ChainPrefix + "01"} {
		if r := get(t, s.URL+path); r.status != 404 {
			t.Errorf("%s: %d, want 404", path, r.status)
		}
	}
	if k := kinds(p); k[kindChain] != 5 {
		t.Errorf("%d requests logged as chain, want 5", k[kindChain])
	}
	_, s2 := serve(t, Options{Layout: LayoutSonLa, Articles: 12, Seed: 14})
	if strings.Contains(string(get(t, s2.URL+"/").body), ChainPrefix) {
		t.Error("the home page links a chain without Options.Chain")
	}
}

// With PagesOnly, no sitemap or feed is served or named anywhere, and the
// pages alone still reach every article.
func TestPagesOnlyHasNoSitemapOrFeed(t *testing.T) {
	for _, l := range layouts {
		t.Run(string(l), func(t *testing.T) {
			full := New(Options{Layout: l, Articles: 30, Seed: 14})
			p, s := serve(t, Options{Layout: l, Articles: 30, PageSize: 5, Seed: 14, PagesOnly: true})
			if r := get(t, s.URL+"/robots.txt"); strings.Contains(string(r.body), "Sitemap:") {
				t.Errorf("robots.txt names a sitemap:\n%s", r.body)
			}
			machine := []string{"/sitemap.xml", "/sitemap-vi.news.xml", RobotsSitemapIndex}
			for path := range full.site.feeds {
				machine = append(machine, path)
			}
			for _, path := range machine {
				if r := get(t, s.URL+path); r.status != 404 {
					t.Errorf("%s: status %d, want 404", path, r.status)
				}
			}
			paths := crawl(t, p, s.URL, 2000)
			for _, r := range p.Log() {
				if r.Kind == kindFeed || r.Kind == kindSitemap {
					t.Errorf("%s served as a %s", r.Path, r.Kind)
				}
			}
			for path := range paths {
				if b := get(t, s.URL+path).body; strings.Contains(string(b), "application/rss+xml") {
					t.Errorf("%s advertises a feed", path)
				}
			}
			for _, a := range p.Articles() {
				if !paths[a.Path] {
					t.Errorf("article %s never reached", a.Path)
				}
			}
		})
	}
}
