package extract

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestDocumentExtractLeavesTree checks the contract the crawler relies on
// when it reads links from the tree it then extracts from: Document.Extract
// leaves the tree as it found it, and gives what Extract gives.
func TestDocumentExtractLeavesTree(t *testing.T) {
	for _, c := range loadCases(t) {
		body, err := os.ReadFile(filepath.Join("testdata", c.Name+".html"))
		if err != nil {
			t.Fatal(err)
		}
		d, err := Parse(body, c.URL, c.ContentType)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		before := render(t, d.Root())
		got, err := d.Extract(c.Selectors)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if after := render(t, d.Root()); after != before {
			t.Errorf("%s: Extract changed the tree", c.Name)
		}
		want, _ := Extract(body, c.URL, c.ContentType, c.Selectors)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: Document.Extract and Extract differ", c.Name)
		}
	}
}

func render(t *testing.T, n *html.Node) string {
	t.Helper()
	var b bytes.Buffer
	if err := html.Render(&b, n); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestVerbatim checks that a Document is called verbatim only when its tree
// is the one the body's own bytes parse to.
func TestVerbatim(t *testing.T) {
	page := "<html><body><p>Sở Nội vụ tỉnh Sơn La</p></body></html>"
	tests := []struct {
		name, body, contentType string
		want                    bool
	}{
		{"utf-8 NFC", page, "text/html; charset=utf-8", true},
		{"no header", page, "", true},
		{"byte order mark", "\ufeff" + page, "", false},
		{"decomposed", "<p>Nội vu\u0323</p>", "text/html; charset=utf-8", false},
		{"windows-1258", "<p>N\xf4\xf2i vu\xf2</p>", "text/html; charset=windows-1258", false},
		{"tcvn3", "<p>B¸o c¸o thùc tËp t¹i Së Néi vô</p>", "text/html; charset=utf-8", false},
	}
	for _, tt := range tests {
		d, err := Parse([]byte(tt.body), "https://snv.example.gov.vn/", tt.contentType)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if d.Verbatim() != tt.want {
			t.Errorf("%s: Verbatim() = %v, want %v", tt.name, d.Verbatim(), tt.want)
		}
		if d.Verbatim() {
			parsed, err := html.Parse(strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			if render(t, parsed) != render(t, d.Root()) {
				t.Errorf("%s: verbatim tree differs from the body's own", tt.name)
			}
		}
	}
	if _, err := Parse([]byte("%PDF-1.4"), "https://snv.example.gov.vn/a.pdf", "application/pdf"); err == nil {
		t.Error("Parse took a PDF for a page")
	}
}
