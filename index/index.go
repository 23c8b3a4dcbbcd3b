// Package index owns noivu's search index: a Bleve v2 index under
// data_dir/index that is derived from the store and can be rebuilt from it
// at any time. It owns
//
//  1. the Vietnamese analysis (analysis.go, tokenizer.go, mapping.go): NFC,
//     lower case, syllables kept exact, folded (no diacritics, đ → d) with
//     their positions, and common syllables paired (common.go) so that
//     phrases are fast;
//  2. keeping up with the store (sync.go): the articles changed since the
//     last change_seq it saw, in batches, the sequence number stored inside
//     the index; or a full rebuild into a fresh folder swapped in at the end;
//  3. the query language (parse.go) and its translation into Bleve queries
//     (compile.go), bounded so that no query can be made expensive;
//  4. searching (search.go, run.go): ranking, filters, facets, a timeline
//     and snippets with the matches marked (snippet.go). The searches that
//     Bleve's own searchers made slow at 100,000 articles have searchers
//     of their own, which read scorch's segments directly: phrases checked
//     on the positions of their pairs and syllables (phrase.go), diacritics ranked from
//     bitmaps (exact.go), facets counted from a table (facets.go).
//
// It must not fetch anything nor write to the store: the store is the record,
// and anything here may be deleted and rebuilt with `noivu reindex`. It
// reads the store only through the ChangeSource interface it declares.
//
// On disk the index folder holds LOCK (held while open: Bleve admits one
// process at a time), OWNER (who holds it, for the message others get),
// CURRENT (the name of the live generation) and that generation's folder.
package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/gofrs/flock"

	"github.com/noivu/noivu/article"
)

// Keys of the values the index keeps about itself (Bleve internal data).
var (
	keyMappingVersion = []byte("noivu_mapping_version")
	keyLastSeq        = []byte("noivu_last_change_seq")
	keyFlushed        = []byte("noivu_flushed") // when Close last waited for the disk
)

// lockWait is how long Open waits for another process to let go of the
// index before it gives up with ErrLocked: long enough for a short `search`
// to finish, short enough that nobody thinks it hangs.
const lockWait = 2 * time.Second

// Index is an open search index. It is safe for concurrent use: searches
// run in parallel with each other and with Sync; Sync and Rebuild take turns.
type Index struct {
	root    string
	lock    *flock.Flock
	mapping *mapping.IndexMappingImpl

	syncMu sync.Mutex // one Sync or Rebuild at a time; held by Close

	mu      sync.RWMutex // guards what follows; searches hold it for reading
	bi      bleve.Index  // nil when the generation on disk could not be opened
	gen     string       // folder name of the live generation
	stale   string       // why the index must be rebuilt; "" when it need not
	sources map[string]article.Source

	facets    facetTables // facet keys of the latest snapshot searched
	splitFrom uint64      // articles from which a search runs in two halves (run.go)
	// generic hides scorch from the searchers, which then read the index
	// through Bleve's generic reader only: for tests of that path.
	generic bool
}

// Open opens the index in the folder path, creating it when missing. An
// index built with another mapping, or one that cannot be read, still opens:
// Search and Sync then fail with ErrReindex and Rebuild repairs it. Another
// process holding the index makes Open fail with ErrLocked after a short wait.
func Open(path string) (*Index, error) {
	im, err := newMapping()
	if err != nil {
		return nil, fmt.Errorf("index: mapping: %w", err)
	}
	if err := os.MkdirAll(path, 0o755); err != nil {
		return nil, fmt.Errorf("index: open %s: %w", path, err)
	}
	lock, err := acquire(path)
	if err != nil {
		return nil, err
	}
	ix := &Index{root: path, lock: lock, mapping: im, splitFrom: splitFrom()}
	if err := ix.openCurrent(); err != nil {
		lock.Unlock()
		return nil, err
	}
	ix.removeOtherGenerations()
	return ix, nil
}

