package extract

import "errors"

// ErrNotHTML is returned when the body is not an HTML document (a PDF, an
// image, binary data): the crawler should store it as an attachment, not
// extract it.
var ErrNotHTML = errors.New("extract: body is not HTML")
