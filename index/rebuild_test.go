package index

import (
	"context"
	"fmt"
	"testing"

	bdoc "github.com/blevesearch/bleve/v2/document"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/noivu/noivu/article"
)

// An article that changes while a rebuild runs comes back in a later batch.
// With batches in flight together, the later version must still be the
// one the index keeps.
func TestFillKeepsTheLatestVersion(t *testing.T) {
	ix := openTemp(t)
	// Batches of three: every other batch repeats the articles of the batch
	// before it, changed, so the two are in flight together.
	var list memSource
	for k := range 10 {
		for _, title := range []string{"bản cũ", "bản mới"} {
			for i := range 3 {
				list = append(list, article.Article{ID: fmt.Sprintf("a%02d", 3*k+i), SourceID: "s",
					URL: fmt.Sprintf("https://s.example/%d", 3*k+i), Title: title, Text: "nội dung"})
			}
		}
	}
	list = append(list, article.Article{ID: "b", SourceID: "s", URL: "https://s.example/b", Title: "bản cũ"})
	for round := range 10 {
		bi, err := ix.create(fmt.Sprintf("g%d", 10+round))
		if err != nil {
			t.Fatal(err)
		}
		n, last, err := fill(context.Background(), bi, list, nil, 3)
		if err != nil || n != len(list) || last != int64(len(list)) {
			t.Fatalf("fill = %d, %d, %v; want %d, %d, nil", n, last, err, len(list), len(list))
		}
		if c, _ := bi.DocCount(); c != 31 {
			t.Errorf("round %d: %d articles indexed, want 31", round, c)
		}
		for i := range 30 {
			id := fmt.Sprintf("a%02d", i)
			if got := storedTitle(t, bi.Document, id); got != "bản mới" {
				t.Errorf("round %d: %s has title %q, want the changed one", round, id, got)
			}
		}
		bi.Close()
	}
}

func storedTitle(t *testing.T, get func(string) (bindex.Document, error), id string) string {
	t.Helper()
	d, err := get(id)
	if err != nil || d == nil {
		t.Fatalf("document %s: %v", id, err)
	}
	title := ""
	d.(*bdoc.Document).VisitFields(func(f bindex.Field) {
		if f.Name() == fieldTitle {
			title = string(f.Value())
		}
	})
	return title
}
