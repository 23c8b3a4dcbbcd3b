package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/noivu/noivu/article"
)

// SaveResult says what SaveFetch did with an article; it is the shared
// article.Change so that callers need not import this package.
type SaveResult = article.Change

// The outcomes of SaveFetch.
const (
	Unchanged = article.Unchanged // same content as stored (or no article given)
	New       = article.New       // stored for the first time
	Updated   = article.Updated   // content changed; the old content became a revision
)

// Revision is an earlier content of an article; N counts from 1, oldest first.
type Revision struct {
	N int
	article.Article
}

// contentColumns are what articles and revisions share, in the order of
// contentArgs and contentDest.
const contentColumns = `url, title, author, unit, outlet, published, updated, date_only, text, html,
	images, attachments, fetched_at, content_hash, warc_file, warc_offset, warc_length, warc_record_id,
	section`

// articleColumns are the columns scanArticle reads.
const articleColumns = "id, source_id, first_seen, " + contentColumns

func contentArgs(a *article.Article) ([]any, error) {
	images, err := dbJSON(a.Images)
	if err != nil {
		return nil, err
	}
	attachments, err := dbJSON(a.Attachments)
	if err != nil {
		return nil, err
	}
	c := a.Capture
	return []any{a.URL, a.Title, a.Author, a.Unit, a.Outlet, dbTime(a.Published), dbTime(a.Updated),
		a.DateOnly, a.Text, a.HTML, images, attachments, dbTime(a.FetchedAt), a.ContentHash,
		c.File, c.Offset, c.Length, c.RecordID, a.Section}, nil
}

func contentDest(a *article.Article) []any {
	c := &a.Capture
	return []any{&a.URL, &a.Title, &a.Author, &a.Unit, &a.Outlet, timeCol{&a.Published},
		timeCol{&a.Updated}, &a.DateOnly, &a.Text, &a.HTML, jsonCol[article.Image]{&a.Images},
		jsonCol[article.Attachment]{&a.Attachments}, timeCol{&a.FetchedAt}, &a.ContentHash,
		&c.File, &c.Offset, &c.Length, &c.RecordID, &a.Section}
}

// scanArticle reads articleColumns followed by the extra columns in extra.
func scanArticle(sc scanner, extra ...any) (article.Article, error) {
	var a article.Article
	dest := append([]any{&a.ID, &a.SourceID, timeCol{&a.FirstSeen}}, contentDest(&a)...)
	err := sc.Scan(append(dest, extra...)...)
	return a, err
}

// ContentHash is the hash SaveFetch compares to tell a changed article from a
// re-fetched one: hex SHA-256 over title, author, unit, outlet, published
// (RFC 3339 in UTC, "" when zero) and text, joined with NUL. The HTML and the
// images are left out so that markup churn does not make revisions; so is
// the section, which is the site's navigation, not the article's content
// (and an extractor that learns to read breadcrumbs must not turn every
// re-fetch into a revision).
func ContentHash(a *article.Article) string {
	published := ""
	if !a.Published.IsZero() {
		published = a.Published.UTC().Format(time.RFC3339)
	}
	sum := sha256.Sum256([]byte(strings.Join(
		[]string{a.Title, a.Author, a.Unit, a.Outlet, published, a.Text}, "\x00")))
	return hex.EncodeToString(sum[:])
}

// SaveFetch records the outcome of one fetch in one transaction: rec is saved
// as SaveURL would, and a, when not nil, is saved under a.ID (which the
// caller sets). rec.ArticleID defaults to a.ID, a.SourceID to rec.SourceID,
// a.ContentHash to ContentHash(a) and a.FirstSeen to a.FetchedAt; a itself
// is not modified.
func (s *Store) SaveFetch(ctx context.Context, rec article.URLRecord, a *article.Article) (SaveResult, error) {
	var cp article.Article
	if a != nil {
		if a.ID == "" {
			return Unchanged, fmt.Errorf("store: save article from %s: %w", rec.URL, ErrNoID)
		}
		cp = *a
		if rec.ArticleID == "" {
			rec.ArticleID = cp.ID
		}
		if cp.SourceID == "" {
			cp.SourceID = rec.SourceID
		}
		if cp.ContentHash == "" {
			cp.ContentHash = ContentHash(&cp)
		}
		if cp.FirstSeen.IsZero() {
			cp.FirstSeen = cp.FetchedAt
		}
	}
	var res SaveResult
	err := s.write(ctx, func(tx *sql.Tx) error {
		if err := s.saveURL(ctx, tx, rec); err != nil {
			return fmt.Errorf("save url %s: %w", rec.URL, err)
		}
		if a == nil {
			res = Unchanged
			return nil
		}
		var err error
		res, err = saveArticle(ctx, tx, &cp)
		return err
	})
	if err != nil {
		if a != nil {
			return Unchanged, fmt.Errorf("store: save article %s: %w", a.ID, err)
		}
		return Unchanged, fmt.Errorf("store: save fetch %s: %w", rec.URL, err)
	}
	return res, nil
}

