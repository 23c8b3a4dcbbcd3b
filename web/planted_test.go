package web

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/feed"
)

// Payloads that a hostile portal could put into any field a page yields:
// script elements, event handlers, script and data URLs, attribute
// break-outs, CSS expressions, entity-encoded and spliced tags.
const (
	pScript   = `<script>alert('s')</script>`
	pBreakout = `"><script>alert('b')</script><img src=x onerror=alert('b2')>`
	pSVG      = `<svg onload=alert('svg')>`
	pSplice   = `<<b>script>alert('splice')<</b>/script>`
	pEntity   = `&lt;script&gt;alert('ent')&lt;/script&gt;`
)

// plantedBody is the body HTML of a hostile page, as a database edited by
// hand (or an extractor with a bug) could hold it.
const plantedBody = `<p>Nội dung độc</p><script>alert('body')</script>
<img src="x" onerror="alert('img')" alt="&quot;&gt;&lt;script&gt;alert('alt')&lt;/script&gt;">
<a href="javascript:alert('a')">bấm</a><a href=" JaVaScRiPt:alert('a2')">x</a><a href="vbscript:msgbox(1)">v</a>
<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">d</a>
<svg onload="alert('svg')"><a xlink:href="javascript:alert('xlink')"><text>t</text></a></svg>
<div style="background:url(javascript:alert('css'));width:expression(alert('expr'))">css</div>
<form action="javascript:alert('form')"><button formaction="javascript:alert('fa')">b</button></form>
<iframe src="https://evil.example/" srcdoc="<script>alert('srcdoc')</script>"></iframe><object data="x.swf"></object><embed src="x.swf">
<meta http-equiv="refresh" content="0;url=javascript:alert('meta')"><base href="https://evil.example/">
<math><mi xlink:href="javascript:alert('math')">m</mi></math>
<noscript><p title="</noscript><img src=x onerror=alert('mxss')>"></noscript>
<style>body{background:red}</style><link rel="stylesheet" href="https://evil.example/x.css">
<table><tr><td background="javascript:alert('td')">cell</td></tr></table>`

// planted is an article with a payload in every field a crawled page fills.
func planted(t *testing.T) article.Article {
	a := testArticle("sonla", 99)
	a.Title = `Tin độc <script>alert(1)</script> hại ` + pBreakout
	a.Author = pSVG + `Nguyễn Văn Độc`
	a.Unit = `Phòng <a href="javascript:alert('unit')">CCHC</a> ` + pBreakout
	a.Outlet = `<iframe src="javascript:alert('outlet')"></iframe>Báo ` + pSplice
	a.Section = `Tin <a href="javascript:alert('section')">độc</a> ` + pBreakout + pSplice
	a.Text = "Nội dung độc " + pScript + " " + pEntity + " " + pSplice + "\n\nĐoạn hai " + pBreakout
	a.HTML = plantedBody
	a.Images = []article.Image{
		{URL: "javascript:alert('imgurl')", Alt: pBreakout, Caption: `<img src=x onerror=alert('cap')>`},
		{URL: "data:text/html,<script>alert('dataimg')</script>", Alt: "data"},
		{URL: `https://sonla.example.gov.vn/a.jpg" onerror="alert('q')`, Alt: pSVG, Caption: pSplice},
	}
	a.Attachments = []article.Attachment{
		{URL: "javascript:alert('att')", Name: pScript + "QĐ 12"},
		{URL: " vbscript:msgbox('att2')", Name: "vb"},
		{URL: "https://sonla.example.gov.vn/qd.pdf", Name: pBreakout},
	}
	return a
}

// hostileSnippets is the real index with snippets as a broken index could
// give them: the body HTML as it is, unescaped.
type hostileSnippets struct{ indexSearcher }

func (h hostileSnippets) Search(ctx context.Context, p SearchParams) (SearchResults, error) {
	res, err := h.indexSearcher.Search(ctx, p)
	for i := range res.Hits {
		res.Hits[i].SnippetHTML = "<mark>độc</mark> " + plantedBody + pBreakout
		res.Hits[i].Title += pBreakout
		res.Hits[i].URL = "javascript:alert('hiturl')"
	}
	return res, err
}

