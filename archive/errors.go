package archive

import "errors"

var (
	// ErrClosed is returned by Write after Close.
	ErrClosed = errors.New("archive: writer closed")
	// ErrMismatch says a capture does not point at the response record it names.
	ErrMismatch = errors.New("archive: capture does not point at its response record")
	// errTorn marks a gzip member that is cut short or corrupt: nothing after
	// it in the file can be trusted.
	errTorn = errors.New("torn record")
)
