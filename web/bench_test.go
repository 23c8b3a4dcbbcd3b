package web

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/noivu/noivu/feed"
	"github.com/noivu/noivu/internal/vicorpus"
)

// load sends GETs to url from conns keep-alive connections for d and
// returns requests per second.
func load(b *testing.B, url, encoding string, conns int, d time.Duration) float64 {
	tr := &http.Transport{MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	var n atomic.Int64
	var wg sync.WaitGroup
	deadline := time.Now().Add(d)
	for range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequest("GET", url, nil)
			req.Header.Set("Accept-Encoding", encoding)
			for time.Now().Before(deadline) {
				res, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != 200 {
					b.Errorf("status %d", res.StatusCode)
					return
				}
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	return float64(n.Load()) / d.Seconds()
}

// BenchmarkCachedFeedVsBare serves a cached 50-item, full-content feed and,
// in the same run, the same bytes from a bare net/http handler; the ratio is
// what the server's routing, metrics, access log and HTTP caching cost.
// Run with -benchtime=1x: each iteration is a two-second load per side.
func BenchmarkCachedFeedVsBare(b *testing.B) {
	st := openStore(b, b.TempDir())
	defer st.Close()
	// Full-content articles of about 6 KB of varied Vietnamese prose, like
	// the portals': a feed of one sentence repeated would gzip to a few KB
	// and measure little but the headers.
	texts := vicorpus.Generate(60, 1)
	for i := range 60 {
		a := testArticle("sonla", i)
		var body strings.Builder
		for _, para := range strings.Split(texts[i].Text, "\n\n") {
			body.WriteString("<p>" + html.EscapeString(para) + "</p>")
		}
		a.HTML = body.String() + a.HTML
		save(b, st, a)
	}
	_, hs := newTestServer(b, st, Options{})
	for _, enc := range []string{"identity", "gzip"} {
		b.Run(enc, func(b *testing.B) {
			r := get(b, hs, "GET", "/feed.rss", "Accept-Encoding", enc)
			ctype, body, size := feed.RSS.ContentType(), []byte(r.body), strconv.Itoa(len(r.body))
			bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", ctype)
				w.Header().Set("Content-Length", size)
				if enc == "gzip" {
					w.Header().Set("Content-Encoding", "gzip")
				}
				w.Write(body)
			}))
			defer bare.Close()
			var feedRPS, bareRPS float64
			for range b.N {
				for range 2 { // interleaved, so that neither side gets the quieter second
					feedRPS += load(b, hs.URL+"/feed.rss", enc, 50, time.Second)
					bareRPS += load(b, bare.URL, enc, 50, time.Second)
				}
			}
			b.ReportMetric(feedRPS/float64(2*b.N), "feed_req/s")
			b.ReportMetric(bareRPS/float64(2*b.N), "bare_req/s")
			b.ReportMetric(feedRPS/bareRPS, "ratio")
			b.ReportMetric(float64(len(r.body)), "bytes")
		})
	}
}

// BenchmarkStoreChangeToFeed measures the time from an article being saved
// to the feeds serving it, when the saver calls Refresh (an in-process crawl
// does; a cron crawl is seen at the next poll, PollInterval/2 later on average).
func BenchmarkStoreChangeToFeed(b *testing.B) {
	st := openStore(b, b.TempDir(), 200, 50, 50)
	defer st.Close()
	s, hs := newTestServer(b, st, Options{})
	ctx := context.Background()
	var total time.Duration
	b.ResetTimer()
	for i := range b.N {
		a := testArticle("binhdinh", -10-i)
		save(b, st, a)
		start := time.Now()
		if err := s.Refresh(ctx); err != nil {
			b.Fatal(err)
		}
		if r := get(b, hs, "GET", "/feed.atom"); !strings.Contains(r.body, feed.ItemID(a.ID)) {
			b.Fatal("the new article is not in the feed")
		}
		total += time.Since(start)
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms_to_visible")
}
