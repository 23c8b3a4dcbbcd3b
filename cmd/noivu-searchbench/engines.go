package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" driver, with FTS5

	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/index"
	"github.com/noivu/noivu/internal/vicorpus"
	"github.com/noivu/noivu/store"
)

// engine answers the benchmark's queries: the number of matches, a page of
// ten hits with their snippets, and facets when asked.
type engine interface {
	search(ctx context.Context, q query) (total int, err error)
	close() error
}

// batch is how many articles go to an engine at a time.
const batch = 1000

// memSource is an index.ChangeSource over a slice (article i has change_seq
// i+1) that logs its progress.
type memSource struct {
	docs  []article.Article
	start time.Time
}

func (m memSource) ArticlesChangedSince(_ context.Context, seq int64, limit int) ([]article.Article, int64, error) {
	if seq >= int64(len(m.docs)) {
		return nil, seq, nil
	}
	end := min(int64(len(m.docs)), seq+int64(limit))
	if seq > 0 && seq%10000 == 0 {
		progress("bleve", int(seq), m.start)
	}
	return m.docs[seq:end], end, nil
}

func progress(name string, n int, start time.Time) {
	s := time.Since(start).Seconds()
	fmt.Fprintf(os.Stderr, "  %s: %d docs in %.0f s (%.0f docs/s)\n", name, n, s, float64(n)/s)
}

// bleveEngine is noivu's index.
type bleveEngine struct{ ix *index.Index }

// buildBleve indexes docs into a new index under dir the way `noivu reindex`
// does (Rebuild, batches of 1,000) and returns it with the build time.
func buildBleve(ctx context.Context, dir string, src index.ChangeSource, docs int) (*bleveEngine, time.Duration, error) {
	ix, err := index.Open(dir)
	if err != nil {
		return nil, 0, err
	}
	ix.SetSources(vicorpus.Sources())
	start := time.Now()
	n, err := ix.Rebuild(ctx, src)
	took := time.Since(start)
	if err == nil && n != docs {
		err = fmt.Errorf("indexed %d of %d articles", n, docs)
	}
	if err != nil {
		ix.Close()
		return nil, 0, err
	}
	return &bleveEngine{ix}, took, nil
}

// openBleve opens the index an earlier run built under dir, which must
// hold docs articles.
func openBleve(dir string, docs int) (*bleveEngine, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, err
	}
	ix, err := index.Open(dir)
	if err != nil {
		return nil, err
	}
	if n, err := ix.Count(); err != nil || n != docs {
		ix.Close()
		return nil, fmt.Errorf("%s holds %d articles (%v), not %d: build it again without -reuse", dir, n, err, docs)
	}
	return &bleveEngine{ix}, nil
}

func (e *bleveEngine) close() error { return e.ix.Close() }

func (e *bleveEngine) search(ctx context.Context, q query) (int, error) {
	r := index.Request{Query: q.text(), Source: q.sources, Since: q.since, Until: q.until, Facets: q.facets}
	if q.newest {
		r.Sort = index.SortNewest
	}
	res, err := e.ix.Search(ctx, r)
	return res.Total, err
}

// ftsEngine is the baseline: an SQLite FTS5 table of title and text with
// the unicode61 tokenizer and remove_diacritics 2. That folds every
// Vietnamese diacritic but the stroke of đ, so đ/Đ are mapped to d/D by hand
// in what is inserted (the table holds that folded copy) and in every query.
// Metadata for filters and facets sit in a plain table joined by rowid.
type ftsEngine struct{ db *sql.DB }

const ftsSchema = `
CREATE TABLE docs(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL, source TEXT NOT NULL,
	published INTEGER NOT NULL, month TEXT NOT NULL);
CREATE VIRTUAL TABLE fts USING fts5(title, text, tokenize = 'unicode61 remove_diacritics 2');`

var foldD = strings.NewReplacer("đ", "d", "Đ", "D")

func (e *ftsEngine) close() error { return e.db.Close() }

// buildFTS creates the FTS5 database at path, inserts docs in transactions
// of 1,000, then merges the FTS5 b-trees ('optimize'), as one would before
// querying a finished corpus. It returns the insert and optimize times.
func buildFTS(ctx context.Context, path string, docs []article.Article) (e *ftsEngine, insert, optimize time.Duration, err error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"+
		"&_pragma=cache_size(-131072)")
	if err != nil {
		return nil, 0, 0, err
	}
	defer func() {
		if err != nil {
			db.Close()
		}
	}()
	db.SetMaxOpenConns(1)
	var fts5 int
	if err := db.QueryRowContext(ctx, `SELECT sqlite_compileoption_used('ENABLE_FTS5')`).Scan(&fts5); err != nil || fts5 != 1 {
		return nil, 0, 0, fmt.Errorf("this SQLite has no FTS5 (%d, %v)", fts5, err)
	}
	if _, err := db.ExecContext(ctx, ftsSchema); err != nil {
		return nil, 0, 0, err
	}
	start := time.Now()
	for lo := 0; lo < len(docs); lo += batch {
		if err := insertBatch(ctx, db, lo, docs[lo:min(lo+batch, len(docs))]); err != nil {
			return nil, 0, 0, err
		}
		if n := lo + batch; n%10000 == 0 && n < len(docs) {
			progress("fts5", n, start)
		}
	}
	insert = time.Since(start)
	start = time.Now()
	if _, err := db.ExecContext(ctx, `INSERT INTO fts(fts) VALUES ('optimize')`); err != nil {
		return nil, 0, 0, err
	}
	if _, err := db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return nil, 0, 0, err
	}
	return &ftsEngine{db}, insert, time.Since(start), nil
}

