package index

import (
	"strings"
	"time"

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
		fieldTitle:  nfc(a.Title),
		fieldText:   nfc(a.Text),
		fieldSource: a.SourceID,
	}
	if a.Author != "" {
		d[fieldAuthor] = nfc(a.Author)
	}
	if src.Province != "" {
		d[fieldProvince] = nfc(src.Province)
	}
	if src.CurrentProvince != "" {
		d[fieldCurProvince] = nfc(src.CurrentProvince)
	}
	month := ""
	if !a.Published.IsZero() {
		d[fieldPublished] = a.Published
		d[fieldDateOnly] = a.DateOnly
		month = a.Published.In(article.VietnamZone).Format("2006-01")
	}
	d[fieldFacet] = facetKey{a.SourceID, nfc(src.Province), month}.String()
	return d
}

// facetKey is what the facets count an article under: its source, its
// province at publication and its month in Vietnam time ("" when
// undated), joined into one doc value so that a search reads one value per
// hit instead of four. Years are summed from months.
type facetKey struct{ source, province, month string }

const facetSep = "\x1f" // the ASCII unit separator: in no id, name or month

func (k facetKey) String() string { return k.source + facetSep + k.province + facetSep + k.month }

func parseFacetKey(s string) (facetKey, bool) {
	source, rest, ok1 := strings.Cut(s, facetSep)
	province, month, ok2 := strings.Cut(rest, facetSep)
	return facetKey{source, province, month}, ok1 && ok2
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
