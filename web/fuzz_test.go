package web

import (
	"bufio"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The fuzz targets cover every parser of what a request carries: numbers
// (limit, page), dates, sort, lists (source, province), ids, the request
// target as the guard sees it, the Authorization header, and the text
// cleaner the feeds rely on. Each asserts no panic and that whatever is
// accepted is within the bounds the server promises.

var badNumberSeeds = []string{"", "0", "1", "50", "200", "201", "-1", "+5", "1e9", "abc", "99999999999999999999",
	"007", " 5", "5 ", "0x10", "١٢", "\x00", "9223372036854775807", "000000000000000000001"}

// checkNumber checks a parsed number parameter against its bounds and
// against its text: what was accepted is exactly what was written.
func checkNumber(t *testing.T, name, s string, n, lo, hi, def int, err error) {
	if err != nil {
		if !strings.HasPrefix(err.Error(), name+" must be a whole number from ") {
			t.Fatalf("%s %q: message %q", name, s, err)
		}
		return
	}
	if s == "" {
		if n != def {
			t.Fatalf("%s absent: %d, want %d", name, n, def)
		}
		return
	}
	if n < lo || n > hi {
		t.Fatalf("%s %q accepted as %d, outside %d..%d", name, s, n, lo, hi)
	}
	if strconv.Itoa(n) != strings.TrimLeft(s, "0") {
		t.Fatalf("%s %q accepted as %d", name, s, n)
	}
}

func FuzzParseLimit(f *testing.F) {
	for _, s := range badNumberSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parseLimit(s, DefaultLimit, MaxLimit)
		checkNumber(t, "limit", s, n, 1, MaxLimit, DefaultLimit, err)
		n, err = parseLimit(s, apiLimit, apiMaxLimit)
		checkNumber(t, "limit", s, n, 1, apiMaxLimit, apiLimit, err)
	})
}

func FuzzParsePage(f *testing.F) {
	for _, s := range append(badNumberSeeds, "500", "501") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parsePage(s)
		checkNumber(t, "page", s, n, 1, maxResults/pageSize, 1, err)
		if err == nil && (n-1)*pageSize+pageSize > maxResults {
			t.Fatalf("page %d reaches beyond result %d", n, maxResults)
		}
	})
}

func FuzzDateRange(f *testing.F) {
	for _, s := range [][2]string{{"", ""}, {"2024-01-01", "2024-12-31"}, {"2024-05-01", "2024-04-01"},
		{"2024-02-30", ""}, {"0000-01-01", ""}, {"99999-01-01", ""}, {"2024-1-1", ""}, {"", "2199-12-31"},
		{"2024-01-01T00:00:00Z", ""}, {"+2024-01-01", ""}, {"2024-01-01", "2024-01-01"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, since, until string) {
		s, u, err := dateRange(since, until)
		if err != nil {
			if !strings.Contains(err.Error(), "is not a date: write YYYY-MM-DD") && !strings.Contains(err.Error(), "the range is empty") {
				t.Fatalf("%q..%q: message %q", since, until, err)
			}
			return
		}
		if since != "" && s.Format("2006-01-02") != since {
			t.Fatalf("since %q accepted as %v", since, s)
		}
		if until != "" && u.AddDate(0, 0, -1).Format("2006-01-02") != until {
			t.Fatalf("until %q accepted as %v (exclusive)", until, u)
		}
		for _, tm := range []time.Time{s, u.AddDate(0, 0, -1)} {
			if !tm.IsZero() && tm.Year() != 0 && (tm.Year() < minYear || tm.Year() > maxYear) {
				t.Fatalf("year %d accepted", tm.Year())
			}
		}
		if !s.IsZero() && !u.IsZero() && !s.Before(u) {
			t.Fatalf("empty range %v..%v accepted", s, u)
		}
	})
}

func FuzzListParam(f *testing.F) {
	f.Add("sonla", "gialai,binhdinh")
	f.Add(",,, ,", "")
	f.Add(strings.Repeat("a,", 150), "x")
	f.Add(strings.Repeat("x", 300), "")
	f.Fuzz(func(t *testing.T, a, b string) {
		out, err := listParam("source", []string{a, b})
		if err != nil {
			return
		}
		if len(out) > maxListValues {
			t.Fatalf("%d values accepted", len(out))
		}
		for _, v := range out {
			if v == "" || len(v) > maxValueBytes || strings.Contains(v, ",") || v != strings.TrimSpace(v) {
				t.Fatalf("value %q accepted", v)
			}
		}
	})
}

// FuzzParseSearch feeds whole query strings to the search page's parser.
func FuzzParseSearch(f *testing.F) {
	for _, s := range []string{"q=a", "q=a&page=2&sort=newest&since=2024-01-01&until=2024-12-31",
		"q=a&source=sonla,gialai&source=binhdinh&province=S%C6%A1n+La", "page=99999999999999999999",
		"q=" + strings.Repeat("%C4%91", 1001), "sort=oldest", "since=2024-05-01&until=2024-04-01", "q=%FF&page=-1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		p, pageNo, err := parseSearch(v)
		if err != nil {
			return
		}
		if utf8.RuneCountInString(p.Query) > maxQueryChars || p.Query != strings.TrimSpace(p.Query) {
			t.Fatalf("query of %d characters accepted", utf8.RuneCountInString(p.Query))
		}
		if pageNo < 1 || (pageNo-1)*pageSize >= maxResults {
			t.Fatalf("page %d accepted", pageNo)
		}
		if p.Sort != "" && p.Sort != "relevance" && p.Sort != "newest" {
			t.Fatalf("sort %q accepted", p.Sort)
		}
		if len(p.Source) > maxListValues || len(p.Province) > maxListValues {
			t.Fatalf("%d sources, %d provinces accepted", len(p.Source), len(p.Province))
		}
		for _, tm := range []time.Time{p.Since, p.Until} {
			if y := tm.Year(); !tm.IsZero() && (y < minYear || y > maxYear+1) {
				t.Fatalf("year %d accepted", y)
			}
		}
		if !p.Since.IsZero() && !p.Until.IsZero() && !p.Since.Before(p.Until) {
			t.Fatalf("empty range accepted")
		}
	})
}

