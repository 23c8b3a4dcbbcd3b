package archive

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
)

// Every record is its own gzip member, so a member whose trailer (CRC and
// size) checks out is a whole record. Scanning members, rather than parsing
// WARC, is what finds the exact byte span of each record and the point where a
// killed writer stopped.

// member is one whole gzip member of a file.
type member struct {
	offset int64  // where the member starts in the file
	length int64  // its compressed length
	data   []byte // its decompressed bytes; nil when the scan discards them
}

// countingReader counts the bytes gzip takes. It is an io.ByteReader, so the
// decompressor reads no further than the end of each member.
type countingReader struct {
	r *bufio.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func (c *countingReader) ReadByte() (byte, error) {
	b, err := c.r.ReadByte()
	if err == nil {
		c.n++
	}
	return b, err
}

// scanMembers calls fn with each whole gzip member of r, in order, and returns
// the offset just past the last whole member. When keep is false the members'
// bytes are checked and discarded. A member that is cut short or corrupt ends
// the scan with an error wrapping errTorn; an error from fn ends it as is.
func scanMembers(r io.Reader, keep bool, fn func(member) error) (end int64, err error) {
	cr := &countingReader{r: bufio.NewReaderSize(r, 64<<10)}
	var gz *gzip.Reader
	for {
		if _, err := cr.r.Peek(1); err == io.EOF {
			return end, nil
		} else if err != nil {
			return end, err
		}
		m := member{offset: cr.n}
		if gz == nil {
			gz, err = gzip.NewReader(cr)
		} else {
			err = gz.Reset(cr)
		}
		if err == nil {
			gz.Multistream(false)
			m.data, err = readMember(gz, keep)
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return end, fmt.Errorf("%w at offset %d: %v", errTorn, m.offset, err)
		}
		m.length = cr.n - m.offset
		end = cr.n
		if fn != nil {
			if err := fn(m); err != nil {
				return end, err
			}
		}
	}
}

func readMember(gz *gzip.Reader, keep bool) ([]byte, error) {
	if keep {
		return io.ReadAll(gz)
	}
	_, err := io.Copy(io.Discard, gz)
	return nil, err
}

// readOneMember returns the decompressed bytes of the gzip member at the
// start of r.
func readOneMember(r io.Reader) ([]byte, error) {
	var data []byte
	errFound := errors.New("found")
	_, err := scanMembers(r, true, func(m member) error {
		data = m.data
		return errFound
	})
	switch {
	case err == errFound:
		return data, nil
	case err == nil:
		return nil, io.ErrUnexpectedEOF
	default:
		return nil, err
	}
}
