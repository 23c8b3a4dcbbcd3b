package extract

import (
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestRecodeTCVN3(t *testing.T) {
	tests := []struct{ in, want string }{
		{"B¸o c¸o thùc tËp tèt nghiÖp t¹i Së Néi vô", "Báo cáo thực tập tốt nghiệp tại Sở Nội vụ"},
		{"nhµ tr\u00adêng, §iÒu 5", "nhà trường, Điều 5"},
		// Unicode words beside a TCVN3 run stay as they are.
		{"B¸o c¸o thùc tËp - Sở Nội vụ tỉnh Kiên Giang", "Báo cáo thực tập - Sở Nội vụ tỉnh Kiên Giang"},
		// A Latin-1-only Unicode run without a TCVN3 mark is not touched.
		{"Tháng 3 - Sở Nội vụ", "Tháng 3 - Sở Nội vụ"},
	}
	for _, tt := range tests {
		if got := recodeRuns(tt.in); got != tt.want {
			t.Errorf("recodeRuns(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRecodeTCVN3NeedsSeveralMarkedWords(t *testing.T) {
	for _, tt := range []struct {
		page string
		want bool
	}{
		{"<p>Giá vé: 30.000đ « Trang trước</p>", false},            // one stray guillemet
		{"<p>Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam</p>", false}, // VNI: flagged, not converted
		{"<p>Thùc hiÖn kÕ ho¹ch thùc tËp cña nhµ tr\u00adêng</p>", true},
		// German and English Latin-1 text with TCVN3 marks: ß, soft hyphens, £, ½.
		{"<p>Die Straße zur Gesund\u00adheits\u00adakte kostet £5 und 1½ Stunden, heißt es.</p>", false},
		{"<p>Über die Größe: weiß, bloß, Fuß, groß.</p>", false},
		{"<p>Salad (½ cup tomatoes, ½ cup cucumber, ¼ cup feta), ½ cup beans</p>", false},
	} {
		doc, err := html.Parse(strings.NewReader(tt.page))
		if err != nil {
			t.Fatal(err)
		}
		if got := recodeTCVN3(doc); got != tt.want {
			t.Errorf("recodeTCVN3(%q) = %v, want %v", tt.page, got, tt.want)
		}
	}
}

func TestMayBeTCVN3(t *testing.T) {
	for s, want := range map[string]bool{
		"B¸o c¸o thùc tËp":                 true,
		"Së Néi vô tØnh S¬n La ®· tæ chøc": true,
		"Báo cáo thực tập":                 false,
		"Sở Nội vụ tỉnh Sơn La đã tổ chức": false,
		"The quick brown fox":              false,
	} {
		if got := mayBeTCVN3(s); got != want {
			t.Errorf("mayBeTCVN3(%q) = %v, want %v", s, got, want)
		}
	}
}
