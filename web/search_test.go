package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/noivu/noivu/archive"
	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/store"
)

// Search makes fakeSearcher a Searcher: it finds nothing.
func (fs fakeSearcher) Search(context.Context, SearchParams) (SearchResults, error) {
	return SearchResults{}, nil
}

// storeSearcher searches the store's articles by substring of title or
// text, newest first, with the facets the index would give; "(" is a
// malformed query.
type storeSearcher struct{ st *store.Store }

func (ss storeSearcher) SearchIDs(context.Context, string, string, int) ([]string, error) {
	return nil, nil
}
func (ss storeSearcher) SearchAPI(context.Context, url.Values) (any, error) { return nil, nil }

func (ss storeSearcher) Search(ctx context.Context, p SearchParams) (SearchResults, error) {
	if strings.Contains(p.Query, "(") {
		return SearchResults{}, fmt.Errorf("%w: unbalanced parenthesis", ErrBadQuery)
	}
	var all []article.Article
	err := ss.st.EachArticle(ctx, "", func(a article.Article) error {
		q := strings.ToLower(p.Query)
		if !strings.Contains(strings.ToLower(a.Title+" "+a.Text), q) {
			return nil
		}
		if len(p.Source) > 0 && !contains(p.Source, a.SourceID) {
			return nil
		}
		if (!p.Since.IsZero() && a.Published.Before(p.Since)) || (!p.Until.IsZero() && !a.Published.Before(p.Until)) {
			return nil
		}
		all = append(all, a)
		return nil
	})
	res := SearchResults{Total: len(all)}
	counts := map[string]int{}
	years := map[string]int{}
	months := map[string]int{}
	for i, a := range all {
		counts[a.SourceID]++
		pub := a.Published.In(article.VietnamZone)
		years[pub.Format("2006")]++
		months[pub.Format("2006-01")]++
		if i >= p.From && i < p.From+p.Size {
			res.Hits = append(res.Hits, SearchHit{ID: a.ID, URL: a.URL, Title: a.Title, Published: a.Published,
				Source: a.SourceID, SnippetHTML: "<mark>" + html.EscapeString(p.Query) + "</mark> " + html.EscapeString(a.Text)})
		}
	}
	res.Sources, res.Years, res.Timeline = facet(counts), facet(years), facet(months)
	sort.Slice(res.Timeline, func(i, j int) bool { return res.Timeline[i].Value < res.Timeline[j].Value })
	return res, err
}

func facet(m map[string]int) []FacetCount {
	var out []FacetCount
	for k, n := range m {
		out = append(out, FacetCount{k, n})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Value > out[j].Value })
	return out
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestSearchPage(t *testing.T) {
	st := openStore(t, t.TempDir(), 30, 5, 0)
	defer st.Close()
	_, hs := newTestServer(t, st, Options{Searcher: storeSearcher{st}})

	r := get(t, hs, "GET", "/search")
	mustContain(t, "/search (empty)", r.body, `<html lang="vi">`, `<label for="q">`, `id="q" name="q"`)
	if r.code != 200 || strings.Contains(r.body, "bài khớp") {
		t.Errorf("/search without a query: %d, want 200 and only the form", r.code)
	}
	if !strings.Contains(r.hdr.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Errorf("/search CSP %q", r.hdr.Get("Content-Security-Policy"))
	}

	r = get(t, hs, "GET", "/search?q=N%E1%BB%99i+dung&sort=newest")
	mustContain(t, "/search?q=Nội dung", r.body, "<strong>35</strong> bài khớp", "<mark>Nội dung</mark>",
		"Bản lưu", "/articles/", "Trang 1 / 2", "search?page=2&amp;q=", `href="https://sonla.example.gov.vn/tin-tuc/bai-0.html"`,
		`<svg`, `role="img"`, "/search.csv?", "/search.jsonl?")
	// The facet link for a source adds it as a filter, and following it narrows the results.
	link := "https://noivu.example.org/search?q=N%E1%BB%99i&#43;dung&amp;sort=newest&amp;source=binhdinh"
	mustContain(t, "/search facets", r.body, link, "Sở Nội vụ tỉnh Bình Định</a> <span class=\"n\">5</span>")
	r = get(t, hs, "GET", "/search?q=N%E1%BB%99i+dung&sort=newest&source=binhdinh")
	mustContain(t, "/search?source=binhdinh", r.body, "<strong>5</strong> bài khớp", "Nguồn: binhdinh ×")
	r = get(t, hs, "GET", "/search?q=N%E1%BB%99i+dung&page=2")
	mustContain(t, "/search page 2", r.body, `start="21"`, "Trang 2 / 2", "Trang trước")

	for _, bad := range []string{"q=a(b", "q=a&since=2024-13-01", "q=a&page=0", "q=a&sort=oldest", "q=a&page=x"} {
		r = get(t, hs, "GET", "/search?"+bad)
		if r.code != 400 || !strings.Contains(r.body, `role="alert"`) || !strings.Contains(r.body, "Câu tìm kiếm chưa hợp lệ") {
			t.Errorf("/search?%s: %d, want a 400 page with the message\n%s", bad, r.code, r.body)
		}
	}
}

