package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/noivu/noivu/store"
)

func runSources(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "sources", "[--config FILE] [--json]")
	cfgPath := fs.String("config", "config.yaml", "config `file`")
	asJSON := fs.Bool("json", false, "print JSON instead of a table")
	if _, err := parse(fs, e, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, filepath.Join(cfg.DataDir, "noivu.db"))
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.SyncSources(ctx, cfg.ArticleSources()); err != nil {
		return err
	}
	statuses, err := st.SourceStatuses(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(statuses)
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tPROVINCE\tARTICLES\tPENDING\tFAILING\tLAST CRAWL\tLAST ERROR")
	for _, s := range statuses {
		prov := s.Province
		if s.CurrentProvince != "" {
			prov += " → " + s.CurrentProvince
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%s\t%s\n", s.ID, prov, s.Articles, s.Pending, s.Failing,
			ago(s.LastCrawl), clip(s.LastError, 70))
	}
	return tw.Flush()
}

// ago renders a time for a table: "never" or local time with its age.
func ago(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return fmt.Sprintf("%s (%s ago)", t.Local().Format("2006-01-02 15:04"), time.Since(t).Round(time.Minute))
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
