package extract

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkExtractVietnamese extracts every golden page once per iteration
// and reports pages/s (wall time). On one core:
// go test ./extract -run '^$' -bench Vietnamese -cpu 1
func BenchmarkExtractVietnamese(b *testing.B) {
	cases := loadCases(b)
	bodies := make([][]byte, len(cases))
	for i, c := range cases {
		var err error
		if bodies[i], err = os.ReadFile(filepath.Join("testdata", c.Name+".html")); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		for i, c := range cases {
			if _, err := Extract(bodies[i], c.URL, c.ContentType, c.Selectors); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(len(cases)*b.N)/b.Elapsed().Seconds(), "pages/s")
}
