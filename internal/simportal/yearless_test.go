package simportal

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// reYearLike finds what a reader could take for a year: four digits from
// 1995 to 2099 standing alone.
var reYearLike = regexp.MustCompile(`(?:^|[^0-9])(199[5-9]|20[0-9]{2})(?:[^0-9]|$)`)

// reFullDate finds a date with its year in any shape the portal writes.
var reFullDate = regexp.MustCompile(`(?i)\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}|tháng\s+\d{1,2}\s*,?\s+năm\s+\d{4}|\d{4}-\d{2}-\d{2}|` +
	`(january|february|march|april|may|june|july|august|september|october|november|december)\s+\d{1,2},\s+\d{4}`)

// A yearless article has no year in its URL, title or text, and its page
// no date with a year (other articles' titles in the side lists may name a
// year, as on the real portals): it dates itself only by its lead. The
// listings show its date, but with YearlessUndated only around it; the
// sitemap leaves it out.
func TestYearlessArticles(t *testing.T) {
	for _, undated := range []bool{false, true} {
		t.Run(fmt.Sprintf("undated=%v", undated), func(t *testing.T) {
			p, srv := serve(t, Options{Layout: LayoutNukeViet, Seed: 3, Yearless: 2, YearlessUndated: undated})
			ys := p.Yearless()
			if len(ys) != 2 {
				t.Fatalf("%d yearless articles, want 2", len(ys))
			}
			home := visibleText(get(t, srv.URL+"/").body, charsetUTF8)
			sitemap := string(get(t, srv.URL+"/sitemap-vi.news.xml").body)
			for _, a := range ys {
				if !a.DateOnly || a.Published.Hour() != 0 {
					t.Errorf("%s: published %v (date only %v), want a date without a time", a.Path, a.Published, a.DateOnly)
				}
				if m := reYearLike.FindString(a.Path); m != "" {
					t.Errorf("%s: the URL shows a year: %q", a.Path, m)
				}
				if m := reYearLike.FindString(a.Title + " " + strings.Join(a.Text, " ")); m != "" {
					t.Errorf("%s: the article names a year: %q", a.Path, m)
				}
				raw := get(t, srv.URL+a.Path).body
				if strings.Contains(string(raw), "published_time") {
					t.Errorf("%s: the head gives article:published_time", a.Path)
				}
				page := stripTags(visibleText(raw, a.Charset))
				if m := reFullDate.FindString(page); m != "" {
					i := strings.Index(page, m)
					t.Errorf("%s: the page shows a date: ...%s...", a.Path, page[max(0, i-80):min(len(page), i+40)])
				}
				lead := fmt.Sprintf("Ngày %d/%d, ", a.Published.Day(), int(a.Published.Month()))
				mustContain(t, a.Path, page, lead)
				if !strings.HasPrefix(a.Text[0], lead) {
					t.Errorf("%s: lead %q, want it to open with %q", a.Path, a.Text[0], lead)
				}
				item := esc(a.Title) + `</a> <span class="text-muted">` + a.Published.Format("02/01/2006") + `</span>`
				if undated {
					item = esc(a.Title) + `</a> <span class="text-muted"></span>`
				}
				mustContain(t, "home page", home, html2text(item))
				if strings.Contains(sitemap, a.Path) {
					t.Errorf("%s: in the sitemap", a.Path)
				}
			}
		})
	}
}

// html2text is s as visibleText gives it back: entities decoded.
func html2text(s string) string { return visibleText([]byte(s), charsetUTF8) }

func TestYearlessNeedsNukeViet(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Yearless on the Sơn La layout, whose URLs hold the year, did not panic")
		}
	}()
	New(Options{Layout: LayoutSonLa, Yearless: 1, Now: fixedNow})
}