func TestSearchDownloads(t *testing.T) {
	st := openStore(t, t.TempDir(), 30, 5, 0)
	defer st.Close()
	_, hs := newTestServer(t, st, Options{Searcher: storeSearcher{st}})
	r := get(t, hs, "GET", "/search.csv?q=N%E1%BB%99i+dung&source=sonla&page=2")
	if r.code != 200 || !strings.HasPrefix(r.hdr.Get("Content-Type"), "text/csv") {
		t.Fatalf("/search.csv: %d %s", r.code, r.hdr.Get("Content-Type"))
	}
	rows, err := csv.NewReader(strings.NewReader(r.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 31 || strings.Join(rows[0], ",") != strings.Join(ExportColumns, ",") {
		t.Fatalf("/search.csv: %d rows, header %v; want 31 (all pages), %v", len(rows), rows[0], ExportColumns)
	}
	if rows[1][2] != "sonla" || rows[1][3] != "Sơn La" || !strings.Contains(rows[1][10], "Đoạn hai") {
		t.Errorf("/search.csv first row %q", rows[1])
	}
	r = get(t, hs, "GET", "/search.jsonl?q=N%E1%BB%99i+dung")
	lines := strings.Split(strings.TrimSpace(r.body), "\n")
	if r.code != 200 || len(lines) != 35 {
		t.Fatalf("/search.jsonl: %d, %d lines; want 35", r.code, len(lines))
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &obj); err != nil || obj["id"] == "" || obj["text"] == nil || obj["province"] == nil {
		t.Errorf("/search.jsonl line %s: %v", lines[0], err)
	}
	if r = get(t, hs, "GET", "/search.csv?q=a(b"); r.code != 400 {
		t.Errorf("/search.csv of a bad query: %d, want 400", r.code)
	}
}

func TestArticlePage(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, dir, 3)
	defer st.Close()
	a := testArticle("sonla", 1)
	a.Unit, a.Outlet, a.Section = "Phòng Tổ chức", "Báo Sơn La", "Tin hoạt động"
	a.Attachments = []article.Attachment{{URL: "https://sonla.example.gov.vn/qd.pdf", Name: "Quyết định 12"}}
	old := a.Text
	a.Title, a.Text, a.HTML = a.Title+" (sửa)", "Bản mới.", "<p>Bản mới.</p>"
	a.FetchedAt = a.FetchedAt.Add(48 * 3600e9)
	save(t, st, a) // the first version becomes revision 1
	_, hs := newTestServer(t, st, Options{DataDir: dir})

	r := get(t, hs, "GET", "/articles/"+a.ID)
	mustContain(t, "article page", r.body, a.Title+"</h1>", "Bản mới.", "Phòng Tổ chức", "Báo Sơn La", "Sơn La",
		"<dt>Chuyên mục</dt><dd>Tin hoạt động</dd>",
		"Quyết định 12", `href="`+a.URL+`"`, "/articles/"+a.ID+"/revisions/1", "Phiên bản 1")
	r = get(t, hs, "GET", "/articles/"+a.ID+"/revisions/1")
	mustContain(t, "revision 1", r.body, strings.Split(old, "\n")[0], "phiên bản cũ số 1", "Bản hiện tại")
	if strings.Contains(r.body, "Chuyên mục") {
		t.Error("revision 1 shows a section: it was stored without one")
	}
	for path, code := range map[string]int{
		"/articles/" + a.ID + "/revisions/7": 404, "/articles/0123456789abcdef": 404, "/articles/..%2f..%2fetc": 400,
		"/articles/ABCDEF0123456789": 404, "/articles/xyz": 404, "/articles/0123456789abcdef/raw": 404,
	} {
		if r := get(t, hs, "GET", path); r.code != code {
			t.Errorf("%s: %d, want %d", path, r.code, code)
		}
	}
	// No capture was archived for these test articles: no raw link, and a 404.
	if r := get(t, hs, "GET", "/articles/"+a.ID+"/raw"); r.code != 404 {
		t.Errorf("raw without a capture: %d, want 404", r.code)
	}
}

// The raw capture is the archived response as inert text: never HTML that
// a browser would render or script.
func TestRawCaptureIsInert(t *testing.T) {
	dir := t.TempDir()
	st := openStore(t, dir, 1)
	defer st.Close()
	ctx := context.Background()
	ar, err := archive.Open(ctx, archive.Options{Dir: filepath.Join(dir, "warc"), Software: "noivu-test"})
	if err != nil {
		t.Fatal(err)
	}
	a := planted(t)
	page := `<html><body><script>alert(document.cookie)</script><h1>Tin</h1></body></html>`
	a.Capture, err = ar.Write(ctx, archive.Exchange{URL: a.URL, StatusCode: 200,
		ResponseHeader: http.Header{"Content-Type": {"text/html; charset=utf-8"}}, Body: []byte(page)})
	if err != nil {
		t.Fatal(err)
	}
	if err := ar.Close(); err != nil {
		t.Fatal(err)
	}
	save(t, st, a)
	_, hs := newTestServer(t, st, Options{DataDir: dir})
	r := get(t, hs, "GET", "/articles/"+a.ID+"/raw")
	if r.code != 200 || !strings.HasPrefix(r.hdr.Get("Content-Type"), "text/plain") ||
		r.hdr.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(r.hdr.Get("Content-Security-Policy"), "sandbox") {
		t.Fatalf("raw: %d, headers %v", r.code, r.hdr)
	}
	mustContain(t, "raw capture", r.body, "HTTP 200 OK", "Content-Type: text/html; charset=utf-8", page, a.URL)
	mustContain(t, "article page", get(t, hs, "GET", "/articles/"+a.ID).body, "/articles/"+a.ID+"/raw")
}
