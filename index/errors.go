package index

import "errors"

// Sentinel errors callers may test with errors.Is. The index always returns
// them wrapped with an "index:" prefix and the object concerned.
var (
	// ErrBadQuery means the query text or the request could not be
	// understood; the wrapping error says what to change. It is the user's
	// mistake, not the server's: the web layer answers 400, the CLI exits 2.
	ErrBadQuery = errors.New("bad query")

	// ErrLocked means another process has the index open. Bleve's files
	// admit one process at a time; the wrapping error names the holder.
	ErrLocked = errors.New("index is in use by another process")

	// ErrReindex means the index on disk was built with another mapping
	// (analyzers, fields) than this program uses: searching it would give
	// wrong answers until `noivu reindex` rebuilds it from the store.
	ErrReindex = errors.New("index was built by another version of noivu; run `noivu reindex`")

	// ErrClosed means the Index was used after Close.
	ErrClosed = errors.New("index is closed")
)
