package archive

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/nlnwa/gowarc"
	"github.com/noivu/noivu/article"
)

// ReadCapture reads the response record c points at. The file may still be
// being written (its name then ends in ".open"). The record's digests are
// checked. A missing file gives an error wrapping fs.ErrNotExist.
func ReadCapture(dir string, c article.Capture) (*Response, error) {
	if c.File == "" || c.File != filepath.Base(c.File) {
		return nil, fmt.Errorf("archive: read %q: bad file name", c.File)
	}
	f, err := openWarc(dir, c.File)
	if err != nil {
		return nil, fmt.Errorf("archive: read %s: %w", c.File, err)
	}
	defer f.Close()
	length := c.Length
	if length <= 0 {
		length = math.MaxInt64 - c.Offset
	}
	data, err := readOneMember(io.NewSectionReader(f, c.Offset, length))
	if err != nil {
		return nil, fmt.Errorf("archive: read %s at %d: %w", c.File, c.Offset, err)
	}
	rec, err := parseRecord(data)
	if err != nil {
		return nil, fmt.Errorf("archive: read %s at %d: %w", c.File, c.Offset, err)
	}
	if rec.Type != "response" || (c.RecordID != "" && rec.RecordID != c.RecordID) {
		return nil, fmt.Errorf("archive: read %s at %d: %w", c.File, c.Offset, ErrMismatch)
	}
	return &Response{URL: rec.URL, StatusCode: rec.StatusCode, Header: rec.Header, Body: rec.Body, Date: rec.Date}, nil
}

// openWarc opens the WARC file whose final name is name, or its ".open"
// predecessor. The final name is tried again last, in case the writer renamed
// the file between the first two tries.
func openWarc(dir, name string) (*os.File, error) {
	name = strings.TrimSuffix(name, openSuffix)
	var err error
	for _, n := range []string{name, name + openSuffix, name} {
		var f *os.File
		if f, err = os.Open(filepath.Join(dir, n)); err == nil {
			return f, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			break
		}
	}
	return nil, err
}

// Walk calls fn with every record of every WARC file in dir, in file name
// order, the file being written included. A file that ends in a torn record
// (its writer was killed, or is writing it now) is read up to its last whole
// record; a record that fails validation is skipped. Both are logged, and
// neither makes Walk fail. An error from fn stops the walk and is returned.
func Walk(ctx context.Context, dir string, fn func(Record) error) error {
	names, err := Files(dir)
	if err != nil {
		return err
	}
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("archive: walk %s: %w", dir, err)
		}
		if err := walkFile(ctx, dir, name, fn); err != nil {
			return fmt.Errorf("archive: walk %s: %w", name, err)
		}
	}
	return nil
}

func walkFile(ctx context.Context, dir, name string, fn func(Record) error) error {
	f, err := openWarc(dir, name)
	if err != nil {
		return err
	}
	defer f.Close()
	final := strings.TrimSuffix(name, openSuffix)
	_, err = scanMembers(f, true, func(m member) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		rec, err := parseRecord(m.data)
		if err != nil {
			slog.Warn("archive: skipped an invalid record", "file", final, "offset", m.offset, "err", err)
			return nil
		}
		rec.Capture = article.Capture{File: final, Offset: m.offset, Length: m.length, RecordID: rec.RecordID}
		return fn(rec)
	})
	if errors.Is(err, errTorn) {
		level := slog.LevelWarn
		if strings.HasSuffix(name, openSuffix) {
			level = slog.LevelDebug // a live file ends mid-record while it is written
		}
		slog.Log(ctx, level, "archive: file ends in a torn record", "file", name, "err", err)
		return nil
	}
	return err
}

// parseRecord parses one uncompressed WARC record with gowarc, failing on any
// syntax error, spec violation or wrong digest.
func parseRecord(data []byte) (Record, error) {
	wr, _, _, err := newUnmarshaler().Unmarshal(bufio.NewReader(bytes.NewReader(data)))
	if err != nil {
		if wr != nil {
			_ = wr.Close()
		}
		return Record{}, err
	}
	defer wr.Close()
	h := wr.WarcHeader()
	rec := Record{
		Type:     wr.Type().String(),
		URL:      h.Get(gowarc.WarcTargetURI),
		RecordID: h.GetId(gowarc.WarcRecordID),
	}
	rec.Date, err = wr.Date()
	if err != nil {
		return Record{}, err
	}
	rec.Body, err = blockBody(wr.Block(), &rec)
	return rec, err
}

// blockBody returns the HTTP payload of an HTTP block, filling in rec's status
// and header, or the whole of any other block.
func blockBody(b gowarc.Block, rec *Record) ([]byte, error) {
	var r io.Reader
	var err error
	switch b := b.(type) {
	case gowarc.HttpResponseBlock:
		rec.StatusCode, rec.Header = b.HttpStatusCode(), cloneHeader(b.HttpHeader())
		r, err = b.PayloadBytes()
	case gowarc.HttpRequestBlock:
		rec.Header = cloneHeader(b.HttpHeader())
		r, err = b.PayloadBytes()
	default:
		r, err = b.RawBytes()
	}
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

func cloneHeader(h *http.Header) http.Header {
	if h == nil {
		return nil
	}
	return h.Clone()
}

// Files returns the base names of the WARC files in dir, those being written
// included, in name order. A missing dir holds no files.
func Files(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("archive: list %s: %w", dir, err)
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if e.Type().IsRegular() && (strings.HasSuffix(n, fileSuffix) || strings.HasSuffix(n, fileSuffix+openSuffix)) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names, nil
}

// Size returns the total size in bytes of the WARC files in dir.
func Size(dir string) (int64, error) {
	names, err := Files(dir)
	if err != nil {
		return 0, err
	}
	var total int64
	for _, n := range names {
		fi, err := os.Stat(filepath.Join(dir, n))
		if errors.Is(err, fs.ErrNotExist) {
			fi, err = os.Stat(filepath.Join(dir, strings.TrimSuffix(n, openSuffix)))
		}
		if err != nil {
			return 0, fmt.Errorf("archive: size %s: %w", n, err)
		}
		total += fi.Size()
	}
	return total, nil
}
