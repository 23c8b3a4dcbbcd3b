package index

import (
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"golang.org/x/text/unicode/norm"
)

// tok is a token as the tests spell it: term, position, byte offsets.
type tok struct {
	term       string
	pos        int
	start, end int
}

func analyze(t *testing.T, name, input string) []tok {
	t.Helper()
	im, err := newMapping()
	if err != nil {
		t.Fatal(err)
	}
	a := im.AnalyzerNamed(name)
	if a == nil {
		t.Fatalf("no analyzer %q", name)
	}
	var out []tok
	for _, tk := range a.Analyze([]byte(input)) {
		out = append(out, tok{string(tk.Term), tk.Position, tk.Start, tk.End})
	}
	return out
}

func checkStream(t *testing.T, analyzer string, tests []struct {
	input string
	want  []tok
}) {
	t.Helper()
	for _, tt := range tests {
		got := analyze(t, analyzer, tt.input)
		if len(got) != len(tt.want) {
			t.Errorf("%s(%q):\n got %v\nwant %v", analyzer, tt.input, got, tt.want)
			continue
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("%s(%q) token %d: got %v, want %v", analyzer, tt.input, i, got[i], tt.want[i])
			}
		}
	}
}

func TestExactAnalyzer(t *testing.T) {
	checkStream(t, analyzerExact, []struct {
		input string
		want  []tok
	}{
		// Lower case, diacritics kept, byte offsets into the NFC input.
		{"Cải cách", []tok{{"cải", 1, 0, 5}, {"cách", 2, 6, 11}}},
		// English stop words are Vietnamese syllables: none is dropped.
		{"an to do no me", []tok{{"an", 1, 0, 2}, {"to", 2, 3, 5}, {"do", 3, 6, 8}, {"no", 4, 9, 11}, {"me", 5, 12, 14}}},
		// NFD input becomes NFC terms (offsets are those of the NFC text).
		{norm.NFD.String("Đắk Lắk"), []tok{{"đắk", 1, 0, 6}, {"lắk", 2, 7, 12}}},
		// Punctuation separates; document numbers keep their parts.
		{"Số 15/2024/NĐ-CP.", []tok{{"số", 1, 0, 4}, {"15", 2, 5, 7}, {"2024", 3, 8, 12}, {"nđ", 4, 13, 16}, {"cp", 5, 17, 19}}},
		{"", nil},
		{"* ? …", nil},
	})
}

func TestFoldedAnalyzer(t *testing.T) {
	checkStream(t, analyzerFolded, []struct {
		input string
		want  []tok
	}{
		{"Cải cách hành chính", []tok{{"cai", 1, 0, 5}, {"cach", 2, 6, 11}, {"hanh", 3, 12, 17}, {"chinh", 4, 18, 24}}},
		// đ and Đ fold to d; ư, ơ, ă, â, ê, ô lose their marks.
		{"Đoàn ĐẠI BIỂU ưu tiên", []tok{{"doan", 1, 0, 6}, {"dai", 2, 7, 13}, {"bieu", 3, 14, 20}, {"uu", 4, 21, 24}, {"tien", 5, 25, 30}}},
		{norm.NFD.String("Hội đồng"), []tok{{"hoi", 1, 0, 5}, {"dong", 2, 6, 13}}},
		{"an to do", []tok{{"an", 1, 0, 2}, {"to", 2, 3, 5}, {"do", 3, 6, 8}}},
	})
}

func TestMarkedAnalyzer(t *testing.T) {
	checkStream(t, analyzerMarked, []struct {
		input string
		want  []tok
	}{
		// Only the syllables that folding changes; positions and offsets
		// are those of the exact analyzer.
		{"Cải cách hành chính", []tok{{"cải", 1, 0, 5}, {"cách", 2, 6, 11}, {"hành", 3, 12, 17}, {"chính", 4, 18, 24}}},
		{"an toàn cho dân", []tok{{"toàn", 2, 3, 8}, {"dân", 4, 13, 17}}},
		{"Đi ra", []tok{{"đi", 1, 0, 3}}},
		{"15/2024 nd cp", nil},
	})
}

func TestBigramAnalyzer(t *testing.T) {
	checkStream(t, analyzerBigram, []struct {
		input string
		want  []tok
	}{
		// Each pair sits at the position of its first syllable, spanning both.
		{"Cải cách hành chính", []tok{{"cai cach", 1, 0, 11}, {"cach hanh", 2, 6, 17}, {"hanh chinh", 3, 12, 24}}},
		{"Sở Nội vụ", []tok{{"so noi", 1, 0, 10}, {"noi vu", 2, 5, 15}}},
		// Only pairs of two common syllables (common.txt).
		{"mức lương cơ sở", []tok{{"luong co", 2, 6, 17}, {"co so", 3, 14, 22}}},
		{"An toàn thông tin mạng", []tok{{"thong tin", 3, 9, 19}}},
		{"Số 15/2024", nil},
		{"một", nil}, // one syllable makes no pair
		{"", nil},
	})
}

func TestSigAnalyzer(t *testing.T) {
	checkStream(t, analyzerSig, []struct {
		input string
		want  []tok
	}{
		// The pairs the pair field leaves out, hashed (the values are
		// pinned: changing the hash changes the index), numbered in turn.
		{"An toàn thông tin mạng", []tok{{"3894", 1, 0, 8}, {"3d0d", 2, 3, 15}, {"489", 3, 16, 26}}},
		{"Số 15/2024", []tok{{"2f5b", 1, 0, 7}, {"2f3d", 2, 5, 12}}},
		{"Cải cách hành chính", nil}, // all pairs of common syllables
		{"một", nil},
	})
}

func TestKeyAnalyzer(t *testing.T) {
	checkStream(t, analyzerKey, []struct {
		input string
		want  []tok
	}{
		{"Đắk Lắk", []tok{{"dak lak", 1, 0, 12}}},
		{norm.NFD.String("Bà Rịa – Vũng Tàu"), []tok{{"ba ria – vung tau", 1, 0, 24}}},
	})
}

func TestFold(t *testing.T) {
	tests := map[string]string{
		"":         "",
		"abc":      "abc",
		"Đắk Lắk":  "Dak Lak",
		"đường ĐI": "duong DI",
		"ấ ầ ẩ ẫ ậ ắ ằ ẳ ẵ ặ": "a a a a a a a a a a",
		"ư ơ ỹ ỵ":                  "u o y y",
		norm.NFD.String("Nghệ An"): "Nghe An",
		"Hà Nội 2024 — 東京":         "Ha Noi 2024 — 東京",
	}
	for in, want := range tests {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

// The filters work on their own too, as Bleve registers them.
func TestFiltersAlone(t *testing.T) {
	in := []byte(norm.NFD.String("Thành phố"))
	if got := string((nfcFilter{}).Filter(in)); got != "Thành phố" {
		t.Errorf("nfc filter: %q", got)
	}
	ts := analysis.TokenStream{&analysis.Token{Term: []byte("thành")}}
	if got := string((foldFilter{}).Filter(ts)[0].Term); got != "thanh" {
		t.Errorf("fold filter: %q", got)
	}
}
