package web

import (
	"bytes"
	"encoding/csv"
	"testing"

	"github.com/noivu/noivu/article"
)

// Archived text never reaches a spreadsheet as a formula.
func TestCSVExportIsInertInSpreadsheets(t *testing.T) {
	var buf bytes.Buffer
	x, err := NewExporter(&buf, "csv", func(string) string { return "Sơn La" })
	if err != nil {
		t.Fatal(err)
	}
	a := article.Article{ID: "0123456789abcdef", URL: "https://sonoivu.sonla.gov.vn/a.html", SourceID: "sonla",
		Title: `=HYPERLINK("http://evil.example","bấm")`, Author: "+84 212 3852 111", Unit: "@SUM(A1)",
		Outlet: "-1+1", Text: "Đoạn một.\n\nĐoạn hai."}
	if err := x.Write(a); err != nil {
		t.Fatal(err)
	}
	if err := x.Flush(); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil || len(rows) != 2 {
		t.Fatalf("rows %v, err %v", rows, err)
	}
	for i, cell := range rows[1] {
		if cell != "" && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@') {
			t.Errorf("column %s starts a formula: %q", rows[0][i], cell)
		}
	}
	if rows[1][4] != `'=HYPERLINK("http://evil.example","bấm")` || rows[1][10] != a.Text {
		t.Errorf("title %q, text %q: the text must stay readable", rows[1][4], rows[1][10])
	}
}
