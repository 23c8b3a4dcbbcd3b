package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/noivu/noivu/article"
)

// vnArticle is a as the store returns it: every time in Vietnam time.
func vnArticle(a article.Article) article.Article {
	for _, t := range []*time.Time{&a.Published, &a.Updated, &a.FirstSeen, &a.FetchedAt} {
		if !t.IsZero() {
			*t = t.In(article.VietnamZone)
		}
	}
	return a
}

// sample is an article with every field set; the strings are NFC
// (precomposed) Vietnamese, written with escapes so no editor can decompose them.
func sample(id string) article.Article {
	return article.Article{
		ID: id, URL: "https://sonoivu.sonla.gov.vn/tin/" + id, SourceID: "sonla",
		Title:  "S\u1edf N\u1ed9i v\u1ee5 t\u1ec9nh S\u01a1n La tri\u1ec3n khai c\u1ea3i c\u00e1ch",
		Author: "Nguy\u1ec5n V\u0103n \u0110\u1ee9c", Unit: "Ph\u00f2ng CCHC&VTLT, S\u1edf N\u1ed9i v\u1ee5",
		Outlet:    "B\u00e1o S\u01a1n La",
		Section:   "C\u1ea3i c\u00e1ch h\u00e0nh ch\u00ednh",
		Published: time.Date(2025, 6, 30, 14, 5, 0, 0, article.VietnamZone),
		Updated:   time.Date(2025, 7, 1, 9, 0, 0, 0, article.VietnamZone),
		DateOnly:  true,
		Text:      "\u0110o\u1ea1n m\u1ed9t.\n\n\u0110o\u1ea1n hai.",
		HTML:      `<p>Đoạn một.</p><p>Đoạn hai.</p>`,
		Images:    []article.Image{{URL: "https://x.gov.vn/a.jpg", Alt: "ảnh", Caption: "Chú thích"}},
		Attachments: []article.Attachment{
			{URL: "https://x.gov.vn/qd.pdf", Name: "Quyết định 12/QĐ-SNV"},
		},
		FirstSeen:   base.Add(-time.Hour),
		FetchedAt:   base,
		ContentHash: "given-hash",
		Capture:     article.Capture{File: "noivu-00001.warc.gz", Offset: 12345, Length: 678, RecordID: "<urn:uuid:1>"},
	}
}

func TestArticleRoundTrip(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	tests := []struct {
		name string
		a    article.Article
	}{
		{"every field set", sample("a1")},
		{"zero times and empty lists", article.Article{ID: "a2", URL: "https://x.gov.vn/2", SourceID: "x",
			Title: "Tiêu đề", ContentHash: "h"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := article.URLRecord{URL: tt.a.URL, SourceID: tt.a.SourceID, Kind: article.KindArticle}
			if res, err := s.SaveFetch(ctx, rec, &tt.a); err != nil || res != New {
				t.Fatalf("SaveFetch = %v, %v; want new", res, err)
			}
			got, ok, err := s.Article(ctx, tt.a.ID)
			if err != nil || !ok {
				t.Fatalf("Article = %v, %v", ok, err)
			}
			if want := vnArticle(tt.a); !reflect.DeepEqual(got, want) {
				t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
			}
			if !got.Published.Equal(tt.a.Published) || got.Published.IsZero() != tt.a.Published.IsZero() {
				t.Errorf("Published = %v, want the instant %v", got.Published, tt.a.Published)
			}
			u, _, err := s.URLRecord(ctx, rec.URL)
			if err != nil || u.ArticleID != tt.a.ID {
				t.Errorf("URL record ArticleID = %q, %v; want %q", u.ArticleID, err, tt.a.ID)
			}
		})
	}
	if _, ok, err := s.Article(ctx, "none"); ok || err != nil {
		t.Errorf("Article(none) = %v, %v; want false, nil", ok, err)
	}
}

