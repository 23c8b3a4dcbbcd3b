package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"time"
	"unicode"

	"github.com/noivu/noivu/internal/simportal"
)

// run does the whole load test: portals, a first crawl, a serve, the idle
// phase, then the phase during crawls.
func run(ctx context.Context, o options) (report, error) {
	o = o.withDefaults()
	step := func(format string, args ...any) {
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, "noivu-loadtest: "+format+"\n", args...)
		}
	}
	tmp, err := os.MkdirTemp("", "noivu-loadtest-")
	if err != nil {
		return report{}, err
	}
	defer os.RemoveAll(tmp)
	bin := o.Noivu
	if bin == "" {
		step("building noivu")
		if bin, err = build(ctx, tmp); err != nil {
			return report{}, err
		}
	}

	layouts := []simportal.Layout{simportal.LayoutNukeViet, simportal.LayoutSonLa, simportal.LayoutDrupal}
	portals := make([]*simportal.Portal, len(layouts))
	urls := make([]string, len(layouts))
	for i, l := range layouts {
		portals[i] = simportal.New(simportal.Options{Layout: l, Articles: o.Articles, Seed: int64(11 + i)})
		srv := httptest.NewServer(portals[i])
		defer srv.Close()
		urls[i] = srv.URL
	}
	cfg, ids, err := writeConfig(tmp, urls, o.Delay)
	if err != nil {
		return report{}, err
	}

	step("first crawl of %d articles", o.Articles*len(portals))
	if out, err := exec.CommandContext(ctx, bin, "crawl", "--quiet", "--config", cfg).CombinedOutput(); err != nil {
		return report{}, fmt.Errorf("first crawl: %w\n%s", err, out)
	}
	base, stopServe, err := startServe(ctx, bin, cfg)
	if err != nil {
		return report{}, err
	}
	defer stopServe()

	var titles []string
	for _, p := range portals {
		for _, a := range p.Articles() {
			titles = append(titles, a.Title)
		}
	}
	queries := queryWords(titles, 1)
	mix := targets(base, ids, queries)
	if o.Only != "" {
		mix = slices.DeleteFunc(mix, func(t target) bool { return t.Class != o.Only })
		if len(mix) == 0 {
			return report{}, fmt.Errorf("-only %q: no such class (feed, search)", o.Only)
		}
	}
	// The index is synced by serve in the background: wait until it holds
	// the first crawl, so the idle phase searches a full archive.
	if err := waitFor(ctx, 2*time.Minute, func() (bool, error) {
		n, err := searchTotal(ctx, base, "")
		return n >= o.Articles*len(portals), err
	}); err != nil {
		return report{}, fmt.Errorf("waiting for the index: %w", err)
	}

	rep := report{Clients: o.Clients, Articles: o.Articles * len(portals)}
	step("idle phase: %d clients for %v", o.Clients, o.Duration)
	rep.Phases = append(rep.Phases, load(ctx, "idle", o.Clients, o.Duration, mix, 1))

	step("crawl phase: %d clients for %v while crawls run", o.Clients, o.Duration)
	crawls := make(chan crawlRuns, 1)
	phaseCtx, endPhase := context.WithCancel(ctx)
	go func() { crawls <- crawlLoop(phaseCtx, bin, cfg, portals, o.NewArticles) }()
	phase := load(ctx, "crawl", o.Clients, o.Duration, mix, 2)
	endPhase()
	cr := <-crawls
	rep.Phases = append(rep.Phases, phase)
	rep.Crawls = cr.passes
	rep.CrawlBusy = min(1, cr.busy.Seconds()/phase.Duration.Seconds())
	if cr.err != nil {
		return rep, cr.err
	}

	// Freshness: the newest article of the last crawl reaches its source's
	// feed and the search without a restart. (Not /feed.json: the other
	// portals' dates may push it out of the 50 newest of all sources.)
	newest := portals[0].Articles()[0]
	step("waiting for %q in the feed", newest.Title)
	err = waitFor(ctx, 2*time.Minute, func() (bool, error) {
		inFeed, err := feedHas(ctx, base+"/sources/"+ids[0]+"/feed.json", newest.Title)
		if err != nil || !inFeed {
			return false, err
		}
		n, err := searchTotal(ctx, base, titlePhrase(newest.Title))
		return n > 0, err
	})
	if err != nil {
		return rep, fmt.Errorf("newest article never showed: %w", err)
	}
	rep.Fresh = time.Since(cr.lastEnd)
	for _, p := range portals {
		rep.ArticlesEnd += len(p.Articles())
	}
	return rep, nil
}

func (o options) withDefaults() options {
	if o.Clients <= 0 {
		o.Clients = 50
	}
	if o.Duration <= 0 {
		o.Duration = 20 * time.Second
	}
	if o.Articles <= 0 {
		o.Articles = 200
	}
	if o.NewArticles <= 0 {
		o.NewArticles = 30
	}
	if o.Delay <= 0 {
		o.Delay = 20 * time.Millisecond
	}
	return o
}

