package extract

import (
	"time"

	"github.com/noivu/noivu/article"
)

// Option gives one extraction what the caller knows of the page beyond its
// bytes and URL. Options never override a date the page gives whole; they
// fill in what it leaves out (a year). A listing's date is preferred to a
// year in the URL: it is the date of this item, the URL's year is only
// where the site filed it.
type Option func(*options)

// options is what the Options of one call set; the zero value is none.
type options struct {
	// listed is the date a listing page showed beside its link to the
	// page; zero when there was none.
	listed time.Time
}

// WithListedDate gives the date a listing page showed beside its link to the
// page (the crawler reads it there). A date the page writes without a year
// ("Ngày 14/11, ...") takes the year that puts it nearest to this date,
// before the URL's year is tried; the layer is then "lead+listing". A zero
// time is no hint.
func WithListedDate(t time.Time) Option {
	return func(o *options) { o.listed = t }
}

func collectOptions(opts []Option) options {
	var o options
	for _, f := range opts {
		if f != nil {
			f(&o)
		}
	}
	return o
}

// maxHintGap bounds how far from its hint a yearless date may land. The
// nearest year is at most half a year away for any day and month but 29
// February; a listing and its article that far apart disagree, and the
// date is better left out than guessed.
const maxHintGap = 200 * 24 * time.Hour

// nearestYear dates day/month in the year that puts it nearest to hint (a
// "Ngày 28/12" lead listed on 02/01/2024 is 28/12/2023). ok is false when no
// such date is valid within maxHintGap of the hint.
func nearestYear(day, month int, hint time.Time) (time.Time, bool) {
	h := hint.In(article.VietnamZone)
	ref := time.Date(h.Year(), h.Month(), h.Day(), 0, 0, 0, 0, article.VietnamZone)
	var best time.Time
	var bestGap time.Duration
	for y := h.Year() - 1; y <= h.Year()+1; y++ {
		t, ok := validDate(y, month, day)
		if !ok {
			continue
		}
		gap := t.Sub(ref).Abs()
		if best.IsZero() || gap < bestGap {
			best, bestGap = t, gap
		}
	}
	if best.IsZero() || bestGap > maxHintGap {
		return time.Time{}, false
	}
	return best, true
}
