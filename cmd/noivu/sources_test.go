package main

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// status is what a user reads from one element of `sources --json`.
type status struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Province string `json:"province"`
	URL      string `json:"url"`
	Articles int    `json:"articles"` // matched case-insensitively
}

// sourceStatuses parses `sources --json` output by source id.
func sourceStatuses(t *testing.T, r result) map[string]status {
	t.Helper()
	if r.code != exitOK {
		t.Fatalf("sources --json: want exit 0\n%s", r)
	}
	var list []status
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil {
		t.Fatalf("sources --json is not a JSON list: %v\n%s", err, r)
	}
	out := map[string]status{}
	for _, s := range list {
		out[s.ID] = s
	}
	return out
}

func TestSourcesAfterCrawl(t *testing.T) {
	p, srv := portal(t, 20)
	cfg, _ := crawlConfig(t, srv.URL)
	if r := noivu(t, "crawl", "--config", cfg, "--quiet"); r.code != exitOK {
		t.Fatalf("crawl: want exit 0\n%s", r)
	}
	want := len(p.Articles())

	r := noivu(t, "sources", "--config", cfg)
	if r.code != exitOK {
		t.Fatalf("sources: want exit 0\n%s", r)
	}
	if r.stderr != "" {
		t.Errorf("sources: stderr should be empty\n%s", r)
	}
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if len(lines) != 2 {
		t.Fatalf("want a header and one row\n%s", r)
	}
	header := strings.Fields(lines[0])
	if len(header) < 3 || header[0] != "ID" || header[1] != "PROVINCE" || header[2] != "ARTICLES" {
		t.Fatalf("header %q, want ID PROVINCE ARTICLES ...\n%s", lines[0], r)
	}
	row := lines[1]
	if !strings.HasPrefix(row, testSourceID+" ") {
		t.Errorf("row %q does not start with the source id %q", row, testSourceID)
	}
	// The province has a space in it, so read the count from the ARTICLES column.
	col := strings.Index(lines[0], "ARTICLES")
	rowRunes := []rune(row)
	headRunes := []rune(lines[0][:col])
	if !strings.Contains(row, testProvince) || len(rowRunes) <= len(headRunes) {
		t.Fatalf("row %q lacks the province %q", row, testProvince)
	}
	count := strings.Fields(string(rowRunes[len(headRunes):]))[0]
	if count != strconv.Itoa(want) {
		t.Errorf("ARTICLES column %q, want %d\n%s", count, want, r)
	}
	if strings.Contains(row, "never") {
		t.Errorf("after a crawl, LAST CRAWL should not say never\n%s", r)
	}

	js := sourceStatuses(t, noivu(t, "sources", "--config", cfg, "--json"))
	got, ok := js[testSourceID]
	if !ok || len(js) != 1 {
		t.Fatalf("sources --json: want one source %q, got %+v", testSourceID, js)
	}
	if got.Articles != want || got.Province != testProvince || got.URL != srv.URL+"/" {
		t.Errorf("sources --json: got %+v, want %d articles in %s at %s/", got, want, testProvince, srv.URL)
	}
}

func TestSourcesBeforeCrawl(t *testing.T) {
	_, srv := portal(t, 3)
	cfg, _ := crawlConfig(t, srv.URL)
	r := noivu(t, "sources", "--config", cfg)
	if r.code != exitOK || !strings.Contains(r.stdout, testSourceID) || !strings.Contains(r.stdout, "never") {
		t.Errorf("before any crawl: want the source listed as never crawled\n%s", r)
	}
	got := sourceStatuses(t, noivu(t, "sources", "--config", cfg, "--json"))[testSourceID]
	if got.Articles != 0 {
		t.Errorf("before any crawl: %d articles", got.Articles)
	}
}

// TestSourcesJSONEmpty: a config without sources still gives a JSON list.
func TestSourcesJSONEmpty(t *testing.T) {
	cfg := writeFile(t, "config.yaml", "data_dir: "+strconv.Quote(t.TempDir())+"\n")
	r := noivu(t, "sources", "--config", cfg, "--json")
	if r.code != exitOK {
		t.Fatalf("want exit 0\n%s", r)
	}
	if strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("no sources: want [] so that scripts can iterate, got %q", r.stdout)
	}
}
