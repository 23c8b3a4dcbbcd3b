package crawler_test

import (
	"testing"

	"github.com/noivu/noivu/internal/simportal"
)

// An article whose page dates itself only by "Ngày 14/11, ..." (no year on
// the page or in its URL) is stored with the date its listings show: the
// day and month of its lead, the year of its listed date. With
// YearlessUndated the listings print no date for it, and the items around it
// give the year: a portal with articles weeks apart, as the real ones are,
// so that the neighbours' dates are months, not years, from its own.
func TestListedDateDatesAYearlessArticle(t *testing.T) {
	for _, tc := range []struct {
		name     string
		articles int
		undated  bool
	}{
		{"own listed date", 40, false},
		{"neighbours' listed dates", 200, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, simportal.Options{Layout: simportal.LayoutNukeViet, Seed: 3, Articles: tc.articles,
				Yearless: 2, YearlessUndated: tc.undated})
			if st := h.crawl()["nukeviet"]; st.Err != "" {
				t.Fatalf("crawl: %s", st.Err)
			}
			got := h.articles()["nukeviet"]
			yearless := h.sites[0].portal.Yearless()
			if len(yearless) != 2 {
				t.Fatalf("%d yearless articles, want 2", len(yearless))
			}
			for _, want := range yearless {
				a, ok := got[want.Path]
				if !ok {
					t.Errorf("%s: not stored", want.Path)
					continue
				}
				if !a.Published.Equal(want.Published) || !a.DateOnly {
					t.Errorf("%s: published %v (date only %v), want %v, date only", want.Path, a.Published, a.DateOnly, want.Published)
				}
			}
		})
	}
}
