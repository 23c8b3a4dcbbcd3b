package extract

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"
)

// A label the bytes prove wrong does not garble the page.
func TestDecodeDistrustsWrongLabels(t *testing.T) {
	const text = "Hội nghị tổng kết công tác tuyển dụng công chức năm 2017"
	w1258, err := charmap.Windows1258.NewEncoder().Bytes([]byte(toneDecompose(text)))
	if err != nil {
		t.Fatal(err)
	}
	page := func(meta string, body []byte) []byte {
		return append([]byte("<html><head>"+meta+"<title>t</title></head><body><p>"), append(body, "</p></body></html>"...)...)
	}
	metaUTF8, meta1258 := `<meta charset="utf-8">`, `<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">`
	cut := []byte(text + " \xe1\xba") // UTF-8 with an excerpt cut inside a letter
	cases := []struct {
		name, ct string
		body     []byte
		want     string // the charset used
	}{
		{"latin-1 header, windows-1258 meta", "text/html; charset=iso-8859-1", page(meta1258, w1258), "windows-1258"},
		{"utf-8 header and meta over windows-1258", "text/html; charset=utf-8", page(metaUTF8, w1258), "windows-1258"},
		{"utf-8 meta over windows-1258", "text/html", page(metaUTF8, w1258), "windows-1258"},
		{"no label, windows-1258", "text/html", page("", w1258), "windows-1258"},
		{"latin-1 header over UTF-8", "text/html; charset=iso-8859-1", page("", []byte(text)), "utf-8"},
		{"utf-8 with one letter cut", "text/html; charset=utf-8", page(metaUTF8, cut), "utf-8"},
		{"windows-1258 header, right", "text/html; charset=windows-1258", page("", w1258), "windows-1258"},
	}
	for _, c := range cases {
		got, cs := decode(c.body, c.ct)
		if cs != c.want || !strings.Contains(norm.NFC.String(got), text) {
			t.Errorf("%s: decoded as %s: %q", c.name, cs, got)
		}
	}
}
