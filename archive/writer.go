package archive

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nlnwa/gowarc"
	"github.com/noivu/noivu/article"
)

const (
	defaultMaxFileSize = 1 << 30
	defaultPrefix      = "noivu"
	openSuffix         = ".open"
	fileSuffix         = ".warc.gz"
)

// Writer appends exchanges to WARC files in one folder. It is safe for
// concurrent use. Only one Writer may use a folder at a time, and no other
// process may be writing there: Open finishes every ".open" file it finds.
type Writer struct {
	opts Options
	fw   *gowarc.WarcFileWriter

	mu     sync.Mutex // serialises writes, so that each file's size is known
	file   string     // final name of the file being written; "" before the first
	size   int64      // its size
	closed bool
}

// Open prepares opts.Dir for writing and finishes the ".open" files a killed
// process left there: each is cut after its last whole record and renamed to
// its final name.
//
// It assumes no other process is writing to opts.Dir: in noivu only `crawl`
// opens a Writer, and its lock allows one crawl at a time. Readers (`serve`)
// may run beside it.
func Open(ctx context.Context, opts Options) (*Writer, error) {
	if opts.Dir == "" {
		return nil, fmt.Errorf("archive: open: no folder given")
	}
	if opts.MaxFileSize <= 0 {
		opts.MaxFileSize = defaultMaxFileSize
	}
	opts.Prefix = orDefault(opts.Prefix, defaultPrefix)
	opts.Software = orDefault(opts.Software, defaultPrefix)
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("archive: open %s: %w", opts.Dir, err)
	}
	if err := recoverFiles(ctx, opts.Dir); err != nil {
		return nil, err
	}
	names := &nameGenerator{dir: opts.Dir, prefix: opts.Prefix}
	fw := gowarc.NewWarcFileWriter(
		gowarc.WithFileNameGenerator(names),
		gowarc.WithMaxFileSize(0), // Write rotates, so that a request and its response share a file
		gowarc.WithCompression(true),
		gowarc.WithOpenFileSuffix(openSuffix),
		gowarc.WithMaxConcurrentWriters(1),
		gowarc.WithAddWarcConcurrentToHeader(true),
		gowarc.WithWarcInfoFunc(warcinfo(opts.Software)),
		gowarc.WithRecordOptions(recordOptions()...),
	)
	return &Writer{opts: opts, fw: fw}, nil
}

// Write archives ex as a request record and a response record and returns
// where the response record lies. When Write returns, both records are in the
// operating system's hands: a killed process does not lose them. ctx is only
// checked before writing starts, since a write cut halfway is worse than one
// finished.
func (w *Writer) Write(ctx context.Context, ex Exchange) (article.Capture, error) {
	if err := ctx.Err(); err != nil {
		return article.Capture{}, fmt.Errorf("archive: write %s: %w", ex.URL, err)
	}
	req, resp, err := buildPair(ex)
	if err != nil {
		return article.Capture{}, fmt.Errorf("archive: write %s: %w", ex.URL, err)
	}
	defer func() { _ = req.Close(); _ = resp.Close() }()

	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return article.Capture{}, fmt.Errorf("archive: write %s: %w", ex.URL, ErrClosed)
	}
	if err := w.rotateIfFull(); err != nil {
		return article.Capture{}, fmt.Errorf("archive: write %s: %w", ex.URL, err)
	}
	c, err := w.append(req, resp)
	if err != nil {
		return article.Capture{}, fmt.Errorf("archive: write %s: %w", ex.URL, err)
	}
	return c, nil
}