// build compiles noivu as shipped (CGO_ENABLED=0) into dir.
func build(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "noivu")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/noivu/noivu/cmd/noivu")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("building noivu: %w\n%s", err, out)
	}
	return bin, nil
}

// writeConfig writes a config for the portals and returns it with the
// source ids.
func writeConfig(dir string, urls []string, delay time.Duration) (string, []string, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "data_dir: %s\nuser_agent: \"noivu-loadtest/1.0\"\ncrawl:\n  delay: %s\n  concurrency: %d\n  timeout: 10s\nsources:\n",
		filepath.Join(dir, "data"), delay, len(urls))
	var ids []string
	for i, u := range urls {
		id := fmt.Sprintf("portal%d", i+1)
		ids = append(ids, id)
		fmt.Fprintf(&b, "  - id: %s\n    name: \"Sở Nội vụ %d\"\n    province: \"Tỉnh %d\"\n    url: %s/\n", id, i+1, i+1, u)
	}
	path := filepath.Join(dir, "config.yaml")
	return path, ids, os.WriteFile(path, []byte(b.String()), 0o644)
}

var listeningRE = regexp.MustCompile(`listening on (http://\S+?)/? `)

// startServe runs `noivu serve` on a free port and returns its base URL
// and a function that stops it with SIGTERM, as systemd would.
func startServe(ctx context.Context, bin, cfg string) (string, func(), error) {
	cmd := exec.CommandContext(ctx, bin, "serve", "--quiet", "--config", cfg, "--addr", "127.0.0.1:0")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", nil, fmt.Errorf("starting serve: %w", err)
	}
	stop := func() {
		cmd.Process.Signal(syscall.SIGTERM)
		cmd.Wait()
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if m := listeningRE.FindStringSubmatch(sc.Text()); m != nil {
			go io.Copy(io.Discard, out) // keep the pipe drained
			return m[1], stop, nil
		}
	}
	stop()
	return "", nil, errors.New("serve exited before listening")
}

// crawlRuns is what the crawl loop of the second phase did.
type crawlRuns struct {
	passes  int
	busy    time.Duration
	lastEnd time.Time
	err     error
}

// crawlLoop publishes new articles on every portal and crawls them, pass
// after pass, until ctx ends; the pass running then is let finish so that
// the freshness check has a whole crawl to look for.
func crawlLoop(ctx context.Context, bin, cfg string, portals []*simportal.Portal, n int) crawlRuns {
	var r crawlRuns
	for ctx.Err() == nil {
		for _, p := range portals {
			p.AddArticles(n)
		}
		t0 := time.Now()
		out, err := exec.Command(bin, "crawl", "--quiet", "--config", cfg).CombinedOutput()
		r.lastEnd = time.Now()
		r.busy += r.lastEnd.Sub(t0)
		r.passes++
		if err != nil {
			r.err = fmt.Errorf("crawl pass %d: %w\n%s", r.passes, err, out)
			return r
		}
	}
	return r
}

// searchTotal asks /api/search for q ("" matches every article) and
// returns the total.
func searchTotal(ctx context.Context, base, q string) (int, error) {
	if q == "" {
		q = "source:portal1 OR source:portal2 OR source:portal3"
	}
	var res struct {
		Total int `json:"total"`
	}
	if err := getJSON(ctx, base+"/api/search?limit=1&q="+url.QueryEscape(q), &res); err != nil {
		return 0, err
	}
	return res.Total, nil
}

// titlePhrase quotes the first words of a title as a phrase query.
func titlePhrase(title string) string {
	f := strings.FieldsFunc(title, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	return `"` + strings.Join(f[:min(len(f), 8)], " ") + `"`
}

// feedHas reports whether the JSON feed at u lists an item with this title.
func feedHas(ctx context.Context, u, title string) (bool, error) {
	var f struct {
		Items []struct {
			Title string `json:"title"`
		} `json:"items"`
	}
	if err := getJSON(ctx, u, &f); err != nil {
		return false, err
	}
	for _, it := range f.Items {
		if it.Title == title {
			return true, nil
		}
	}
	return false, nil
}

func getJSON(ctx context.Context, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("%s: status %d: %s", u, resp.StatusCode, b)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// waitFor polls cond every 100 ms until it holds or limit passes.
func waitFor(ctx context.Context, limit time.Duration, cond func() (bool, error)) error {
	deadline := time.Now().Add(limit)
	var last error
	for time.Now().Before(deadline) {
		ok, err := cond()
		if ok {
			return nil
		}
		last = err
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	if last != nil {
		return fmt.Errorf("not within %v: %w", limit, last)
	}
	return fmt.Errorf("not within %v", limit)
}
