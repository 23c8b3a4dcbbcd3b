package main

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/noivu/noivu/index"
)

// searchOutput is `search --json` as DESIGN.md gives it.
type searchOutput struct {
	Total int                          `json:"total"`
	Hits  []map[string]json.RawMessage `json:"hits"`
}

func TestSearchAfterCrawl(t *testing.T) {
	p, srv := portal(t, 12)
	cfg, _ := crawlConfig(t, srv.URL)
	if r := noivu(t, "crawl", "--config", cfg, "--quiet"); r.code != exitOK {
		t.Fatalf("crawl: want exit 0\n%s", r)
	}
	want := p.Articles()[0]
	words := strings.Fields(want.Title)
	query := index.Fold(strings.ToLower(strings.Join(words[:min(3, len(words))], " ")))

	r := noivu(t, "search", "--config", cfg, "--json", "--limit", "5", query)
	if r.code != exitOK {
		t.Fatalf("search --json: want exit 0\n%s", r)
	}
	var out searchOutput
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("search --json is not JSON: %v\n%s", err, r)
	}
	if out.Total == 0 || len(out.Hits) == 0 || len(out.Hits) > 5 {
		t.Fatalf("folded query %q: total %d, %d hits; want 1-5 hits\n%s", query, out.Total, len(out.Hits), r)
	}
	keys := []string{"id", "url", "title", "author", "published", "source", "snippet"}
	found := false
	for _, h := range out.Hits {
		if len(h) != len(keys) {
			t.Errorf("hit has keys %v, want exactly %v", mapKeys(h), keys)
		}
		for _, k := range keys {
			if _, ok := h[k]; !ok {
				t.Errorf("hit lacks %q", k)
			}
		}
		var title, published string
		json.Unmarshal(h["title"], &title)
		if title == want.Title {
			found = true
			if json.Unmarshal(h["published"], &published); !strings.HasSuffix(published, "+07:00") {
				t.Errorf("published %s, want RFC 3339 in +07:00", h["published"])
			}
		}
	}
	if !found {
		t.Errorf("folded query %q does not find %q\n%s", query, want.Title, r)
	}

	// The table, a source filter and dates.
	r = noivu(t, "search", "--config", cfg, "--source", testSourceID, "--since", "2000-01-01", query)
	if r.code != exitOK || !strings.HasPrefix(r.stdout, "DATE") || !strings.Contains(r.stdout, want.Title) {
		t.Errorf("search (table): want a table listing %q\n%s", want.Title, r)
	}
	r = noivu(t, "search", "--config", cfg, "--source", "nowhere", query)
	if r.code != exitOK || !strings.Contains(r.stdout, "no articles") {
		t.Errorf("search of an unknown source: want exit 0 and no articles\n%s", r)
	}
}

func TestSearchBadQueryAndFlags(t *testing.T) {
	cfg, _ := crawlConfig(t, "http://127.0.0.1:1")
	for _, args := range [][]string{
		{`"cải cách`}, {"since:2024-13-01"}, {"a OR"},
		{"--since", "2024-1-1", "a"}, {"--limit", "0", "a"}, {"--sort", "oldest", "a"}, {},
	} {
		r := noivu(t, append([]string{"search", "--config", cfg}, args...)...)
		if r.code != exitUsage || r.stdout != "" || !singleLine(strings.SplitN(r.stderr, "\n", 2)[0]+"\n") {
			t.Errorf("search %q: want exit 2 and a message\n%s", args, r)
		}
	}
}

func TestSearchWhileIndexLocked(t *testing.T) {
	cfg, dataDir := crawlConfig(t, "http://127.0.0.1:1")
	ix, err := index.Open(filepath.Join(dataDir, "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	start := time.Now()
	r := noivu(t, "search", "--config", cfg, "cải cách")
	if r.code != exitFailure || !strings.Contains(r.stderr, "in use") || !strings.Contains(r.stderr, "pid ") ||
		!strings.Contains(r.stderr, "noivu serve") {
		t.Errorf("search on a locked index: want exit 1 naming the holder and what to do\n%s", r)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("search on a locked index took %s to give up", took)
	}
}

func TestReindex(t *testing.T) {
	p, srv := portal(t, 8)
	cfg, dataDir := crawlConfig(t, srv.URL)
	if r := noivu(t, "crawl", "--config", cfg, "--quiet"); r.code != exitOK {
		t.Fatalf("crawl: want exit 0\n%s", r)
	}
	r := noivu(t, "reindex", "--config", cfg)
	if r.code != exitOK || !strings.Contains(r.stdout, "docs/s") {
		t.Fatalf("reindex: want exit 0 and a rate\n%s", r)
	}
	n := len(p.Articles())
	if !strings.HasPrefix(r.stdout, "indexed "+strconv.Itoa(n)+" articles") {
		t.Errorf("reindex: want %d articles indexed\n%s", n, r)
	}
	ix, err := index.Open(filepath.Join(dataDir, "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if got, _ := ix.Count(); got != n {
		t.Errorf("after reindex the index holds %d articles, want %d", got, n)
	}
}

func mapKeys(m map[string]json.RawMessage) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// A crawl leaves the search index in step with the store when no server
// holds it.
func TestCrawlSyncsTheIndex(t *testing.T) {
	_, srv := portal(t, 12)
	cfg, dataDir := crawlConfig(t, srv.URL)
	mustCrawl(t, cfg)
	ix, err := index.Open(filepath.Join(dataDir, "index"))
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if n, err := ix.Count(); err != nil || n != 12 {
		t.Errorf("index holds %d articles (%v) after the crawl, want 12", n, err)
	}
}
