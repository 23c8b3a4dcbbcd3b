package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/noivu/noivu/archive"
	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/config"
	"github.com/noivu/noivu/crawler"
	"github.com/noivu/noivu/internal/simportal"
	"github.com/noivu/noivu/store"
)

func TestExtra(t *testing.T) {
	ctx := context.Background()
	par, _ := strconv.Atoi(os.Getenv("PAR"))
	portal := simportal.New(simportal.Options{Layout: simportal.LayoutNukeViet, Articles: 2000, Paragraphs: par, Seed: 1})
	srv := httptest.NewServer(portal)
	defer srv.Close()
	known := map[string]bool{}
	for _, a := range portal.Articles() {
		known[a.Path] = true
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "c.yaml"), []byte(fmt.Sprintf(configYAML, filepath.Join(dir, "data"), 7000, srv.URL+"/")), 0o644)
	cfg, err := config.Load(filepath.Join(dir, "c.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	st, _ := store.Open(ctx, filepath.Join(dir, "db"))
	st.SyncSources(ctx, cfg.ArticleSources())
	ar, _ := archive.Open(ctx, archive.Options{Dir: filepath.Join(dir, "warc")})
	defer ar.Close()
	defer st.Close()
	stats := crawler.New(cfg, st, ar).Run(ctx, cfg.Enabled())
	t.Logf("stats %+v", stats[0])
	n := 0
	st.EachArticle(ctx, "", func(a article.Article) error {
		n++
		if p := a.URL[len(srv.URL):]; !known[p] {
			t.Logf("extra: %s %q", p, a.Title)
		}
		return nil
	})
	t.Logf("stored %d", n)
}
