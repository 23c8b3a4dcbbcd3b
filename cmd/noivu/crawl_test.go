package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofrs/flock"
)

// configErrorCases are configs that must be refused with exit 2 and one line
// naming the file, the line and the key.
var configErrorCases = []struct {
	name string
	yaml string
	want []string // substrings of the message besides the file's path
}{
	{
		name: "unknown key",
		yaml: `data_dir: ./data
sources:
  - id: a
    url: https://a.example.org/
    provinse: "Sơn La"
`,
		want: []string{":5:", "sources[0]", `unknown key "provinse"`, "province"},
	},
	{
		name: "unknown top-level key",
		yaml: `dta_dir: ./data
sources:
  - id: a
    url: https://a.example.org/
`,
		want: []string{":1:", `"dta_dir"`, "data_dir"},
	},
	{
		name: "missing url",
		yaml: `sources:
  - id: a
    url: https://a.example.org/
  - id: b
    name: "B"
`,
		want: []string{"sources[1].url", "missing"},
	},
	{
		name: "duplicate id",
		yaml: `sources:
  - id: a
    url: https://a.example.org/
  - id: a
    url: https://b.example.org/
`,
		want: []string{":4:", "sources[1].id", "duplicate", `"a"`},
	},
	{
		name: "bad duration",
		yaml: `crawl:
  delay: fast
sources:
  - id: a
    url: https://a.example.org/
`,
		want: []string{":2:", "crawl.delay", `"fast"`},
	},
	{
		name: "wrong type",
		yaml: `crawl:
  concurrency: many
sources:
  - id: a
    url: https://a.example.org/
`,
		want: []string{":2:", "crawl.concurrency", "integer"},
	},
	{
		name: "bad YAML",
		yaml: "sources: [\n  - id: a\n",
		want: nil,
	},
	{
		name: "empty file",
		yaml: "",
		want: []string{"empty"},
	},
}

func TestConfigErrors(t *testing.T) {
	for _, cmd := range []string{"crawl", "sources"} {
		for _, tc := range configErrorCases {
			t.Run(cmd+"/"+tc.name, func(t *testing.T) {
				cfg := writeFile(t, "config.yaml", tc.yaml)
				r := noivu(t, cmd, "--config", cfg)
				if r.code != exitUsage {
					t.Errorf("exit code %d, want %d\n%s", r.code, exitUsage, r)
				}
				if !singleLine(r.stderr) {
					t.Errorf("stderr should be one line\n%s", r)
				}
				if strings.Contains(r.stderr, "goroutine ") || strings.Contains(r.stderr, "panic") {
					t.Errorf("stderr shows a panic\n%s", r)
				}
				if r.stdout != "" {
					t.Errorf("stdout should be empty\n%s", r)
				}
				for _, s := range append([]string{"noivu " + cmd + ":", cfg}, tc.want...) {
					if !strings.Contains(r.stderr, s) {
						t.Errorf("stderr lacks %q\n%s", s, r)
					}
				}
			})
		}
		t.Run(cmd+"/missing file", func(t *testing.T) {
			missing := filepath.Join(t.TempDir(), "nope.yaml")
			r := noivu(t, cmd, "--config", missing)
			if r.code != exitUsage || !singleLine(r.stderr) || !strings.Contains(r.stderr, missing) {
				t.Errorf("want exit 2 and one line naming %s\n%s", missing, r)
			}
		})
	}
}

// TestConfigErrorCreatesNothing: a refused config must not leave a data_dir behind.
func TestConfigErrorCreatesNothing(t *testing.T) {
	dataDir := filepath.Join(t.TempDir(), "data")
	cfg := writeFile(t, "config.yaml", "data_dir: "+strconv.Quote(dataDir)+"\ncrawl:\n  delay: fast\nsources:\n  - id: a\n    url: https://a.example.org/\n")
	if r := noivu(t, "crawl", "--config", cfg); r.code != exitUsage {
		t.Fatalf("want exit 2\n%s", r)
	}
	if _, err := os.Stat(dataDir); err == nil {
		t.Errorf("data_dir %s was created for a bad config", dataDir)
	}
}

