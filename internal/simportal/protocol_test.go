package simportal

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

var locRE = regexp.MustCompile(`<loc>([^<]+)</loc>`)

// sitemapArticles follows a sitemap (index) and returns the paths it lists.
func sitemapArticles(t *testing.T, base string) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	queue := []string{base + "/sitemap.xml"}
	for len(queue) > 0 {
		r := get(t, queue[0])
		queue = queue[1:]
		if r.status != 200 || !strings.Contains(string(r.body), "http://www.sitemaps.org/schemas/sitemap/0.9") {
			t.Fatalf("sitemap: %d %s", r.status, r.body)
		}
		for _, m := range locRE.FindAllStringSubmatch(string(r.body), -1) {
			if strings.HasSuffix(m[1], ".xml") {
				queue = append(queue, m[1])
			} else {
				out[strings.TrimPrefix(m[1], base)] = true
			}
		}
	}
	return out
}

func TestSitemapListsEveryArticle(t *testing.T) {
	for _, l := range layouts {
		p, s := serve(t, Options{Layout: l, Seed: 2})
		listed := sitemapArticles(t, s.URL)
		for _, a := range p.Articles() {
			if !listed[a.Path] {
				t.Errorf("%s: sitemap misses %s", l, a.Path)
			}
		}
		body := string(get(t, s.URL+"/sitemap.xml").body)
		if l == LayoutNukeViet && !strings.Contains(body, "<sitemapindex") {
			t.Errorf("nukeviet sitemap is not an index")
		}
		if !strings.Contains(body, "+07:00</lastmod>") {
			t.Errorf("%s: lastmod without +07:00", l)
		}
	}
}

func TestConditionalGet(t *testing.T) {
	for _, l := range layouts {
		p, s := serve(t, Options{Layout: l, Seed: 4})
		arts := p.Articles()
		for _, path := range []string{"/", p.lay.listingPath(0, 1), arts[0].Path, arts[4].Path, "/sitemap.xml", "/robots.txt", "/lich?ngay=2020-01-01", withAttachment(p).Attachments[0]} {
			r := get(t, s.URL+path)
			etag, lm := r.header.Get("ETag"), r.header.Get("Last-Modified")
			if !strings.HasPrefix(etag, `"`) || lm == "" {
				t.Fatalf("%s %s: validators %q %q", l, path, etag, lm)
			}
			if c := get(t, s.URL+path, "If-None-Match", etag); c.status != 304 || len(c.body) != 0 {
				t.Errorf("%s %s: If-None-Match gave %d", l, path, c.status)
			}
			if c := get(t, s.URL+path, "If-Modified-Since", lm); c.status != 304 {
				t.Errorf("%s %s: If-Modified-Since gave %d", l, path, c.status)
			}
			if c := get(t, s.URL+path, "If-None-Match", `"stale"`, "If-Modified-Since", lm); c.status != 200 {
				t.Errorf("%s %s: a stale ETag must win over the date, got %d", l, path, c.status)
			}
		}
		a := internal(p, arts[4].Path)
		if got := get(t, s.URL+a.Path).header.Get("Last-Modified"); got != a.lastMod().UTC().Format(http.TimeFormat) {
			t.Errorf("%s: article Last-Modified %s, published %s", l, got, a.Published)
		}
		var conditional int
		for _, r := range p.Log() {
			if r.Conditional {
				conditional++
			}
		}
		if conditional != 3*8 {
			t.Errorf("%s: %d conditional requests logged", l, conditional)
		}
	}
}

func TestAddArticles(t *testing.T) {
	for _, l := range layouts {
		p, s := serve(t, Options{Layout: l, Seed: 6})
		old := p.Articles()
		before := map[string]reply{}
		for i := range p.site.cats {
			before[p.lay.listingPath(i, 1)] = get(t, s.URL+p.lay.listingPath(i, 1))
		}
		home := get(t, s.URL+"/")
		oldest := get(t, s.URL+old[len(old)-1].Path)
		added := p.AddArticles(4)
		if c := get(t, s.URL+old[len(old)-1].Path, "If-None-Match", oldest.header.Get("ETag")); c.status != 304 {
			t.Errorf("%s: an old article changed when news was added", l)
		}
		if len(added) != 4 || p.Articles()[0].Path != added[0].Path || len(p.Articles()) != len(old)+4 {
			t.Fatalf("%s: AddArticles returned %d, newest %s", l, len(added), p.Articles()[0].Path)
		}
		listed := sitemapArticles(t, s.URL)
		homeNow := get(t, s.URL+"/")
		for _, a := range added {
			if !a.Published.After(old[0].Published) {
				t.Errorf("%s: added %s is not newer than %s", l, a.Published, old[0].Published)
			}
			cat := internal(p, a.Path).cat
			page1 := get(t, s.URL+p.lay.listingPath(cat, 1))
			mustContain(t, string(l)+" listing", visibleText(page1.body, charsetUTF8), a.Title)
			mustContain(t, string(l)+" home", visibleText(homeNow.body, charsetUTF8), a.Title)
			if !listed[a.Path] {
				t.Errorf("%s: sitemap misses new %s", l, a.Path)
			}
			if b := before[p.lay.listingPath(cat, 1)]; b.header.Get("ETag") == page1.header.Get("ETag") ||
				b.header.Get("Last-Modified") == page1.header.Get("Last-Modified") {
				t.Errorf("%s: listing validators did not change", l)
			}
			if c := get(t, s.URL+p.lay.listingPath(cat, 1), "If-None-Match", before[p.lay.listingPath(cat, 1)].header.Get("ETag")); c.status != 200 {
				t.Errorf("%s: old ETag still matches: %d", l, c.status)
			}
		}
		if home.header.Get("ETag") == homeNow.header.Get("ETag") {
			t.Errorf("%s: home ETag did not change", l)
		}
		if p.site.feedPath != "" {
			mustContain(t, string(l)+" feed", string(get(t, s.URL+p.site.feedPath).body), added[0].Title)
		}
	}
}

