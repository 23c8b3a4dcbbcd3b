package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
)

// errHelpShown ends a command after -h printed its help.
var errHelpShown = errors.New("help shown")

func runHelp(_ context.Context, e env, args []string) error {
	if len(args) == 0 {
		usage(e.stdout)
		return nil
	}
	for _, c := range commands() {
		if c.name == args[0] && c.name != "help" {
			return c.run(context.Background(), e, []string{"-h"})
		}
	}
	return withCode(exitUsage, fmt.Errorf("no command %q", args[0]))
}

func runVersion(_ context.Context, e env, _ []string) error {
	fmt.Fprintln(e.stdout, "noivu", version)
	return nil
}

// newFlags returns a flag set that prints its help to stdout on -h and
// reports errors without exiting.
func newFlags(e env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: noivu %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args, flags and positional arguments in any order, turning
// -h into errHelpShown and bad flags into a usage error. It returns the
// positional arguments.
func parse(fs *flag.FlagSet, e env, args []string) ([]string, error) {
	fs.SetOutput(e.stderr)
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "-h" || a == "--help" || a == "-help" {
			fs.SetOutput(e.stdout)
			fs.Usage()
			return nil, errHelpShown
		}
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, withCode(exitUsage, err)
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}