func TestSaveFetchDefaultsAndErrors(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	a := sample("d1")
	a.ContentHash, a.FirstSeen, a.SourceID = "", time.Time{}, ""
	rec := article.URLRecord{URL: a.URL, SourceID: "sonla"}
	if _, err := s.SaveFetch(ctx, rec, &a); err != nil {
		t.Fatal(err)
	}
	if a.ContentHash != "" {
		t.Error("SaveFetch modified its argument")
	}
	got, _, _ := s.Article(ctx, a.ID)
	if got.ContentHash != ContentHash(&a) || len(got.ContentHash) != 64 {
		t.Errorf("ContentHash = %q, want the computed %q", got.ContentHash, ContentHash(&a))
	}
	if !got.FirstSeen.Equal(a.FetchedAt) || got.SourceID != "sonla" {
		t.Errorf("FirstSeen, SourceID = %v, %q; want FetchedAt %v and the URL's source", got.FirstSeen, got.SourceID, a.FetchedAt)
	}
	if res, err := s.SaveFetch(ctx, article.URLRecord{URL: "https://x.gov.vn/404", LastStatus: 404}, nil); err != nil || res != Unchanged {
		t.Errorf("SaveFetch without article = %v, %v; want unchanged, nil", res, err)
	}
	if _, err := s.SaveFetch(ctx, rec, &article.Article{URL: a.URL}); !errors.Is(err, ErrNoID) {
		t.Errorf("SaveFetch of an article without ID: err = %v, want ErrNoID", err)
	}
}

func TestSaveFetchNewUnchangedUpdated(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	v1 := sample("x1")
	v1.ContentHash = ""
	rec := article.URLRecord{URL: v1.URL, SourceID: "sonla"}

	same := v1 // re-fetched a day later, archived again, same content
	same.FetchedAt, same.FirstSeen = base.Add(24*time.Hour), base.Add(24*time.Hour)
	same.URL, same.Capture = v1.URL+"?ref=home", article.Capture{File: "second.warc.gz"}

	v2 := same // then corrected
	v2.Text = v1.Text + "\n\nĐính chính."
	v2.FetchedAt, v2.Capture = base.Add(48*time.Hour), article.Capture{File: "third.warc.gz"}

	steps := []struct {
		a    article.Article
		want SaveResult
	}{{v1, New}, {same, Unchanged}, {v2, Updated}}
	var seqs []int64
	for i, step := range steps {
		res, err := s.SaveFetch(ctx, rec, &step.a)
		if err != nil || res != step.want {
			t.Fatalf("step %d: SaveFetch = %v, %v; want %v", i, res, err, step.want)
		}
		_, seq, err := s.ArticlesChangedSince(ctx, 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		seqs = append(seqs, seq)
		if i == 1 {
			got, _, _ := s.Article(ctx, v1.ID)
			if !got.FetchedAt.Equal(same.FetchedAt) || got.URL != same.URL || got.Capture != v1.Capture {
				t.Errorf("after unchanged: fetched_at %v url %q capture %+v; want new fetched_at and url, first capture",
					got.FetchedAt, got.URL, got.Capture)
			}
		}
	}
	if !(seqs[0] < seqs[2] && seqs[0] == seqs[1]) {
		t.Errorf("change_seq after new, unchanged, updated = %v; want it to move only on new and updated", seqs)
	}
	got, _, _ := s.Article(ctx, v1.ID)
	if got.Text != v2.Text || !got.FirstSeen.Equal(v1.FirstSeen) || got.Capture != v2.Capture {
		t.Errorf("after update: text %q first_seen %v capture %+v", got.Text, got.FirstSeen, got.Capture)
	}
	checkRevisions(t, s, v1, v2, same.FetchedAt)
}

// checkRevisions checks the revision that updating v1 to v2 left (v1 had last
// been fetched at fetched), then that reverting to v1 adds a second one.
func checkRevisions(t *testing.T, s *Store, v1, v2 article.Article, fetched time.Time) {
	t.Helper()
	ctx := context.Background()
	revs, err := s.Revisions(ctx, v1.ID)
	if err != nil || len(revs) != 1 {
		t.Fatalf("Revisions = %d, %v; want 1", len(revs), err)
	}
	r := revs[0]
	if r.N != 1 || r.Text != v1.Text || r.Capture != v1.Capture || r.ContentHash != ContentHash(&v1) ||
		!r.FetchedAt.Equal(fetched) || !r.FirstSeen.Equal(v1.FirstSeen) || r.ID != v1.ID {
		t.Errorf("revision 1 = %+v; want the old text, first capture and last fetch time", r)
	}
	if _, err := s.SaveFetch(ctx, article.URLRecord{URL: v1.URL}, &v1); err != nil {
		t.Fatal(err)
	}
	if revs, _ := s.Revisions(ctx, v1.ID); len(revs) != 2 || revs[1].N != 2 || revs[1].Text != v2.Text {
		t.Errorf("after revert: revisions %+v; want 2 with v2's text last", revs)
	}
}

// A section is the site's navigation, not content: a new one is stored and
// shown (a new change_seq) without a revision, a fetch that finds none keeps
// the stored one, and a revision keeps the section its text was shown under.
func TestSaveFetchSection(t *testing.T) {
	const hcc, tin = "Cải cách hành chính", "Tin hoạt động"
	tests := []struct {
		name        string
		section     string // of the re-fetch
		newText     bool   // the re-fetch's text changed
		want        SaveResult
		wantSection string
		wantSeq     bool   // the re-fetch takes a new change_seq
		wantRev     string // the revision's section, when one is kept
	}{
		{"same text, same section", hcc, false, Unchanged, hcc, false, ""},
		{"same text, no section found", "", false, Unchanged, hcc, false, ""},
		{"same text, new section", tin, false, Unchanged, tin, true, ""},
		{"new text, no section found", "", true, Updated, hcc, true, hcc},
		{"new text, new section", tin, true, Updated, tin, true, hcc},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s, _ := openTest(t)
			v1 := sample("s1")
			v1.ContentHash, v1.Section = "", hcc
			rec := article.URLRecord{URL: v1.URL, SourceID: "sonla"}
			if _, err := s.SaveFetch(ctx, rec, &v1); err != nil {
				t.Fatal(err)
			}
			_, seq1, _ := s.ArticlesChangedSince(ctx, 0, 0)
			again := v1
			again.Section, again.FetchedAt = tt.section, base.Add(24*time.Hour)
			if tt.newText {
				again.Text += "\n\nĐính chính."
			}
			if ContentHash(&again) != ContentHash(&v1) && !tt.newText {
				t.Fatal("the section changed the content hash")
			}
			res, err := s.SaveFetch(ctx, rec, &again)
			if err != nil || res != tt.want {
				t.Fatalf("SaveFetch = %v, %v; want %v", res, err, tt.want)
			}
			got, _, _ := s.Article(ctx, v1.ID)
			if got.Section != tt.wantSection {
				t.Errorf("section %q, want %q", got.Section, tt.wantSection)
			}
			list, _, _ := s.ArticlesChangedSince(ctx, seq1, 0)
			if moved := len(list) == 1 && list[0].Section == tt.wantSection; moved != tt.wantSeq {
				t.Errorf("changed since the first save: %d articles; want a new change_seq: %v", len(list), tt.wantSeq)
			}
			revs, err := s.Revisions(ctx, v1.ID)
			switch {
			case err != nil:
				t.Fatal(err)
			case tt.wantRev == "" && len(revs) != 0:
				t.Errorf("%d revisions, want none: the text did not change", len(revs))
			case tt.wantRev != "" && (len(revs) != 1 || revs[0].Section != tt.wantRev):
				t.Errorf("revisions %+v, want one under section %q", revs, tt.wantRev)
			}
		})
	}
}

