package index

import (
	"bufio"
	"context"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/noivu/noivu/article"
)

// benchDocs is the size of the generated corpus: 5,000 by default,
// NOIVU_BENCH_DOCS=100000 for the figures of issue 4.
func benchDocs() int {
	if n, err := strconv.Atoi(os.Getenv("NOIVU_BENCH_DOCS")); err == nil && n > 0 {
		return n
	}
	return 5000
}

var benchProvinces = []string{"Sơn La", "Bình Định", "Đắk Lắk", "Phú Yên", "Hà Nội", "Hà Giang", "Nghệ An",
	"Thanh Hóa", "Quảng Ninh", "Cà Mau", "Lâm Đồng", "Điện Biên", "Lào Cai", "Bắc Ninh", "Hải Phòng",
	"Đồng Nai", "Cần Thơ", "Huế", "Gia Lai", "Kon Tum"}

func benchSources() []article.Source {
	out := make([]article.Source, len(benchProvinces))
	for i, p := range benchProvinces {
		out[i] = article.Source{ID: fmt.Sprintf("p%02d", i+1), Province: p}
	}
	return out
}

// readList reads a testdata list: one entry per line, # comments.
func readList(tb testing.TB, name string) []string {
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" && !strings.HasPrefix(w, "#") {
			out = append(out, w)
		}
	}
	return out
}

// benchCorpus generates n articles of about 900 syllables from a seeded
// source: half the words from testdata/words.txt (administrative
// vocabulary, so that phrases like "cải cách hành chính" recur as they do
// on the portals), half single syllables from testdata/syllables.txt; both
// drawn with a Zipf law.
func benchCorpus(tb testing.TB, n int, seed int64) []article.Article {
	words, syllables := readList(tb, "words.txt"), readList(tb, "syllables.txt")
	r := rand.New(rand.NewSource(seed))
	zw := rand.NewZipf(r, 1.07, 2, uint64(len(words)-1))
	zs := rand.NewZipf(r, 1.05, 10, uint64(len(syllables)-1))
	text := func(size int) string {
		var b strings.Builder
		count, sentence := 0, 0
		for count < size {
			w := syllables[zs.Uint64()]
			if r.Intn(2) == 0 {
				w = words[zw.Uint64()]
			}
			if sentence == 0 {
				w = strings.ToUpper(w[:1]) + w[1:]
			}
			b.WriteString(w)
			count += strings.Count(w, " ") + 1
			if sentence++; sentence > 12+r.Intn(14) {
				b.WriteString(". ")
				sentence = 0
			} else {
				b.WriteByte(' ')
			}
		}
		return b.String()
	}
	sources := benchSources()
	start := time.Date(2015, 1, 1, 8, 0, 0, 0, article.VietnamZone)
	out := make([]article.Article, n)
	for i := range out {
		src := sources[r.Intn(len(sources))]
		out[i] = article.Article{ID: fmt.Sprintf("b%06d", i), URL: fmt.Sprintf("https://%s.gov.vn/%d", src.ID, i),
			SourceID: src.ID, Title: text(12), Text: text(900),
			Published: start.Add(time.Duration(r.Int63n(int64(11 * 365 * 24 * time.Hour))))}
	}
	return out
}

// BenchmarkSearch builds an index of the generated corpus (build, in
// docs/s) and times each kind of query on it, reporting p50 and p99. Run it
// with the default -benchtime: a build takes more than a second, so it runs
// once, and each query kind gets a second's worth of samples.
func BenchmarkSearch(b *testing.B) {
	n := benchDocs()
	docs := benchCorpus(b, n, 1)
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
	ix.SetSources(benchSources())
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
