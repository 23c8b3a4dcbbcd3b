package simportal

import (
	"bytes"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// crawl follows same-host links from the home page as a polite crawler
// would: no disallowed paths and no calendar.
func crawl(t *testing.T, p *Portal, base string, limit int) map[string]bool {
	t.Helper()
	root, _ := url.Parse(base + "/")
	seen := map[string]bool{root.String(): true}
	paths := map[string]bool{}
	queue := []*url.URL{root}
	for len(queue) > 0 && len(seen) < limit {
		u := queue[0]
		queue = queue[1:]
		r := get(t, u.String())
		paths[u.Path] = true
		if !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
			continue
		}
		for _, h := range hrefs(r.body) {
			next, err := u.Parse(h)
			if err != nil || next.Host != root.Host || next.Path == "/lich" || p.isDisallowed(next.Path) {
				continue
			}
			next.Fragment = ""
			if !seen[next.String()] {
				seen[next.String()] = true
				queue = append(queue, next)
			}
		}
	}
	return paths
}

func TestHomeLinksReachEveryArticle(t *testing.T) {
	for _, l := range layouts {
		t.Run(string(l), func(t *testing.T) {
			p, s := serve(t, Options{Layout: l, Articles: 60, PageSize: 5, Seed: 3})
			paths := crawl(t, p, s.URL, 2000)
			for _, a := range p.Articles() {
				if !paths[a.Path] {
					t.Errorf("article %s never reached", a.Path)
				}
			}
			k := kinds(p)
			if k[kindDisallowed] != 0 || k[kindCalendar] != 0 {
				t.Errorf("polite crawl hit disallowed or calendar pages: %v", k)
			}
			if k[kindListing] < 60/5 {
				t.Errorf("only %d listing pages fetched", k[kindListing])
			}
		})
	}
}

func TestArticlePagesShowTheirFields(t *testing.T) {
	for _, l := range layouts {
		t.Run(string(l), func(t *testing.T) {
			p, s := serve(t, Options{Layout: l, Seed: 5})
			for _, a := range p.Articles() {
				r := get(t, s.URL+a.Path)
				if r.status != 200 || !strings.Contains(r.header.Get("Content-Type"), "charset="+a.Charset) {
					t.Fatalf("%s: status %d, type %q", a.Path, r.status, r.header.Get("Content-Type"))
				}
				text := visibleText(r.body, a.Charset)
				mustContain(t, a.Path, text, "<title>"+a.Title+" - "+p.site.name+"</title>")
				mustContain(t, a.Path, text, `<img alt="Chung nhan Tin Nhiem Mang" src="https://tinnhiemmang.vn/handle_cert?id=`)
				text = stripTags(text)
				mustContain(t, a.Path, text, internal(p, a.Path).dateText())
				mustContain(t, a.Path, text, internal(p, a.Path).authorLine())
				for _, para := range a.Text {
					mustContain(t, a.Path, text, para)
				}
				for _, want := range []string{a.Author, a.Unit, a.Outlet, "Xem với cỡ chữ : A- A A+", "Ý kiến bạn đọc", "Bản quyền thuộc Sở Nội vụ tỉnh"} {
					mustContain(t, a.Path, text, want)
				}
				for _, f := range a.Attachments {
					mustContain(t, a.Path, string(r.body), f)
					if r := get(t, s.URL+f); r.status != 200 || r.header.Get("Content-Type") == "text/html; charset=utf-8" {
						t.Errorf("attachment %s: %d %s", f, r.status, r.header.Get("Content-Type"))
					}
				}
				if a.DateOnly != internal(p, a.Path).dshape.dateOnly() || a.Published.Location() != vnZone {
					t.Errorf("%s: bad date fields", a.Path)
				}
			}
		})
	}
}

func TestTitlesUniqueAndSlugsLossy(t *testing.T) {
	p := New(Options{Layout: LayoutNukeViet, Articles: 300, Seed: 9})
	titles := map[string]bool{}
	lossy := 0
	for _, a := range p.Articles() {
		if titles[a.Title] {
			t.Errorf("duplicate title %q", a.Title)
		}
		titles[a.Title] = true
		if !strings.Contains(a.Path, slugify(a.Title, false, 9)) {
			lossy++
		}
	}
	if lossy == 0 {
		t.Error("no slug lost its Vietnamese letters")
	}
	if got := slugify("Tin tức sự kiện", true, 9); got != "tin-t-c-s-ki-n" {
		t.Errorf("lossy slug = %q", got)
	}
	if got := slugify("Đẩy mạnh tổ chức", false, 9); got != "day-manh-to-chuc" {
		t.Errorf("slug = %q", got)
	}
}

func TestPageWeight(t *testing.T) {
	for _, l := range layouts {
		p, s := serve(t, Options{Layout: l, Seed: 1})
		for _, path := range []string{"/", p.lay.listingPath(0, 1), p.Articles()[3].Path} {
			if n := len(get(t, s.URL+path).body); n < 22_000 || n > 42_000 {
				t.Errorf("%s %s weighs %d bytes", l, path, n)
			}
		}
		big, bs := serve(t, Options{Layout: l, Seed: 1, Articles: 5, Paragraphs: 60})
		if n := len(get(t, bs.URL+big.Articles()[0].Path).body); n < 50_000 {
			t.Errorf("%s: 60 paragraphs weigh only %d bytes", l, n)
		}
	}
}

func TestDeterministic(t *testing.T) {
	for _, l := range layouts {
		p1, s1 := serve(t, Options{Layout: l, Seed: 11})
		p2, s2 := serve(t, Options{Layout: l, Seed: 11})
		_, s3 := serve(t, Options{Layout: l, Seed: 12})
		p1.AddArticles(2)
		p2.AddArticles(2)
		host := strings.TrimPrefix(s1.URL, "http://")
		for _, path := range []string{"/", p1.lay.listingPath(1, 1), p1.Articles()[0].Path, p1.Articles()[7].Path, "/sitemap.xml"} {
			// Same Host header, so absolute links match too.
			a := get(t, s1.URL+path).body
			b := get(t, s2.URL+path, "Host", host).body
			if !bytes.Equal(a, b) {
				t.Errorf("%s %s: same seed, different bytes", l, path)
			}
		}
		if bytes.Equal(get(t, s1.URL+"/").body, get(t, s3.URL+"/", "Host", host).body) {
			t.Errorf("%s: different seeds, same home page", l)
		}
		if p1.Articles()[0].Title != p2.Articles()[0].Title {
			t.Errorf("%s: AddArticles not deterministic", l)
		}
	}
}

func TestNotFoundAndMethods(t *testing.T) {
	p, s := serve(t, Options{Layout: LayoutDrupal})
	for _, path := range []string{"/khong-co", "/tin-tuc?page=99", "/node/1", "/lich?ngay=hôm-nay"} {
		if r := get(t, s.URL+path); r.status != 404 || !utf8.Valid(r.body) || len(r.body) > 1000 {
			t.Errorf("%s: status %d", path, r.status)
		}
	}
	res, err := client().Post(s.URL+"/", "text/plain", nil)
	if err != nil || res.StatusCode != 405 {
		t.Errorf("POST: %v %v", res, err)
	}
	res.Body.Close()
	if k := kinds(p); k[kindNotFound] != 4 {
		t.Errorf("kinds %v", k)
	}
}
