package index

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/noivu/noivu/article"
)

// memSource is a ChangeSource over a slice: article i has change_seq i+1.
type memSource []article.Article

func (m memSource) ArticlesChangedSince(_ context.Context, seq int64, limit int) ([]article.Article, int64, error) {
	if seq >= int64(len(m)) {
		return nil, seq, nil
	}
	end := int64(len(m))
	if limit > 0 && seq+int64(limit) < end {
		end = seq + int64(limit)
	}
	return m[seq:end], end, nil
}

// corpus is testdata/search/articles.json.
type corpus struct {
	Sources  []article.Source  `json:"sources"`
	Articles []article.Article `json:"articles"`
}

func loadCorpus(t testing.TB) corpus {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "search", "articles.json"))
	if err != nil {
		t.Fatal(err)
	}
	var c corpus
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatalf("articles.json: %v", err)
	}
	return c
}

// openTemp opens a new index in a temporary folder, closed at cleanup.
func openTemp(t testing.TB) *Index {
	t.Helper()
	ix, err := Open(filepath.Join(t.TempDir(), "index"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return ix
}

// ids returns the ids of the hits, in order.
func ids(r Result) []string {
	out := make([]string, len(r.Hits))
	for i, h := range r.Hits {
		out[i] = h.ID
	}
	return out
}
