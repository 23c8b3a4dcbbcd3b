package store

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/noivu/noivu/article"
)

// utcURL is rec as the store gives it back: times in UTC.
func utcURL(r article.URLRecord) article.URLRecord {
	for _, t := range []*time.Time{&r.NextRetry, &r.NextCheck, &r.FirstSeen, &r.LastFetched} {
		if !t.IsZero() {
			*t = t.In(article.VietnamZone)
		}
	}
	return r
}

func TestURLRecordRoundTrip(t *testing.T) {
	full := article.URLRecord{
		URL: "https://sonoivu.sonla.gov.vn/tin-tuc/cải-cách?id=1", SourceID: "sonla",
		Kind: article.KindArticle, Depth: 3, ETag: `W/"abc"`, LastModified: "Tue, 01 Jul 2025 01:30:00 GMT",
		LastStatus: 503, LastError: "máy chủ lỗi 503", Failures: 2,
		NextRetry: base.Add(time.Hour), NextCheck: base.Add(24 * time.Hour),
		FirstSeen: base.Add(-time.Hour), LastFetched: base,
		RedirectedTo: "https://sonoivu.sonla.gov.vn/x", ArticleID: "a1",
	}
	tests := []struct {
		name string
		rec  article.URLRecord
	}{
		{"every field set", full},
		{"zero times stay zero", article.URLRecord{URL: "https://x.gov.vn/", SourceID: "x"}},
	}
	ctx := context.Background()
	s, _ := openTest(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := s.SaveURL(ctx, tt.rec); err != nil {
				t.Fatal(err)
			}
			got, ok, err := s.URLRecord(ctx, tt.rec.URL)
			if err != nil || !ok {
				t.Fatalf("URLRecord = %v, %v", ok, err)
			}
			if want := utcURL(tt.rec); !reflect.DeepEqual(got, want) {
				t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
			}
			if got.NextRetry.IsZero() != tt.rec.NextRetry.IsZero() || !got.NextRetry.Equal(tt.rec.NextRetry) {
				t.Errorf("NextRetry = %v, want %v", got.NextRetry, tt.rec.NextRetry)
			}
		})
	}
	if _, ok, err := s.URLRecord(ctx, "https://nowhere/"); ok || err != nil {
		t.Errorf("URLRecord of an unknown URL = %v, %v; want false, nil", ok, err)
	}
}

func TestSaveURLOverwritesEveryField(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	first := article.URLRecord{URL: "https://x.gov.vn/a", SourceID: "x", LastError: "timeout", Failures: 1,
		NextRetry: base, ETag: "e1"}
	later := article.URLRecord{URL: first.URL, SourceID: "x", Kind: article.KindListing, LastStatus: 200,
		LastFetched: base.Add(time.Hour)}
	for _, rec := range []article.URLRecord{first, later} {
		if err := s.SaveURL(ctx, rec); err != nil {
			t.Fatal(err)
		}
	}
	got, _, err := s.URLRecord(ctx, first.URL)
	if want := utcURL(later); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("after two saves got %+v, %v; want %+v", got, err, want)
	}
}

