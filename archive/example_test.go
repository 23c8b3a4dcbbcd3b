package archive_test

import (
	"context"
	"fmt"
	"net/http"
	"os"

	"github.com/noivu/noivu/archive"
)

func Example() {
	dir, _ := os.MkdirTemp("", "warc")
	defer os.RemoveAll(dir)
	ctx := context.Background()

	w, err := archive.Open(ctx, archive.Options{Dir: dir, Software: "noivu/0.1"})
	if err != nil {
		panic(err)
	}
	c, err := w.Write(ctx, archive.Exchange{
		URL:            "https://sonoivu.sonla.gov.vn/",
		StatusCode:     200,
		ResponseHeader: http.Header{"Content-Type": {"text/html; charset=utf-8"}},
		Body:           []byte("<h1>Sở Nội vụ</h1>"),
		RemoteAddr:     "203.113.0.7",
	})
	if err != nil {
		panic(err)
	}
	if err := w.Close(); err != nil {
		panic(err)
	}

	r, err := archive.ReadCapture(dir, c)
	if err != nil {
		panic(err)
	}
	fmt.Println(r.StatusCode, r.Header.Get("Content-Length"), string(r.Body))
	// Output: 200 24 <h1>Sở Nội vụ</h1>
}
