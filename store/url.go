package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/noivu/noivu/article"
)

// urlColumns are the columns of an article.URLRecord, in the order of
// urlArgs and scanURL.
const urlColumns = `url, source_id, kind, depth, etag, last_modified, last_status, last_error,
	failures, next_retry, next_check, first_seen, last_fetched, redirected_to, article_id`

// maxParams bounds the IN lists of KnownURLs, well under SQLite's limit on
// bound parameters.
const maxParams = 500

func urlArgs(r article.URLRecord) []any {
	return []any{r.URL, r.SourceID, string(r.Kind), r.Depth, r.ETag, r.LastModified, r.LastStatus,
		r.LastError, r.Failures, dbTime(r.NextRetry), dbTime(r.NextCheck), dbTime(r.FirstSeen),
		dbTime(r.LastFetched), r.RedirectedTo, r.ArticleID}
}

func scanURL(sc scanner) (article.URLRecord, error) {
	var r article.URLRecord
	var kind string
	err := sc.Scan(&r.URL, &r.SourceID, &kind, &r.Depth, &r.ETag, &r.LastModified, &r.LastStatus,
		&r.LastError, &r.Failures, timeCol{&r.NextRetry}, timeCol{&r.NextCheck}, timeCol{&r.FirstSeen},
		timeCol{&r.LastFetched}, &r.RedirectedTo, &r.ArticleID)
	r.Kind = article.Kind(kind)
	return r, err
}

// AddURLs inserts the records whose URL the store does not know yet and
// leaves known ones untouched (their retry and validator state is worth more
// than a rediscovery). It returns how many were inserted.
func (s *Store) AddURLs(ctx context.Context, recs []article.URLRecord) (added int, err error) {
	if len(recs) == 0 {
		return 0, nil
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, "INSERT INTO urls ("+urlColumns+") VALUES ("+
			placeholders(15)+") ON CONFLICT (url) DO NOTHING")
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, rec := range recs {
			if rec.URL == "" {
				return fmt.Errorf("url record of %s: %w", rec.SourceID, ErrNoID)
			}
			res, err := stmt.ExecContext(ctx, urlArgs(rec)...)
			if err != nil {
				return fmt.Errorf("%s: %w", rec.URL, err)
			}
			n, err := res.RowsAffected()
			if err != nil {
				return err
			}
			added += int(n)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: add %d urls: %w", len(recs), err)
	}
	return added, nil
}

// URLRecord returns the record of url, and false when the store has none.
func (s *Store) URLRecord(ctx context.Context, url string) (article.URLRecord, bool, error) {
	rec, err := scanURL(s.db.QueryRowContext(ctx, "SELECT "+urlColumns+" FROM urls WHERE url = ?", url))
	if errors.Is(err, sql.ErrNoRows) {
		return article.URLRecord{}, false, nil
	}
	if err != nil {
		return article.URLRecord{}, false, fmt.Errorf("store: url %s: %w", url, err)
	}
	return rec, true, nil
}

// KnownURLs returns the records of those urls the store knows, by URL.
func (s *Store) KnownURLs(ctx context.Context, urls []string) (map[string]article.URLRecord, error) {
	known := make(map[string]article.URLRecord)
	for start := 0; start < len(urls); start += maxParams {
		chunk := urls[start:min(start+maxParams, len(urls))]
		args := make([]any, len(chunk))
		for i, u := range chunk {
			args[i] = u
		}
		err := eachRow(ctx, s.db, "SELECT "+urlColumns+" FROM urls WHERE url IN ("+placeholders(len(chunk))+")",
			func(rows *sql.Rows) error {
				rec, err := scanURL(rows)
				known[rec.URL] = rec
				return err
			}, args...)
		if err != nil {
			return nil, fmt.Errorf("store: known urls: %w", err)
		}
	}
	return known, nil
}

// SaveURL inserts rec or overwrites every field of the stored record.
func (s *Store) SaveURL(ctx context.Context, rec article.URLRecord) error {
	err := s.write(ctx, func(tx *sql.Tx) error { return s.saveURL(ctx, tx, rec) })
	if err != nil {
		return fmt.Errorf("store: save url %s: %w", rec.URL, err)
	}
	return nil
}

// saveURL upserts rec inside tx. It also keeps error_at, the time the current
// error was first recorded, for SourceStatuses: URLRecord has no such field.
// The time is kept while the same error repeats with the same failure count
// (a save that is not a new failure) and cleared with the error.
func (s *Store) saveURL(ctx context.Context, tx *sql.Tx, rec article.URLRecord) error {
	if rec.URL == "" {
		return ErrNoID
	}
	var errorAt any
	if rec.LastError != "" {
		errorAt = dbTime(s.now())
	}
	set := make([]string, 0, 15)
	for _, col := range strings.Split(urlColumns, ",") {
		if col = strings.TrimSpace(col); col != "url" {
			set = append(set, col+" = excluded."+col)
		}
	}
	_, err := tx.ExecContext(ctx, "INSERT INTO urls ("+urlColumns+", error_at) VALUES ("+placeholders(16)+`)
ON CONFLICT (url) DO UPDATE SET `+strings.Join(set, ", ")+`,
	error_at = CASE
		WHEN excluded.last_error = '' THEN NULL
		WHEN excluded.last_error = urls.last_error AND excluded.failures = urls.failures
			AND urls.error_at IS NOT NULL THEN urls.error_at
		ELSE excluded.error_at END`,
		append(urlArgs(rec), errorAt)...)
	return err
}

// DueURLs returns at most limit (all when limit <= 0) URLs of the source that
// the crawler should fetch at now. A URL waiting on a retry (NextRetry after
// now) is never due; otherwise it is due when it was never fetched, when it is
// failing (Failures > 0), or when its NextCheck has come. Never-fetched URLs
// come first, shallowest and oldest first, so that discovery proceeds
// breadth-first; then the others, the longest overdue first.
func (s *Store) DueURLs(ctx context.Context, sourceID string, now time.Time, limit int) ([]article.URLRecord, error) {
	at := dbTime(now)
	var due []article.URLRecord
	err := eachRow(ctx, s.db, "SELECT "+urlColumns+` FROM urls
WHERE source_id = ?
	AND (next_retry IS NULL OR next_retry <= ?)
	AND (last_fetched IS NULL OR failures > 0 OR next_check <= ?)
ORDER BY
	last_fetched IS NOT NULL,
	CASE WHEN last_fetched IS NULL THEN depth END,
	CASE WHEN last_fetched IS NULL THEN first_seen END,
	CASE WHEN failures > 0 THEN IFNULL(next_retry, '') ELSE next_check END,
	url
LIMIT ?`,
		func(rows *sql.Rows) error {
			rec, err := scanURL(rows)
			due = append(due, rec)
			return err
		}, sourceID, at, at, sqlLimit(limit))
	if err != nil {
		return nil, fmt.Errorf("store: due urls of %s: %w", sourceID, err)
	}
	return due, nil
}
