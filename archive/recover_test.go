package archive

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/noivu/noivu/article"
)

// leftover returns a folder holding what kill -9 leaves: an ".open" file with
// n whole exchanges and then the first half of another gzip member. It also
// returns the captures and the size of the whole part.
func leftover(t *testing.T, n int) (dir string, captures []article.Capture, whole int64) {
	t.Helper()
	live := t.TempDir()
	w := openTest(t, live, 0)
	defer w.Close()
	for i := range n + 1 {
		c, err := w.Write(context.Background(), testExchange(i))
		if err != nil {
			t.Fatal(err)
		}
		captures = append(captures, c)
	}
	data, err := os.ReadFile(filepath.Join(live, captures[0].File+openSuffix))
	if err != nil {
		t.Fatal(err)
	}
	last := captures[n]
	// Keep what precedes the last exchange's request record.
	_, err = scanMembers(bytes.NewReader(data), false, func(m member) error {
		if m.offset+m.length == last.Offset {
			whole = m.offset
		}
		return nil
	})
	if err != nil || whole == 0 {
		t.Fatalf("no request before the last response: %v", err)
	}
	torn := append(data[:whole:whole], data[last.Offset:last.Offset+last.Length/2]...)
	dir = t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, last.File+openSuffix), torn, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, captures[:n], whole
}

func TestOpenRepairsTornFile(t *testing.T) {
	const n = 6
	dir, captures, whole := leftover(t, n)

	// Before repair, a reader sees the whole records of the live file.
	if got := walkAll(t, dir); len(got["response"]) != n {
		t.Fatalf("walk of the .open file: %d responses, want %d", len(got["response"]), n)
	}

	w := openTest(t, dir, 0)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	final := filepath.Join(dir, captures[0].File)
	fi, err := os.Stat(final)
	if err != nil {
		t.Fatalf("repaired file not renamed: %v", err)
	}
	if fi.Size() != whole {
		t.Errorf("repaired size %d, want %d", fi.Size(), whole)
	}
	if _, err := os.Stat(final + openSuffix); !os.IsNotExist(err) {
		t.Errorf(".open file still there: %v", err)
	}
	got := walkAll(t, dir)
	if len(got["response"]) != n || len(got["request"]) != n {
		t.Fatalf("after repair: %d requests, %d responses; want %d each", len(got["request"]), len(got["response"]), n)
	}
	for i, c := range captures {
		r, err := ReadCapture(dir, c)
		if err != nil {
			t.Fatal(err)
		}
		checkResponse(t, testExchange(i), r.StatusCode, r.Header, r.Body)
	}
}

func TestOpenRemovesFileWithoutWholeRecord(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "noivu-20250701000000000-00001.warc.gz.open")
	if err := os.WriteFile(path, []byte{0x1f, 0x8b, 8, 0}, 0o644); err != nil {
		t.Fatal(err)
	}
	w := openTest(t, dir, 0)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	names, err := Files(dir)
	if err != nil || len(names) != 0 {
		t.Errorf("files %v, %v; want none", names, err)
	}
}

func TestWalkStopsAtCorruptFileEnd(t *testing.T) {
	const n = 3
	dir, _, _ := leftover(t, n)
	names, _ := Files(dir)
	open := filepath.Join(dir, names[0])
	final := strings.TrimSuffix(open, openSuffix)
	if err := os.Rename(open, final); err != nil { // a finished file cut short
		t.Fatal(err)
	}
	if got := walkAll(t, dir); len(got["response"]) != n {
		t.Errorf("%d responses, want %d", len(got["response"]), n)
	}
}

// Two runs that start a file on the same millisecond (the clock was set
// back) must not share a name: gowarc would rename the second file over the
// first when it finishes it, and every capture in the first would be lost.
func TestFileNamesNeverReused(t *testing.T) {
	dir := t.TempDir()
	at := time.Date(2025, 7, 1, 1, 2, 3, 4e6, time.UTC)
	clock := func() time.Time { return at }
	for _, taken := range []string{"noivu-20250701010203004-00001.warc.gz", "noivu-20250701010203004-00002.warc.gz.open"} {
		if err := os.WriteFile(filepath.Join(dir, taken), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	g := &nameGenerator{dir: dir, prefix: "noivu", now: clock} // a new process: serial from 1
	if _, name := g.NewWarcfileName(); name != "noivu-20250701010203004-00003.warc" {
		t.Errorf("first name of a new run: %s, want serial 00003 (00001 and 00002 are taken)", name)
	}
	if _, name := g.NewWarcfileName(); name != "noivu-20250701010203004-00004.warc" {
		t.Errorf("second name: %s", name)
	}
}
