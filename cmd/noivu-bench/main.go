// Command noivu-bench measures the whole crawl pipeline against a bare colly
// collector on the same simulated portal, in one run on one machine:
//
//	go run ./cmd/noivu-bench -articles 2000
//
// The parent serves internal/simportal on 127.0.0.1 and re-executes itself once per side
// (hidden -mode flag), so that each side's peak RSS is its own; pages are counted from
// the portal's request log, not from what a side says it did.
package main

import (
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http/httptest"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/noivu/noivu/internal/simportal"
)

// options are the command-line flags; mode and url are set only in a child.
type options struct {
	articles, paragraphs, runs    int
	layout, cpuprofile, mode, url string
	jsonOut                       bool
}

func parseFlags() options {
	var o options
	fs := flag.NewFlagSet("noivu-bench", flag.ExitOnError)
	fs.IntVar(&o.articles, "articles", 2000, "articles on the simulated portal")
	fs.IntVar(&o.paragraphs, "paragraphs", 39, "body paragraphs per article (39 gives ~60 KB article pages)")
	fs.IntVar(&o.runs, "runs", 1, "runs per side; with more, the median run is reported")
	fs.StringVar(&o.layout, "layout", string(simportal.LayoutNukeViet), "portal layout: nukeviet, sonla or drupal")
	fs.StringVar(&o.cpuprofile, "cpuprofile", "", "run noivu once more with a CPU profile written to `file`")
	fs.BoolVar(&o.jsonOut, "json", false, "print the report as JSON")
	fs.StringVar(&o.mode, "mode", "", "the side a child runs: colly or noivu")
	fs.StringVar(&o.url, "url", "", "the portal's URL, for a child")
	fs.Usage = func() { // -mode and -url are for the child processes only
		fmt.Fprintln(fs.Output(), "usage: noivu-bench [-articles N] [-layout nukeviet|sonla|drupal] [-paragraphs N]\n"+
			"                   [-runs N] [-json] [-cpuprofile FILE]")
	}
	fs.Parse(os.Args[1:])
	return o
}

func main() {
	o := parseFlags()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	run := runParent
	if o.mode != "" {
		run = runChild
	}
	if err := run(ctx, o); err != nil {
		slog.Error("noivu-bench failed", "err", err)
		stop() // os.Exit skips deferred calls
		os.Exit(1)
	}
}

// runParent serves the portal, measures both sides and prints the report.
func runParent(ctx context.Context, o options) error {
	lay := simportal.Layout(o.layout)
	if !slices.Contains([]simportal.Layout{simportal.LayoutNukeViet, simportal.LayoutSonLa, simportal.LayoutDrupal}, lay) {
		return fmt.Errorf("bench: unknown layout %q", o.layout) // simportal.New would panic
	}
	portal := simportal.New(simportal.Options{Layout: lay, Articles: o.articles, Paragraphs: o.paragraphs, Seed: 1})
	srv := httptest.NewServer(portal)
	defer srv.Close()
	rep := report{Layout: o.layout, Articles: o.articles, Paragraphs: o.paragraphs, Runs: max(o.runs, 1)}
	res := map[string][]sideResult{}
	for i := range rep.Runs {
		for _, side := range []string{"colly", "noivu"} {
			slog.Info("bench: measuring", "side", side, "run", i+1, "of", rep.Runs)
			r, err := measure(ctx, portal, srv.URL, side, "")
			if err != nil {
				return err
			}
			res[side] = append(res[side], r)
		}
	}
	rep.Colly, rep.Noivu = median(res["colly"]), median(res["noivu"])
	rep.Ratio = rep.Noivu.PagesPerSec / max(rep.Colly.PagesPerSec, 1e-9)
	if o.cpuprofile != "" {
		if _, err := measure(ctx, portal, srv.URL, "noivu", o.cpuprofile); err != nil {
			return err
		}
		out, err := exec.CommandContext(ctx, "go", "tool", "pprof", "-top", "-cum", "-nodecount=30", o.cpuprofile).CombinedOutput()
		if rep.Profile = "\nwhere the noivu run's time goes (cumulative CPU):\n" + string(out); err != nil {
			rep.Profile += "go tool pprof: " + err.Error() + "\n"
		}
	}
	if o.jsonOut {
		return json.NewEncoder(os.Stdout).Encode(rep)
	}
	printReport(os.Stdout, rep)
	return nil
}

