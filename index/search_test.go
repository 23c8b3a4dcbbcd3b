package index

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// searchCase is one entry of testdata/search/cases.json.
type searchCase struct {
	Name     string   `json:"name"`
	Query    string   `json:"query"`
	Source   []string `json:"source"`
	Province []string `json:"province"`
	Since    string   `json:"since"`
	Until    string   `json:"until"`
	Sort     string   `json:"sort"`
	Size     int      `json:"size"`

	Want    []string `json:"want"`    // ids, in any order unless Ordered
	Ordered bool     `json:"ordered"` // Want is the exact order
	First   []string `json:"first"`   // ids that must fill the first places, in any order
	Error   string   `json:"error"`   // a bad query: the message must contain this

	Facets    map[string]map[string]int `json:"facets"`     // facet -> value -> count
	Timeline  map[string]int            `json:"timeline"`   // month -> count; "months" -> length
	Snippet   map[string]string         `json:"snippet"`    // id -> substring of its snippet
	TitleHTML map[string]string         `json:"title_html"` // id -> its TitleHTML
}

func (c searchCase) request(t *testing.T) Request {
	r := Request{Query: c.Query, Source: c.Source, Province: c.Province, Sort: c.Sort, Size: MaxSize,
		Facets: c.Facets != nil || c.Timeline != nil}
	if c.Size != 0 {
		r.Size = c.Size
	}
	for _, p := range []struct {
		s   string
		dst *time.Time
	}{{c.Since, &r.Since}, {c.Until, &r.Until}} {
		if p.s == "" {
			continue
		}
		var err error
		if *p.dst, err = time.Parse(time.RFC3339, p.s); err != nil {
			t.Fatalf("case %q: %v", c.Name, err)
		}
	}
	return r
}

// searchIndex is the test corpus, indexed once for the whole suite.
func searchIndex(t *testing.T) *Index {
	t.Helper()
	c := loadCorpus(t)
	ix := openTemp(t)
	ix.SetSources(c.Sources)
	n, err := ix.Sync(context.Background(), memSource(c.Articles))
	if err != nil || n != len(c.Articles) {
		t.Fatalf("Sync: %d, %v; want %d", n, err, len(c.Articles))
	}
	return ix
}

func TestSearchCases(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("testdata", "search", "cases.json"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []searchCase
	if err := json.Unmarshal(b, &cases); err != nil {
		t.Fatalf("cases.json: %v", err)
	}
	ix := searchIndex(t)
	// Each case runs in one search, split in two halves run at once (as on
	// a large index, see run.go), and through Bleve's generic reader (the
	// searchers' way on an index that is not scorch's): all must agree.
	for _, mode := range []struct {
		name    string
		split   uint64
		generic bool
	}{{"one", math.MaxUint64, false}, {"split", 1, false}, {"generic", 1, true}} {
		for _, c := range cases {
			t.Run(c.Name+"/"+mode.name, func(t *testing.T) {
				ix.splitFrom, ix.generic = mode.split, mode.generic
				runCase(t, ix, c)
			})
		}
	}
}

func runCase(t *testing.T, ix *Index, c searchCase) {
	res, err := ix.Search(context.Background(), c.request(t))
	if c.Error != "" {
		if !errors.Is(err, ErrBadQuery) || !strings.Contains(err.Error(), c.Error) {
			t.Fatalf("query %q: got error %v, want ErrBadQuery mentioning %q", c.Query, err, c.Error)
		}
		return
	}
	if err != nil {
		t.Fatalf("query %q: %v", c.Query, err)
	}
	checkHits(t, c, res)
	checkFacets(t, c, res)
	checkMarks(t, c, res)
}

func checkHits(t *testing.T, c searchCase, res Result) {
	t.Helper()
	got := ids(res)
	if res.Total != len(got) {
		t.Errorf("query %q: Total %d, but %d hits", c.Query, res.Total, len(got))
	}
	if c.Ordered {
		if !slices.Equal(got, c.Want) {
			t.Errorf("query %q:\n got %v\nwant %v (in this order)", c.Query, got, c.Want)
		}
		return
	}
	if !slices.Equal(sorted(got), sorted(c.Want)) {
		t.Errorf("query %q:\n got %v\nwant %v (any order)", c.Query, got, c.Want)
	}
	if len(c.First) > 0 && len(got) >= len(c.First) &&
		!slices.Equal(sorted(got[:len(c.First)]), sorted(c.First)) {
		t.Errorf("query %q: ranked %v, want %v first", c.Query, got, c.First)
	}
}

func checkFacets(t *testing.T, c searchCase, res Result) {
	t.Helper()
	byName := map[string][]FacetCount{"source": res.Facets.Source, "province": res.Facets.Province,
		"year": res.Facets.Year}
	for name, want := range c.Facets {
		got := map[string]int{}
		for _, fc := range byName[name] {
			got[fc.Value] = fc.Count
		}
		if !mapsEqual(got, want) {
			t.Errorf("query %q: facet %s = %v, want %v", c.Query, name, got, want)
		}
	}
	months := map[string]int{}
	for _, m := range res.Timeline {
		months[m.Month] = m.Count
	}
	for m, n := range c.Timeline {
		if m == "months" {
			if len(res.Timeline) != n {
				t.Errorf("query %q: timeline has %d months, want %d", c.Query, len(res.Timeline), n)
			}
			continue
		}
		if got, ok := months[m]; !ok || got != n {
			t.Errorf("query %q: timeline %s = %d (present %v), want %d", c.Query, m, got, ok, n)
		}
	}
}

func checkMarks(t *testing.T, c searchCase, res Result) {
	t.Helper()
	for _, h := range res.Hits {
		if want, ok := c.Snippet[h.ID]; ok && !strings.Contains(h.Snippet, want) {
			t.Errorf("query %q: snippet of %s = %q, want it to contain %q", c.Query, h.ID, h.Snippet, want)
		}
		if want, ok := c.TitleHTML[h.ID]; ok && h.TitleHTML != want {
			t.Errorf("query %q: title of %s = %q, want %q", c.Query, h.ID, h.TitleHTML, want)
		}
	}
}

func sorted(s []string) []string {
	out := slices.Clone(s)
	slices.Sort(out)
	return out
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// TestSearchersScoreAsBleve checks that the searchers reading scorch's
// segments directly (word.go) score as the Bleve queries they replace,
// which the generic path runs: same hits, same order, same scores.
func TestSearchersScoreAsBleve(t *testing.T) {
	ix := searchIndex(t)
	for _, q := range []string{"thưởng", "thuong", "cải cách", "cai cach hanh chinh", "title:thi tuyển",
		"author:Đức", "đào tạo -hà", "(thi OR xét) tuyển", "dak lak source:daklak", "công chức since:2021"} {
		var runs [2]Result
		for i, generic := range []bool{false, true} {
			ix.generic = generic
			res, err := ix.Search(context.Background(), Request{Query: q, Size: MaxSize})
			if err != nil {
				t.Fatal(err)
			}
			runs[i] = res
		}
		ix.generic = false
		direct, bleve := runs[0], runs[1]
		if !slices.Equal(ids(direct), ids(bleve)) {
			t.Errorf("%s: direct %v, Bleve %v", q, ids(direct), ids(bleve))
			continue
		}
		for i := range direct.Hits {
			if d, b := direct.Hits[i].Score, bleve.Hits[i].Score; math.Abs(d-b) > 1e-9*math.Abs(b) {
				t.Errorf("%s: %s scores %v directly, %v through Bleve", q, direct.Hits[i].ID, d, b)
			}
		}
	}
}
