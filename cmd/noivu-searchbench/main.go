// Command noivu-searchbench measures noivu's search index against SQLite
// FTS5 on the same generated corpus and the same queries, in one run (the
// benchmark of issue 4):
//
//	go run ./cmd/noivu-searchbench [-docs 100000] [-queries 50] [-rounds 3] [-seed 1] [-dir DIR]
//	                               [-engines bleve,fts5] [-reuse] [-cpuprofile PREFIX]
//
// It generates -docs seeded articles of about 900 syllables (the generator
// of index/bench_test.go), indexes them with index.Rebuild in batches of
// 1,000 (as `noivu reindex` does) and into an FTS5 table (unicode61,
// remove_diacritics 2, đ → d by hand), then times -queries queries of each
// kind against both, -rounds times, the engines taking turns each round.
// Each query asks what a results page shows: the total, ten hits with
// snippets, and facets for the faceted kind. The corpus comes from
// internal/vicorpus, the same as index's BenchmarkSearch.
//
// -store saves the corpus into a noivu store (SQLite) first, untimed, and
// builds the Bleve index from it, which is exactly what `noivu reindex`
// times: reading the store is then part of the build.
//
// To work on one engine: -engines bleve skips FTS5; -dir DIR -reuse keeps
// the Bleve index of an earlier run with the same -docs and -seed instead of
// building it again (the queries then run on it as it is); -cpuprofile
// PREFIX writes PREFIX-build.pprof and PREFIX-query.pprof.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/index"
	"github.com/noivu/noivu/internal/vicorpus"
	"github.com/noivu/noivu/store"
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
	engines               string
	reuse                 bool
	cpuprofile            string
	slowest               int
	store                 bool
}

func main() {
	var o options
	flag.IntVar(&o.docs, "docs", 100000, "articles to generate")
	flag.IntVar(&o.queries, "queries", 50, "queries of each kind")
	flag.IntVar(&o.rounds, "rounds", 3, "times each query runs on each engine")
	flag.Int64Var(&o.seed, "seed", 1, "seed of the corpus and the queries")
	flag.StringVar(&o.dir, "dir", "", "folder for the index and the database (default: a temporary one, removed)")
	flag.StringVar(&o.engines, "engines", "bleve,fts5", "engines to measure, comma-separated")
	flag.BoolVar(&o.reuse, "reuse", false, "with -dir: search the Bleve index already there instead of building it")
	flag.IntVar(&o.slowest, "slowest", 0, "print the N slowest queries of each kind on each engine")
	flag.BoolVar(&o.store, "store", false, "save the corpus into a noivu store first (not timed) and build the Bleve index from it, as `noivu reindex` does, instead of from memory")
	flag.StringVar(&o.cpuprofile, "cpuprofile", "", "write CPU profiles of the builds and of the queries to PREFIX-build.pprof and PREFIX-query.pprof")
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
		if o.reuse {
			return fmt.Errorf("-reuse needs -dir")
		}
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

	// With -store the build reads the articles from a noivu store, and, as
	// in `noivu reindex`, they are not also held in memory (unless FTS5
	// needs them): a corpus in the heap would make the garbage collector's
	// work, and so the build, look dearer than it is.
	var st *store.Store
	if o.store && !o.reuse {
		var err error
		if st, err = storeOf(ctx, filepath.Join(dir, "noivu.db"), docs); err != nil {
			return fmt.Errorf("store: %w", err)
		}
		defer st.Close()
		if !strings.Contains(o.engines, "fts5") {
			docs = nil
			runtime.GC()
		}
	}

	var engines []engine
	var names []string
	stopProfile, err := startProfile(o.cpuprofile, "build")
	if err != nil {
		return err
	}
	for _, name := range strings.Split(o.engines, ",") {
		var e engine
		var err error
		switch name {
		case "bleve":
			e, err = bleveOf(ctx, o, filepath.Join(dir, "index"), docs, st)
		case "fts5":
			e, err = ftsOf(ctx, filepath.Join(dir, "fts5"), docs)
		default:
			err = fmt.Errorf("unknown engine %q: use bleve or fts5", name)
		}
		if err != nil {
			stopProfile()
			return fmt.Errorf("%s: %w", name, err)
		}
		defer e.close()
		engines, names = append(engines, e), append(names, name)
	}
	stopProfile()

	docs = nil
	runtime.GC()
	if stopProfile, err = startProfile(o.cpuprofile, "query"); err != nil {
		return err
	}
	lat := make([]map[string][]time.Duration, len(engines))
	hits := make([]map[string]int, len(engines))
	slow := make([]map[string][]timed, len(engines))
	for i := range engines {
		lat[i], hits[i], slow[i] = map[string][]time.Duration{}, map[string]int{}, map[string][]timed{}
	}
	for round := 0; round < o.rounds; round++ {
		for i, e := range engines {
			for _, q := range qs {
				t0 := time.Now()
				n, err := e.search(ctx, q)
				if err != nil {
					stopProfile()
					return fmt.Errorf("%s query %q: %w", names[i], q.text(), err)
				}
				took := time.Since(t0)
				lat[i][q.kind] = append(lat[i][q.kind], took)
				slow[i][q.kind] = append(slow[i][q.kind], timed{q, took, n})
				if round == 0 {
					hits[i][q.kind] += n
				}
			}
		}
		fmt.Fprintf(os.Stderr, "  queries: round %d of %d done at %.0f s\n", round+1, o.rounds, time.Since(start).Seconds())
	}
	stopProfile()
	if slices.Contains(names, "bleve") {
		fmt.Printf("bleve index after queries: %.0f MB on disk (merges settle); load %s\n",
			mb(diskSize(filepath.Join(dir, "index"))), loadAvg())
	}
	report(o, names, lat, hits)
	for i, name := range names {
		for _, k := range kinds {
			list := slow[i][k]
			slices.SortFunc(list, func(a, b timed) int { return int(b.took - a.took) })
			for _, t := range list[:min(o.slowest, len(list))] {
				fmt.Printf("slow %s %s: %.1f ms, %d hits: %s\n", name, k, ms(t.took), t.hits, t.q)
			}
		}
	}
	return nil
}