func TestArticlesChangedSincePages(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	for i := range 5 {
		a := sample(fmt.Sprintf("p%d", i))
		a.ContentHash = ""
		if _, err := s.SaveFetch(ctx, article.URLRecord{URL: a.URL}, &a); err != nil {
			t.Fatal(err)
		}
	}
	var ids []string
	seq, pages := int64(0), 0
	for {
		list, next, err := s.ArticlesChangedSince(ctx, seq, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) == 0 {
			if next != seq {
				t.Errorf("empty page returned seq %d, want %d", next, seq)
			}
			break
		}
		if next <= seq {
			t.Fatalf("seq went from %d to %d", seq, next)
		}
		for _, a := range list {
			ids = append(ids, a.ID)
		}
		seq, pages = next, pages+1
	}
	if want := []string{"p0", "p1", "p2", "p3", "p4"}; !reflect.DeepEqual(ids, want) || pages != 3 {
		t.Errorf("paged ids = %v in %d pages; want %v in 3", ids, pages, want)
	}
	a := sample("p1")
	a.Title, a.ContentHash = "Tiêu đề mới", ""
	if _, err := s.SaveFetch(ctx, article.URLRecord{URL: a.URL}, &a); err != nil {
		t.Fatal(err)
	}
	list, _, err := s.ArticlesChangedSince(ctx, seq, 2)
	if err != nil || len(list) != 1 || list[0].Title != a.Title {
		t.Errorf("after an update: %+v, %v; want p1 alone", list, err)
	}
}