// saveArticle inserts a, or compares it with the stored row (see SaveFetch).
// A fetch that found no section keeps the stored one: "" means the page
// showed no breadcrumb this time, not that the article left its section.
// Likewise a fetch that found no date keeps the stored date: a date the
// page writes without a year gets its year from the listing the crawler
// read it on (extract.WithListedDate), and a later pass may fetch the
// article again without reading that listing; the date must not come and
// go with the crawl's path, each time a revision.
func saveArticle(ctx context.Context, tx *sql.Tx, a *article.Article) (SaveResult, error) {
	var oldHash, oldSection string
	var oldPublished time.Time
	var oldDateOnly bool
	err := tx.QueryRowContext(ctx, "SELECT content_hash, section, published, date_only FROM articles WHERE id = ?", a.ID).
		Scan(&oldHash, &oldSection, timeCol{&oldPublished}, &oldDateOnly)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return New, insertArticle(ctx, tx, a)
	case err != nil:
		return Unchanged, err
	}
	if a.Section == "" {
		a.Section = oldSection
	}
	if a.Published.IsZero() && !oldPublished.IsZero() {
		a.Published, a.DateOnly = oldPublished, oldDateOnly
		a.ContentHash = ContentHash(a)
	}
	if oldHash == a.ContentHash {
		// Same content: the first capture stays the reference copy.
		_, err := tx.ExecContext(ctx, "UPDATE articles SET fetched_at = ?, url = ? WHERE id = ?",
			dbTime(a.FetchedAt), a.URL, a.ID)
		if err != nil || a.Section == oldSection {
			return Unchanged, err
		}
		return Unchanged, resection(ctx, tx, a)
	}
	if err := keepRevision(ctx, tx, a.ID); err != nil {
		return Unchanged, err
	}
	return Updated, updateArticle(ctx, tx, a)
}

// resection stores a new section for an article whose content did not
// change. It takes a new change_seq, as any change the feeds and the index
// show must, but keeps no revision: the text is the same.
func resection(ctx context.Context, tx *sql.Tx, a *article.Article) error {
	seq, err := nextSeq(ctx, tx)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "UPDATE articles SET section = ?, change_seq = ? WHERE id = ?", a.Section, seq, a.ID)
	return err
}

// nextSeq is the change_seq of the next New or Updated article. Write
// transactions are serialised (IMMEDIATE), so MAX+1 is unique and commit
// order is seq order: an index that synced up to seq N never misses a later
// commit with a smaller number.
func nextSeq(ctx context.Context, tx *sql.Tx) (int64, error) {
	var seq int64
	err := tx.QueryRowContext(ctx, "SELECT IFNULL(MAX(change_seq), 0) + 1 FROM articles").Scan(&seq)
	return seq, err
}

func insertArticle(ctx context.Context, tx *sql.Tx, a *article.Article) error {
	seq, err := nextSeq(ctx, tx)
	if err != nil {
		return err
	}
	content, err := contentArgs(a)
	if err != nil {
		return err
	}
	args := append([]any{a.ID, a.SourceID, dbTime(a.FirstSeen), seq}, content...)
	_, err = tx.ExecContext(ctx, "INSERT INTO articles (id, source_id, first_seen, change_seq, "+
		contentColumns+") VALUES ("+placeholders(len(args))+")", args...)
	return err
}

// updateArticle overwrites the content of a stored article; first_seen stays.
func updateArticle(ctx context.Context, tx *sql.Tx, a *article.Article) error {
	seq, err := nextSeq(ctx, tx)
	if err != nil {
		return err
	}
	content, err := contentArgs(a)
	if err != nil {
		return err
	}
	set := []string{"source_id = ?", "change_seq = ?"}
	for _, col := range strings.Split(contentColumns, ",") {
		set = append(set, strings.TrimSpace(col)+" = ?")
	}
	args := append(append([]any{a.SourceID, seq}, content...), a.ID)
	_, err = tx.ExecContext(ctx, "UPDATE articles SET "+strings.Join(set, ", ")+" WHERE id = ?", args...)
	return err
}

