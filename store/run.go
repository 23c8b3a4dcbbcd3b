package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/noivu/noivu/article"
)

// StartRun records the start of a crawl pass over one source and returns the
// run's id for FinishRun. A run that never finishes (a crash) stays with no
// finish time, which SourceStatuses shows as such.
func (s *Store) StartRun(ctx context.Context, sourceID string, started time.Time) (int64, error) {
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx,
			"INSERT INTO runs (source_id, started) VALUES (?, ?)", sourceID, dbTime(started))
		if err != nil {
			return err
		}
		id, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("store: start run of %s: %w", sourceID, err)
	}
	return id, nil
}

// FinishRun stores every field of st on run runID. An empty SourceID or zero
// Started keeps what StartRun recorded.
func (s *Store) FinishRun(ctx context.Context, runID int64, st article.RunStats) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `
UPDATE runs SET
	source_id = COALESCE(NULLIF(?, ''), source_id),
	started = COALESCE(?, started),
	finished = ?, fetched = ?, new = ?, updated = ?, unchanged = ?,
	failed = ?, robots_skipped = ?, err = ?
WHERE id = ?`,
			st.SourceID, dbTime(st.Started), dbTime(st.Finished), st.Fetched, st.New, st.Updated,
			st.Unchanged, st.Failed, st.RobotsSkipped, st.Err, runID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errOr(err, ErrUnknownRun)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: finish run %d: %w", runID, err)
	}
	return nil
}

// runColumns are read by scanRun in this order.
const runColumns = `source_id, started, finished, fetched, new, updated, unchanged,
	failed, robots_skipped, err`

func scanRun(sc scanner) (article.RunStats, error) {
	var r article.RunStats
	err := sc.Scan(&r.SourceID, timeCol{&r.Started}, timeCol{&r.Finished}, &r.Fetched, &r.New,
		&r.Updated, &r.Unchanged, &r.Failed, &r.RobotsSkipped, &r.Err)
	return r, err
}

// errOr returns err when it is not nil, otherwise fallback.
func errOr(err, fallback error) error {
	if err != nil {
		return err
	}
	return fallback
}