func TestRobots(t *testing.T) {
	for _, l := range layouts {
		p, s := serve(t, Options{Layout: l, CrawlDelay: 3})
		body := string(get(t, s.URL+"/robots.txt").body)
		mustContain(t, "robots", body, "User-agent: *\n")
		mustContain(t, "robots", body, "Crawl-delay: 3\n")
		mustContain(t, "robots", body, "Sitemap: "+s.URL+"/sitemap.xml\n")
		for _, d := range p.Disallowed() {
			mustContain(t, "robots", body, "Disallow: "+d+"\n")
		}
		_, s2 := serve(t, Options{Layout: l})
		if strings.Contains(string(get(t, s2.URL+"/robots.txt").body), "Crawl-delay") {
			t.Errorf("%s: Crawl-delay written without CrawlDelay", l)
		}
		if r := get(t, s.URL+p.site.private[0].path); r.status != 200 {
			t.Errorf("%s: disallowed page not served: %d", l, r.status)
		}
	}
}

func TestLogKinds(t *testing.T) {
	p, s := serve(t, Options{Layout: LayoutNukeViet, Seed: 8})
	a := withAttachment(p)
	want := map[string]string{
		"/": kindHome, p.lay.listingPath(1, 1): kindListing, a.Path + "?utm_source=zalo": kindArticle, "/robots.txt": kindRobots,
		"/sitemap.xml": kindSitemap, "/vi/news/rss/": kindFeed, "/lich?ngay=2024-02-29": kindCalendar, "/admin/": kindDisallowed,
		"/vi/contact/": kindStatic, "/themes/default/css/style.css": kindStatic, a.Attachments[0]: kindAttachment, "/nope.html": kindNotFound,
	}
	p.ResetLog()
	for path := range want {
		get(t, s.URL+path, "User-Agent", "noivu-test/1")
	}
	log := p.Log()
	if len(log) != len(want) {
		t.Fatalf("%d requests logged, want %d", len(log), len(want))
	}
	for _, r := range log {
		if want[r.Path] != r.Kind || r.UserAgent != "noivu-test/1" || r.Method != "GET" || r.At.IsZero() {
			t.Errorf("%+v: want kind %q", r, want[r.Path])
		}
		if (r.Kind == kindNotFound) != (r.Status == 404) || (r.Status == 200 && r.Bytes == 0) {
			t.Errorf("%+v: bad status or size", r)
		}
	}
}

func withAttachment(p *Portal) Article {
	for _, a := range p.Articles() {
		if len(a.Attachments) > 0 {
			return a
		}
	}
	panic("no article with an attachment")
}

func TestCalendarTrap(t *testing.T) {
	_, s := serve(t, Options{Layout: LayoutSonLa})
	day := "2031-12-31"
	for i := 0; i < 5; i++ {
		r := get(t, s.URL+"/lich?ngay="+day)
		next, _ := time.Parse("2006-01-02", day)
		nextDay := next.AddDate(0, 0, 1).Format("2006-01-02")
		body := string(r.body)
		mustContain(t, day, body, "lich?ngay="+nextDay)
		mustContain(t, day, body, "lich?ngay="+next.AddDate(0, 0, -1).Format("2006-01-02"))
		if n := strings.Count(body, "Xem thêm:"); r.status != 200 || n > 2 {
			t.Errorf("%s: status %d, %d article links", day, r.status, n)
		}
		day = nextDay
	}
}

func TestSonLaTodayHeader(t *testing.T) {
	p, s := serve(t, Options{Layout: LayoutSonLa})
	body := string(get(t, s.URL+p.Articles()[1].Path).body)
	if p.Articles()[1].Charset == charset1258 {
		body = decode1258([]byte(body))
	}
	mustContain(t, "sonla", body, "Thứ năm, ngày 28 tháng 3 năm 2024")
}
