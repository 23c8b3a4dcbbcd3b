package crawler_test

import (
	"bytes"
	"context"
	"encoding/pem"
	"io"
	stdlog "log"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/noivu/noivu/archive"
	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/config"
	"github.com/noivu/noivu/crawler"
	"github.com/noivu/noivu/internal/simportal"
	"github.com/noivu/noivu/store"
)

// gaps returns the smallest gap between two consecutive requests to a portal.
func smallestGap(log []simportal.Request) time.Duration {
	min := time.Duration(1 << 62)
	for i := 1; i < len(log); i++ {
		if g := log[i].At.Sub(log[i-1].At); g < min {
			min = g
		}
	}
	return min
}

// crawl.delay spaces the requests to one host; robots.txt's Crawl-delay
// stretches that gap further.
func TestDelayAndCrawlDelay(t *testing.T) {
	h := newHarness(t, simportal.Options{Layout: simportal.LayoutNukeViet, Articles: 5, Seed: 4})
	h.cfg.Crawl.Delay = 40 * time.Millisecond
	h.cfg.Crawl.MaxPages = 12
	h.crawl()
	log := h.sites[0].portal.Log()
	if len(log) < 5 {
		t.Fatalf("only %d requests", len(log))
	}
	// The portal stamps a request when it answers; allow for that jitter.
	if g := smallestGap(log); g < 35*time.Millisecond {
		t.Errorf("two requests %v apart, crawl.delay is 40ms", g)
	}

	h2 := newHarness(t, simportal.Options{Layout: simportal.LayoutSonLa, Articles: 5, Seed: 4, CrawlDelay: 1})
	h2.cfg.Crawl.MaxPages = 2
	h2.crawl()
	log = h2.sites[0].portal.Log()
	if len(log) != 3 {
		t.Fatalf("%d requests, want robots.txt and 2 pages (max_pages 2)", len(log))
	}
	if g := smallestGap(log); g < 950*time.Millisecond {
		t.Errorf("requests %v apart, robots.txt asks for Crawl-delay: 1", g)
	}
}

// A 429 with Retry-After holds back that host, and only that host; the page
// is retried in the same run once the pause is over.
func TestRetryAfterSlowsOnlyThatHost(t *testing.T) {
	h := newHarness(t,
		simportal.Options{Layout: simportal.LayoutNukeViet, Articles: 12, Seed: 5},
		simportal.Options{Layout: simportal.LayoutDrupal, Articles: 12, Seed: 6})
	slow, fast := h.sites[0], h.sites[1]
	slow.portal.SetFaults(simportal.Faults{Kinds: []simportal.Fault{simportal.Fault429}, Fraction: 0.25, Times: 1, RetryAfter: 1})
	stats := h.crawl()
	if stats[slow.id].New != 12 {
		t.Errorf("slowed host: %d articles stored in the run, want all 12 after the Retry-After pauses", stats[slow.id].New)
	}
	log := slow.portal.Log()
	for i := 0; i < len(log)-1; i++ {
		if log[i].Status == 429 {
			if g := log[i+1].At.Sub(log[i].At); g < 950*time.Millisecond {
				t.Errorf("next request %v after a 429 with Retry-After: 1", g)
			}
		}
	}
	fastLog, slowLog := fast.portal.Log(), slow.portal.Log()
	if last, slowLast := fastLog[len(fastLog)-1].At, slowLog[len(slowLog)-1].At; !last.Before(slowLast) {
		t.Errorf("the other host finished at %v, after the slowed one (%v): it was held back too", last, slowLast)
	}
}

// A known article is re-checked with a conditional GET once due, and a 304
// costs no download and changes nothing.
func TestRecheckUsesConditionalGET(t *testing.T) {
	h := newHarness(t, simportal.Options{Layout: simportal.LayoutDrupal, Articles: 12, Seed: 8})
	h.crawl()
	before := h.articles()[h.sites[0].id]
	h.sites[0].portal.ResetLog()
	h.now = h.now.Add(60 * 24 * time.Hour) // past recheck_max: every article is due
	stats := h.crawl()[h.sites[0].id]
	checked := 0
	for _, r := range h.sites[0].portal.Log() {
		if r.Kind != "article" {
			continue
		}
		if !r.Conditional || r.Status != 304 {
			t.Errorf("re-check of %s: conditional %v, status %d; want a conditional GET answered 304", r.Path, r.Conditional, r.Status)
		}
		checked++
	}
	if checked != 12 || stats.Unchanged != 12 || stats.New+stats.Updated != 0 {
		t.Errorf("%d articles re-checked, stats %+v; want 12 unchanged", checked, stats)
	}
	after := h.articles()[h.sites[0].id]
	for p, a := range before {
		if after[p].ContentHash != a.ContentHash || !after[p].FirstSeen.Equal(a.FirstSeen) {
			t.Errorf("%s changed by a 304", p)
		}
	}
	// Right after, nothing is due again: the interval grew.
	h.sites[0].portal.ResetLog()
	h.now = h.now.Add(time.Hour)
	h.crawl()
	for _, r := range h.sites[0].portal.Log() {
		if r.Kind == "article" {
			t.Errorf("%s re-checked again an hour later", r.Path)
		}
	}
}

