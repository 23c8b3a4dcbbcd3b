package index

import (
	"context"
	"fmt"
	"math"
	"math/rand"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/noivu/noivu/article"
)

// TestPhraseExact checks phrases against a brute-force reading of random
// articles written with a few syllables, common and not, so that every pair of a phrase
// also occurs elsewhere, out of order or in the other field: a phrase must
// match where its syllables follow one another in one field, and nowhere
// else. Each phrase is searched alone, with a word (the phrase searcher is
// then advanced by a conjunction), and excluded. The articles are synced a
// few at a time and some are changed afterwards, so that the index has
// several segments and deleted documents in them.
func TestPhraseExact(t *testing.T) {
	// Common syllables (common.txt) and others, so that covers mix pairs
	// and single syllables.
	syllables := []string{"an", "toàn", "an", "toan", "văn", "và", "va", "cải", "cách"}
	r := rand.New(rand.NewSource(7))
	words := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = syllables[r.Intn(len(syllables))]
		}
		return out
	}
	var docs []article.Article
	for i := 0; i < 300; i++ {
		docs = append(docs, article.Article{ID: fmt.Sprintf("a%03d", i), URL: fmt.Sprintf("https://x.vn/%d", i),
			SourceID: "x", Title: strings.Join(words(1+r.Intn(4)), " "), Text: strings.Join(words(r.Intn(12)), " "),
			Published: time.Date(2024, 1, 1+i%28, 0, 0, 0, 0, article.VietnamZone)})
	}
	ix := openTemp(t)
	for n := 25; n <= len(docs); n += 25 {
		if _, err := ix.Sync(context.Background(), memSource(docs[:n])); err != nil {
			t.Fatal(err)
		}
	}
	changed := memSource(docs)
	for i := 0; i < len(docs); i += 7 {
		docs[i].Text = strings.Join(words(r.Intn(12)), " ")
		changed = append(changed, docs[i])
	}
	if _, err := ix.Sync(context.Background(), changed); err != nil {
		t.Fatal(err)
	}
	checkSegments(t, ix, 2)
	contains := func(text string, phrase []string) bool {
		toks := strings.Fields(Fold(text))
		for i := 0; i+len(phrase) <= len(toks); i++ {
			if slices.Equal(toks[i:i+len(phrase)], phrase) {
				return true
			}
		}
		return false
	}
	for k := 0; k < 150; k++ {
		// Every other phrase in two halves (run.go), one in five through
		// Bleve's generic reader and phrase query.
		ix.splitFrom, ix.generic = uint64(1+k%2*math.MaxInt32), k%5 == 0
		phrase := words(3 + r.Intn(3))
		folded := strings.Fields(Fold(strings.Join(phrase, " ")))
		word := Fold(syllables[r.Intn(len(syllables))])
		q := `"` + strings.Join(phrase, " ") + `"`
		var alone, with, without []string
		for _, a := range docs {
			in := contains(a.Title, folded) || contains(a.Text, folded)
			hasWord := contains(a.Title, []string{word}) || contains(a.Text, []string{word})
			if in {
				alone = append(alone, a.ID)
			}
			if in && hasWord {
				with = append(with, a.ID)
			}
			if !in && hasWord {
				without = append(without, a.ID)
			}
		}
		for _, c := range []struct {
			query string
			want  []string
		}{{q, alone}, {q + " " + word, with}, {word + " " + q, with}, {word + " -" + q, without}} {
			got, total := searchAll(t, ix, c.query)
			if !slices.Equal(got, sorted(c.want)) || total != len(c.want) {
				t.Fatalf("%s: got %d %v, want %d %v", c.query, total, got, len(c.want), c.want)
			}
		}
	}
}

// checkSegments fails t unless the index holds at least n segments, some
// with deleted documents, as the test needs.
func checkSegments(t *testing.T, ix *Index, n int) {
	t.Helper()
	adv, err := ix.bi.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	segs, ok := segmentsOf(r)
	if !ok {
		t.Fatal("not a scorch index")
	}
	deleted := 0
	for _, ss := range segs.list {
		if d := ss.Deleted(); d != nil {
			deleted += int(d.GetCardinality())
		}
	}
	t.Logf("%d segments, %d deleted documents", len(segs.list), deleted)
	if len(segs.list) < n || deleted == 0 {
		t.Fatalf("%d segments and %d deleted documents: want at least %d segments and some deleted", len(segs.list), deleted, n)
	}
}

// searchAll returns the ids of every hit of q, sorted, and the total. It
// pages newest first, an order that background merges do not change (ties
// in relevance fall in index order, which merges may), and checks that the
// first page by relevance holds the same articles.
func searchAll(t *testing.T, ix *Index, q string) ([]string, int) {
	t.Helper()
	var out []string
	total := 0
	for from := 0; from == 0 || from < total; from += MaxSize {
		res, err := ix.Search(context.Background(), Request{Query: q, From: from, Size: MaxSize, Sort: SortNewest})
		if err != nil {
			t.Fatal(err)
		}
		out, total = append(out, ids(res)...), res.Total
	}
	out = sorted(out)
	res, err := ix.Search(context.Background(), Request{Query: q, Size: MaxSize})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids(res) {
		if _, found := slices.BinarySearch(out, id); !found || res.Total != total {
			t.Fatalf("%s: by relevance, %s among %d hits; newest first, %d hits without it", q, id, res.Total, total)
		}
	}
	return out, total
}

