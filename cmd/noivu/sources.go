package main

import (
	"context"
	"encoding/json"
	"fmt"
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
	st, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	statuses, err := st.SourceStatuses(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]sourceJSON, 0, len(statuses))
		for _, s := range statuses {
			out = append(out, toSourceJSON(s))
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
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

// sourceJSON is one source in `sources --json`: snake_case keys, times in
// RFC 3339 or null.
type sourceJSON struct {
	ID              string     `json:"id"`
	Name            string     `json:"name"`
	Province        string     `json:"province"`
	CurrentProvince string     `json:"current_province,omitempty"`
	URL             string     `json:"url"`
	Articles        int        `json:"articles"`
	Pending         int        `json:"pending"`
	Failing         int        `json:"failing"`
	LastCrawl       *time.Time `json:"last_crawl"`
	LastError       string     `json:"last_error,omitempty"`
	LastErrorAt     *time.Time `json:"last_error_at,omitempty"`
	LastRun         *runJSON   `json:"last_run"`
}

type runJSON struct {
	Started       time.Time  `json:"started"`
	Finished      *time.Time `json:"finished"`
	Fetched       int        `json:"fetched"`
	New           int        `json:"new"`
	Updated       int        `json:"updated"`
	Unchanged     int        `json:"unchanged"`
	Failed        int        `json:"failed"`
	RobotsSkipped int        `json:"robots_skipped"`
	Err           string     `json:"error,omitempty"`
}

func toSourceJSON(s store.SourceStatus) sourceJSON {
	out := sourceJSON{ID: s.ID, Name: s.Name, Province: s.Province, CurrentProvince: s.CurrentProvince, URL: s.URL,
		Articles: s.Articles, Pending: s.Pending, Failing: s.Failing, LastCrawl: timeOrNil(s.LastCrawl),
		LastError: s.LastError, LastErrorAt: timeOrNil(s.LastErrorAt)}
	if r := s.LastRun; !r.Started.IsZero() {
		out.LastRun = &runJSON{Started: r.Started, Finished: timeOrNil(r.Finished), Fetched: r.Fetched, New: r.New,
			Updated: r.Updated, Unchanged: r.Unchanged, Failed: r.Failed, RobotsSkipped: r.RobotsSkipped, Err: r.Err}
	}
	return out
}

func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