// summaryRow returns the summary table's columns for row id, by header name.
func summaryRow(t *testing.T, stdout, id string) map[string]string {
	t.Helper()
	var header []string
	for _, line := range strings.Split(stdout, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if f[0] == "source" {
			header = f
			continue
		}
		if f[0] == id && header != nil {
			if len(f) != len(header) {
				t.Fatalf("row %q has %d columns, header %d:\n%s", id, len(f), len(header), stdout)
			}
			row := map[string]string{}
			for i, h := range header {
				row[h] = f[i]
			}
			return row
		}
	}
	t.Fatalf("no summary row %q after a header in stdout:\n%s", id, stdout)
	return nil
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("not a count: %q", s)
	}
	return n
}

func TestCrawl(t *testing.T) {
	p, srv := portal(t, 20)
	cfg, dataDir := crawlConfig(t, srv.URL)
	want := len(p.Articles())

	r := noivu(t, "crawl", "--config", cfg)
	if r.code != exitOK {
		t.Fatalf("first crawl: want exit 0\n%s", r)
	}
	row := summaryRow(t, r.stdout, testSourceID)
	if n := atoi(t, row["new"]); n != want {
		t.Errorf("first crawl: new = %d, want %d (the portal's articles)\n%s", n, want, r)
	}
	if n := atoi(t, row["failed"]); n != 0 {
		t.Errorf("first crawl: failed = %d, want 0\n%s", n, r)
	}
	total := summaryRow(t, r.stdout, "total")
	if n := atoi(t, total["new"]); n != want {
		t.Errorf("first crawl: total new = %d, want %d\n%s", n, want, r)
	}
	for _, f := range []string{"noivu.db", "warc"} {
		if _, err := os.Stat(filepath.Join(dataDir, f)); err != nil {
			t.Errorf("after a crawl, data_dir lacks %s: %v", f, err)
		}
	}

	r = noivu(t, "crawl", "--config", cfg)
	if r.code != exitOK {
		t.Fatalf("second crawl: want exit 0\n%s", r)
	}
	row = summaryRow(t, r.stdout, testSourceID)
	if n := atoi(t, row["new"]); n != 0 {
		t.Errorf("second crawl: new = %d, want 0\n%s", n, r)
	}

	added := p.AddArticles(2)
	r = noivu(t, "crawl", "--config", cfg, "--source", testSourceID)
	if r.code != exitOK {
		t.Fatalf("third crawl: want exit 0\n%s", r)
	}
	if n := atoi(t, summaryRow(t, r.stdout, testSourceID)["new"]); n != len(added) {
		t.Errorf("third crawl after %d new articles: new = %d\n%s", len(added), n, r)
	}
}

func TestCrawlUnknownSource(t *testing.T) {
	_, srv := portal(t, 5)
	cfg, _ := crawlConfig(t, srv.URL)
	r := noivu(t, "crawl", "--config", cfg, "--source", "unknown")
	if r.code != exitUsage {
		t.Errorf("exit code %d, want %d\n%s", r.code, exitUsage, r)
	}
	if !singleLine(r.stderr) || !strings.Contains(r.stderr, `"unknown"`) {
		t.Errorf("want one line naming the source id\n%s", r)
	}
	if r.stdout != "" {
		t.Errorf("stdout should be empty\n%s", r)
	}
}

func TestCrawlQuiet(t *testing.T) {
	p, srv := portal(t, 8)
	cfg, _ := crawlConfig(t, srv.URL)
	r := noivu(t, "crawl", "--config", cfg, "--quiet")
	if r.code != exitOK {
		t.Fatalf("want exit 0\n%s", r)
	}
	if r.stdout != "" {
		t.Errorf("--quiet: stdout should be empty\n%s", r)
	}
	// Quiet when all is well: the simulated portal has no faults.
	if r.stderr != "" {
		t.Errorf("--quiet on a healthy portal: stderr should be empty\n%s", r)
	}
	// The pass still happened.
	r = noivu(t, "sources", "--config", cfg, "--json")
	if got := sourceStatuses(t, r)[testSourceID].Articles; got != len(p.Articles()) {
		t.Errorf("after a quiet crawl, %d articles stored, want %d", got, len(p.Articles()))
	}
}

