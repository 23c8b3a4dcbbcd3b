package archive

import (
	"crypto/rand"
	"sync"

	"github.com/google/uuid"
	"github.com/nlnwa/gowarc"
)

// gowarcMu is this package's one package-level variable, and it guards
// another package's: each gowarc record builder and unmarshaler is made with
// options whose constructor calls uuid.EnableRandPool, which writes a global
// of github.com/google/uuid without synchronisation ("not thread-safe", its
// documentation says), and uuid.New reads that global. So every gowarc
// constructor call is made holding gowarcMu, including the warcinfo record
// gowarc builds when it starts a file, and record IDs never come from uuid.New.
var gowarcMu sync.Mutex

// recordOptions are the gowarc options for building and parsing records:
// record IDs from newRecordID, and bodies up to 8 MiB kept in memory instead
// of spilling to temporary files.
func recordOptions() []gowarc.WarcRecordOption {
	return []gowarc.WarcRecordOption{
		gowarc.WithRecordIdFunc(newRecordID),
		gowarc.WithBufferMaxMemBytes(8 << 20),
	}
}

func newRecordBuilder(rt gowarc.RecordType) gowarc.WarcRecordBuilder {
	gowarcMu.Lock()
	defer gowarcMu.Unlock()
	return gowarc.NewRecordBuilder(rt, recordOptions()...)
}

// newUnmarshaler returns an unmarshaler that fails on any syntax error, spec
// violation or wrong digest.
func newUnmarshaler() gowarc.Unmarshaler {
	gowarcMu.Lock()
	defer gowarcMu.Unlock()
	return gowarc.NewUnmarshaler(append(recordOptions(), gowarc.WithStrictValidation())...)
}

// newRecordID returns a random "urn:uuid:" without touching uuid's pool.
func newRecordID() (string, error) {
	id, err := uuid.NewRandomFromReader(rand.Reader)
	if err != nil {
		return "", err
	}
	return id.URN(), nil
}
