package main

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/noivu/noivu/crawler"
)

// isTerminal reports whether w is an interactive terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progress draws one spinner line for a crawl on a terminal.
type progress struct {
	mu    sync.Mutex
	bar   *progressbar.ProgressBar
	pages int
	new   int
	fail  int
}

func newProgress(w io.Writer) *progress {
	bar := progressbar.NewOptions(-1,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetDescription("crawling"),
		progressbar.OptionShowCount(),
		progressbar.OptionSpinnerType(14),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
	return &progress{bar: bar}
}

func (p *progress) event(ev crawler.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pages++
	switch ev.Outcome {
	case "new":
		p.new++
	case "failed":
		p.fail++
	}
	p.bar.Describe(fmt.Sprintf("%-12s new %d, failed %d", ev.Source, p.new, p.fail))
	_ = p.bar.Add(1)
}

func (p *progress) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = p.bar.Finish()
}
