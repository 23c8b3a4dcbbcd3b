package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/config"
	"github.com/noivu/noivu/index"
	"github.com/noivu/noivu/store"
)

func runReindex(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "reindex", "[--config FILE]")
	cfgPath := fs.String("config", "config.yaml", "config `file`")
	if _, err := parse(fs, e, args); err != nil {
		return err
	}
	st, ix, err := openSearch(ctx, *cfgPath)
	if err != nil {
		return err
	}
	defer st.Close()
	defer ix.Close()
	started := time.Now()
	n, err := ix.Rebuild(ctx, st)
	if err != nil {
		return fmt.Errorf("%w (the previous index is still in place)", err)
	}
	took := time.Since(started)
	fmt.Fprintf(e.stdout, "indexed %d articles in %s (%.0f docs/s)\n", n, took.Round(10*time.Millisecond),
		float64(n)/max(took.Seconds(), 1e-3))
	return nil
}

// openSearch loads the config and opens the store and the index, for the
// commands that search; the caller closes both.
func openSearch(ctx context.Context, cfgPath string) (*store.Store, *index.Index, error) {
	cfg, err := loadConfig(cfgPath)
	if err != nil {
		return nil, nil, err
	}
	st, err := openStore(ctx, cfg)
	if err != nil {
		return nil, nil, err
	}
	ix, err := openIndex(ctx, cfg, st)
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return st, ix, nil
}

// openIndex opens data_dir/index and tells it the provinces of the sources
// the store knows (openStore has saved the config's there). A locked index
// gets a message that says who holds it and what to do.
func openIndex(ctx context.Context, cfg *config.Config, st *store.Store) (*index.Index, error) {
	statuses, err := st.SourceStatuses(ctx)
	if err != nil {
		return nil, err
	}
	ix, err := index.Open(filepath.Join(cfg.DataDir, "index"))
	if errors.Is(err, index.ErrLocked) {
		return nil, fmt.Errorf("%w\nonly one process can use the search index at a time: wait for that one to "+
			"finish, or stop it and try again (a running `noivu serve` answers searches itself at /api/search?q=)", err)
	}
	if err != nil {
		return nil, err
	}
	sources := make([]article.Source, len(statuses))
	for i, s := range statuses {
		sources[i] = s.Source
	}
	ix.SetSources(sources)
	return ix, nil
}

// reindexHint turns "the index needs a rebuild" into the command to run.
func reindexHint(err error, cfgPath string) error {
	if errors.Is(err, index.ErrReindex) {
		return fmt.Errorf("%w\nrun: noivu reindex --config %s", err, cfgPath)
	}
	return err
}