// insertBatch inserts docs, the first with rowid lo+1, in one transaction.
func insertBatch(ctx context.Context, db *sql.DB, lo int, docs []article.Article) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	meta, err := tx.PrepareContext(ctx, `INSERT INTO docs(rowid, id, source, published, month) VALUES (?, ?, ?, ?, ?)`)
	if err != nil {
		return err
	}
	text, err := tx.PrepareContext(ctx, `INSERT INTO fts(rowid, title, text) VALUES (?, ?, ?)`)
	if err != nil {
		return err
	}
	for i := range docs {
		a := &docs[i]
		rowid := lo + i + 1
		pub := a.Published.In(article.VietnamZone)
		if _, err := meta.ExecContext(ctx, rowid, a.ID, a.SourceID, pub.Unix(), pub.Format("2006-01")); err != nil {
			return err
		}
		if _, err := text.ExecContext(ctx, rowid, foldD.Replace(a.Title), foldD.Replace(a.Text)); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// where is the WHERE clause of q and its arguments: the MATCH expression
// (every group must match, a group of several syllables as a phrase) and
// the filters.
func (q query) where() (string, []any) {
	parts := make([]string, len(q.groups))
	for i, g := range q.groups {
		parts[i] = `"` + foldD.Replace(strings.Join(g, " ")) + `"`
	}
	clause, args := "fts MATCH ?", []any{strings.Join(parts, " ")}
	if len(q.sources) > 0 {
		clause += " AND d.source IN (?" + strings.Repeat(", ?", len(q.sources)-1) + ")"
		for _, s := range q.sources {
			args = append(args, s)
		}
	}
	if !q.since.IsZero() {
		clause += " AND d.published >= ?"
		args = append(args, q.since.Unix())
	}
	if !q.until.IsZero() {
		clause += " AND d.published < ?"
		args = append(args, q.until.Unix())
	}
	return clause, args
}

// search does what a search page needs: the total (or the facets, whose
// sum it is), then the ten best hits with a snippet each.
func (e *ftsEngine) search(ctx context.Context, q query) (int, error) {
	where, args := q.where()
	from := " FROM fts JOIN docs d ON d.rowid = fts.rowid WHERE " + where
	total := 0
	if q.facets {
		rows, err := e.db.QueryContext(ctx, "SELECT d.source, d.month, count(*)"+from+" GROUP BY d.source, d.month", args...)
		if err != nil {
			return 0, err
		}
		bySource, byYear := map[string]int{}, map[string]int{}
		for rows.Next() {
			var source, month string
			var n int
			if err := rows.Scan(&source, &month, &n); err != nil {
				rows.Close()
				return 0, err
			}
			bySource[source] += n
			byYear[month[:4]] += n
			total += n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, err
		}
	} else if err := e.db.QueryRowContext(ctx, "SELECT count(*)"+from, args...).Scan(&total); err != nil {
		return 0, err
	}
	order := "bm25(fts, 2.0, 1.0)"
	if q.newest {
		order = "d.published DESC"
	}
	rows, err := e.db.QueryContext(ctx, "SELECT d.id, fts.title, snippet(fts, 1, '<mark>', '</mark>', '…', 24)"+
		from+" ORDER BY "+order+" LIMIT 10", args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var id, title, snippet string
		if err := rows.Scan(&id, &title, &snippet); err != nil {
			return 0, err
		}
	}
	return total, rows.Err()
}

// diskSize is the size of the files under path.
func diskSize(path string) int64 {
	var n int64
	filepath.WalkDir(path, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// storeOf saves docs into a new noivu store at path, the way the crawler
// saves what it fetched, for a build that reads them back as `noivu
// reindex` does. Saving is not timed.
func storeOf(ctx context.Context, path string, docs []article.Article) (*store.Store, error) {
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
	}
	st, err := store.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	if err := st.SyncSources(ctx, vicorpus.Sources()); err != nil {
		st.Close()
		return nil, err
	}
	start := time.Now()
	for i := range docs {
		a := docs[i]
		a.FetchedAt = start
		rec := article.URLRecord{URL: a.URL, SourceID: a.SourceID, Kind: article.KindArticle,
			LastStatus: 200, LastFetched: start}
		if _, err := st.SaveFetch(ctx, rec, &a); err != nil {
			st.Close()
			return nil, err
		}
		if (i+1)%10000 == 0 {
			progress("store", i+1, start)
		}
	}
	fmt.Printf("store: %d articles saved in %.1f s (not timed)\n", len(docs), time.Since(start).Seconds())
	return st, nil
}
