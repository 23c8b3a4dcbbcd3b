// Command noivu-loadtest measures what readers and researchers feel while
// the archive grows: requests per second and latency of 50 concurrent
// clients on the feeds and the search endpoints of a real `noivu serve`,
// first on an idle archive and then while a real `noivu crawl` adds
// articles to the same data_dir, all on 127.0.0.1:
//
//	go run ./cmd/noivu-loadtest -clients 50 -duration 20s
//
// It serves three simulated portals (internal/simportal), crawls them once,
// starts `noivu serve`, loads it for -duration (the idle baseline), then
// publishes new articles and loads it again for -duration while crawls run
// back to back, and reports both phases side by side with their ratio. Any
// transport error or status other than 200/304 is an error; the run fails
// when there is one.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	var o options
	fs := flag.NewFlagSet("noivu-loadtest", flag.ExitOnError)
	fs.IntVar(&o.Clients, "clients", 50, "concurrent clients")
	fs.DurationVar(&o.Duration, "duration", 20*time.Second, "length of each phase (idle, then during a crawl)")
	fs.IntVar(&o.Articles, "articles", 200, "articles on each of the three simulated portals at the start")
	fs.IntVar(&o.NewArticles, "new", 30, "articles each portal publishes before each crawl of the second phase")
	fs.DurationVar(&o.Delay, "delay", 20*time.Millisecond, "crawl.delay of the crawls (keeps a crawl running through the phase)")
	fs.StringVar(&o.Noivu, "noivu", "", "the noivu binary to run (default: build ./cmd/noivu into a temporary folder)")
	fs.StringVar(&o.Only, "only", "", "load only this class of requests: feed or search (default both)")
	jsonOut := fs.Bool("json", false, "print the report as JSON")
	verbose := fs.Bool("v", false, "log the steps to stderr")
	fs.Parse(os.Args[1:])

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *verbose {
		o.Progress = os.Stderr
	}
	rep, err := run(ctx, o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "noivu-loadtest:", err)
		os.Exit(1)
	}
	if *jsonOut {
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		enc.Encode(rep)
	} else {
		rep.print(os.Stdout)
	}
	if rep.Errors() > 0 {
		fmt.Fprintf(os.Stderr, "noivu-loadtest: %d failed requests\n", rep.Errors())
		os.Exit(1)
	}
}

// options configure one load test run.
type options struct {
	Clients     int
	Duration    time.Duration
	Articles    int
	NewArticles int
	Delay       time.Duration
	Noivu       string
	Only        string    // "feed" or "search": that class alone
	Progress    io.Writer // step-by-step log; nil: silent
}
