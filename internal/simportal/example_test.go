package simportal_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/noivu/noivu/internal/simportal"
)

// A portal serves from httptest; Articles says what a crawler should find.
func ExampleNew() {
	p := simportal.New(simportal.Options{Layout: simportal.LayoutDrupal, Articles: 12, Seed: 1})
	srv := httptest.NewServer(p)
	defer srv.Close()

	newest := p.Articles()[0]
	res, err := http.Get(srv.URL + newest.Path)
	if err != nil {
		fmt.Println(err)
		return
	}
	res.Body.Close()
	fmt.Println(res.StatusCode, len(p.Articles()), p.Log()[0].Kind)
	// Output: 200 12 article
}