// Archived content is untrusted: a page that plants scripts, handlers and
// script URLs in every field it yields, stored with a revision, a source
// whose last error quotes the site, and a source name with markup are shown
// by every output without anything left that a browser or a feed reader
// would run.
func TestPlantedContentNeverRuns(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, dir, 3, 2, 1)
	defer st.Close()
	a := planted(t)
	first := a
	first.Title, first.HTML = "Bản đầu "+pScript, `<p onclick="alert('rev')">Bản đầu độc</p>`+plantedBody
	save(t, st, first)
	a.FetchedAt = a.FetchedAt.Add(48 * time.Hour)
	save(t, st, a) // the first version becomes revision 1
	odd := testArticle("gialai", 98)
	odd.ID, odd.URL = "00000000000000aa", "javascript:alert('url')//độc" // a hand-edited row
	odd.Title, odd.HTML = "Bài độc không có địa chỉ web", plantedBody
	save(t, st, odd)
	if err := st.SaveURL(context.Background(), article.URLRecord{URL: "https://sonla.example.gov.vn/hong.html",
		SourceID: "sonla", Kind: article.KindArticle, LastError: "HTTP 500: " + pBreakout + pScript, Failures: 1,
		FirstSeen: day0}); err != nil {
		t.Fatal(err)
	}
	sources := append([]article.Source(nil), testSources...)
	sources[2].Name = "Sở Nội vụ " + pBreakout
	ix := openIndex(t, dir, st)
	for _, sr := range []struct {
		name string
		s    Searcher
	}{{"index", ix}, {"broken index", hostileSnippets{ix}}} {
		t.Run(sr.name, func(t *testing.T) {
			_, hs := newTestServer(t, st, Options{Searcher: sr.s, Sources: sources, DataDir: dir})
			checkPlantedPages(t, hs, a.ID, odd.ID)
			checkPlantedFeeds(t, hs)
			checkPlantedData(t, hs)
		})
	}
}

// checkPlantedPages checks every HTML page that shows archived content.
func checkPlantedPages(t *testing.T, hs *httptest.Server, id, oddID string) {
	q := url.QueryEscape("độc")
	pages := map[string]int{
		"/": 200, "/sources": 200, "/search?q=" + q: 200, "/search?sort=newest&q=" + q: 200,
		"/search?q=" + q + "&source=sonla&since=2020-01-01": 200,
		"/articles/" + id: 200, "/articles/" + id + "/revisions/1": 200, "/articles/" + oddID: 200,
		"/articles/0123456789abcdef": 404, "/search?q=" + url.QueryEscape(pBreakout+"(") + "&sort=" + url.QueryEscape(pSVG): 400,
	}
	for path, code := range pages {
		r := get(t, hs, "GET", path)
		if r.code != code {
			t.Errorf("%s: %d, want %d", path, r.code, code)
		}
		checkHTMLHeaders(t, path, r.hdr)
		checkPage(t, path, r.body)
	}
	// The pages did show the planted article, as text.
	mustContain(t, "article page", get(t, hs, "GET", "/articles/"+id).body, "&lt;script&gt;alert(1)&lt;/script&gt;",
		"Nội dung độc", `href="https://sonla.example.gov.vn/qd.pdf"`)
	mustContain(t, "search page", get(t, hs, "GET", "/search?q="+q).body, "/articles/"+id)
	mustContain(t, "sources page", get(t, hs, "GET", "/sources").body, "HTTP 500: &#34;&gt;&lt;script&gt;")
}

