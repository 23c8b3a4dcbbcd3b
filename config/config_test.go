package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRepoConfigLoads(t *testing.T) {
	c, err := Load("../config.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Sources) < 16 {
		t.Errorf("config.yaml has %d sources, want at least 16", len(c.Sources))
	}
	seen := map[string]bool{}
	for _, s := range c.Sources {
		if seen[s.ID] {
			t.Errorf("duplicate id %q", s.ID)
		}
		seen[s.ID] = true
		if s.Name == s.ID || s.Province == "" {
			t.Errorf("%s: want a name and a province, got %q, %q", s.ID, s.Name, s.Province)
		}
	}
	want, _ := filepath.Abs("../data")
	if c.DataDir != want {
		t.Errorf("DataDir = %q, want %q", c.DataDir, want)
	}
	if c.Crawl != defaultCrawl() {
		t.Errorf("crawl = %+v, want the defaults %+v", c.Crawl, defaultCrawl())
	}
	merged := map[string]string{"bacgiang": "Bắc Ninh", "quangnam": "Đà Nẵng", "sonla": "", "angiang": ""}
	for id, cur := range merged {
		s, ok := c.Source(id)
		if !ok || s.CurrentProvince != cur {
			t.Errorf("Source(%q) = %+v, %v; want current_province %q", id, s.Source, ok, cur)
		}
	}
}

func defaultCrawl() Crawl {
	return Crawl{
		Delay: DefaultDelay, Concurrency: DefaultConcurrency, Timeout: DefaultTimeout,
		MaxDepth: DefaultMaxDepth, MaxPages: DefaultMaxPages, MaxBodyBytes: DefaultMaxBodyBytes,
		RecheckMin: DefaultRecheckMin, RecheckMax: DefaultRecheckMax,
	}
}

func TestDefaults(t *testing.T) {
	dir := t.TempDir()
	c, err := Parse([]byte("sources:\n  - id: sonla\n    url: https://sonoivu.sonla.gov.vn/\n"), filepath.Join(dir, "c.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if c.Crawl != defaultCrawl() {
		t.Errorf("crawl = %+v, want %+v", c.Crawl, defaultCrawl())
	}
	if c.UserAgent != DefaultUserAgent || c.DataDir != filepath.Join(dir, "data") || c.BaseURL != "" {
		t.Errorf("got user_agent %q, data_dir %q, base_url %q", c.UserAgent, c.DataDir, c.BaseURL)
	}
	if s := c.Sources[0]; s.Name != "sonla" || s.Delay != 0 || s.Disabled {
		t.Errorf("source = %+v, want name defaulting to the id", s)
	}
}

func TestValuesKept(t *testing.T) {
	src := `
data_dir: /var/lib/noivu
user_agent: test-agent
base_url: https://noivu.example.org/
crawl: {delay: 500ms, concurrency: 2, timeout: 10s, max_depth: 0, max_pages: 5, max_body_bytes: 1024, recheck_min: 1h, recheck_max: 1h}
sources:
  - id: haugiang
    name: "Sở Nội vụ tỉnh Hậu Giang"
    province: "Hậu Giang"
    current_province: "Cần Thơ"
    url: https://www.sonoivu.haugiang.gov.vn/
    start_urls: [https://sonoivu.haugiang.gov.vn/vi/news/, "http://WWW.sonoivu.haugiang.gov.vn/x"]
    selectors: {title: h1.title, body: "div.bodytext > p", links: "a[href*='/vi/news/']", next: ".pagination a.next"}
    delay: 3s
    disabled: true
`
	c, err := Parse([]byte(src), "c.yaml")
	if err != nil {
		t.Fatal(err)
	}
	want := Crawl{500 * time.Millisecond, 2, 10 * time.Second, 0, 5, 1024, time.Hour, time.Hour}
	if c.Crawl != want || c.DataDir != "/var/lib/noivu" || c.UserAgent != "test-agent" {
		t.Errorf("got %+v %q %q", c.Crawl, c.DataDir, c.UserAgent)
	}
	s := c.Sources[0]
	if s.CurrentProvince != "Cần Thơ" || len(s.StartURLs) != 2 || s.Selectors.Next != ".pagination a.next" || !s.Disabled {
		t.Errorf("source = %+v", s)
	}
	if got := c.DelayFor(s); got != 3*time.Second {
		t.Errorf("DelayFor = %v, want the source's larger 3s", got)
	}
}

func TestRelativeDataDir(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "etc", "noivu.yaml")
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte("data_dir: ../var/data\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := Load(file)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "var", "data"); c.DataDir != want {
		t.Errorf("DataDir = %q, want %q (relative to the config's folder)", c.DataDir, want)
	}
	if got, want := c.Path("store.db"), filepath.Join(dir, "var", "data", "store.db"); got != want {
		t.Errorf("Path = %q, want %q", got, want)
	}
	if got := c.Path("/tmp/x"); got != "/tmp/x" {
		t.Errorf("Path(abs) = %q", got)
	}
}

