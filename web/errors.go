package web

import "errors"

// Sentinel errors callers may test with errors.Is.
var (
	// ErrOptions means New was called without a required option.
	ErrOptions = errors.New("web: Store, Sources and BaseURL are required")

	// ErrBadQuery is what a Searcher wraps when the query itself is at
	// fault; the user gets a 400 with the message instead of a 500. The
	// server's own checks of request parameters match it too.
	ErrBadQuery = errors.New("bad query")

	// ErrBusy is what Options.Crawl returns (wrapped or not) when a crawl
	// is already running, in this process or in another one that holds the
	// data_dir lock; the request gets a 409.
	ErrBusy = errors.New("web: a crawl is already running")

	// ErrUnavailable is what a Searcher returns (wrapped or not) while it
	// cannot search yet, e.g. the index is held by another command; the
	// request gets a 503 with Retry-After instead of a 500.
	ErrUnavailable = errors.New("search is not available yet (the index is busy or opening); try again in a few seconds")

	// ErrFormat means an export format other than csv or jsonl.
	ErrFormat = errors.New("web: export format: use csv or jsonl")
)