// max_pages bounds a run; what it left is fetched by the next one.
func TestPageBudgetCarriesOver(t *testing.T) {
	h := newHarness(t, simportal.Options{Layout: simportal.LayoutSonLa, Articles: 30, Seed: 10})
	h.cfg.Crawl.MaxPages = 25
	total := len(h.sites[0].portal.Articles())
	for run := 1; run <= 8; run++ {
		h.sites[0].portal.ResetLog()
		h.crawl()
		if n := len(h.sites[0].portal.Log()); n > 26 {
			t.Fatalf("run %d made %d requests with max_pages 25 (+ robots.txt)", run, n)
		}
		if len(h.articles()[h.sites[0].id]) == total {
			t.Logf("all %d articles after %d runs of 25 pages", total, run)
			return
		}
	}
	t.Errorf("%d of %d articles after 8 budget-limited runs", len(h.articles()[h.sites[0].id]), total)
}

// A source may name a CA bundle for a host whose certificate Go does not
// trust; without it the pass fails, and skipping verification works but is
// logged as a warning.
func TestTLSCABundleAndInsecure(t *testing.T) {
	srv := httptest.NewUnstartedServer(simportal.New(simportal.Options{Layout: simportal.LayoutNukeViet, Articles: 12, Seed: 11}))
	srv.Config.ErrorLog = stdlog.New(io.Discard, "", 0) // the refused handshake is the point
	srv.StartTLS()
	defer srv.Close()
	bundle := filepath.Join(t.TempDir(), "ca.pem")
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(bundle, pemBytes, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		set      func(*config.Source)
		wantErr  bool
		wantWarn bool
	}{
		{"system roots only", func(*config.Source) {}, true, false},
		{"ca_bundle", func(s *config.Source) { s.CABundle = bundle }, false, false},
		{"insecure_skip_verify", func(s *config.Source) { s.InsecureSkipVerify = true }, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := config.Source{}
			src.ID, src.URL = "tls", srv.URL+"/"
			tt.set(&src)
			var logs bytes.Buffer
			st := runOnce(t, src, slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn})))
			if gotErr := st.Err != ""; gotErr != tt.wantErr {
				t.Errorf("pass error %q, want error %v", st.Err, tt.wantErr)
			}
			if tt.wantErr && !strings.Contains(st.Err, "certificate") {
				t.Errorf("error %q does not say it is the certificate", st.Err)
			}
			if !tt.wantErr && st.New != 12 {
				t.Errorf("%d articles stored, want 12", st.New)
			}
			if warned := strings.Contains(logs.String(), "insecure_skip_verify"); warned != tt.wantWarn {
				t.Errorf("warning logged %v, want %v; logs:\n%s", warned, tt.wantWarn, logs.String())
			}
		})
	}
}

// runOnce crawls one source into a fresh data_dir.
func runOnce(t *testing.T, src config.Source, log *slog.Logger) article.RunStats {
	t.Helper()
	dir := t.TempDir()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, "noivu.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ar, err := archive.Open(ctx, archive.Options{Dir: filepath.Join(dir, "warc")})
	if err != nil {
		t.Fatal(err)
	}
	defer ar.Close()
	cfg := &config.Config{DataDir: dir, UserAgent: "noivu-test/1.0", Crawl: config.Crawl{Concurrency: 1, Timeout: 5 * time.Second,
		MaxDepth: 4, MaxPages: 500, MaxBodyBytes: 10 << 20, RecheckMin: 24 * time.Hour, RecheckMax: 720 * time.Hour}}
	return crawler.New(cfg, st, ar, crawler.WithLogger(log)).Run(ctx, []config.Source{src})[0]
}
