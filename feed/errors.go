package feed

import "errors"

// ErrFormat means a Format other than RSS, Atom or JSON was asked for.
var ErrFormat = errors.New("unknown feed format")
