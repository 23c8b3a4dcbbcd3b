package web

import (
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/store"
)

// metrics are the server's Prometheus metrics, in a registry of its own (no
// globals: two servers in one test process must not collide).
type metrics struct {
	reg       *prometheus.Registry
	requests  *prometheus.CounterVec
	rebuilds  prometheus.Counter
	rebuildS  prometheus.Gauge
	sourceCol *sourceCollector
	crawl     *crawlTally
}

func newMetrics(s *Server) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "noivu_http_requests_total",
		Help: "HTTP requests by route pattern and status code."}, []string{"route", "code"})
	m.rebuilds = prometheus.NewCounter(prometheus.CounterOpts{Name: "noivu_feed_rebuilds_total",
		Help: "Times the prebuilt feeds were rebuilt after a store change."})
	m.rebuildS = prometheus.NewGauge(prometheus.GaugeOpts{Name: "noivu_feed_rebuild_seconds",
		Help: "Duration of the last feed rebuild."})
	m.sourceCol = &sourceCollector{s: s}
	m.crawl = newCrawlTally(s.opts.Sources)
	m.reg.MustRegister(m.requests, m.rebuilds, m.rebuildS, m.sourceCol, m.crawl.pages, m.crawl.runs,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if dir := s.opts.DataDir; dir != "" {
		m.reg.MustRegister(
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "noivu_archive_bytes",
				Help: "Size of the WARC archive on disk."}, func() float64 { return dirSize(filepath.Join(dir, "warc")) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "noivu_index_bytes",
				Help: "Size of the search index on disk."}, func() float64 { return dirSize(filepath.Join(dir, "index")) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "noivu_store_bytes",
				Help: "Size of the SQLite store of record, WAL included."}, func() float64 {
				return fileSize(filepath.Join(dir, "noivu.db")) + fileSize(filepath.Join(dir, "noivu.db-wal"))
			}))
	}
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

func (m *metrics) rebuilt(took time.Duration) {
	m.rebuilds.Inc()
	m.rebuildS.Set(took.Seconds())
}

// runOutcomes names the figures of a crawl pass, as the metrics label them.
func runOutcomes(r article.RunStats) map[string]int {
	return map[string]int{"fetched": r.Fetched, "new": r.New, "updated": r.Updated,
		"unchanged": r.Unchanged, "failed": r.Failed, "robots_skipped": r.RobotsSkipped}
}

// crawlTally counts the crawl passes this server saw finish, whoever ran
// them (its own schedule or a cron crawl on the same data_dir): the store
// keeps every run, but the server only polls each source's latest, so a
// pass is counted when a poll first finds it finished. Passes that finished
// before the server started are not counted; two passes over one source
// that both finish between two polls count as the later one only.
type crawlTally struct {
	pages *prometheus.CounterVec
	runs  *prometheus.CounterVec

	mu     sync.Mutex
	primed bool                 // the first poll set the baseline
	seen   map[string]time.Time // source id → start of the last finished pass seen
}

func newCrawlTally(sources []article.Source) *crawlTally {
	c := &crawlTally{seen: map[string]time.Time{},
		pages: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "noivu_crawl_pages_total",
			Help: "Outcomes of the crawl passes seen finishing since the server started, per source."},
			[]string{"source", "outcome"}),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "noivu_crawl_runs_total",
			Help: "Crawl passes seen finishing since the server started, per source; result is completed or failed."},
			[]string{"source", "result"}),
	}
	for _, src := range sources { // every configured series exists from the start, at 0
		for outcome := range runOutcomes(article.RunStats{}) {
			c.pages.WithLabelValues(src.ID, outcome)
		}
		c.runs.WithLabelValues(src.ID, "completed")
		c.runs.WithLabelValues(src.ID, "failed")
	}
	return c
}