func TestHelpers(t *testing.T) {
	src := "sources:\n- {id: a, url: 'https://a.gov.vn/'}\n- {id: b, url: 'https://b.gov.vn/', disabled: true}\n- {id: c, url: 'https://c.gov.vn/'}\n"
	c, err := Parse([]byte(src), "c.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := c.Source("b"); !ok || s.URL != "https://b.gov.vn/" {
		t.Errorf("Source(b) = %+v, %v", s, ok)
	}
	if _, ok := c.Source("z"); ok {
		t.Error("Source(z) found")
	}
	var ids []string
	for _, s := range c.Enabled() {
		ids = append(ids, s.ID)
	}
	if strings.Join(ids, ",") != "a,c" {
		t.Errorf("Enabled = %v, want a,c", ids)
	}
	if as := c.ArticleSources(); len(as) != 3 || as[1].ID != "b" || as[1].Name != "b" {
		t.Errorf("ArticleSources = %+v", as)
	}
	if got := c.DelayFor(c.Sources[0]); got != DefaultDelay {
		t.Errorf("DelayFor = %v, want crawl.delay", got)
	}
}

func TestErrorsAs(t *testing.T) {
	_, err := Parse([]byte("crawl:\n  delay: soon\n"), "c.yaml")
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("Parse: %T %v is not an *Error", err, err)
	}
	if e.Path != "c.yaml" || e.Line != 2 || e.Key != "crawl.delay" || !strings.Contains(e.Msg, `bad duration "soon"`) {
		t.Errorf("got %+v", e)
	}
	_, err = Load(filepath.Join(t.TempDir(), "none.yaml"))
	if !errors.As(err, &e) || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Load(missing): %T %v: want an *Error wrapping fs.ErrNotExist", err, err)
	}
	if !strings.Contains(err.Error(), "none.yaml: cannot read: ") {
		t.Errorf("Load(missing): %v", err)
	}
}

func TestSuggest(t *testing.T) {
	known := knownKeys(nil)
	for key, want := range map[string]string{
		"user_agnet": "user_agent", "UserAgent": "user_agent", "data-dir": "data_dir",
		"sourcse": "sources", "crawler": "crawl", "xyz": "", "id": "",
	} {
		if got := suggest(key, known); got != want {
			t.Errorf("suggest(%q) = %q, want %q", key, got, want)
		}
	}
}

func TestErrorString(t *testing.T) {
	for _, tt := range []struct {
		e    Error
		want string
	}{
		{Error{Path: "c.yaml", Line: 14, Key: "sources[2].url", Msg: "missing"}, "c.yaml:14: sources[2].url: missing"},
		{Error{Path: "c.yaml", Line: 3, Msg: `unknown key "x"`}, `c.yaml:3: unknown key "x"`},
		{Error{Path: "c.yaml", Msg: "empty file"}, "c.yaml: empty file"},
		{Error{Line: 2, Key: "crawl", Msg: "bad"}, "line 2: crawl: bad"},
		{Error{Path: "a\nb.yaml", Msg: "two\nlines"}, "a b.yaml: two lines"},
	} {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
	}
}

func TestScheduleKey(t *testing.T) {
	for _, expr := range []string{"@hourly", "17 */6 * * *", ""} {
		c, err := Parse([]byte("schedule: \""+expr+"\"\nsources:\n  - id: sonla\n    url: https://sonoivu.sonla.gov.vn/\n"), "c.yaml")
		if err != nil {
			t.Fatalf("schedule %q: %v", expr, err)
		}
		if c.Schedule != expr {
			t.Errorf("schedule %q read as %q", expr, c.Schedule)
		}
	}
}
