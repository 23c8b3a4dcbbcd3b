package index

import (
	"context"
	"fmt"
	"strconv"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/noivu/noivu/article"
)

// ChangeSource is what the index needs of the store: the articles stored or
// changed after a change sequence number, in change order, with the largest
// number returned (seq when none). *store.Store satisfies it.
type ChangeSource interface {
	ArticlesChangedSince(ctx context.Context, seq int64, limit int) ([]article.Article, int64, error)
}

// batchSize is how many articles go into one Bleve batch: large enough to
// amortise a segment flush, small enough to keep memory flat.
const batchSize = 1000

// Sync indexes the articles src changed since the last Sync and returns how
// many it indexed. The last change_seq is saved in the same batch as the
// articles, and batches reach the disk in order (in the background: Close
// waits for them), so after a crash the index holds a whole prefix of the
// batches with the change_seq it reached, and the next Sync indexes the rest
// from the store again; an article that changed is replaced, never
// duplicated.
func (ix *Index) Sync(ctx context.Context, src ChangeSource) (int, error) {
	ix.syncMu.Lock()
	defer ix.syncMu.Unlock()
	ix.mu.RLock()
	bi, err := ix.live()
	ix.mu.RUnlock()
	if err != nil {
		return 0, err
	}
	seq, err := lastSeq(bi)
	if err != nil {
		return 0, fmt.Errorf("index: sync %s: %w", ix.root, err)
	}
	n, err := ix.copyChanges(ctx, bi, src, seq)
	if err != nil {
		return n, fmt.Errorf("index: sync %s: %w", ix.root, err)
	}
	return n, nil
}

// copyChanges indexes into bi the articles changed after seq, a batch at a
// time, each batch recording the change_seq it reached.
func (ix *Index) copyChanges(ctx context.Context, bi bleve.Index, src ChangeSource, seq int64) (int, error) {
	ix.mu.RLock()
	sources := ix.sources
	ix.mu.RUnlock()
	n := 0
	for {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		list, last, err := src.ArticlesChangedSince(ctx, seq, batchSize)
		if err != nil {
			return n, err
		}
		if len(list) == 0 {
			return n, nil
		}
		b := bi.NewBatch()
		for i := range list {
			if err := addArticle(b, bi.Mapping(), &list[i], sources); err != nil {
				return n, err
			}
		}
		b.SetInternal(keyLastSeq, []byte(strconv.FormatInt(last, 10)))
		if err := bi.Batch(b); err != nil {
			return n, fmt.Errorf("batch after change %d: %w", seq, err)
		}
		n, seq = n+len(list), last
		if len(list) < batchSize {
			return n, nil
		}
	}
}

// lastSeq reads the change_seq the index has caught up with (0 when new).
func lastSeq(bi bleve.Index) (int64, error) {
	v, err := bi.GetInternal(keyLastSeq)
	if err != nil || len(v) == 0 {
		return 0, err
	}
	seq, err := strconv.ParseInt(string(v), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("stored change_seq %q: %w", v, err)
	}
	return seq, nil
}

// LastSeq returns the store change_seq the index has caught up with.
func (ix *Index) LastSeq() (int64, error) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	bi, err := ix.live()
	if err != nil {
		return 0, err
	}
	return lastSeq(bi)
}

// addArticle adds a's document (buildDocument) to b.
func addArticle(b *bleve.Batch, im mapping.IndexMapping, a *article.Article, sources map[string]article.Source) error {
	doc, err := buildDocument(im, a, sources[a.SourceID])
	if err == nil {
		err = b.IndexAdvanced(doc)
	}
	if err != nil {
		return fmt.Errorf("article %s: %w", a.ID, err)
	}
	return nil
}