// checkPlantedFeeds checks every feed format of every scope, prebuilt and
// rendered on demand (another limit, a search), item by item as a reader
// sees it: titles, summaries and names as text, content as HTML.
func checkPlantedFeeds(t *testing.T, hs *httptest.Server) {
	seen := false
	for _, scope := range []string{"/feed", "/sources/sonla/feed", "/provinces/son-la/feed", "/provinces/gia-lai/feed"} {
		for _, f := range feed.Formats {
			for _, query := range []string{"", "?limit=150", "?q=" + url.QueryEscape("độc"),
				"?q=" + url.QueryEscape("độc "+pScript+pSVG+pSplice)} {
				path := scope + "." + string(f) + query
				r := get(t, hs, "GET", path)
				if r.code != 200 {
					t.Errorf("%s: %d %s", path, r.code, r.body)
					continue
				}
				if r.hdr.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(r.hdr.Get("Content-Security-Policy"), "sandbox") {
					t.Errorf("%s: headers %v", path, r.hdr)
				}
				pf := parseFeed(t, r.body)
				checkPlain(t, path+" feed title", pf.Title)
				checkPlain(t, path+" feed description", pf.Description)
				for i, it := range pf.Items {
					where := fmt.Sprintf("%s item %d", path, i)
					seen = seen || strings.Contains(it.Title, "Tin độc")
					checkPlain(t, where+" title", it.Title)
					checkPlain(t, where+" description", it.Description)
					checkFragment(t, where+" content", it.Content)
					for _, au := range it.Authors {
						checkPlain(t, where+" author", au.Name)
					}
					for _, c := range it.Categories {
						checkPlain(t, where+" category", c)
					}
					for _, l := range append([]string{it.Link}, it.Links...) {
						if webURL(l) == "" {
							t.Errorf("%s: link %q", where, l)
						}
					}
					for _, e := range it.Enclosures {
						if webURL(e.URL) == "" {
							t.Errorf("%s: enclosure %q", where, e.URL)
						}
					}
					if it.Image != nil && dangerousURL(it.Image.URL) {
						t.Errorf("%s: image %q", where, it.Image.URL)
					}
				}
			}
		}
	}
	if !seen {
		t.Error("no feed carried the planted article")
	}
}

// checkPlantedData checks the machine outputs: the JSON API, OPML and the
// downloads. They are data, not pages: they must be well-formed, typed,
// unsniffable, inert if opened in a browser, and the downloads' HTML safe
// for whoever renders it.
func checkPlantedData(t *testing.T, hs *httptest.Server) {
	q := url.QueryEscape("độc")
	r := get(t, hs, "GET", "/api/search?q="+q)
	var api struct {
		Total int               `json:"total"`
		Hits  []json.RawMessage `json:"hits"`
	}
	if r.code != 200 || json.Unmarshal([]byte(r.body), &api) != nil || api.Total == 0 ||
		!strings.HasPrefix(r.hdr.Get("Content-Type"), "application/json") || r.hdr.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.Contains(r.hdr.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("/api/search: %d %v %.300s", r.code, r.hdr, r.body)
	}

	r = get(t, hs, "GET", "/opml")
	var opml struct {
		Outlines []struct {
			XMLURL   string `xml:"xmlUrl,attr"`
			HTMLURL  string `xml:"htmlUrl,attr"`
			Children []struct {
				Text    string `xml:"text,attr"`
				XMLURL  string `xml:"xmlUrl,attr"`
				HTMLURL string `xml:"htmlUrl,attr"`
			} `xml:"outline"`
		} `xml:"body>outline"`
	}
	if err := xml.Unmarshal([]byte(r.body), &opml); err != nil || len(opml.Outlines) == 0 {
		t.Fatalf("/opml: %v\n%.300s", err, r.body)
	}
	for _, o := range opml.Outlines {
		for _, c := range o.Children {
			checkPlain(t, "/opml text", strings.ReplaceAll(c.Text, pBreakout, "")) // a configured name, shown escaped
			if webURL(c.XMLURL) == "" || (c.HTMLURL != "" && webURL(c.HTMLURL) == "") {
				t.Errorf("/opml: outline %+v", c)
			}
		}
	}

	r = get(t, hs, "GET", "/search.csv?q="+q)
	rows, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
	if err != nil || len(rows) < 2 || r.hdr.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("/search.csv: %v, %d rows", err, len(rows))
	}
	for _, row := range rows[1:] {
		for i, cell := range row {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("/search.csv column %s starts a formula: %.60q", rows[0][i], cell)
			}
		}
	}
	r = get(t, hs, "GET", "/search.jsonl?q="+q)
	sc := bufio.NewScanner(strings.NewReader(r.body))
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		var a article.Article
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			t.Fatalf("/search.jsonl line %d: %v", n+1, err)
		}
		checkFragment(t, "/search.jsonl html of "+a.ID, a.HTML)
		n++
	}
	if n == 0 {
		t.Error("/search.jsonl: no lines")
	}
}
