// Command noivu-searchbench measures noivu's search index against SQLite
// FTS5 on the same generated corpus and the same queries, in one run (the
// benchmark of issue 4):
//
//	go run ./cmd/noivu-searchbench [-docs 100000] [-queries 50] [-rounds 3] [-seed 1] [-dir DIR]
//
// It generates -docs seeded articles of about 900 syllables (the generator
// of index/bench_test.go), indexes them with index.Rebuild in batches of
// 1,000 (as `noivu reindex` does) and into an FTS5 table (unicode61,
// remove_diacritics 2, đ → d by hand), then times -queries queries of each
// kind against both, -rounds times, the engines taking turns each round.
// Each query asks what a results page shows: the total, ten hits with
// snippets, and facets for the faceted kind. The corpus comes from
// internal/vicorpus, the same as index's BenchmarkSearch.
package main

import (
	"context"
	"flag"
	"fmt"
	"github.com/noivu/noivu/internal/vicorpus"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"
)

// Targets of issue 4.
const (
	targetP99   = 50 * time.Millisecond
	targetBuild = 3 * time.Minute
)

type options struct {
	docs, queries, rounds int
	seed                  int64
	dir                   string
}

func main() {
	var o options
	flag.IntVar(&o.docs, "docs", 100000, "articles to generate")
	flag.IntVar(&o.queries, "queries", 50, "queries of each kind")
	flag.IntVar(&o.rounds, "rounds", 3, "times each query runs on each engine")
	flag.Int64Var(&o.seed, "seed", 1, "seed of the corpus and the queries")
	flag.StringVar(&o.dir, "dir", "", "folder for the index and the database (default: a temporary one, removed)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "noivu-searchbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	dir := o.dir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "noivu-searchbench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	start := time.Now()
	docs := vicorpus.Generate(o.docs, o.seed)
	qs := queries(docs, o.queries, o.seed+1)
	fmt.Printf("corpus: %d articles, seed %d, generated in %.1f s; %d queries × %d rounds; GOMAXPROCS %d; load %s\n",
		len(docs), o.seed, time.Since(start).Seconds(), len(qs), o.rounds, runtime.GOMAXPROCS(0), loadAvg())

	bleveDir := filepath.Join(dir, "index")
	cpu0 := cpuTime()
	be, took, err := buildBleve(ctx, bleveDir, docs)
	bleveCPU := cpuTime() - cpu0
	if err != nil {
		return fmt.Errorf("bleve: %w", err)
	}
	defer be.ix.Close()
	verdict := "under"
	if took > targetBuild {
		verdict = "OVER"
	}
	fmt.Printf("bleve build: %.1f s, %.0f docs/s (%s the %v target; CPU %.0f s), %.0f MB on disk\n",
		took.Seconds(), float64(len(docs))/took.Seconds(), verdict, targetBuild, bleveCPU.Seconds(), mb(diskSize(bleveDir)))

	ftsDir := filepath.Join(dir, "fts5")
	if err := os.MkdirAll(ftsDir, 0o755); err != nil {
		return err
	}
	cpu0 = cpuTime()
	fe, insert, optimize, err := buildFTS(ctx, filepath.Join(ftsDir, "fts.db"), docs)
	ftsCPU := cpuTime() - cpu0
	if err != nil {
		return fmt.Errorf("fts5: %w", err)
	}
	defer fe.db.Close()
	fmt.Printf("fts5 build:  %.1f s, %.0f docs/s (insert %.1f s, optimize %.1f s; CPU %.0f s), %.0f MB on disk\n",
		(insert + optimize).Seconds(), float64(len(docs))/(insert+optimize).Seconds(),
		insert.Seconds(), optimize.Seconds(), ftsCPU.Seconds(), mb(diskSize(ftsDir)))

	docs = nil
	runtime.GC()
	engines := []engine{be, fe}
	names := []string{"bleve", "fts5"}
	lat := make([]map[string][]time.Duration, len(engines))
	hits := make([]map[string]int, len(engines))
	for i := range engines {
		lat[i], hits[i] = map[string][]time.Duration{}, map[string]int{}
	}
	for round := 0; round < o.rounds; round++ {
		for i, e := range engines {
			for _, q := range qs {
				t0 := time.Now()
				n, err := e.search(ctx, q)
				if err != nil {
					return fmt.Errorf("%s query %q: %w", names[i], q.text(), err)
				}
				lat[i][q.kind] = append(lat[i][q.kind], time.Since(t0))
				if round == 0 {
					hits[i][q.kind] += n
				}
			}
		}
		fmt.Fprintf(os.Stderr, "  queries: round %d of %d done at %.0f s\n", round+1, o.rounds, time.Since(start).Seconds())
	}
	fmt.Printf("bleve index after queries: %.0f MB on disk (merges settle); load %s\n", mb(diskSize(bleveDir)), loadAvg())

	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "kind\tbleve p50\tp99\tfts5 p50\tp99\tfts5/bleve p50\tp99\tavg hits bleve\tfts5\tp99 < 50 ms\t")
	for _, k := range kinds {
		b, f := lat[0][k], lat[1][k]
		slices.Sort(b)
		slices.Sort(f)
		bp50, bp99, fp50, fp99 := pct(b, 50), pct(b, 99), pct(f, 50), pct(f, 99)
		ok := "yes"
		if bp99 >= targetP99 {
			ok = fmt.Sprintf("NO (+%.0f ms)", ms(bp99-targetP99))
		}
		fmt.Fprintf(w, "%s\t%.1f\t%.1f\t%.1f\t%.1f\t%.1f×\t%.1f×\t%d\t%d\t%s\t\n", k, ms(bp50), ms(bp99), ms(fp50), ms(fp99),
			ms(fp50)/ms(bp50), ms(fp99)/ms(bp99), hits[0][k]/o.queries, hits[1][k]/o.queries, ok)
	}
	w.Flush()
	fmt.Println("(latencies in ms; each kind:", o.queries, "queries ×", o.rounds, "rounds per engine)")
	return nil
}

// pct returns the p-th percentile of the sorted durations d, computed as
// index/bench_test.go does.
func pct(d []time.Duration, p int) time.Duration {
	if len(d) == 0 {
		return 0
	}
	return d[min(len(d)*p/100, len(d)-1)]
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func mb(n int64) float64 { return float64(n) / 1e6 }

// cpuTime is the CPU time this process has used, user and system: on a
// shared machine, what a build cost when the wall clock is not its own.
func cpuTime() time.Duration {
	var r syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &r); err != nil {
		return 0
	}
	return time.Duration(r.Utime.Nano() + r.Stime.Nano())
}

// loadAvg is the machine's 1-minute load average, to read latencies by.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(b)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "?"
}
