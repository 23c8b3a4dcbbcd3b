package index

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/blevesearch/bleve/v2"
	"golang.org/x/sync/errgroup"

	"github.com/noivu/noivu/article"
)

// rebuildInFlight is how many batches a Rebuild hands Bleve at once. Most
// of a batch's cost is scorch building its segment, which runs on one core
// inside Batch; two batches in flight keep both cores of the reference
// machine busy (a rebuild of 20,000 articles: 300 → 480 articles/s).
const rebuildInFlight = 2

// Rebuild indexes every article of src into a new generation and makes it
// the live one only when it is complete: searches keep answering from the
// old generation meanwhile, and a crash or an error leaves the old one in
// place (the half-built folder is deleted then or at the next Open).
func (ix *Index) Rebuild(ctx context.Context, src ChangeSource) (int, error) {
	ix.syncMu.Lock()
	defer ix.syncMu.Unlock()
	ix.mu.RLock()
	closed, gen, sources := ix.lock == nil, nextGeneration(ix.gen), ix.sources
	ix.mu.RUnlock()
	if closed {
		return 0, fmt.Errorf("index: rebuild %s: %w", ix.root, ErrClosed)
	}
	if err := ctx.Err(); err != nil {
		return 0, fmt.Errorf("index: rebuild %s: %w", ix.root, err)
	}
	nb, err := ix.create(gen)
	if err != nil {
		return 0, err
	}
	n, last, err := fill(ctx, nb, src, sources, batchSize)
	if err == nil {
		// The change_seq is written once, after every batch: batches in
		// flight together may be taken in any order. Batches are written to
		// disk in the background: the new generation becomes the live one
		// only once all of it is on disk, so a crash right after the swap
		// still finds a whole index.
		err = nb.SetInternal(keyLastSeq, []byte(strconv.FormatInt(last, 10)))
	}
	if err == nil {
		err = flush(nb)
	}
	if err == nil {
		err = writeCurrent(ix.root, gen)
	}
	if err != nil {
		nb.Close()
		os.RemoveAll(filepath.Join(ix.root, gen))
		return 0, fmt.Errorf("index: rebuild %s: %w", ix.root, err)
	}
	ix.mu.Lock()
	old, oldGen := ix.bi, ix.gen
	ix.bi, ix.gen, ix.stale = nb, gen, ""
	ix.mu.Unlock()
	if old != nil {
		old.Close()
	}
	os.RemoveAll(filepath.Join(ix.root, oldGen))
	return n, nil
}

// fill indexes every article of src into the empty index bi, size
// articles a batch with rebuildInFlight batches in flight, and returns how many it indexed and
// the last change_seq it read. The store is read while Bleve works.
//
// An article that changes during the rebuild comes back in a later batch;
// the later batch must land last, so a batch that repeats an article of a
// batch still in flight waits for that one first.
func fill(ctx context.Context, bi bleve.Index, src ChangeSource, sources map[string]article.Source, size int) (int, int64, error) {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(rebuildInFlight)
	landed := make(map[string]chan struct{}) // article id → its batch's done
	n, seq := 0, int64(0)
	// stop waits for the batches in flight; a failed batch's error wins
	// over the cancellation it caused.
	stop := func(err error) (int, int64, error) {
		if werr := g.Wait(); werr != nil {
			return n, seq, werr
		}
		return n, seq, err
	}
	for {
		if err := gctx.Err(); err != nil {
			return stop(err)
		}
		list, last, err := src.ArticlesChangedSince(gctx, seq, size)
		if err != nil {
			return stop(err)
		}
		if len(list) == 0 {
			break
		}
		b := bi.NewBatch()
		done := make(chan struct{})
		for i := range list {
			a := &list[i]
			if prev, ok := landed[a.ID]; ok && prev != done { // twice in one batch: the last wins
				<-prev
			}
			landed[a.ID] = done
			if err := addArticle(b, bi.Mapping(), a, sources); err != nil {
				close(done)
				return stop(err)
			}
		}
		from := seq
		g.Go(func() error {
			defer close(done)
			if err := bi.Batch(b); err != nil {
				return fmt.Errorf("batch after change %d: %w", from, err)
			}
			return nil
		})
		n, seq = n+len(list), last
		if len(list) < size {
			break
		}
	}
	_, _, err := stop(nil)
	return n, seq, err
}
