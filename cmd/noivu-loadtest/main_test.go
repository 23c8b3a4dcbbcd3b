package main

import (
	"context"
	"strings"
	"testing"
	"time"
)

// Fifty clients on the feeds and the search of a real `noivu serve`, idle
// and then while real `noivu crawl` passes add articles to its data_dir:
// not one request fails, the crawl really overlaps the load, and the newest
// article reaches the feed and the search. Speed is not asserted here; the
// figures come from `go run ./cmd/noivu-loadtest` (README, Benchmarks).
func TestLoadWhileCrawling(t *testing.T) {
	if testing.Short() {
		t.Skip("builds noivu and runs it under load for several seconds")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	rep, err := run(ctx, options{Clients: 50, Duration: 2 * time.Second, Articles: 30, NewArticles: 5, Delay: 5 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	rep.print(&out)
	t.Log("\n" + out.String())
	if rep.Errors() != 0 {
		t.Errorf("%d requests failed", rep.Errors())
	}
	if len(rep.Phases) != 2 {
		t.Fatalf("%d phases, want idle and crawl", len(rep.Phases))
	}
	for _, p := range rep.Phases {
		classes := map[string]int{}
		for _, c := range p.Classes {
			classes[c.Class] = c.Requests
		}
		if classes["feed"] == 0 || classes["search"] == 0 {
			t.Errorf("phase %s: requests per class %v, want feeds and searches", p.Name, classes)
		}
	}
	if rep.Crawls == 0 || rep.CrawlBusy == 0 {
		t.Errorf("no crawl ran during the second phase (%d passes, busy %.2f)", rep.Crawls, rep.CrawlBusy)
	}
	if rep.ArticlesEnd <= rep.Articles {
		t.Errorf("articles at the end %d, at the start %d: the crawls published nothing", rep.ArticlesEnd, rep.Articles)
	}
}

func TestQueryWords(t *testing.T) {
	qs := queryWords([]string{"Sở Nội vụ (tỉnh Sơn La) tổ chức hội nghị", "ngắn"}, 1)
	if len(qs) == 0 {
		t.Fatal("no queries from a long title")
	}
	for _, q := range qs {
		if strings.ContainsAny(q, "()") {
			t.Errorf("query %q carries punctuation the parser would refuse", q)
		}
	}
	if got := fold("đường đến cải cách"); got != "duong den cai cach" {
		t.Errorf("fold = %q", got)
	}
}

func TestQuantile(t *testing.T) {
	ds := make([]time.Duration, 100)
	for i := range ds {
		ds[i] = time.Duration(i+1) * time.Millisecond
	}
	for _, c := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 50 * time.Millisecond}, {0.99, 99 * time.Millisecond}, {1, 100 * time.Millisecond}, {0, time.Millisecond}} {
		if got := quantile(ds, c.q); got != c.want {
			t.Errorf("quantile(%v) = %v, want %v", c.q, got, c.want)
		}
	}
}