func TestAddURLsIgnoresKnown(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	known := article.URLRecord{URL: "https://x.gov.vn/1", SourceID: "x", ETag: "keep", LastFetched: base}
	if err := s.SaveURL(ctx, known); err != nil {
		t.Fatal(err)
	}
	batch := []article.URLRecord{
		{URL: known.URL, SourceID: "x", Depth: 9},
		{URL: "https://x.gov.vn/2", SourceID: "x", Depth: 1},
		{URL: "https://x.gov.vn/3", SourceID: "x", Depth: 1},
		{URL: "https://x.gov.vn/3", SourceID: "x", Depth: 2}, // twice in one batch
	}
	added, err := s.AddURLs(ctx, batch)
	if err != nil || added != 2 {
		t.Fatalf("AddURLs = %d, %v; want 2", added, err)
	}
	got, err := s.KnownURLs(ctx, []string{known.URL, "https://x.gov.vn/3", "https://x.gov.vn/never"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[known.URL].ETag != "keep" || got[known.URL].Depth != 0 || got["https://x.gov.vn/3"].Depth != 1 {
		t.Errorf("KnownURLs = %+v; want the known record untouched and the first /3", got)
	}
}

func TestKnownURLsChunks(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	var recs []article.URLRecord
	var urls []string
	for i := range 3*maxParams + 7 {
		u := fmt.Sprintf("https://x.gov.vn/%d", i)
		urls = append(urls, u)
		if i%2 == 0 {
			recs = append(recs, article.URLRecord{URL: u, SourceID: "x"})
		}
	}
	if _, err := s.AddURLs(ctx, recs); err != nil {
		t.Fatal(err)
	}
	got, err := s.KnownURLs(ctx, urls)
	if err != nil || len(got) != len(recs) {
		t.Errorf("KnownURLs over %d urls = %d, %v; want %d", len(urls), len(got), err, len(recs))
	}
}

func TestDueURLsConditions(t *testing.T) {
	now := base
	tests := []struct {
		name string
		rec  article.URLRecord
		due  bool
	}{
		{"never fetched", article.URLRecord{}, true},
		{"never fetched, retry passed", article.URLRecord{Failures: 1, NextRetry: now.Add(-time.Minute)}, true},
		{"never fetched, retry exactly now", article.URLRecord{Failures: 1, NextRetry: now}, true},
		{"never fetched, waiting on retry", article.URLRecord{Failures: 1, NextRetry: now.Add(time.Minute)}, false},
		{"failing, retry passed", article.URLRecord{LastFetched: now.Add(-time.Hour), Failures: 2, NextRetry: now.Add(-time.Second)}, true},
		{"failing, waiting on retry", article.URLRecord{LastFetched: now.Add(-time.Hour), Failures: 2, NextRetry: now.Add(time.Second)}, false},
		{"failing, waiting on retry, check passed", article.URLRecord{LastFetched: now.Add(-time.Hour), Failures: 1,
			NextRetry: now.Add(time.Hour), NextCheck: now.Add(-time.Hour)}, false},
		{"check passed", article.URLRecord{LastFetched: now.Add(-time.Hour), NextCheck: now.Add(-time.Second)}, true},
		{"check to come", article.URLRecord{LastFetched: now.Add(-time.Hour), NextCheck: now.Add(time.Second)}, false},
		{"fetched, never re-checked", article.URLRecord{LastFetched: now.Add(-time.Hour)}, false},
	}
	ctx := context.Background()
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := openTest(t)
			rec := tt.rec
			rec.URL, rec.SourceID = fmt.Sprintf("https://x.gov.vn/%d", i), "x"
			other := article.URLRecord{URL: "https://y.gov.vn/", SourceID: "y"} // due, another source
			for _, r := range []article.URLRecord{rec, other} {
				if err := s.SaveURL(ctx, r); err != nil {
					t.Fatal(err)
				}
			}
			got, err := s.DueURLs(ctx, "x", now, 10)
			if err != nil {
				t.Fatal(err)
			}
			if due := len(got) == 1; due != tt.due || (due && got[0].URL != rec.URL) {
				t.Errorf("DueURLs = %+v; want due=%v", got, tt.due)
			}
		})
	}
}

func TestDueURLsOrder(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	now := base
	fetched := now.Add(-48 * time.Hour)
	recs := []article.URLRecord{
		{URL: "a", Depth: 1, FirstSeen: now.Add(-time.Hour)},
		{URL: "b", Depth: 0, FirstSeen: now.Add(-time.Minute)},
		{URL: "c", Depth: 1, FirstSeen: now.Add(-2 * time.Hour)},
		{URL: "d", Depth: 2, FirstSeen: now.Add(-3 * time.Hour), Failures: 1, NextRetry: now.Add(-time.Minute)},
		{URL: "e", LastFetched: fetched, Failures: 1, NextRetry: now.Add(-10 * time.Minute)},
		{URL: "f", LastFetched: fetched, NextCheck: now.Add(-time.Hour)},
		{URL: "g", LastFetched: fetched, NextCheck: now.Add(-time.Second)},
		{URL: "h", LastFetched: fetched, NextCheck: now.Add(time.Second)},
	}
	for i := range recs {
		recs[i].SourceID = "x"
	}
	if _, err := s.AddURLs(ctx, recs); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		limit int
		want  []string
	}{
		{0, []string{"b", "c", "a", "d", "f", "e", "g"}},
		{3, []string{"b", "c", "a"}},
		{5, []string{"b", "c", "a", "d", "f"}},
	}
	for _, tt := range tests {
		got, err := s.DueURLs(ctx, "x", now, tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		var urls []string
		for _, r := range got {
			urls = append(urls, r.URL)
		}
		if !reflect.DeepEqual(urls, tt.want) {
			t.Errorf("DueURLs(limit %d) = %v; want %v", tt.limit, urls, tt.want)
		}
	}
}
