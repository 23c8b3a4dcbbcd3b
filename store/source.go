package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/noivu/noivu/article"
)

// SourceStatus is one source's health as `noivu sources` and /healthz show it.
type SourceStatus struct {
	article.Source
	Articles int // articles stored
	Pending  int // URLs never fetched successfully
	Failing  int // URLs whose last fetch failed (Failures > 0)
	// LastCrawl is when the last run that completed (empty Err) finished.
	LastCrawl time.Time
	// LastRun is the most recently started run, finished or not: a zero
	// Finished means it is still running or its process died.
	LastRun article.RunStats
	// LastError is the newer of the most recent run error (dated by the run's
	// finish, or its start when unfinished) and the error of the URL that
	// failed most recently among those still failing (as "URL: error", dated
	// by when the store recorded it). Errors are not cleared by later successes: compare
	// LastErrorAt with LastCrawl.
	LastError   string
	LastErrorAt time.Time
}

// SyncSources inserts or updates the given sources by id. Sources no longer
// configured are kept: their articles stay in the archive.
func (s *Store) SyncSources(ctx context.Context, sources []article.Source) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `
INSERT INTO sources (id, name, province, current_province, url) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET name = excluded.name, province = excluded.province,
	current_province = excluded.current_province, url = excluded.url`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, src := range sources {
			if src.ID == "" {
				return fmt.Errorf("source %q: %w", src.Name, ErrNoID)
			}
			if _, err := stmt.ExecContext(ctx, src.ID, src.Name, src.Province, src.CurrentProvince, src.URL); err != nil {
				return fmt.Errorf("source %s: %w", src.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: sync sources: %w", err)
	}
	return nil
}

// SourceStatuses returns every stored source, ordered by id, with its
// counters. It reads in one read-only transaction so that the figures agree.
func (s *Store) SourceStatuses(ctx context.Context) ([]SourceStatus, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("store: source statuses: %w", err)
	}
	defer tx.Rollback()
	var list []SourceStatus
	err = eachRow(ctx, tx, "SELECT id, name, province, current_province, url FROM sources ORDER BY id",
		func(rows *sql.Rows) error {
			var st SourceStatus
			err := rows.Scan(&st.ID, &st.Name, &st.Province, &st.CurrentProvince, &st.URL)
			list = append(list, st)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("store: source statuses: %w", err)
	}
	byID := make(map[string]*SourceStatus, len(list))
	for i := range list {
		byID[list[i].ID] = &list[i]
	}
	// Order matters: URL errors are compared with the run errors already filled.
	for _, fill := range []func(context.Context, querier, map[string]*SourceStatus) error{
		fillCounts, fillLastRuns, fillRunErrors, fillURLErrors,
	} {
		if err := fill(ctx, tx, byID); err != nil {
			return nil, fmt.Errorf("store: source statuses: %w", err)
		}
	}
	return list, nil
}

// fillCounts sets Articles, Pending and Failing.
func fillCounts(ctx context.Context, q querier, byID map[string]*SourceStatus) error {
	err := eachRow(ctx, q, "SELECT source_id, COUNT(*) FROM articles GROUP BY source_id",
		func(rows *sql.Rows) error {
			var id string
			var n int
			err := rows.Scan(&id, &n)
			if st := byID[id]; st != nil {
				st.Articles = n
			}
			return err
		})
	if err != nil {
		return err
	}
	return eachRow(ctx, q, `SELECT source_id, SUM(last_fetched IS NULL), SUM(failures > 0)
FROM urls GROUP BY source_id`,
		func(rows *sql.Rows) error {
			var id string
			var pending, failing int
			err := rows.Scan(&id, &pending, &failing)
			if st := byID[id]; st != nil {
				st.Pending, st.Failing = pending, failing
			}
			return err
		})
}

// fillLastRuns sets LastRun and LastCrawl.
func fillLastRuns(ctx context.Context, q querier, byID map[string]*SourceStatus) error {
	err := eachRow(ctx, q, "SELECT "+runColumns+
		" FROM runs WHERE id IN (SELECT MAX(id) FROM runs GROUP BY source_id)",
		func(rows *sql.Rows) error {
			r, err := scanRun(rows)
			if st := byID[r.SourceID]; st != nil {
				st.LastRun = r
			}
			return err
		})
	if err != nil {
		return err
	}
	return eachRow(ctx, q, `SELECT source_id, MAX(finished) FROM runs
WHERE err = '' AND finished IS NOT NULL GROUP BY source_id`,
		func(rows *sql.Rows) error {
			var id string
			var at time.Time
			err := rows.Scan(&id, timeCol{&at})
			if st := byID[id]; st != nil {
				st.LastCrawl = at
			}
			return err
		})
}

// fillRunErrors sets LastError from each source's latest failed run.
func fillRunErrors(ctx context.Context, q querier, byID map[string]*SourceStatus) error {
	return eachRow(ctx, q, `SELECT source_id, err, COALESCE(finished, started) FROM runs
WHERE id IN (SELECT MAX(id) FROM runs WHERE err != '' GROUP BY source_id)`,
		func(rows *sql.Rows) error {
			var id, msg string
			var at time.Time
			err := rows.Scan(&id, &msg, timeCol{&at})
			if st := byID[id]; st != nil {
				st.LastError, st.LastErrorAt = msg, at
			}
			return err
		})
}

// fillURLErrors replaces LastError with the latest still-failing URL's error
// when that is newer. SQLite returns the other columns of the row holding
// MAX(error_at), which is what this query relies on.
func fillURLErrors(ctx context.Context, q querier, byID map[string]*SourceStatus) error {
	return eachRow(ctx, q, `SELECT source_id, url, last_error, MAX(error_at) FROM urls
WHERE failures > 0 AND last_error != '' AND error_at IS NOT NULL GROUP BY source_id`,
		func(rows *sql.Rows) error {
			var id, url, msg string
			var at time.Time
			err := rows.Scan(&id, &url, &msg, timeCol{&at})
			if st := byID[id]; st != nil && at.After(st.LastErrorAt) {
				st.LastError, st.LastErrorAt = url+": "+msg, at
			}
			return err
		})
}

// eachRow runs query and calls fn for every row, stopping at the first error.
func eachRow(ctx context.Context, q querier, query string, fn func(*sql.Rows) error, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}
