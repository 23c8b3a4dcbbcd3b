// Command noivu-extractbench measures article-body extraction on the
// third-party benchmark in ../shared/benchmarks/article-extraction: noivu's
// extract.Extract beside go-trafilatura and readeck's go-readability alone.
//
// A measuring tool, not part of the noivu binary (go-readability is imported
// here only). Each extractor runs over the 181 pages on one core (GOMAXPROCS
// 1; CPU time, so other jobs on a shared machine are not charged to it); its
// bodies go to <out>/<name>/<id>.json for score_extraction.py. From the module:
//
//	go run ./cmd/noivu-extractbench [-shared ../shared] [-out DIR] [-only noivu] [-worst 15] [-cpuprofile FILE]
package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	readability "codeberg.org/readeck/go-readability/v2"
	trafilatura "github.com/markusmobius/go-trafilatura"
	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/extract"
	"golang.org/x/net/html"
)

// benchPage is one page of the benchmark, decompressed before timing.
type benchPage struct {
	id, url string
	html    []byte
}

// extractor returns the plain-text body of one page.
type extractor struct {
	name string
	run  func(p benchPage) string
}

var extractors = []extractor{
	{"noivu", func(p benchPage) string {
		r, _ := extract.Extract(p.html, p.url, "text/html; charset=utf-8", article.Selectors{})
		return r.Text
	}},
	{"go-trafilatura", trafilaturaRun(true)},
	{"go-trafilatura-nofallback", trafilaturaRun(false)},
	{"go-readability", func(p benchPage) string {
		doc, u := parse(p)
		a, err := readability.FromDocument(doc, u)
		if err != nil || a.Node == nil {
			return ""
		}
		var b strings.Builder
		_ = a.RenderText(&b)
		return b.String()
	}},
}

// trafilaturaRun runs go-trafilatura with its default options, the
// fallback (go-readability and go-domdistiller) on or off.
func trafilaturaRun(fallback bool) func(benchPage) string {
	return func(p benchPage) string {
		doc, u := parse(p)
		r, err := trafilatura.ExtractDocument(doc, trafilatura.Options{OriginalURL: u, EnableFallback: fallback})
		if err != nil || r == nil {
			return ""
		}
		return r.ContentText
	}
}

// parse gives the libraries a parsed document, inside the timed loop: the
// pages are UTF-8 and noivu decodes charsets itself, so their readers'
// charset sniffing (60% of go-readability's time) is left out.
func parse(p benchPage) (*html.Node, *url.URL) {
	u, _ := url.Parse(p.url)
	doc, err := html.Parse(bytes.NewReader(p.html))
	if err != nil {
		doc = &html.Node{Type: html.DocumentNode}
	}
	return doc, u
}

// score is what score_extraction.py printed for one extractor.
type score struct {
	precision, recall, f1, accuracy float64
	pages                           map[string][2]float64 // id -> page precision, recall
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "noivu-extractbench:", err)
		os.Exit(1)
	}
}

func run() error {
	gomod, err := exec.Command("go", "env", "GOMOD").Output()
	root := filepath.Dir(string(bytes.TrimSpace(gomod)))
	if err != nil || !strings.HasSuffix(string(bytes.TrimSpace(gomod)), "go.mod") {
		return fmt.Errorf("cannot find the module root (run from the module): %v", err)
	}
	shared := flag.String("shared", filepath.Join(root, "..", "shared"), "the shared folder holding benchmarks/")
	out := flag.String("out", filepath.Join(os.TempDir(), "noivu-extractbench"), "folder for the predictions")
	only := flag.String("only", "", "comma-separated extractors to run (default: all)")
	worst := flag.Int("worst", 15, "print this many of noivu's worst pages")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of noivu's timed run to this file")
	flag.Parse()
	bench := filepath.Join(*shared, "benchmarks", "article-extraction")
	scorer := filepath.Join(*shared, "benchmarks", "score_extraction.py")
	pages, err := loadPages(bench)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "extractor\tprecision\trecall\tF1\taccuracy\tpages/s (1 core)\t")
	scores := map[string]score{}
	for _, x := range extractors {
		if *only != "" && !strings.Contains(","+*only+",", ","+x.name+",") {
			continue
		}
		texts := make([]string, len(pages))
		stop, err := startProfile(*cpuprofile, x.name == "noivu")
		if err != nil {
			return err
		}
		secs := onOneCore(func() {
			for i, p := range pages {
				texts[i] = x.run(p)
			}
		})
		stop()
		dir := filepath.Join(*out, x.name)
		if err := writePredictions(dir, pages, texts); err != nil {
			return err
		}
		s, err := runScorer(scorer, bench, dir)
		if err != nil {
			return err
		}
		scores[x.name] = s
		fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t%.4f\t%.4f\t%.0f\t\n", x.name, s.precision, s.recall, s.f1, s.accuracy, float64(len(pages))/secs)
	}
	viRate, viN, err := vietnameseRate(filepath.Join(root, "extract", "testdata"))
	if err != nil {
		return err
	}
	fmt.Fprintf(tw, "noivu on %d Vietnamese fixtures\t\t\t\t\t%.0f\t\n", viN, viRate)
	tw.Flush()
	fmt.Printf("predictions in %s\n", *out)
	if s, ok := scores["noivu"]; ok && *worst > 0 {
		printWorst(s, scores["go-trafilatura-nofallback"], pages, *worst)
	}
	return nil
}