// FuzzAPIParams feeds whole query strings to /api/search's parser: what it
// passes on to the Searcher is always within bounds.
func FuzzAPIParams(f *testing.F) {
	for _, s := range []string{"q=a", "q=a&limit=100&sort=newest&source=sonla", "limit=101", "limit=-1",
		"since=2024-01-01&until=2023-01-01", "source=" + strings.Repeat("a,", 101)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		out, err := apiParams(v)
		if err != nil {
			return
		}
		n, err := strconv.Atoi(out.Get("limit"))
		if err != nil || n < 1 || n > apiMaxLimit {
			t.Fatalf("limit %q passed on", out.Get("limit"))
		}
		if utf8.RuneCountInString(out.Get("q")) > maxQueryChars {
			t.Fatal("a long query passed on")
		}
		if s := out.Get("sort"); s != "" && s != "relevance" && s != "newest" {
			t.Fatalf("sort %q passed on", s)
		}
		if src := out.Get("source"); src != "" && strings.Count(src, ",") >= maxListValues {
			t.Fatalf("%d sources passed on", strings.Count(src, ",")+1)
		}
	})
}

func FuzzValidID(f *testing.F) {
	for _, s := range []string{"0123456789abcdef", "0123456789ABCDEF", "../../etc/passwd", "", "0123456789abcdeg",
		"0123456789abcdef0", "０１２３４５６７８９ａｂｃｄｅｆ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		if !validID(id) {
			return
		}
		if len(id) != 16 || strings.Trim(id, "0123456789abcdef") != "" {
			t.Fatalf("id %q accepted", id)
		}
	})
}

// FuzzCheckTarget reads request targets as net/http does and checks what
// the guard lets through to the routes.
func FuzzCheckTarget(f *testing.F) {
	for _, s := range []string{"/feed.rss", "/search?q=a", "/articles/..%2F..%2Fetc%2Fpasswd", "/articles/%2e%2e/x",
		"/articles/../../etc/passwd", `/a\b`, "//x", "/articles/%00", "/articles/%FF", "/search?q=%FF", "/search?q=a;b",
		"/search?q=%zz", "/sources/..%2f..%2fnoivu.db/feed.rss", "/search?q=" + strings.Repeat("a", 17000), "*", "http://x/y"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, target string) {
		req, err := readTarget(target)
		if err != nil {
			return
		}
		code, msg := checkTarget(req.RequestURI, req.URL)
		if code != 0 {
			if (code != 400 && code != 414) || msg == "" || strings.Contains(msg, "\n") || len(msg) > 200 {
				t.Fatalf("%q: %d %q", target, code, msg)
			}
			return
		}
		p := req.URL.Path
		if len(req.RequestURI) > maxURIBytes || !utf8.ValidString(p) || strings.ContainsAny(p, "\\\x00") ||
			strings.Contains(p, "//") {
			t.Fatalf("%q let through (path %q)", target, p)
		}
		for seg := range strings.SplitSeq(p, "/") {
			if seg == "." || seg == ".." {
				t.Fatalf("%q let through with a %q segment", target, seg)
			}
		}
		v, err := url.ParseQuery(req.URL.RawQuery)
		if err != nil {
			t.Fatalf("%q let through a malformed query: %v", target, err)
		}
		for k, vs := range v {
			for _, s := range append(vs, k) {
				if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
					t.Fatalf("%q let through parameter %q = %q", target, k, s)
				}
			}
		}
	})
}

func readTarget(target string) (*http.Request, error) {
	return http.ReadRequest(bufio.NewReader(strings.NewReader("GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n")))
}

func FuzzBearer(f *testing.F) {
	for _, s := range []string{"Bearer abc", "bearer  abc ", "Basic abc", "Bearer", "Bearer a b", "Bearer \x00", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, hdr string) {
		tok, ok := bearer(hdr)
		if !ok {
			if tok != "" {
				t.Fatalf("%q: refused but %q", hdr, tok)
			}
			return
		}
		if tok == "" || strings.ContainsAny(tok, " \t\r\n") || !strings.Contains(hdr, tok) {
			t.Fatalf("%q: token %q", hdr, tok)
		}
		if again, ok := bearer("Bearer " + tok); !ok || again != tok {
			t.Fatalf("%q does not round-trip", tok)
		}
	})
}

// FuzzPlainText checks the cleaner of feed titles and summaries: whatever
// goes in, an HTML parser finds no element in what comes out.
func FuzzPlainText(f *testing.F) {
	for _, s := range []string{"Tin mới", pScript, pBreakout, pSVG, pSplice, pEntity, "<5% & a < b", "<", "<<<a>>>",
		"<scr<script>ipt>alert(1)</script>", "<!--<script>-->", "<![CDATA[<script>]]>", "<?xml?>", "</", "<a\x00>"} {
		f.Add(s)
	}
	body := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	f.Fuzz(func(t *testing.T, s string) {
		out := plainText(s)
		if !strings.Contains(s, "<") && out != s {
			t.Fatalf("%q without markup changed to %q", s, out)
		}
		nodes, err := html.ParseFragment(strings.NewReader(out), body)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range nodes {
			if n.Type != html.TextNode {
				t.Fatalf("%q → %q parses into a %v node %q", s, out, n.Type, n.Data)
			}
		}
	})
}