func TestEachArticleAndCount(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	day := func(d int) time.Time { return time.Date(2025, 1, d, 9, 0, 0, 0, article.VietnamZone) }
	arts := []article.Article{
		{ID: "old", SourceID: "a", Published: day(1)},
		{ID: "new", SourceID: "a", Published: day(20)},
		{ID: "undated", SourceID: "a"},
		{ID: "mid", SourceID: "b", Published: day(10)},
	}
	for _, a := range arts {
		a.URL = "https://x.gov.vn/" + a.ID
		if _, err := s.SaveFetch(ctx, article.URLRecord{URL: a.URL}, &a); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		source string
		want   []string
	}{
		{"a", []string{"new", "old", "undated"}},
		{"", []string{"new", "mid", "old", "undated"}},
		{"none", nil},
	}
	for _, tt := range tests {
		var got []string
		err := s.EachArticle(ctx, tt.source, func(a article.Article) error {
			got = append(got, a.ID)
			return nil
		})
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("EachArticle(%q) = %v, %v; want %v", tt.source, got, err, tt.want)
		}
		n, err := s.CountArticles(ctx, tt.source)
		if err != nil || n != len(tt.want) {
			t.Errorf("CountArticles(%q) = %d, %v; want %d", tt.source, n, err, len(tt.want))
		}
	}
	stop := errors.New("stop")
	calls := 0
	err := s.EachArticle(ctx, "", func(article.Article) error { calls++; return stop })
	if err != stop || calls != 1 {
		t.Errorf("EachArticle with a failing fn = %v after %d calls; want fn's error after 1", err, calls)
	}
}

func BenchmarkSaveFetch(b *testing.B) {
	ctx := context.Background()
	s, _ := openTest(b)
	text := strings.Repeat("Sở Nội vụ tỉnh Sơn La tổ chức hội nghị triển khai công tác cải cách hành chính. ", 60)
	b.SetBytes(int64(len(text)))
	i := 0
	for b.Loop() {
		a := sample(fmt.Sprintf("bench-%d", i))
		a.Text, a.ContentHash = text, ""
		rec := article.URLRecord{URL: a.URL, SourceID: "sonla", Kind: article.KindArticle, LastStatus: 200, LastFetched: base}
		if _, err := s.SaveFetch(ctx, rec, &a); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// A re-fetch that finds no date (the year of a yearless date came from a
// listing this pass did not read) keeps the stored date and makes no
// revision for it; a re-fetch with a date of its own replaces it.
func TestSaveFetchKeepsTheDateAReFetchLacks(t *testing.T) {
	tests := []struct {
		name      string
		published time.Time // of the re-fetch
		newText   bool
		want      SaveResult
		wantDate  time.Time
	}{
		{"same text, no date found", time.Time{}, false, Unchanged, base},
		{"new text, no date found", time.Time{}, true, Updated, base},
		{"same text, another date", base.Add(48 * time.Hour), false, Updated, base.Add(48 * time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s, _ := openTest(t)
			v1 := sample("s1")
			v1.ContentHash, v1.Published, v1.DateOnly = "", base, true
			rec := article.URLRecord{URL: v1.URL, SourceID: "sonla"}
			if _, err := s.SaveFetch(ctx, rec, &v1); err != nil {
				t.Fatal(err)
			}
			again := v1
			again.ContentHash, again.Published, again.DateOnly = "", tt.published, false
			again.FetchedAt = base.Add(24 * time.Hour)
			if tt.newText {
				again.Text += "\n\nĐính chính."
			}
			res, err := s.SaveFetch(ctx, rec, &again)
			if err != nil || res != tt.want {
				t.Fatalf("SaveFetch = %v, %v; want %v", res, err, tt.want)
			}
			got, _, err := s.Article(ctx, v1.ID)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Published.Equal(tt.wantDate) {
				t.Errorf("published = %v, want %v", got.Published, tt.wantDate)
			}
			if tt.published.IsZero() && !got.DateOnly {
				t.Error("the kept date lost its date_only mark")
			}
		})
	}
}
