package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// target is one kind of request the clients make.
type target struct {
	Class  string // "feed" or "search"
	Weight int
	URL    func(r *rand.Rand) string
}

// targets is the request mix: what feed readers poll (all sources, one
// source, a saved search; RSS, Atom and JSON) and what researchers ask (the
// API and the HTML page, with and without diacritics, phrases).
func targets(base string, sources, queries []string) []target {
	pick := func(r *rand.Rand, s []string) string { return s[r.IntN(len(s))] }
	q := func(r *rand.Rand) string { return url.QueryEscape(pick(r, queries)) }
	return []target{
		{"feed", 4, func(*rand.Rand) string { return base + "/feed.rss" }},
		{"feed", 2, func(*rand.Rand) string { return base + "/feed.atom" }},
		{"feed", 2, func(*rand.Rand) string { return base + "/feed.json" }},
		{"feed", 3, func(r *rand.Rand) string { return base + "/sources/" + pick(r, sources) + "/feed.rss" }},
		{"feed", 1, func(r *rand.Rand) string { return base + "/feed.atom?q=" + q(r) }},
		{"search", 4, func(r *rand.Rand) string { return base + "/api/search?q=" + q(r) }},
		{"search", 3, func(r *rand.Rand) string { return base + "/search?q=" + q(r) }},
		{"search", 1, func(r *rand.Rand) string { return base + "/api/search?sort=newest&q=" + q(r) }},
	}
}

// phaseResult is what one load phase measured.
type phaseResult struct {
	Name     string        `json:"name"`
	Duration time.Duration `json:"duration_ns"`
	Requests int           `json:"requests"`
	Errors   int           `json:"errors"`
	RPS      float64       `json:"rps"`
	Classes  []classResult `json:"classes"`
	// FirstErrors keeps a few failures to show.
	FirstErrors []string `json:"first_errors,omitempty"`
}

type classResult struct {
	Class    string  `json:"class"`
	Requests int     `json:"requests"`
	RPS      float64 `json:"rps"`
	P50ms    float64 `json:"p50_ms"`
	P99ms    float64 `json:"p99_ms"`
	Maxms    float64 `json:"max_ms"`
}