// acquire takes the index lock and records who holds it.
func acquire(path string) (*flock.Flock, error) {
	lock := flock.New(filepath.Join(path, "LOCK"))
	ctx, cancel := context.WithTimeout(context.Background(), lockWait)
	defer cancel()
	ok, err := lock.TryLockContext(ctx, 50*time.Millisecond)
	if !ok {
		owner, _ := os.ReadFile(filepath.Join(path, "OWNER"))
		who := strings.TrimSpace(string(owner))
		if who == "" {
			who = "an unknown process"
		}
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("index: lock %s: %w", path, err)
		}
		return nil, fmt.Errorf("index: open %s: %w: %s", path, ErrLocked, who)
	}
	owner := fmt.Sprintf("pid %d (%s), since %s\n", os.Getpid(), strings.Join(os.Args, " "),
		time.Now().Format("2006-01-02 15:04:05 -07:00"))
	_ = os.WriteFile(filepath.Join(path, "OWNER"), []byte(owner), 0o644) // only informative
	return lock, nil
}

// openCurrent opens the live generation, creating the first one if there
// is none yet.
func (ix *Index) openCurrent() error {
	cur, err := os.ReadFile(filepath.Join(ix.root, "CURRENT"))
	if errors.Is(err, os.ErrNotExist) {
		bi, err := ix.create("g1")
		if err != nil {
			return err
		}
		if err := writeCurrent(ix.root, "g1"); err != nil {
			bi.Close()
			return err
		}
		ix.bi, ix.gen = bi, "g1"
		return nil
	}
	if err != nil {
		return fmt.Errorf("index: open %s: %w", ix.root, err)
	}
	ix.gen = strings.TrimSpace(string(cur))
	dir := filepath.Join(ix.root, ix.gen)
	bi, err := bleve.OpenUsing(dir, runtimeConfig())
	if err != nil {
		ix.stale = fmt.Sprintf("cannot read %s: %v", dir, err)
		return nil
	}
	v, err := bi.GetInternal(keyMappingVersion)
	if err != nil || string(v) != mappingVersion {
		ix.stale = fmt.Sprintf("built with mapping %q, this noivu uses %q", v, mappingVersion)
	}
	ix.bi = bi
	return nil
}

// runtimeConfig makes bolt give up instead of waiting forever should two
// processes ever reach the same generation (the LOCK file prevents it).
//
// Batches are "unsafe": Bleve's Batch returns once the batch is searchable,
// and scorch writes it to disk in the background, instead of waiting for
// that write (and its fsyncs) before taking the next batch. That made a
// rebuild of 20,000 articles 1.6 times as fast (200 → 330 articles/s on
// two cores). It loses nothing: a batch carries its own change_seq, scorch
// writes batches whole and in order, so a crash leaves on disk the articles
// of the batches written, with the change_seq they reached, and the next
// Sync indexes the rest again from the store. Close waits for the writes.
func runtimeConfig() map[string]interface{} {
	return map[string]interface{}{"bolt_timeout": "1s", "unsafe_batch": true}
}

// flushWait bounds how long Close waits for scorch to write what it has
// accepted; what is not written by then is indexed again by the next Sync.
const flushWait = 2 * time.Minute

// flush returns once every batch bi accepted before it is on disk: scorch
// writes snapshots in order, so it waits for one more batch to be written.
func flush(bi bleve.Index) error {
	written := make(chan error, 1)
	b := bi.NewBatch()
	b.SetInternal(keyFlushed, []byte(time.Now().UTC().Format(time.RFC3339Nano)))
	b.SetPersistedCallback(func(err error) { written <- err })
	if err := bi.Batch(b); err != nil {
		return err
	}
	select {
	case err := <-written:
		return err
	case <-time.After(flushWait):
		return fmt.Errorf("not written to disk after %v", flushWait)
	}
}

