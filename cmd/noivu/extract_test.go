package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/noivu/noivu/internal/simportal"
)

// savePage GETs url and writes the body to a temporary file, as an operator
// would with curl -o.
func savePage(t *testing.T, url string) string {
	t.Helper()
	c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return writeFile(t, "page.html", string(body))
}

// extractObject runs `extract --json` and parses its one JSON object.
func extractObject(t *testing.T, args ...string) map[string]any {
	t.Helper()
	r := noivu(t, append([]string{"extract", "--json"}, args...)...)
	if r.code != exitOK {
		t.Fatalf("extract --json: want exit 0\n%s", r)
	}
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil {
		t.Fatalf("extract --json: not a JSON object: %v\n%s", err, r)
	}
	if dec.More() {
		t.Errorf("extract --json: more than one JSON value\n%s", r)
	}
	return obj
}

// rfc3339VN is an RFC 3339 instant in Vietnam time.
var rfc3339VN = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+07:00$`)

// checkContract checks the keys and types DESIGN.md promises.
func checkContract(t *testing.T, obj map[string]any) {
	t.Helper()
	for _, k := range []string{"url", "title", "author", "published", "text", "html"} {
		if _, ok := obj[k]; !ok {
			t.Errorf("JSON lacks the key %q", k)
		}
	}
	for _, k := range []string{"url", "title", "text", "html"} {
		if _, ok := obj[k].(string); !ok {
			t.Errorf("%q is %T, want a string", k, obj[k])
		}
	}
	switch v := obj["author"].(type) {
	case nil:
	case string:
		if v == "" {
			t.Errorf(`"author" is "", want a name or null`)
		}
	default:
		t.Errorf(`"author" is %T, want a string or null`, v)
	}
	switch v := obj["published"].(type) {
	case nil:
	case string:
		if !rfc3339VN.MatchString(v) {
			t.Errorf(`"published" %q is not RFC 3339 with +07:00`, v)
		}
	default:
		t.Errorf(`"published" is %T, want a string or null`, v)
	}
}

func TestExtractJSON(t *testing.T) {
	p, srv := portal(t, 20)
	for _, a := range p.Articles() {
		t.Run(a.Path, func(t *testing.T) {
			file := savePage(t, srv.URL+a.Path)
			pageURL := srv.URL + a.Path
			obj := extractObject(t, file, "--url", pageURL)
			checkContract(t, obj)
			if obj["url"] != pageURL {
				t.Errorf("url %v, want %s", obj["url"], pageURL)
			}
			if obj["title"] != a.Title {
				t.Errorf("title %q, want %q", obj["title"], a.Title)
			}
			if want := a.Published.Format(time.RFC3339); obj["published"] != want {
				t.Errorf("published %v, want %s", obj["published"], want)
			}
			if a.DateOnly && obj["date_only"] != true {
				t.Errorf("date_only %v, want true", obj["date_only"])
			}
			text, _ := obj["text"].(string)
			if !strings.Contains(text, a.Text[len(a.Text)-1]) {
				t.Errorf("text lacks the last paragraph %q", a.Text[len(a.Text)-1])
			}
			if html, _ := obj["html"].(string); !strings.Contains(html, "<p") {
				t.Errorf("html has no paragraph: %.200q", html)
			}
			if obj["is_article"] != true {
				t.Errorf("is_article %v, want true", obj["is_article"])
			}
		})
	}
}

// TestExtractJSONFlagOrder: flags may come after the file.
func TestExtractJSONFlagOrder(t *testing.T) {
	p, srv := portal(t, 3)
	a := p.Articles()[0]
	file := savePage(t, srv.URL+a.Path)
	r := noivu(t, "extract", file, "--url", srv.URL+a.Path, "--json")
	var obj map[string]any
	if r.code != exitOK || json.Unmarshal([]byte(r.stdout), &obj) != nil || obj["title"] != a.Title {
		t.Errorf("extract FILE --url U --json: want the JSON object of %q\n%s", a.Title, r)
	}
}

// TestExtractURL fetches the page itself; url is the page's.
func TestExtractURL(t *testing.T) {
	p, srv := portal(t, 3)
	a := p.Articles()[0]
	obj := extractObject(t, srv.URL+a.Path)
	http.DefaultClient.CloseIdleConnections()
	checkContract(t, obj)
	if obj["url"] != srv.URL+a.Path || obj["title"] != a.Title {
		t.Errorf("got url %v title %v, want %s and %q", obj["url"], obj["title"], srv.URL+a.Path, a.Title)
	}
}

// TestExtractNoAuthor: a page that names no author gives "author": null.
func TestExtractNoAuthor(t *testing.T) {
	p, srv := portal(t, 20)
	var a *simportal.Article
	for _, x := range p.Articles() {
		if x.Author == "" {
			a = &x
			break
		}
	}
	if a == nil {
		t.Fatal("the portal has no article without an author; pick another seed")
	}
	obj := extractObject(t, savePage(t, srv.URL+a.Path), "--url", srv.URL+a.Path)
	if v, ok := obj["author"]; !ok || v != nil {
		t.Errorf(`"author" = %#v, want null`, v)
	}
}

