// Package store is noivu's store of record: one SQLite file holding the
// configured sources, every crawl run, the URL frontier with its HTTP
// validators and retry state, the articles and the revisions of articles whose
// content changed. Everything else (the search index, the feeds) is derived
// from it and can be rebuilt from it.
//
// It must not touch the network nor know about HTTP or colly: the crawler
// hands it article.URLRecord and article.Article values, nothing more.
//
// Two processes (a cron `noivu crawl` and a running `noivu serve`) may open
// the same file at once. That works because the database runs in WAL mode
// (readers never block the writer), every write transaction starts with
// BEGIN IMMEDIATE (so two writers never deadlock upgrading a read lock) and a
// busy timeout of 10 s lets a writer wait for the other process instead of
// failing with "database is locked". Inside one process, writes are also
// queued on a Go channel so they wait in order rather than in SQLite's
// sleep-and-poll busy handler.
//
// Times are stored as UTC text in a fixed-width RFC 3339 layout with nine
// fractional digits, so that text order is time order and SQL can compare
// them; a zero time.Time is stored as NULL and read back as zero. Times are
// read back in UTC: callers convert to article.VietnamZone for display.
package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"modernc.org/sqlite" // the pure-Go "sqlite" driver: the binary builds with CGO_ENABLED=0
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/noivu/noivu/article"
)

// timeLayout is RFC 3339 with a fixed nine-digit fraction. time.RFC3339Nano
// trims trailing zeros, which would make "…05Z" sort after "…05.5Z".
const timeLayout = "2006-01-02T15:04:05.000000000Z07:00"

// dsnOptions configure every pooled connection (see the package comment).
const dsnOptions = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)" +
	"&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)&_txlock=immediate"

// Store is the SQLite store of record. It is safe for concurrent use.
type Store struct {
	db *sql.DB
	// writeSlot holds one token: the in-process writer queue.
	writeSlot chan struct{}
	// now stamps the time a URL error was recorded; tests replace it.
	now func() time.Time
}

// Open opens (creating it and its folder when needed) the database at path
// and brings its schema up to date.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, fmt.Errorf("store: open: empty path")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	// Each new connection re-runs the pragmas; keep a few idle ones so that
	// bursts of reads from the web server do not pay for it every time.
	db.SetMaxIdleConns(4)
	s := &Store{db: db, writeSlot: make(chan struct{}, 1), now: time.Now}
	if err := s.setUp(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return s, nil
}

// openWait is how long Open goes on trying while another process sets up
// the same new file: busy_timeout's 10 s. The attempt under way when it
// runs out may itself wait busy_timeout, so Open gives up within 20 s.
const openWait = 10 * time.Second

// setUp opens a first connection, which sets the pragmas, and migrates.
// Two processes opening a new file at once (a cron crawl and a server
// starting) race to set it up, and switching a file to WAL takes a lock
// that SQLite does not wait for: the loser is told "database is locked"
// (TestTwoProcessesWriteConcurrently). It tries again, as busy_timeout
// would have.
func (s *Store) setUp(ctx context.Context) error {
	deadline := time.Now().Add(openWait)
	for delay := 10 * time.Millisecond; ; delay = min(2*delay, 250*time.Millisecond) {
		err := s.db.PingContext(ctx)
		if err == nil {
			_, err = s.migrate(ctx)
		}
		if err == nil || !isBusy(err) || time.Now().Add(delay).After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(delay):
		}
	}
}

// isBusy reports whether err is SQLite's SQLITE_BUSY (any extended code).
func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}

// dsn builds the modernc URI for path. SQLite decodes %HH in URI paths and
// treats '?' and '#' as delimiters, so those three are escaped.
func dsn(path string) string {
	esc := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return "file:" + esc.Replace(path) + "?" + dsnOptions
}

// Close closes the database. In WAL mode the last connection to close
// checkpoints the log back into the main file.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// Integrity runs PRAGMA integrity_check and returns an error wrapping
// ErrIntegrity with SQLite's findings unless the answer is "ok".
func (s *Store) Integrity(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("store: integrity check: %w", err)
	}
	defer rows.Close()
	var findings []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return fmt.Errorf("store: integrity check: %w", err)
		}
		findings = append(findings, line)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: integrity check: %w", err)
	}
	if len(findings) == 1 && findings[0] == "ok" {
		return nil
	}
	return fmt.Errorf("store: integrity check: %w: %s", ErrIntegrity, strings.Join(findings, "; "))
}

// write runs fn in one IMMEDIATE transaction, committed when fn returns nil.
// The in-process queue comes first so that goroutines of this process do not
// compete for the file lock; other processes are waited for by busy_timeout.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	select {
	case s.writeSlot <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-s.writeSlot }()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// dbTime is the stored form of t: NULL when zero, fixed-width UTC text otherwise.
func dbTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC().Format(timeLayout)
}

// timeCol scans a stored time (NULL or text) into *t.
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(v any) error {
	var s string
	switch v := v.(type) {
	case nil:
		*c.t = time.Time{}
		return nil
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("time column holds %T", v)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return err
	}
	// Every time comes back in Vietnam time, the zone the portals write in and
	// the one feeds and exports show; the instant is what was stored.
	*c.t = t.In(article.VietnamZone)
	return nil
}

// dbJSON is the stored form of a list: NULL when empty, so that a nil slice
// comes back nil; a JSON array otherwise.
func dbJSON[T any](list []T) (any, error) {
	if len(list) == 0 {
		return nil, nil
	}
	b, err := json.Marshal(list)
	if err != nil {
		return nil, err
	}
	return string(b), nil
}

// jsonCol scans a JSON array column (or NULL) into *list.
type jsonCol[T any] struct{ list *[]T }

func (c jsonCol[T]) Scan(v any) error {
	*c.list = nil
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		return json.Unmarshal([]byte(v), c.list)
	case []byte:
		return json.Unmarshal(v, c.list)
	default:
		return fmt.Errorf("JSON column holds %T", v)
	}
}

// scanner is what *sql.Row and *sql.Rows have in common.
type scanner interface{ Scan(dest ...any) error }

// placeholders returns "?, ?, …" for n values.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// sqlLimit maps "no limit" (limit <= 0) to SQLite's LIMIT -1.
func sqlLimit(limit int) int {
	if limit <= 0 {
		return -1
	}
	return limit
}
