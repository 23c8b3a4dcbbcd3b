package main

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/noivu/noivu/internal/simportal"
)

// TestMain fails the run when goroutines outlive the tests: commands must
// close their stores, archives and HTTP clients before they return.
func TestMain(m *testing.M) {
	before := len(liveGoroutines())
	code := m.Run()
	if code == 0 {
		http.DefaultClient.CloseIdleConnections()
		deadline := time.Now().Add(5 * time.Second)
		for len(liveGoroutines()) > before && time.Now().Before(deadline) {
			time.Sleep(50 * time.Millisecond)
		}
		if live := liveGoroutines(); len(live) > before {
			fmt.Fprintf(os.Stderr, "goroutine leak: %d before, %d after\n%s\n", before, len(live), strings.Join(live, "\n\n"))
			code = 1
		}
	}
	os.Exit(code)
}

// liveGoroutines returns the stacks of the running goroutines, leaving out
// the signal watcher that run's signal.NotifyContext starts once per process.
func liveGoroutines() []string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var out []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if !strings.Contains(g, "os/signal.loop") {
			out = append(out, g)
		}
	}
	return out
}

// result is what a user sees of one run of the command.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout:\n%s--- stderr:\n%s", r.code, r.stdout, r.stderr)
}

// noivu runs the command in-process as `noivu args...`.
func noivu(t *testing.T, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, env{stdout: &stdout, stderr: &stderr, stdin: strings.NewReader("")})
	return result{code: code, stdout: stdout.String(), stderr: stderr.String()}
}

// writeFile writes content to name in a fresh temporary folder and returns its path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// testSource is the one source the crawl tests configure.
const (
	testSourceID = "binhdinh"
	testProvince = "Bình Định"
)

// portal serves a simulated NukeViet portal for the test's lifetime.
func portal(t *testing.T, articles int) (*simportal.Portal, *httptest.Server) {
	t.Helper()
	p := simportal.New(simportal.Options{Layout: simportal.LayoutNukeViet, Articles: articles, Seed: 1})
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	return p, srv
}

// crawlConfig writes a config with one source on srvURL and its data_dir in
// a temporary folder; it returns the config's path and the data_dir.
// mustCrawl runs one quiet `noivu crawl` with cfg and fails t unless it
// exits 0.
func mustCrawl(t *testing.T, cfg string) {
	t.Helper()
	if code := run([]string{"crawl", "--quiet", "--config", cfg}, env{stdout: io.Discard, stderr: io.Discard}); code != exitOK {
		t.Fatalf("crawl exited %d", code)
	}
}

func crawlConfig(t *testing.T, srvURL string) (cfgPath, dataDir string) {
	t.Helper()
	dataDir = filepath.Join(t.TempDir(), "data")
	cfg := fmt.Sprintf(`data_dir: %q
user_agent: "noivu-test/0.1"
crawl:
  delay: 0s
  timeout: 5s
sources:
  - id: %s
    name: "Sở Nội vụ tỉnh Bình Định"
    province: %q
    url: %s/
`, dataDir, testSourceID, testProvince, srvURL)
	return writeFile(t, "config.yaml", cfg), dataDir
}

// singleLine reports whether s is exactly one line (a trailing newline allowed).
func singleLine(s string) bool {
	s = strings.TrimSuffix(s, "\n")
	return s != "" && !strings.Contains(s, "\n")
}

func TestUsageAndHelp(t *testing.T) {
	allCommands := []string{"crawl", "sources", "extract", "version", "help"}
	crawlFlags := []string{"-config", "-source", "-quiet"}
	tests := []struct {
		name       string
		args       []string
		code       int
		stdoutHas  []string
		stderrHas  []string
		stdoutNone bool // nothing may go to stdout
		stderrNone bool // nothing may go to stderr
	}{
		{name: "no args", args: nil, code: exitUsage,
			stderrHas: append([]string{"Usage: noivu"}, allCommands...), stdoutNone: true},
		{name: "help", args: []string{"help"}, code: exitOK,
			stdoutHas: append([]string{"Usage: noivu"}, allCommands...), stderrNone: true},
		{name: "-h", args: []string{"-h"}, code: exitOK,
			stdoutHas: allCommands, stderrNone: true},
		{name: "--help", args: []string{"--help"}, code: exitOK,
			stdoutHas: allCommands, stderrNone: true},
		{name: "help crawl", args: []string{"help", "crawl"}, code: exitOK,
			stdoutHas: append([]string{"noivu crawl"}, crawlFlags...), stderrNone: true},
		{name: "crawl -h", args: []string{"crawl", "-h"}, code: exitOK,
			stdoutHas: append([]string{"noivu crawl"}, crawlFlags...), stderrNone: true},
		{name: "crawl --help", args: []string{"crawl", "--help"}, code: exitOK,
			stdoutHas: crawlFlags, stderrNone: true},
		{name: "help sources", args: []string{"help", "sources"}, code: exitOK,
			stdoutHas: []string{"noivu sources", "-config", "-json"}, stderrNone: true},
		{name: "help extract", args: []string{"help", "extract"}, code: exitOK,
			stdoutHas: []string{"noivu extract", "-json", "-url"}, stderrNone: true},
		{name: "help bogus", args: []string{"help", "bogus"}, code: exitUsage,
			stderrHas: []string{"bogus"}},
		{name: "unknown command", args: []string{"bogus"}, code: exitUsage,
			stderrHas: []string{"unknown command", `"bogus"`, "Usage: noivu"}, stdoutNone: true},
		{name: "unknown flag", args: []string{"crawl", "--bogus"}, code: exitUsage,
			stderrHas: []string{"bogus"}, stdoutNone: true},
		{name: "version", args: []string{"version"}, code: exitOK,
			stdoutHas: []string{"noivu", version}, stderrNone: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := noivu(t, tt.args...)
			if r.code != tt.code {
				t.Errorf("exit code %d, want %d\n%s", r.code, tt.code, r)
			}
			for _, s := range tt.stdoutHas {
				if !strings.Contains(r.stdout, s) {
					t.Errorf("stdout lacks %q\n%s", s, r)
				}
			}
			for _, s := range tt.stderrHas {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr lacks %q\n%s", s, r)
				}
			}
			if tt.stdoutNone && r.stdout != "" {
				t.Errorf("stdout should be empty\n%s", r)
			}
			if tt.stderrNone && r.stderr != "" {
				t.Errorf("stderr should be empty\n%s", r)
			}
		})
	}
}

func TestVersionIsNotEmpty(t *testing.T) {
	r := noivu(t, "version")
	fields := strings.Fields(r.stdout)
	if r.code != exitOK || len(fields) != 2 || fields[0] != "noivu" || fields[1] == "" {
		t.Errorf("want `noivu <version>`\n%s", r)
	}
}
