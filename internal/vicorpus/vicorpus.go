// Package vicorpus generates seeded corpora of Vietnamese administrative
// articles for benchmarks (index's BenchmarkSearch, cmd/noivu-searchbench).
// It is test and benchmark code: nothing here is ever archived.
package vicorpus

import (
	_ "embed"
	"fmt"
	"math/rand"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/noivu/noivu/article"
)

// words.txt is administrative vocabulary, so that phrases like "cải cách
// hành chính" recur as they do on the portals; syllables.txt single syllables.
var (
	//go:embed words.txt
	wordsTxt string
	//go:embed syllables.txt
	syllablesTxt string
)

// Provinces are the provinces of the generated sources.
var Provinces = []string{"Sơn La", "Bình Định", "Đắk Lắk", "Phú Yên", "Hà Nội", "Hà Giang", "Nghệ An",
	"Thanh Hóa", "Quảng Ninh", "Cà Mau", "Lâm Đồng", "Điện Biên", "Lào Cai", "Bắc Ninh", "Hải Phòng",
	"Đồng Nai", "Cần Thơ", "Huế", "Gia Lai", "Kon Tum"}

// Sources returns one source per province, with ids p01, p02, ...
func Sources() []article.Source {
	out := make([]article.Source, len(Provinces))
	for i, p := range Provinces {
		out[i] = article.Source{ID: fmt.Sprintf("p%02d", i+1), Province: p}
	}
	return out
}

// The publication dates the corpus covers.
var (
	start = time.Date(2015, 1, 1, 8, 0, 0, 0, article.VietnamZone)
	span  = 11 * 365 * 24 * time.Hour
)

// list reads an embedded list: one entry per line, # comments.
func list(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if w := strings.TrimSpace(line); w != "" && !strings.HasPrefix(w, "#") {
			out = append(out, w)
		}
	}
	return out
}

// Generate returns n articles of about 900 syllables from a seeded source:
// half administrative words, half single syllables, both drawn with a Zipf
// law. The same n and seed give the same corpus.
func Generate(n int, seed int64) []article.Article {
	words, syllables := list(wordsTxt), list(syllablesTxt)
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
			if sentence == 0 { // upper-case the first letter, not the first byte ("đ", "ở")
				first, n := utf8.DecodeRuneInString(w)
				w = string(unicode.ToUpper(first)) + w[n:]
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
	srcs := Sources()
	out := make([]article.Article, n)
	for i := range out {
		src := srcs[r.Intn(len(srcs))]
		out[i] = article.Article{ID: fmt.Sprintf("b%06d", i), URL: fmt.Sprintf("https://%s.gov.vn/%d", src.ID, i),
			SourceID: src.ID, Title: text(12), Text: text(900),
			Published: start.Add(time.Duration(r.Int63n(int64(span))))}
	}
	return out
}