var layerRE = regexp.MustCompile(`\[([^\]]*)\]\s*$`)

func TestExtractReadable(t *testing.T) {
	p, srv := portal(t, 20)
	for _, a := range p.Articles() {
		t.Run(a.Path, func(t *testing.T) {
			file := savePage(t, srv.URL+a.Path)
			r := noivu(t, "extract", file, "--url", srv.URL+a.Path)
			if r.code != exitOK {
				t.Fatalf("want exit 0\n%s", r)
			}
			if !strings.Contains(r.stdout, "kind:      article\n") {
				t.Errorf("kind should be article\n%s", r)
			}
			if !strings.Contains(r.stdout, "nukeviet") {
				t.Errorf("the CMS should be named\n%s", r)
			}
			if !strings.Contains(r.stdout, a.Title) {
				t.Errorf("title %q not shown\n%s", a.Title, r)
			}
			// Every field row names the layer that found it, or says "not found".
			fields := map[string]bool{}
			for _, line := range strings.Split(r.stdout, "\n") {
				name, _, ok := strings.Cut(line, ":")
				if !ok {
					continue
				}
				switch name {
				case "title", "author", "unit", "outlet", "published", "body":
				default:
					continue
				}
				fields[name] = true
				m := layerRE.FindStringSubmatch(line)
				if m == nil || m[1] == "" {
					t.Errorf("row %q does not name its layer", line)
					continue
				}
				if value := strings.TrimSpace(strings.TrimSuffix(line[len(name)+1:], m[0])); value != "—" && m[1] == "not found" {
					t.Errorf("row %q has a value but says not found", line)
				}
			}
			for _, f := range []string{"title", "author", "unit", "outlet", "published", "body"} {
				if !fields[f] {
					t.Errorf("no %s row\n%s", f, r)
				}
			}
			// The CMS layer shows where it found something (here at least the body).
			if !regexp.MustCompile(`(?m)^(title|author|published|body): .*\[cms:nukeviet\]$`).MatchString(r.stdout) {
				t.Errorf("no row names the layer [cms:nukeviet]\n%s", r)
			}
		})
	}
}

func TestExtractErrors(t *testing.T) {
	dir := t.TempDir()
	pdf := filepath.Join(dir, "decision.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(dir, "photo.jpg")
	if err := os.WriteFile(bin, []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(dir, "empty.html")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "nope.html")

	tests := []struct {
		name string
		args []string
		code int      // -1: any non-zero
		want []string // in stderr
	}{
		{name: "no file", args: []string{"extract"}, code: exitUsage, want: []string{"FILE"}},
		{name: "no file, json", args: []string{"extract", "--json", "--url", "https://x.example.org/a"}, code: exitUsage},
		{name: "two files", args: []string{"extract", pdf, bin}, code: exitUsage},
		{name: "missing file", args: []string{"extract", "--json", missing}, code: -1,
			want: []string{missing, "no such file"}},
		{name: "pdf", args: []string{"extract", "--json", pdf}, code: -1,
			want: []string{"not HTML", pdf}},
		{name: "pdf readable", args: []string{"extract", pdf}, code: -1,
			want: []string{"not HTML", pdf}},
		{name: "binary", args: []string{"extract", "--json", bin}, code: -1,
			want: []string{"not HTML", bin}},
		{name: "pdf with url", args: []string{"extract", "--json", "--url", "https://x.example.org/d.pdf", pdf}, code: -1,
			want: []string{"not HTML", "https://x.example.org/d.pdf"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := noivu(t, tt.args...)
			if tt.code == -1 && r.code == exitOK || tt.code != -1 && r.code != tt.code {
				t.Errorf("exit code %d, want %d (-1: non-zero)\n%s", r.code, tt.code, r)
			}
			if r.stdout != "" {
				t.Errorf("stdout should be empty on an error\n%s", r)
			}
			if strings.Contains(r.stderr, "panic") || strings.Contains(r.stderr, "goroutine ") {
				t.Errorf("stderr shows a panic\n%s", r)
			}
			for _, s := range tt.want {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr lacks %q\n%s", s, r)
				}
			}
		})
	}

	// An empty file is no article, but not a crash either.
	t.Run("empty file", func(t *testing.T) {
		r := noivu(t, "extract", "--json", empty)
		if r.code == exitOK {
			var obj map[string]any
			if err := json.Unmarshal([]byte(r.stdout), &obj); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, r)
			}
			if obj["is_article"] != false {
				t.Errorf("an empty file should not be an article\n%s", r)
			}
			checkContract(t, obj)
		} else if !singleLine(r.stderr) {
			t.Errorf("want a one-line error\n%s", r)
		}
	})
}