// startProfile starts a CPU profile into path when on is set and path is
// not empty; the returned function stops it.
func startProfile(path string, on bool) (func(), error) {
	if path == "" || !on {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

// onOneCore runs f with GOMAXPROCS 1, after a collection so that earlier
// garbage is not charged to it, and returns the CPU seconds it used.
func onOneCore(f func()) float64 {
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	runtime.GC()
	var before, after syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	f()
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	cpu := func(r syscall.Rusage) int64 { return r.Utime.Nano() + r.Stime.Nano() }
	return time.Duration(cpu(after) - cpu(before)).Seconds()
}

func loadPages(bench string) ([]benchPage, error) {
	raw, err := os.ReadFile(filepath.Join(bench, "ground-truth.json"))
	if err != nil {
		return nil, err
	}
	var truth map[string]struct{ URL string }
	if err := json.Unmarshal(raw, &truth); err != nil {
		return nil, fmt.Errorf("ground-truth.json: %w", err)
	}
	var pages []benchPage
	for id, t := range truth {
		gz, err := os.ReadFile(filepath.Join(bench, "html", id+".html.gz"))
		if err != nil {
			return nil, err
		}
		var b []byte
		zr, err := gzip.NewReader(bytes.NewReader(gz))
		if err == nil {
			b, err = io.ReadAll(zr)
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
		pages = append(pages, benchPage{id: id, url: t.URL, html: b})
	}
	sort.Slice(pages, func(i, j int) bool { return pages[i].id < pages[j].id })
	return pages, nil
}

// writePredictions saves each body without soft hyphens, as upstream's Go
// runners do: left in, they would split words into two tokens.
func writePredictions(dir string, pages []benchPage, texts []string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i, p := range pages {
		b, _ := json.Marshal(map[string]string{"articleBody": strings.ReplaceAll(texts[i], "\u00ad", "")})
		if err := os.WriteFile(filepath.Join(dir, p.id+".json"), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// runScorer runs score_extraction.py with per-page output and reads back
// its summary line and the per-page figures.
func runScorer(scorer, truth, pred string) (score, error) {
	cmd := exec.Command("python3", scorer, "--truth", truth, "--pred", pred, "--per-page")
	cmd.Stderr = os.Stderr
	outb, err := cmd.Output()
	if err != nil {
		return score{}, fmt.Errorf("%s: %w", scorer, err)
	}
	s := score{pages: map[string][2]float64{}}
	sc := bufio.NewScanner(bytes.NewReader(outb))
	for sc.Scan() {
		kv := map[string]float64{}
		fields := strings.Fields(sc.Text())
		for _, f := range fields {
			if k, v, ok := strings.Cut(f, "="); ok {
				kv[k], _ = strconv.ParseFloat(v, 64) // "-" (no shingle) reads as 0
			}
		}
		switch {
		case strings.HasPrefix(sc.Text(), "precision="):
			s.precision, s.recall, s.f1, s.accuracy = kv["precision"], kv["recall"], kv["f1"], kv["accuracy"]
		case len(fields) == 4 && strings.HasPrefix(fields[1], "precision="):
			s.pages[fields[0]] = [2]float64{kv["precision"], kv["recall"]}
		}
	}
	if s.f1 == 0 {
		return s, fmt.Errorf("%s: no summary line in its output", scorer)
	}
	return s, nil
}

// vietnameseRate times noivu's Extract over the project's golden pages
// (extract/testdata/cases.json), repeated for two seconds, on one core.
func vietnameseRate(dir string) (float64, int, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "cases.json"))
	if err != nil {
		return 0, 0, err
	}
	var cases []struct {
		Name, URL   string
		ContentType string            `json:"content_type"`
		Selectors   article.Selectors `json:"selectors"`
	}
	if err := json.Unmarshal(raw, &cases); err != nil {
		return 0, 0, fmt.Errorf("cases.json: %w", err)
	}
	bodies := make([][]byte, len(cases))
	for i, c := range cases {
		if bodies[i], err = os.ReadFile(filepath.Join(dir, c.Name+".html")); err != nil {
			return 0, 0, err
		}
	}
	n, start := 0, time.Now()
	secs := onOneCore(func() {
		for time.Since(start) < 2*time.Second {
			for i, c := range cases {
				_, _ = extract.Extract(bodies[i], c.URL, c.ContentType, c.Selectors)
				n++
			}
		}
	})
	return float64(n) / secs, len(cases), nil
}

// printWorst lists noivu's worst pages by precision+recall, beside
// trafilatura's figures and the layer and platform that chose the body.
func printWorst(noivu, traf score, pages []benchPage, n int) {
	sort.SliceStable(pages, func(i, j int) bool {
		a, b := noivu.pages[pages[i].id], noivu.pages[pages[j].id]
		return a[0]+a[1] < b[0]+b[1]
	})
	fmt.Printf("\nnoivu's %d worst pages: precision recall [go-trafilatura-nofallback's] body layer, platform:\n", n)
	for _, p := range pages[:min(n, len(pages))] {
		a, t := noivu.pages[p.id], traf.pages[p.id]
		r, _ := extract.Extract(p.html, p.url, "text/html; charset=utf-8", article.Selectors{})
		fmt.Printf("  %.2f %.2f [%.2f %.2f] %s body=%s cms=%s %s\n", a[0], a[1], t[0], t[1], p.id[:8], r.Layers["body"], r.CMS, p.url)
	}
}