// create makes a new, empty generation folder named gen.
func (ix *Index) create(gen string) (bleve.Index, error) {
	dir := filepath.Join(ix.root, gen)
	if err := os.RemoveAll(dir); err != nil {
		return nil, fmt.Errorf("index: create %s: %w", dir, err)
	}
	bi, err := bleve.NewUsing(dir, ix.mapping, scorch.Name, scorch.Name, runtimeConfig())
	if err != nil {
		return nil, fmt.Errorf("index: create %s: %w", dir, err)
	}
	if err := bi.SetInternal(keyMappingVersion, []byte(mappingVersion)); err != nil {
		bi.Close()
		return nil, fmt.Errorf("index: create %s: %w", dir, err)
	}
	// Batches are written in the background (runtimeConfig), the mapping
	// and its version included: wait until they are on disk, so that CURRENT
	// never names a generation a crash left without its mapping.
	if err := flush(bi); err != nil {
		bi.Close()
		return nil, fmt.Errorf("index: create %s: %w", dir, err)
	}
	return bi, nil
}

// writeCurrent points CURRENT at gen. The rename is atomic, so a crash
// leaves CURRENT naming either the old generation or the new one.
func writeCurrent(root, gen string) error {
	tmp := filepath.Join(root, "CURRENT.tmp")
	f, err := os.Create(tmp)
	if err == nil {
		_, err = f.WriteString(gen + "\n")
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err == nil {
		err = os.Rename(tmp, filepath.Join(root, "CURRENT"))
	}
	if err == nil {
		err = syncDir(root)
	}
	if err != nil {
		return fmt.Errorf("index: switch %s to %s: %w", root, gen, err)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// removeOtherGenerations deletes generation folders CURRENT does not name:
// what a crashed Rebuild left behind. Holding LOCK makes it safe.
func (ix *Index) removeOtherGenerations() {
	entries, _ := os.ReadDir(ix.root)
	for _, e := range entries {
		if e.IsDir() && isGeneration(e.Name()) && e.Name() != ix.gen {
			os.RemoveAll(filepath.Join(ix.root, e.Name()))
		}
	}
}

func isGeneration(name string) bool {
	n, err := strconv.Atoi(strings.TrimPrefix(name, "g"))
	return strings.HasPrefix(name, "g") && err == nil && n > 0
}

// nextGeneration names the folder a rebuild writes into.
func nextGeneration(gen string) string {
	n, _ := strconv.Atoi(strings.TrimPrefix(gen, "g"))
	return "g" + strconv.Itoa(n+1)
}

// SetSources tells the index the province of each source id; articles
// indexed afterwards carry their source's province and current province.
func (ix *Index) SetSources(sources []article.Source) {
	m := make(map[string]article.Source, len(sources))
	for _, s := range sources {
		m[s.ID] = s
	}
	ix.mu.Lock()
	ix.sources = m
	ix.mu.Unlock()
}

// Count returns the number of articles in the index.
func (ix *Index) Count() (int, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	bi, err := ix.live()
	if err != nil {
		return 0, err
	}
	n, err := bi.DocCount()
	if err != nil {
		return 0, fmt.Errorf("index: count: %w", err)
	}
	return int(n), nil
}

// live returns the open Bleve index, or why it cannot be used. The caller
// holds mu.
func (ix *Index) live() (bleve.Index, error) {
	switch {
	case ix.lock == nil:
		return nil, fmt.Errorf("index: %s: %w", ix.root, ErrClosed)
	case ix.stale != "":
		return nil, fmt.Errorf("index: %s: %s: %w", ix.root, ix.stale, ErrReindex)
	}
	return ix.bi, nil
}

// Close closes the index and lets other processes open it. It waits for a
// running Sync or Rebuild to finish.
func (ix *Index) Close() error {
	ix.syncMu.Lock()
	defer ix.syncMu.Unlock()
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if ix.lock == nil {
		return nil
	}
	var err error
	if ix.bi != nil {
		if ferr := flush(ix.bi); ferr != nil {
			err = fmt.Errorf("flush: %w", ferr)
		}
		if cerr := ix.bi.Close(); err == nil {
			err = cerr
		}
		ix.bi = nil
	}
	if uerr := ix.lock.Unlock(); err == nil {
		err = uerr
	}
	ix.lock = nil
	if err != nil {
		return fmt.Errorf("index: close %s: %w", ix.root, err)
	}
	return nil
}
