package store

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations returns the schema steps in order: step i brings the database
// from PRAGMA user_version i to i+1. Steps are append-only: never edit one
// that has shipped, add a new one. It is a function, not a variable, so that
// nothing can change the list at run time.
func migrations() []string {
	return []string{
		schemaV1,
		schemaV2,
	}
}

// schemaV1 is the initial schema. Times are TEXT (see the package comment).
// source_id columns are deliberately not foreign keys: the crawler may record
// URLs and runs before or without SyncSources, and sources are never deleted.
const schemaV1 = `
CREATE TABLE sources (
	id               TEXT PRIMARY KEY,
	name             TEXT NOT NULL DEFAULT '',
	province         TEXT NOT NULL DEFAULT '',
	current_province TEXT NOT NULL DEFAULT '',
	url              TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE runs (
	id             INTEGER PRIMARY KEY,
	source_id      TEXT NOT NULL,
	started        TEXT,
	finished       TEXT,
	fetched        INTEGER NOT NULL DEFAULT 0,
	new            INTEGER NOT NULL DEFAULT 0,
	updated        INTEGER NOT NULL DEFAULT 0,
	unchanged      INTEGER NOT NULL DEFAULT 0,
	failed         INTEGER NOT NULL DEFAULT 0,
	robots_skipped INTEGER NOT NULL DEFAULT 0,
	err            TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX runs_source ON runs (source_id, id);

CREATE TABLE urls (
	url           TEXT PRIMARY KEY,
	source_id     TEXT NOT NULL,
	kind          TEXT NOT NULL DEFAULT '',
	depth         INTEGER NOT NULL DEFAULT 0,
	etag          TEXT NOT NULL DEFAULT '',
	last_modified TEXT NOT NULL DEFAULT '',
	last_status   INTEGER NOT NULL DEFAULT 0,
	last_error    TEXT NOT NULL DEFAULT '',
	failures      INTEGER NOT NULL DEFAULT 0,
	next_retry    TEXT,
	next_check    TEXT,
	first_seen    TEXT,
	last_fetched  TEXT,
	redirected_to TEXT NOT NULL DEFAULT '',
	article_id    TEXT NOT NULL DEFAULT '',
	error_at      TEXT -- when last_error was recorded; not part of article.URLRecord
) STRICT;
CREATE INDEX urls_source ON urls (source_id);

CREATE TABLE articles (
	id             TEXT PRIMARY KEY,
	source_id      TEXT NOT NULL DEFAULT '',
	first_seen     TEXT,
	change_seq     INTEGER NOT NULL,
	url            TEXT NOT NULL,
	title          TEXT NOT NULL DEFAULT '',
	author         TEXT NOT NULL DEFAULT '',
	unit           TEXT NOT NULL DEFAULT '',
	outlet         TEXT NOT NULL DEFAULT '',
	published      TEXT,
	updated        TEXT,
	date_only      INTEGER NOT NULL DEFAULT 0,
	text           TEXT NOT NULL DEFAULT '',
	html           TEXT NOT NULL DEFAULT '',
	images         TEXT, -- JSON array of article.Image; NULL when none
	attachments    TEXT, -- JSON array of article.Attachment; NULL when none
	fetched_at     TEXT,
	content_hash   TEXT NOT NULL,
	warc_file      TEXT NOT NULL DEFAULT '',
	warc_offset    INTEGER NOT NULL DEFAULT 0,
	warc_length    INTEGER NOT NULL DEFAULT 0,
	warc_record_id TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX articles_source_published ON articles (source_id, published);
CREATE INDEX articles_published ON articles (published);
CREATE UNIQUE INDEX articles_change_seq ON articles (change_seq);

CREATE TABLE revisions (
	article_id     TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
	rev            INTEGER NOT NULL,
	url            TEXT NOT NULL,
	title          TEXT NOT NULL DEFAULT '',
	author         TEXT NOT NULL DEFAULT '',
	unit           TEXT NOT NULL DEFAULT '',
	outlet         TEXT NOT NULL DEFAULT '',
	published      TEXT,
	updated        TEXT,
	date_only      INTEGER NOT NULL DEFAULT 0,
	text           TEXT NOT NULL DEFAULT '',
	html           TEXT NOT NULL DEFAULT '',
	images         TEXT,
	attachments    TEXT,
	fetched_at     TEXT,
	content_hash   TEXT NOT NULL,
	warc_file      TEXT NOT NULL DEFAULT '',
	warc_offset    INTEGER NOT NULL DEFAULT 0,
	warc_length    INTEGER NOT NULL DEFAULT 0,
	warc_record_id TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (article_id, rev)
) STRICT;
`

// schemaV2 adds the article's section (its breadcrumb's last part). It is a
// content column, so revisions keep the section they were shown under; rows
// stored before it have an empty section.
const schemaV2 = `
ALTER TABLE articles ADD COLUMN section TEXT NOT NULL DEFAULT '';
ALTER TABLE revisions ADD COLUMN section TEXT NOT NULL DEFAULT '';
`

// migrate applies the steps the database lacks, each in its own transaction
// together with its user_version bump, and returns how many it applied. The
// version is read again inside the (IMMEDIATE, hence exclusive) transaction
// because another process may have migrated while this one waited.
func (s *Store) migrate(ctx context.Context) (int, error) {
	steps := migrations()
	version, err := userVersion(ctx, s.db)
	if err != nil {
		return 0, fmt.Errorf("migrate: %w", err)
	}
	if version > len(steps) {
		return 0, fmt.Errorf("%w (database version %d, this program knows up to %d)", ErrSchemaTooNew, version, len(steps))
	}
	applied := 0
	for i := version; i < len(steps); i++ {
		err := s.write(ctx, func(tx *sql.Tx) error {
			current, err := userVersion(ctx, tx)
			if err != nil || current > i {
				return err
			}
			if _, err := tx.ExecContext(ctx, steps[i]); err != nil {
				return err
			}
			// PRAGMA takes no bound parameters; i+1 is an int we computed.
			if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", i+1)); err != nil {
				return err
			}
			applied++
			return nil
		})
		if err != nil {
			return applied, fmt.Errorf("migrate to version %d: %w", i+1, err)
		}
	}
	return applied, nil
}

// querier is what *sql.DB and *sql.Tx have in common for reading.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func userVersion(ctx context.Context, q querier) (int, error) {
	var v int
	err := q.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v)
	return v, err
}
