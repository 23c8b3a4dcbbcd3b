package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/config"
	"github.com/noivu/noivu/index"
	"github.com/noivu/noivu/store"
	"github.com/noivu/noivu/web"
)

// exportPage is how many hits one search of an export asks for.
const exportPage = 100

func runExport(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "export", "[--config FILE] --format jsonl|csv [--source ID] [--since YYYY-MM-DD] [--until YYYY-MM-DD] [QUERY]")
	cfgPath := fs.String("config", "config.yaml", "config `file`")
	format := fs.String("format", "jsonl", "output `format`: jsonl or csv")
	source := fs.String("source", "", "only articles of the source with this `id` (several: a,b)")
	since := fs.String("since", "", "only articles published on or after this `date` (YYYY-MM-DD)")
	until := fs.String("until", "", "only articles published on or before this `date` (YYYY-MM-DD)")
	pos, err := parse(fs, e, args)
	if err != nil {
		return err
	}
	if *format != "jsonl" && *format != "csv" {
		return withCode(exitUsage, errors.New("--format: give jsonl or csv"))
	}
	query := strings.Join(pos, " ")
	req, err := searchRequest(query, *source, *since, *until, index.SortNewest, exportPage)
	if err != nil {
		return withCode(exitUsage, err)
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	provinces := map[string]string{}
	for _, src := range cfg.ArticleSources() {
		provinces[src.ID] = src.Province
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	out := bufio.NewWriter(e.stdout)
	x, err := web.NewExporter(out, *format, func(id string) string { return provinces[id] })
	if err != nil {
		return err
	}
	if query == "" {
		err = exportAll(ctx, st, x, req)
	} else {
		var total int
		total, err = exportHits(ctx, cfg, *cfgPath, st, x, req)
		if total > maxExportHits {
			fmt.Fprintf(e.stderr, "noivu export: %d articles match; only the newest %d are exported: narrow the search (--since, --until, --source)\n", total, maxExportHits)
		}
	}
	if err != nil {
		return err
	}
	if err := x.Flush(); err != nil {
		return err
	}
	return out.Flush()
}

// exportAll streams every stored article that passes req's filters.
func exportAll(ctx context.Context, st *store.Store, x *web.Exporter, req index.Request) error {
	keep := func(a article.Article) error {
		if !req.Since.IsZero() && (a.Published.IsZero() || a.Published.Before(req.Since)) {
			return nil
		}
		if !req.Until.IsZero() && (a.Published.IsZero() || !a.Published.Before(req.Until)) {
			return nil
		}
		return x.Write(a)
	}
	if len(req.Source) == 0 {
		return st.EachArticle(ctx, "", keep)
	}
	for _, id := range req.Source {
		if err := st.EachArticle(ctx, id, keep); err != nil {
			return err
		}
	}
	return nil
}

// exportHits writes the articles matching req, newest first, page after
// page, as far as the index lets a search page go.
func exportHits(ctx context.Context, cfg *config.Config, cfgPath string, st *store.Store, x *web.Exporter, req index.Request) (total int, err error) {
	ix, err := openIndex(ctx, cfg, st)
	if err != nil {
		return 0, err
	}
	defer ix.Close()
	if _, err := ix.Sync(ctx, st); err != nil {
		return 0, reindexHint(err, cfgPath)
	}
	for {
		res, err := ix.Search(ctx, req)
		if errors.Is(err, index.ErrBadQuery) {
			return 0, withCode(exitUsage, err)
		}
		if err != nil {
			return total, err
		}
		total = res.Total
		for _, h := range res.Hits {
			a, ok, err := st.Article(ctx, h.ID)
			if err != nil {
				return total, err
			}
			if ok {
				if err := x.Write(a); err != nil {
					return total, err
				}
			}
		}
		req.From += len(res.Hits)
		if len(res.Hits) == 0 || req.From >= res.Total || req.From >= maxExportHits {
			return total, nil
		}
		req.Size = min(exportPage, maxExportHits-req.From)
	}
}

// maxExportHits is how deep a search can be paged (the index's window).
const maxExportHits = 10000