// load runs clients concurrent clients on the mix for d and measures them.
// Each client reads every body to the end, as a reader would.
func load(ctx context.Context, name string, clients int, d time.Duration, mix []target, seed uint64) phaseResult {
	tr := &http.Transport{MaxIdleConns: clients, MaxIdleConnsPerHost: clients, IdleConnTimeout: time.Minute}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	total := 0
	for _, t := range mix {
		total += t.Weight
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()

	type sample struct {
		class string
		dur   time.Duration
		err   string
	}
	var mu sync.Mutex
	var samples []sample
	var wg sync.WaitGroup
	start := time.Now()
	for c := range clients {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(seed, uint64(c)))
			var mine []sample
			etags := map[string]string{} // this client's cache, as a feed reader keeps one
			for ctx.Err() == nil {
				n := r.IntN(total)
				var t target
				for _, t = range mix {
					if n -= t.Weight; n < 0 {
						break
					}
				}
				u := t.URL(r)
				t0 := time.Now()
				err := get(ctx, hc, u, etags, r.IntN(2) == 0)
				if ctx.Err() != nil {
					break // the phase ended mid-request: not a server failure
				}
				s := sample{class: t.Class, dur: time.Since(t0)}
				if err != nil {
					s.err = fmt.Sprintf("%s: %v", u, err)
				}
				mine = append(mine, s)
			}
			mu.Lock()
			samples = append(samples, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	elapsed := time.Since(start)

	res := phaseResult{Name: name, Duration: elapsed, Requests: len(samples)}
	byClass := map[string][]time.Duration{}
	for _, s := range samples {
		byClass[s.class] = append(byClass[s.class], s.dur)
		byClass["all"] = append(byClass["all"], s.dur)
		if s.err != "" {
			res.Errors++
			if len(res.FirstErrors) < 5 {
				res.FirstErrors = append(res.FirstErrors, s.err)
			}
		}
	}
	res.RPS = float64(res.Requests) / elapsed.Seconds()
	for _, c := range []string{"all", "feed", "search"} {
		ds := byClass[c]
		if len(ds) == 0 {
			continue
		}
		slices.Sort(ds)
		res.Classes = append(res.Classes, classResult{Class: c, Requests: len(ds),
			RPS: float64(len(ds)) / elapsed.Seconds(), P50ms: ms(quantile(ds, 0.50)),
			P99ms: ms(quantile(ds, 0.99)), Maxms: ms(ds[len(ds)-1])})
	}
	return res
}

// get fetches u as a feed reader does: gzip accepted (and the compressed
// bytes read, not inflated: that is the reader's machine's work), and, when
// conditional, with the ETag of its last copy. It reads the body to the end;
// anything but 200 or 304 is an error.
func get(ctx context.Context, hc *http.Client, u string, etags map[string]string, conditional bool) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept-Encoding", "gzip")
	if et := etags[u]; conditional && et != "" {
		req.Header.Set("If-None-Match", et)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return fmt.Errorf("reading the body: %w", err)
	}
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNotModified {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	if et := resp.Header.Get("ETag"); et != "" {
		etags[u] = et
	}
	return nil
}

// quantile of sorted durations, nearest rank.
func quantile(sorted []time.Duration, q float64) time.Duration {
	i := int(q*float64(len(sorted))+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// report is the whole run.
type report struct {
	Clients     int           `json:"clients"`
	Articles    int           `json:"articles_at_start"`
	ArticlesEnd int           `json:"articles_at_end"`
	Phases      []phaseResult `json:"phases"`
	// Crawls is how many `noivu crawl` passes ran during the second phase,
	// and CrawlBusy the share of that phase during which one was running.
	Crawls    int     `json:"crawls"`
	CrawlBusy float64 `json:"crawl_busy"`
	// Fresh is how long after the last crawl of the second phase ended the
	// newest article showed in /feed.json and /api/search.
	Fresh time.Duration `json:"fresh_ns"`
}

// Errors counts failed requests over every phase.
func (r report) Errors() int {
	n := 0
	for _, p := range r.Phases {
		n += p.Errors
	}
	return n
}

func (r report) print(w io.Writer) {
	fmt.Fprintf(w, "noivu-loadtest: %d clients, %d articles at the start, %d at the end\n\n", r.Clients, r.Articles, r.ArticlesEnd)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "phase\tclass\trequests\treq/s\tp50 ms\tp99 ms\tmax ms\terrors\t")
	for _, p := range r.Phases {
		for _, c := range p.Classes {
			errs := ""
			if c.Class == "all" {
				errs = fmt.Sprint(p.Errors)
			}
			fmt.Fprintf(tw, "%s\t%s\t%d\t%.0f\t%.1f\t%.1f\t%.1f\t%s\t\n", p.Name, c.Class, c.Requests, c.RPS, c.P50ms, c.P99ms, c.Maxms, errs)
		}
	}
	tw.Flush()
	if len(r.Phases) == 2 && r.Phases[0].RPS > 0 {
		fmt.Fprintf(w, "\nthroughput during the crawl / idle: %.2f\n", r.Phases[1].RPS/r.Phases[0].RPS)
	}
	fmt.Fprintf(w, "crawl passes during the second phase: %d, running %.0f%% of it\n", r.Crawls, 100*r.CrawlBusy)
	fmt.Fprintf(w, "newest article in the feed and the search %v after its crawl ended\n", r.Fresh.Round(time.Millisecond))
	for _, p := range r.Phases {
		for _, e := range p.FirstErrors {
			fmt.Fprintf(w, "error (%s): %s\n", p.Name, e)
		}
	}
}

// queryWords draws search queries from article titles: single syllables,
// two- and three-syllable words, quoted phrases, and the same folded (no
// diacritics), as researchers type them.
func queryWords(titles []string, seed uint64) []string {
	r := rand.New(rand.NewPCG(seed, 7))
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, t := range titles {
		f := strings.FieldsFunc(strings.ToLower(t), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if len(f) < 4 {
			continue
		}
		i := r.IntN(len(f) - 3)
		add(f[i])
		add(f[i] + " " + f[i+1])
		add(`"` + strings.Join(f[i:i+3], " ") + `"`)
		add(fold(f[i+1] + " " + f[i+2]))
	}
	sort.Strings(out)
	return out
}

// fold strips Vietnamese diacritics (đ to d), as people type without them.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ':
			b.WriteRune('d')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
