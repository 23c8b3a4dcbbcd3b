package main

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/noivu/noivu/index"
)

func TestExport(t *testing.T) {
	p, srv := portal(t, 12)
	cfg, _ := crawlConfig(t, srv.URL)
	if r := noivu(t, "crawl", "--config", cfg, "--quiet"); r.code != exitOK {
		t.Fatalf("crawl: want exit 0\n%s", r)
	}
	r := noivu(t, "export", "--config", cfg, "--format", "csv")
	if r.code != exitOK {
		t.Fatalf("export csv\n%s", r)
	}
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := "id,url,source,province,title,author,unit,outlet,published,date_only,text"
	if strings.Join(rows[0], ",") != want || len(rows) != 13 {
		t.Fatalf("export csv: header %v and %d rows; want %s and 12 rows", rows[0], len(rows)-1, want)
	}
	if rows[1][2] != testSourceID || rows[1][3] != testProvince || rows[1][10] == "" {
		t.Errorf("export csv row %q", rows[1])
	}

	r = noivu(t, "export", "--config", cfg, "--format", "jsonl", "--source", testSourceID, "--since", "2000-01-01")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != exitOK || len(lines) != 12 {
		t.Fatalf("export jsonl: %d lines, want 12\n%s", len(lines), r)
	}
	for _, l := range lines {
		var a map[string]any
		if err := json.Unmarshal([]byte(l), &a); err != nil || a["id"] == nil || a["text"] == nil || a["url"] == nil {
			t.Fatalf("export jsonl line %s: %v", l, err)
		}
	}

	title := p.Articles()[0].Title
	words := strings.Fields(title)
	q := index.Fold(strings.ToLower(`"` + strings.Join(words[:min(4, len(words))], " ") + `"`))
	r = noivu(t, "export", "--config", cfg, "--format", "jsonl", q)
	lines = strings.Split(strings.TrimSpace(r.stdout), "\n")
	if r.code != exitOK || len(lines) == 0 || len(lines) >= 12 || !strings.Contains(r.stdout, title) {
		t.Errorf("export of query %s: %d lines, want 1-11 with %q\n%s", q, len(lines), title, r)
	}
	for _, bad := range [][]string{{"--format", "xml"}, {"--since", "2024-1-1"}, {`"unclosed`}} {
		if r := noivu(t, append([]string{"export", "--config", cfg}, bad...)...); r.code != exitUsage {
			t.Errorf("export %v: exit %d, want %d\n%s", bad, r.code, exitUsage, r)
		}
	}
}
