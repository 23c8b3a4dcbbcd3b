package extract

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// expectation is what a careful reader copies out of one golden page,
// written by hand in testdata/expect.json. Unlike the golden JSON, which
// snapshots the whole output, it states only what is right, so the
// accuracy below does not depend on what the extractor happens to do.
// A nil field is not asserted (non-article pages assert is_article only).
type expectation struct {
	Name        string   `json:"name"`
	IsArticle   *bool    `json:"is_article"`
	Title       *string  `json:"title"`
	Author      *string  `json:"author"`
	Unit        *string  `json:"unit"`
	Outlet      *string  `json:"outlet"`
	Published   *string  `json:"published"`
	Updated     *string  `json:"updated"`
	DateOnly    *bool    `json:"date_only"`
	Garbled     *bool    `json:"garbled"`
	Recoded     *string  `json:"recoded"`
	Paragraphs  []string `json:"paragraphs"`  // each must be inside the text
	Absent      []string `json:"absent"`      // none may be inside the text
	Attachments []string `json:"attachments"` // URL suffixes, in order
}

// boilerplate must never reach an article's text.
var boilerplate = []string{
	"Xem với cỡ chữ", "Lượt xem", "Đã xem", "lượt xem", "Tin liên quan", "Các tin khác", "Những tin",
	"Tin cùng chuyên mục", "Bản quyền thuộc", "Trang đầu", "Ý kiến bạn đọc", "TIN NỔI BẬT", "Chung nhan",
	"tinnhiemmang", "anh tin bai", ".JPG", `:\`, "Trang chủ", "Điện thoại:", "Giấy phép", "In bài viết",
	"Gửi email", "Tuyển dụng công chức năm 2024 theo quy định mới", "Văn bản mới",
}

type tally struct{ ok, all int }

func TestFieldAccuracy(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "expect.json"))
	if err != nil {
		t.Fatal(err)
	}
	var exps []expectation
	if err := json.Unmarshal(raw, &exps); err != nil {
		t.Fatalf("expect.json: %v", err)
	}
	byName := map[string]expectation{}
	for _, e := range exps {
		byName[e.Name] = e
	}
	scores := map[string]*tally{}
	for _, c := range loadCases(t) {
		e, ok := byName[c.Name]
		if !ok {
			t.Errorf("%s: no row in expect.json", c.Name)
			continue
		}
		body, err := os.ReadFile(filepath.Join("testdata", c.Name+".html"))
		if err != nil {
			t.Fatal(err)
		}
		res, err := Extract(body, c.URL, c.ContentType, c.Selectors)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		for field, diff := range compare(e, res) {
			s := scores[field]
			if s == nil {
				s = &tally{}
				scores[field] = s
			}
			s.all++
			if diff == "" {
				s.ok++
			} else {
				t.Errorf("%s: %s: %s", c.Name, field, diff)
			}
		}
	}
	logScores(t, scores)
}

// compare returns, per asserted field, "" when right or what is wrong.
func compare(e expectation, r Result) map[string]string {
	out := map[string]string{}
	str := func(field string, want *string, got string) {
		if want != nil {
			out[field] = diffString(*want, got)
		}
	}
	boolean := func(field string, want *bool, got bool) {
		if want != nil {
			out[field] = diffString(fmt.Sprint(*want), fmt.Sprint(got))
		}
	}
	boolean("is_article", e.IsArticle, r.IsArticle)
	str("title", e.Title, r.Title)
	if e.IsArticle == nil || !*e.IsArticle {
		return out
	}
	str("author", e.Author, r.Author)
	str("unit", e.Unit, r.Unit)
	str("outlet", e.Outlet, r.Outlet)
	str("published", e.Published, stamp(r.Published))
	boolean("date_only", e.DateOnly, r.DateOnly)
	str("updated", e.Updated, stamp(r.Updated))
	boolean("garbled", e.Garbled, r.Garbled)
	str("recoded", e.Recoded, r.Recoded)
	out["body"] = diffBody(e, r.Text)
	if e.Attachments != nil {
		out["attachments"] = diffAttachments(e.Attachments, r)
	}
	return out
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

func diffString(want, got string) string {
	if want == got {
		return ""
	}
	return fmt.Sprintf("got %q, want %q", got, want)
}

func diffBody(e expectation, text string) string {
	var probs []string
	for _, p := range e.Paragraphs {
		if !strings.Contains(text, nfc(p)) {
			probs = append(probs, fmt.Sprintf("missing %q", p))
		}
	}
	for _, m := range append(append([]string(nil), boilerplate...), e.Absent...) {
		if strings.Contains(text, m) {
			probs = append(probs, fmt.Sprintf("keeps %q", m))
		}
	}
	if len(probs) == 0 {
		return ""
	}
	return strings.Join(probs, "; ") + "\ntext:\n" + text
}

func diffAttachments(want []string, r Result) string {
	var got []string
	for _, a := range r.Attachments {
		got = append(got, a.URL)
	}
	if len(got) == len(want) {
		same := true
		for i := range want {
			same = same && strings.HasSuffix(got[i], want[i])
		}
		if same {
			return ""
		}
	}
	return fmt.Sprintf("got %q, want suffixes %q", got, want)
}

func logScores(t *testing.T, scores map[string]*tally) {
	fields := make([]string, 0, len(scores))
	for f := range scores {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	var b strings.Builder
	for _, f := range fields {
		s := scores[f]
		fmt.Fprintf(&b, "\n  %-12s %3d/%-3d %6.1f%%", f, s.ok, s.all, 100*float64(s.ok)/float64(s.all))
	}
	t.Logf("per-field accuracy on the golden set:%s", b.String())
}