// timed is one run of a query.
type timed struct {
	q    query
	took time.Duration
	hits int
}

// bleveOf builds the Bleve index, or opens the one an earlier run left.
func bleveOf(ctx context.Context, o options, dir string, docs []article.Article, st *store.Store) (engine, error) {
	if o.reuse {
		be, err := openBleve(dir, o.docs)
		if err == nil {
			fmt.Printf("bleve: reusing %s (%.0f MB on disk)\n", dir, mb(diskSize(dir)))
		}
		return be, err
	}
	var src index.ChangeSource = memSource{docs, time.Now()}
	if st != nil {
		src = st
	}
	cpu0 := cpuTime()
	be, took, err := buildBleve(ctx, dir, src, o.docs)
	cpu := cpuTime() - cpu0
	if err != nil {
		return nil, err
	}
	verdict := "under"
	if took > targetBuild {
		verdict = "OVER"
	}
	fmt.Printf("bleve build: %.1f s, %.0f docs/s (%s the %v target; CPU %.0f s), %.0f MB on disk\n",
		took.Seconds(), float64(o.docs)/took.Seconds(), verdict, targetBuild, cpu.Seconds(), mb(diskSize(dir)))
	return be, nil
}

// ftsOf builds the FTS5 database in dir.
func ftsOf(ctx context.Context, dir string, docs []article.Article) (engine, error) {
	if err := os.RemoveAll(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	cpu0 := cpuTime()
	fe, insert, optimize, err := buildFTS(ctx, filepath.Join(dir, "fts.db"), docs)
	cpu := cpuTime() - cpu0
	if err != nil {
		return nil, err
	}
	fmt.Printf("fts5 build:  %.1f s, %.0f docs/s (insert %.1f s, optimize %.1f s; CPU %.0f s), %.0f MB on disk\n",
		(insert + optimize).Seconds(), float64(len(docs))/(insert+optimize).Seconds(),
		insert.Seconds(), optimize.Seconds(), cpu.Seconds(), mb(diskSize(dir)))
	return fe, nil
}

// report prints p50 and p99 per kind for each engine, and the ratios of
// the second engine to the first when there are two.
func report(o options, names []string, lat []map[string][]time.Duration, hits []map[string]int) {
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "kind\t"
	for _, n := range names {
		head += n + " p50\tp99\t"
	}
	if len(names) == 2 {
		head += names[1] + "/" + names[0] + " p50\tp99\t"
	}
	head += "avg hits " + strings.Join(names, "\t") + "\t" + names[0] + " p99 < 50 ms\t"
	fmt.Fprintln(w, head)
	for _, k := range kinds {
		var p50, p99 []time.Duration
		line := k + "\t"
		for i := range names {
			l := lat[i][k]
			slices.Sort(l)
			p50, p99 = append(p50, pct(l, 50)), append(p99, pct(l, 99))
			line += fmt.Sprintf("%.1f\t%.1f\t", ms(p50[i]), ms(p99[i]))
		}
		if len(names) == 2 {
			line += fmt.Sprintf("%.1f×\t%.1f×\t", ms(p50[1])/ms(p50[0]), ms(p99[1])/ms(p99[0]))
		}
		for i := range names {
			line += fmt.Sprintf("%d\t", hits[i][k]/o.queries)
		}
		ok := "yes"
		if p99[0] >= targetP99 {
			ok = fmt.Sprintf("NO (+%.0f ms)", ms(p99[0]-targetP99))
		}
		fmt.Fprintln(w, line+ok+"\t")
	}
	w.Flush()
	fmt.Println("(latencies in ms; each kind:", o.queries, "queries ×", o.rounds, "rounds per engine)")
}

// startProfile starts a CPU profile into PREFIX-phase.pprof, when a prefix
// is given, and returns what stops it.
func startProfile(prefix, phase string) (stop func(), err error) {
	if prefix == "" {
		return func() {}, nil
	}
	f, err := os.Create(prefix + "-" + phase + ".pprof")
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
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