// TestPhraseCases pins the cases a pair phrase could get wrong.
func TestPhraseCases(t *testing.T) {
	texts := map[string]string{
		"apart":    "cải cách hành, và hành chính", // both pairs, not in a row
		"reversed": "hành chính cải cách",
		"gap":      "cải cách mới hành chính",
		"whole":    "đẩy mạnh cải cách hành chính năm nay",
		"twice":    "an an",
		"thrice":   "an an an",
		"split":    "cải cách", // the rest in the title
	}
	var docs []article.Article
	for id, text := range texts {
		title := "tin"
		if id == "split" {
			title = "hành chính"
		}
		docs = append(docs, article.Article{ID: id, URL: "https://x.vn/" + id, SourceID: "x", Title: title, Text: text})
	}
	ix := openTemp(t)
	if _, err := ix.Sync(context.Background(), memSource(docs)); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string][]string{
		`"cải cách hành chính"`: {"whole"},
		`"cai cach hanh"`:       {"apart", "whole"},
		`"cách hành chính"`:     {"whole"},
		`"an an an"`:            {"thrice"},
		`"an an"`:               {"thrice", "twice"},
		`"chính cải cách"`:      {"reversed"},
		`"cải cách mới hành"`:   {"gap"},
		`"cách mới hành chính"`: {"gap"},
	} {
		res, err := ix.Search(context.Background(), Request{Query: q, Size: MaxSize})
		if err != nil {
			t.Fatal(err)
		}
		if got := sorted(ids(res)); !slices.Equal(got, sorted(want)) {
			t.Errorf("%s: got %v, want %v", q, got, want)
		}
	}
}

// TestPhraseSegmentWithoutPair has a phrase's first pair missing from the
// middle one of three segments, which the searcher must step over both when
// it reads on and when a conjunction advances it into that segment.
func TestPhraseSegmentWithoutPair(t *testing.T) {
	batches := [][]string{
		{"xa yên ổn", "lạ xa yên ổn"},
		{"yên ổn lạ", "lạ yên ổn"}, // "xa yên" nowhere here
		{"xa yên ổn lạ", "trời xa yên ổn"},
	}
	ix := openTemp(t)
	var docs memSource
	for b, texts := range batches {
		for i, text := range texts {
			id := fmt.Sprintf("b%d-%d", b, i)
			docs = append(docs, article.Article{ID: id, URL: "https://x.vn/" + id, SourceID: "x", Title: "tin", Text: text})
		}
		if _, err := ix.Sync(context.Background(), docs); err != nil {
			t.Fatal(err)
		}
	}
	adv, _ := ix.bi.Advanced()
	r, _ := adv.Reader()
	if segs, ok := segmentsOf(r); !ok || len(segs.list) < 3 {
		t.Skipf("the segments were merged: %v", segs)
	}
	r.Close()
	for q, want := range map[string][]string{
		`"xa yên ổn"`:    {"b0-0", "b0-1", "b2-0", "b2-1"},
		`lạ "xa yên ổn"`: {"b0-1", "b2-0"},
		`"xa yên ổn" lạ`: {"b0-1", "b2-0"},
		`"yên ổn lạ"`:    {"b1-0", "b2-0"},
	} {
		for _, split := range []uint64{math.MaxUint64, 1} {
			ix.splitFrom = split
			res, err := ix.Search(context.Background(), Request{Query: q, Size: MaxSize})
			if err != nil {
				t.Fatal(err)
			}
			if got := sorted(ids(res)); !slices.Equal(got, want) {
				t.Errorf("%s (split from %d): got %v, want %v", q, split, got, want)
			}
		}
	}
}

// TestPhraseCover pins which terms pin a phrase: pairs of common syllables
// (common.txt), other syllables alone, each at its offset; a common
// syllable whose pair with the one before is taken is pinned by its pair
// with the one before.
func TestPhraseCover(t *testing.T) {
	for _, c := range []struct {
		phrase string
		want   []phraseUnit
	}{
		{"cai cach hanh chinh", []phraseUnit{{"text_bigram", "cai cach", 0}, {"text_bigram", "hanh chinh", 2}}},
		{"so noi vu", []phraseUnit{{"text_bigram", "so noi", 0}, {"text_bigram", "noi vu", 1}}},
		{"muc luong co so", []phraseUnit{{"text_folded", "muc", 0}, {"text_bigram", "luong co", 1}, {"text_bigram", "co so", 2}}},
		{"an toan", []phraseUnit{{"text_folded", "an", 0}, {"text_folded", "toan", 1}}},
		{"an an an", []phraseUnit{{"text_folded", "an", 0}, {"text_folded", "an", 1}, {"text_folded", "an", 2}}},
		{"an toan thong tin mang", []phraseUnit{{"text_folded", "an", 0}, {"text_folded", "toan", 1},
			{"text_bigram", "thong tin", 2}, {"text_folded", "mang", 4}}},
		{"cua 2024", []phraseUnit{{"text_folded", "cua", 0}, {"text_folded", "2024", 1}}},
		{"nhan dan va ton", []phraseUnit{{"text_bigram", "nhan dan", 0}, {"text_bigram", "dan va", 1},
			{"text_folded", "ton", 3}}},
		{"so noi vu tinh", []phraseUnit{{"text_bigram", "so noi", 0}, {"text_bigram", "vu tinh", 2}}},
	} {
		if got := phraseCover(fieldText, strings.Fields(c.phrase)); !slices.Equal(got, c.want) {
			t.Errorf("%s: got %v, want %v", c.phrase, got, c.want)
		}
	}
}
