package index

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/internal/vicorpus"
)

// benchDocs is the size of the generated corpus: 5,000 by default,
// NOIVU_BENCH_DOCS=100000 for the figures of issue 4.
func benchDocs() int {
	if n, err := strconv.Atoi(os.Getenv("NOIVU_BENCH_DOCS")); err == nil && n > 0 {
		return n
	}
	return 5000
}

// BenchmarkSearch builds an index of the generated corpus (build, in
// docs/s) and times each kind of query on it, reporting p50 and p99. Run it
// with the default -benchtime: a build takes more than a second, so it runs
// once, and each query kind gets a second's worth of samples.
func BenchmarkSearch(b *testing.B) {
	n := benchDocs()
	docs := vicorpus.Generate(n, 1)
	var ix *Index
	b.Run("build", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if ix != nil {
				ix.Close()
			}
			ix = benchBuild(b, docs)
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "docs/s")
		b.ReportMetric(float64(dirSize(ix.root))/1e6, "MB")
	})
	if ix == nil {
		ix = benchBuild(b, docs)
	}
	defer ix.Close()
	for _, k := range benchKinds {
		b.Run(k.name, func(b *testing.B) {
			var took []time.Duration
			hits := 0
			for i := 0; i < b.N; i++ {
				req := k.reqs[i%len(k.reqs)]
				t0 := time.Now()
				res, err := ix.Search(context.Background(), req)
				took = append(took, time.Since(t0))
				if err != nil {
					b.Fatal(err)
				}
				hits += res.Total
			}
			slices.Sort(took)
			b.ReportMetric(ms(took[len(took)/2]), "p50-ms")
			b.ReportMetric(ms(took[len(took)*99/100]), "p99-ms")
			b.ReportMetric(float64(hits)/float64(b.N), "hits/op")
		})
	}
}

func benchBuild(b *testing.B, docs []article.Article) *Index {
	ix, err := Open(filepath.Join(b.TempDir(), "index"))
	if err != nil {
		b.Fatal(err)
	}
	ix.SetSources(vicorpus.Sources())
	if _, err := ix.Sync(context.Background(), memSource(docs)); err != nil {
		b.Fatal(err)
	}
	return ix
}

// benchKinds are the query kinds of issue 4, a few queries each.
var benchKinds = []struct {
	name string
	reqs []Request
}{
	{"term", reqs("quyết", "thưởng", "huyện", "giáo", "tỉnh")},
	{"folded", reqs("quyet", "thuong", "huyen", "giao", "tinh")},
	{"phrase3", reqs(`"thủ tục hành"`, `"ban nhân dân"`, `"cải cách hành"`, `"đơn vị hành"`, `"hành chính công"`)},
	{"phrase4", reqs(`"cải cách hành chính"`, `"thi đua yêu nước"`, `"vị trí việc làm"`, `"của các cơ quan"`)},
	{"words3", reqs("cán bộ xã", "đào tạo công chức", "khen thưởng tập thể")},
	{"filtered", []Request{
		{Query: "quyết since:2020-01-01 until:2021-06-30", Source: []string{"p01", "p02"}},
		{Query: `"cải cách hành chính"`, Province: []string{"dak lak"}, Sort: SortNewest},
		{Query: "thưởng province:\"Hà Nội\" published:2024"}}},
	{"faceted", []Request{{Query: "quyết", Facets: true}, {Query: `"thi đua"`, Facets: true},
		{Query: "tuyen dung", Facets: true}}},
}

func reqs(qs ...string) []Request {
	out := make([]Request, len(qs))
	for i, q := range qs {
		out[i] = Request{Query: q}
	}
	return out
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}