// measure runs one side in a child and counts its requests in the portal's log.
func measure(ctx context.Context, portal *simportal.Portal, url, side, cpuprofile string) (sideResult, error) {
	portal.ResetLog()
	cmd := exec.CommandContext(ctx, os.Args[0], "-mode", side, "-url", url,
		"-articles", fmt.Sprint(len(portal.Articles())), "-cpuprofile", cpuprofile)
	cmd.Stderr = os.Stderr
	var r sideResult
	out, err := cmd.Output()
	if err == nil {
		err = json.Unmarshal(out, &r)
	}
	if err != nil {
		return sideResult{}, fmt.Errorf("bench: %s child (output %q): %w", side, out, err)
	}
	r.Side, r.ByKind = side, map[string]int{}
	for _, req := range portal.Log() {
		r.Pages++
		if r.ByKind[req.Kind]++; req.Kind == "article" {
			r.MeanArticleKB += float64(req.Bytes) / 1024
		}
	}
	r.MeanArticleKB /= float64(max(r.ByKind["article"], 1))
	r.PagesPerSec = float64(r.Pages) / max(r.Seconds, 1e-9)
	r.PagesPerCPUSec = float64(r.Pages) / max(r.CPUSeconds, 1e-9)
	r.ArticlesPerSec = float64(r.Articles) / max(r.Seconds, 1e-9)
	return r, nil
}

// median returns the run with the median pages/s (the lower one of an even count).
func median(rs []sideResult) sideResult {
	s := slices.SortedFunc(slices.Values(rs), func(a, b sideResult) int { return cmp.Compare(a.PagesPerSec, b.PagesPerSec) })
	return s[(len(s)-1)/2]
}

// sideResult is one side's run; the child fills Seconds, CPUSeconds,
// PeakRSSMiB, Articles and Err.
type sideResult struct {
	Pages, Articles                      int            // requests in the portal's log; articles stored (noivu)
	ByKind                               map[string]int // the requests by kind of page
	Seconds, PagesPerSec, ArticlesPerSec float64
	CPUSeconds, PagesPerCPUSec           float64 // the child's user+system time, its whole life
	PeakRSSMiB, MeanArticleKB            float64
	Side, Err                            string
}

// report is the whole output; Ratio is noivu ÷ colly pages/s (target ≥ 0.5).
type report struct {
	Layout, Profile            string
	Articles, Paragraphs, Runs int
	Ratio                      float64
	Colly, Noivu               sideResult
}

func printReport(w io.Writer, r report) {
	fmt.Fprintf(w, "portal: %s, %d articles, %d paragraphs, mean article page %.1f KB; median of %d run(s)\n\n",
		r.Layout, r.Articles, r.Paragraphs, r.Colly.MeanArticleKB, r.Runs)
	all := maps.Clone(r.Colly.ByKind)
	maps.Copy(all, r.Noivu.ByKind)
	kinds := slices.Sorted(maps.Keys(all))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "side\tpages\t%s\twall s\tpages/s\tCPU s\tpages/CPU s\tpeak RSS MiB\tarticles\tarticles/s\terr\t\n", strings.Join(kinds, "\t"))
	for _, s := range []sideResult{r.Colly, r.Noivu} {
		fmt.Fprintf(tw, "%s\t%d\t", s.Side, s.Pages)
		for _, k := range kinds {
			fmt.Fprintf(tw, "%d\t", s.ByKind[k])
		}
		fmt.Fprintf(tw, "%.1f\t%.1f\t%.1f\t%.1f\t%.0f\t%d\t%.1f\t%s\t\n", s.Seconds, s.PagesPerSec, s.CPUSeconds, s.PagesPerCPUSec,
			s.PeakRSSMiB, s.Articles, s.ArticlesPerSec, s.Err)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nnoivu pages/s ÷ colly pages/s = %.2f (target ≥ 0.5: %t)\n", r.Ratio, r.Ratio >= 0.5)
	fmt.Fprint(w, r.Profile)
}