// observe counts the passes among statuses' latest runs that finished since
// the last call; the first call only records what had finished already.
func (c *crawlTally) observe(statuses []store.SourceStatus) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range statuses {
		r := st.LastRun
		if r.Finished.IsZero() {
			continue // running, or its process died: nothing to count yet
		}
		if at, ok := c.seen[st.ID]; ok && at.Equal(r.Started) {
			continue
		}
		c.seen[st.ID] = r.Started
		if !c.primed {
			continue
		}
		for outcome, n := range runOutcomes(r) {
			c.pages.WithLabelValues(st.ID, outcome).Add(float64(n))
		}
		result := "completed"
		if r.Err != "" {
			result = "failed"
		}
		c.runs.WithLabelValues(st.ID, result).Inc()
	}
	c.primed = true
}

// sourceCollector reports each source's figures from the last poll.
type sourceCollector struct{ s *Server }

var (
	descArticles  = prometheus.NewDesc("noivu_source_articles", "Articles stored per source.", []string{"source"}, nil)
	descLastCrawl = prometheus.NewDesc("noivu_source_last_crawl_timestamp_seconds",
		"End of the last completed crawl pass per source (Unix time).", []string{"source"}, nil)
	descFailing = prometheus.NewDesc("noivu_source_failing_urls", "URLs whose last fetch failed.", []string{"source"}, nil)
	descLastRun = prometheus.NewDesc("noivu_source_last_run_pages",
		"Outcomes of the last crawl pass per source.", []string{"source", "outcome"}, nil)
	descSeq = prometheus.NewDesc("noivu_store_change_seq", "Newest article change the feeds include.", nil, nil)
)

func (c *sourceCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descArticles, descLastCrawl, descFailing, descLastRun, descSeq} {
		ch <- d
	}
}

func (c *sourceCollector) Collect(ch chan<- prometheus.Metric) {
	if sn := c.s.snap.Load(); sn != nil {
		ch <- prometheus.MustNewConstMetric(descSeq, prometheus.GaugeValue, float64(sn.seq))
	}
	st := c.s.statuses.Load()
	if st == nil {
		return
	}
	for _, s := range *st {
		ch <- prometheus.MustNewConstMetric(descArticles, prometheus.GaugeValue, float64(s.Articles), s.ID)
		ch <- prometheus.MustNewConstMetric(descFailing, prometheus.GaugeValue, float64(s.Failing), s.ID)
		if !s.LastCrawl.IsZero() {
			ch <- prometheus.MustNewConstMetric(descLastCrawl, prometheus.GaugeValue, float64(s.LastCrawl.Unix()), s.ID)
		}
		for outcome, n := range runOutcomes(s.LastRun) {
			ch <- prometheus.MustNewConstMetric(descLastRun, prometheus.GaugeValue, float64(n), s.ID, outcome)
		}
	}
}

func dirSize(dir string) float64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return float64(n)
}

func fileSize(path string) float64 {
	if info, err := os.Stat(path); err == nil {
		return float64(info.Size())
	}
	return 0
}

// recorder remembers the status and size of a response.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the connection.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// instrument counts every request by route and status and logs it.
func (s *Server) instrument(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		s.metrics.requests.WithLabelValues(route, strconv.Itoa(rec.status)).Inc()
		if s.log.Enabled(r.Context(), slog.LevelInfo) {
			s.log.LogAttrs(r.Context(), slog.LevelInfo, "http: request",
				slog.String("method", r.Method), slog.String("path", logTarget(r.URL)),
				slog.Int("status", rec.status), slog.Int("bytes", rec.bytes),
				slog.Duration("duration", time.Since(start)), slog.String("remote", r.RemoteAddr),
				slog.String("user_agent", r.UserAgent()))
		}
	})
}

// logTarget is the request target as the access log shows it: cut to a
// readable length (a hostile target may be 16 KiB), and with the value of
// any parameter that looks like a credential replaced, should a client put
// one in the URL.
func logTarget(u *url.URL) string {
	const max = 512
	t := u.EscapedPath()
	if u.RawQuery != "" {
		q := u.RawQuery
		v, _ := url.ParseQuery(q)
		for k := range v {
			k = strings.ToLower(k)
			if strings.Contains(k, "token") || strings.Contains(k, "key") || strings.Contains(k, "secret") {
				q = "[redacted]"
			}
		}
		t += "?" + q
	}
	if len(t) > max {
		t = t[:max] + "…"
	}
	return t
}
