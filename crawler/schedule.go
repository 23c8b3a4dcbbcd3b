package crawler

import "time"

// retryDelay is how long a URL that failed n times in a row waits before the
// next try: the first failure is retried on the very next run, later ones
// back off exponentially from 10 minutes to a day, so a site that is down for
// days costs one request per URL per day.
func retryDelay(failures int) time.Duration {
	if failures <= 1 {
		return 0
	}
	d := 10 * time.Minute
	for i := 2; i < failures && d < 24*time.Hour; i++ {
		d *= 2
	}
	if d > 24*time.Hour {
		d = 24 * time.Hour
	}
	return d
}

// recheckAfter is how long a fetched article rests before a conditional GET
// checks it again: half its age, within [lo, hi]. Young articles are still
// corrected by their editors; old ones almost never change.
func recheckAfter(published, firstSeen, now time.Time, lo, hi time.Duration) time.Duration {
	born := published
	if born.IsZero() || born.After(now) {
		born = firstSeen
	}
	d := now.Sub(born) / 2
	if d < lo {
		d = lo
	}
	if d > hi {
		d = hi
	}
	return d
}