// append writes the two records to the current file. w.mu must be held.
func (w *Writer) append(req, resp gowarc.WarcRecord) (article.Capture, error) {
	if w.file == "" {
		// gowarc starts a file and builds its warcinfo record: see gowarcMu.
		gowarcMu.Lock()
		defer gowarcMu.Unlock()
	}
	res := w.fw.Write(req, resp)
	if len(res) != 2 {
		return article.Capture{}, ErrClosed
	}
	if err := errors.Join(res[0].Err, res[1].Err); err != nil {
		return article.Capture{}, w.abandon(res[0], err)
	}
	fi, err := os.Stat(filepath.Join(w.opts.Dir, res[1].FileName+openSuffix))
	if err != nil {
		return article.Capture{}, w.abandon(res[0], err)
	}
	w.file, w.size = res[1].FileName, fi.Size()
	return article.Capture{
		File:     res[1].FileName,
		Offset:   res[1].FileOffset,
		Length:   fi.Size() - res[1].FileOffset,
		RecordID: resp.WarcHeader().GetId(gowarc.WarcRecordID),
	}, nil
}

// abandon cuts what a failed write left in the current file, from where the
// write began, and finishes the file, so that no torn record sits between
// whole ones. w.mu must be held.
func (w *Writer) abandon(first gowarc.WriteResponse, cause error) error {
	if first.FileName != "" {
		path := filepath.Join(w.opts.Dir, first.FileName+openSuffix)
		if err := os.Truncate(path, first.FileOffset); err != nil {
			cause = errors.Join(cause, err)
		}
	}
	w.file, w.size = "", 0
	return errors.Join(cause, w.fw.Rotate())
}

// rotateIfFull finishes the current file once it has reached MaxFileSize.
// w.mu must be held.
func (w *Writer) rotateIfFull() error {
	if w.file == "" || w.size < w.opts.MaxFileSize {
		return nil
	}
	w.file, w.size = "", 0
	return w.fw.Rotate()
}

// Close finishes the current file and renames it to its final name. Later
// calls to Write fail with ErrClosed; later calls to Close do nothing.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil
	}
	w.closed = true
	err := w.fw.Rotate() // unlike gowarc's Close, Rotate reports a failed rename
	_ = w.fw.Close()
	if err != nil {
		return fmt.Errorf("archive: close %s: %w", w.opts.Dir, err)
	}
	return nil
}

// warcinfo returns the function that fills each file's warcinfo record.
func warcinfo(software string) func(gowarc.WarcRecordBuilder) error {
	return func(b gowarc.WarcRecordBuilder) error {
		host, _ := os.Hostname()
		fields := []string{
			"software: " + software,
			"hostname: " + host,
			"format: WARC File Format 1.1",
			"conformsTo: https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
			"noivu-payload: bodies are stored after transfer and content decoding;" +
				" changed headers are kept as " + origPrefix + "*",
		}
		_, err := b.WriteString(strings.Join(fields, "\r\n") + "\r\n")
		return err
	}
}

// nameGenerator names files "<prefix>-<UTC time to the millisecond>-<serial>.warc";
// gowarc adds ".gz". Names sort in the order the files were started.
//
// A name already taken in dir, finished or open, is skipped: gowarc creates
// the ".open" file exclusively but renames it over any finished file of the
// same name, and two runs can meet on one millisecond when the clock is set
// back. The serial restarts at 1 in every process.
type nameGenerator struct {
	dir    string
	prefix string
	serial atomic.Int32
	now    func() time.Time // time.Now when nil
}

// NewWarcfileName implements gowarc.WarcFileNameGenerator.
func (g *nameGenerator) NewWarcfileName() (string, string) {
	now := time.Now
	if g.now != nil {
		now = g.now
	}
	ts := strings.Replace(now().UTC().Format("20060102150405.000"), ".", "", 1)
	for {
		name := fmt.Sprintf("%s-%s-%05d.warc", g.prefix, ts, g.serial.Add(1))
		if !taken(filepath.Join(g.dir, strings.TrimSuffix(name, ".warc")+fileSuffix)) {
			return g.dir, name
		}
	}
}

// taken reports whether path or its ".open" form exists. When that cannot
// be told, creating the file fails with the reason.
func taken(path string) bool {
	for _, p := range []string{path, path + openSuffix} {
		if _, err := os.Lstat(p); err == nil {
			return true
		}
	}
	return false
}
