// Command noivu crawls the websites of Vietnam's provincial Departments of
// Home Affairs into a lasting archive and publishes it as feeds and search.
// This package only parses flags and wires packages together.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes, documented in README.md.
const (
	exitOK          = 0
	exitFailure     = 1 // a fatal error
	exitUsage       = 2 // bad flags or a bad config
	exitLocked      = 3 // another crawl holds the data_dir lock
	exitInterrupted = 130
)

// env is what every command gets: its streams and a cancellable context.
type env struct {
	stdout, stderr io.Writer
	stdin          io.Reader
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e env, args []string) error
}

func commands() []command {
	return []command{
		{"crawl", "run one incremental crawl pass over the configured sources", runCrawl},
		{"sources", "show each source's health: articles, last crawl, last error", runSources},
		{"extract", "extract one article page (file or URL) and show what was found", runExtract},
		{"search", "search the archive (with or without diacritics); the index catches up first", runSearch},
		{"export", "export articles (all, or a search's hits) as JSONL or CSV for research", runExport},
		{"reindex", "rebuild the search index from the store", runReindex},
		{"serve", "serve the feeds, OPML, health page and metrics (and crawl on a schedule)", runServe},
		{"demo", "crawl three simulated portals offline and serve their feeds", runDemo},
		{"version", "print the version", runVersion},
		{"help", "show help for noivu or one command", runHelp},
	}
}

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

func main() {
	os.Exit(run(os.Args[1:], env{stdout: os.Stdout, stderr: os.Stderr, stdin: os.Stdin}))
}

func run(args []string, e env) int {
	if len(args) == 0 {
		usage(e.stderr)
		return exitUsage
	}
	name := args[0]
	if name == "-h" || name == "--help" || name == "-help" {
		name = "help"
	}
	for _, c := range commands() {
		if c.name != name {
			continue
		}
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		err := c.run(ctx, e, args[1:])
		return exitCode(e, name, err)
	}
	fmt.Fprintf(e.stderr, "noivu: unknown command %q\n\n", name)
	usage(e.stderr)
	return exitUsage
}

// exitError carries an exit code other than 1 up to run.
type exitError struct {
	code int
	err  error
}

func (x *exitError) Error() string { return x.err.Error() }
func (x *exitError) Unwrap() error { return x.err }

func withCode(code int, err error) error { return &exitError{code: code, err: err} }

func exitCode(e env, name string, err error) int {
	if err == nil {
		return exitOK
	}
	if errors.Is(err, errHelpShown) {
		return exitOK
	}
	fmt.Fprintf(e.stderr, "noivu %s: %v\n", name, err)
	var x *exitError
	if errors.As(err, &x) {
		return x.code
	}
	if errors.Is(err, context.Canceled) {
		return exitInterrupted
	}
	return exitFailure
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "noivu turns the websites of Vietnam's provincial Departments of Home Affairs")
	fmt.Fprintln(w, "into a lasting, searchable archive and clean feeds.")
	fmt.Fprintln(w, "\nUsage: noivu <command> [flags]\n\nCommands:")
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, "\nRun 'noivu <command> -h' for a command's flags.")
}
