package index

import (
	"strconv"
	"time"

	"golang.org/x/text/unicode/norm"

	"github.com/noivu/noivu/article"
)

// document is what the index holds of one article: a map rather than a
// struct so that an undated article has no published field at all (Bleve
// cannot represent the zero time.Time).
type document map[string]interface{}

// newDocument builds the indexed form of a. Strings are made NFC here, not
// only in the analyzers, so that the stored text and the token offsets that
// snippets rely on refer to the same bytes.
func newDocument(a *article.Article, src article.Source) document {
	d := document{
		fieldURL:    a.URL,
		fieldTitle:  norm.NFC.String(a.Title),
		fieldText:   norm.NFC.String(a.Text),
		fieldSource: a.SourceID,
	}
	if a.Author != "" {
		d[fieldAuthor] = norm.NFC.String(a.Author)
	}
	if src.Province != "" {
		d[fieldProvince] = norm.NFC.String(src.Province)
	}
	if src.CurrentProvince != "" {
		d[fieldCurProvince] = norm.NFC.String(src.CurrentProvince)
	}
	if !a.Published.IsZero() {
		local := a.Published.In(article.VietnamZone)
		d[fieldPublished] = a.Published
		d[fieldYear] = strconv.Itoa(local.Year())
		d[fieldMonth] = local.Format("2006-01")
		d[fieldDateOnly] = a.DateOnly
	}
	return d
}

// Hit is one article found, with what a result list shows.
type Hit struct {
	ID        string
	URL       string
	Title     string
	TitleHTML string // Title, HTML-escaped, matches wrapped in <mark>
	Author    string
	Published time.Time // in Vietnam time; zero when the article has no date
	DateOnly  bool      // Published carries a date without a time
	Source    string    // source id
	Province  string    // the province at publication; see CurrentProvince
	// CurrentProvince is the province it was merged into, when it was.
	CurrentProvince string
	// Snippet is a passage of the text, HTML-escaped, matches in <mark>.
	Snippet string
	Score   float64
}

// storedFields are the fields a search loads for each hit.
var storedFields = []string{fieldURL, fieldTitle, fieldText, fieldAuthor, fieldSource,
	fieldProvince, fieldCurProvince, fieldPublished, fieldDateOnly}

// hitFromFields fills a Hit from the stored fields Bleve returned.
func hitFromFields(id string, score float64, f map[string]interface{}) Hit {
	str := func(k string) string { s, _ := f[k].(string); return s }
	h := Hit{ID: id, URL: str(fieldURL), Title: str(fieldTitle), Author: str(fieldAuthor),
		Source: str(fieldSource), Province: str(fieldProvince), CurrentProvince: str(fieldCurProvince),
		Score: score}
	if t, err := time.Parse(time.RFC3339Nano, str(fieldPublished)); err == nil {
		h.Published = t.In(article.VietnamZone)
	}
	h.DateOnly, _ = f[fieldDateOnly].(bool)
	return h
}
