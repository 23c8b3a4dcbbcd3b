package store

import "errors"

// Sentinel errors callers may test with errors.Is. Their text has no
// "store:" prefix because the store always returns them wrapped with one.
var (
	// ErrSchemaTooNew means the database was migrated by a newer noivu than
	// this binary: opening it could corrupt data the newer schema relies on.
	ErrSchemaTooNew = errors.New("database schema is newer than this program knows; upgrade noivu")

	// ErrIntegrity means PRAGMA integrity_check reported a problem.
	ErrIntegrity = errors.New("database is damaged")

	// ErrUnknownRun means FinishRun was given a run id StartRun never returned.
	ErrUnknownRun = errors.New("no such run")

	// ErrNoID means a record lacks the key it is stored under
	// (an article without ID, a URL record without URL).
	ErrNoID = errors.New("missing id or url")
)