// keepRevision copies the stored content of article id into revisions.
func keepRevision(ctx context.Context, tx *sql.Tx, id string) error {
	_, err := tx.ExecContext(ctx, "INSERT INTO revisions (article_id, rev, "+contentColumns+`)
SELECT id, (SELECT IFNULL(MAX(rev), 0) + 1 FROM revisions WHERE article_id = ?), `+contentColumns+`
FROM articles WHERE id = ?`, id, id)
	return err
}

// Article returns the article with id, and false when there is none.
func (s *Store) Article(ctx context.Context, id string) (article.Article, bool, error) {
	a, err := scanArticle(s.db.QueryRowContext(ctx, "SELECT "+articleColumns+" FROM articles WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return article.Article{}, false, nil
	}
	if err != nil {
		return article.Article{}, false, fmt.Errorf("store: article %s: %w", id, err)
	}
	return a, true, nil
}

// Revisions returns the earlier contents of article id, oldest first. ID,
// SourceID and FirstSeen are the article's own: they never change.
func (s *Store) Revisions(ctx context.Context, id string) ([]Revision, error) {
	cols := strings.Split(contentColumns, ",")
	for i, col := range cols {
		cols[i] = "r." + strings.TrimSpace(col)
	}
	var revs []Revision
	err := eachRow(ctx, s.db, "SELECT a.id, a.source_id, a.first_seen, "+strings.Join(cols, ", ")+
		`, r.rev FROM revisions r JOIN articles a ON a.id = r.article_id
WHERE r.article_id = ? ORDER BY r.rev`,
		func(rows *sql.Rows) error {
			var r Revision
			var err error
			r.Article, err = scanArticle(rows, &r.N)
			revs = append(revs, r)
			return err
		}, id)
	if err != nil {
		return nil, fmt.Errorf("store: revisions of %s: %w", id, err)
	}
	return revs, nil
}

// CountArticles counts the articles of a source, or all of them for "".
func (s *Store) CountArticles(ctx context.Context, sourceID string) (int, error) {
	query, args := "SELECT COUNT(*) FROM articles", []any{}
	if sourceID != "" {
		query, args = query+" WHERE source_id = ?", append(args, sourceID)
	}
	var n int
	if err := s.db.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count articles of %q: %w", sourceID, err)
	}
	return n, nil
}

// ArticlesChangedSince returns at most limit (all when limit <= 0) articles
// stored or changed after change_seq seq, in change order, and the largest
// change_seq returned (seq when none), to pass as seq next time.
func (s *Store) ArticlesChangedSince(ctx context.Context, seq int64, limit int) ([]article.Article, int64, error) {
	var list []article.Article
	last := seq
	err := eachRow(ctx, s.db, "SELECT "+articleColumns+
		", change_seq FROM articles WHERE change_seq > ? ORDER BY change_seq LIMIT ?",
		func(rows *sql.Rows) error {
			a, err := scanArticle(rows, &last)
			list = append(list, a)
			return err
		}, seq, sqlLimit(limit))
	if err != nil {
		return nil, seq, fmt.Errorf("store: articles changed since %d: %w", seq, err)
	}
	return list, last, nil
}

// EachArticle calls fn for every article of a source ("" for all), newest
// published first, undated last. It streams: the articles are not held in
// memory. An error from fn stops the walk and is returned as it is.
func (s *Store) EachArticle(ctx context.Context, sourceID string, fn func(article.Article) error) error {
	query, args := "SELECT "+articleColumns+" FROM articles", []any{}
	if sourceID != "" {
		query, args = query+" WHERE source_id = ?", append(args, sourceID)
	}
	var fnErr error
	err := eachRow(ctx, s.db, query+" ORDER BY published DESC, id",
		func(rows *sql.Rows) error {
			a, err := scanArticle(rows)
			if err != nil {
				return err
			}
			fnErr = fn(a)
			return fnErr
		}, args...)
	if fnErr != nil {
		return fnErr
	}
	if err != nil {
		return fmt.Errorf("store: each article of %q: %w", sourceID, err)
	}
	return nil
}