func TestCrawlLock(t *testing.T) {
	p, srv := portal(t, 5)
	cfg, dataDir := crawlConfig(t, srv.URL)
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		t.Fatal(err)
	}
	lock := flock.New(filepath.Join(dataDir, "crawl.lock"))
	ok, err := lock.TryLock()
	if err != nil || !ok {
		t.Fatalf("test could not take the lock: %v %v", ok, err)
	}
	t.Cleanup(func() { lock.Unlock() })

	start := time.Now()
	r := noivu(t, "crawl", "--config", cfg)
	took := time.Since(start)
	if r.code != exitLocked {
		t.Errorf("with the lock held: exit code %d, want %d\n%s", r.code, exitLocked, r)
	}
	if took > 3*time.Second {
		t.Errorf("with the lock held, crawl took %v to give up; want it at once", took)
	}
	if !singleLine(r.stderr) || !strings.Contains(r.stderr, dataDir) || !strings.Contains(r.stderr, "another crawl is running") {
		t.Errorf("want one line naming %s and saying another crawl is running\n%s", dataDir, r)
	}
	if r.stdout != "" {
		t.Errorf("with the lock held, stdout should be empty\n%s", r)
	}
	if n := len(p.Log()); n != 0 {
		t.Errorf("with the lock held, crawl made %d requests to the portal", n)
	}

	if err := lock.Unlock(); err != nil {
		t.Fatal(err)
	}
	r = noivu(t, "crawl", "--config", cfg)
	if r.code != exitOK {
		t.Fatalf("after release: want exit 0\n%s", r)
	}
	if n := atoi(t, summaryRow(t, r.stdout, testSourceID)["new"]); n != len(p.Articles()) {
		t.Errorf("after release: new = %d, want %d", n, len(p.Articles()))
	}
	// The crawl released its own lock.
	ok, err = lock.TryLock()
	if err != nil || !ok {
		t.Errorf("after a crawl the lock is still held: %v %v", ok, err)
	}
}

// TestCrawlSiteDown: a site that cannot be reached does not stop the pass
// from completing, and even --quiet says so on stderr.
func TestCrawlSiteDown(t *testing.T) {
	_, srv := portal(t, 3)
	cfg, _ := crawlConfig(t, srv.URL)
	srv.Close()

	r := noivu(t, "crawl", "--config", cfg, "--quiet")
	if r.code != exitOK {
		t.Errorf("unreachable site: exit code %d, want 0 (the pass completed)\n%s", r.code, r)
	}
	if r.stdout != "" {
		t.Errorf("--quiet: stdout should be empty\n%s", r)
	}
	if !strings.Contains(r.stderr, testSourceID) {
		t.Errorf("--quiet with an unreachable site: stderr should name the source %q\n%s", testSourceID, r)
	}

	r = noivu(t, "crawl", "--config", cfg)
	if r.code != exitOK {
		t.Errorf("unreachable site: exit code %d, want 0\n%s", r.code, r)
	}
	if n := atoi(t, summaryRow(t, r.stdout, testSourceID)["new"]); n != 0 {
		t.Errorf("unreachable site: new = %d", n)
	}
	if !strings.Contains(r.stdout, testSourceID+": ") {
		t.Errorf("unreachable site: the summary should say why the pass over %s stopped\n%s", testSourceID, r)
	}
}

// TestCrawlDataDirNotAFolder: a data_dir that cannot be made is a fatal error naming it.
func TestCrawlDataDirNotAFolder(t *testing.T) {
	file := writeFile(t, "not-a-folder", "x")
	cfg := writeFile(t, "config.yaml", "data_dir: "+strconv.Quote(file)+"\nsources:\n  - id: a\n    url: https://a.example.org/\n")
	r := noivu(t, "crawl", "--config", cfg)
	if r.code != exitFailure {
		t.Errorf("exit code %d, want %d\n%s", r.code, exitFailure, r)
	}
	if !singleLine(r.stderr) || !strings.Contains(r.stderr, file) {
		t.Errorf("want one line naming %s\n%s", file, r)
	}
}
