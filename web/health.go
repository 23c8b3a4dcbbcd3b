package web

import (
	"fmt"
	"time"

	"github.com/noivu/noivu/article"
	"github.com/noivu/noivu/feed"
	"github.com/noivu/noivu/store"
)

// healthRow is one source on the health page.
type healthRow struct {
	Name, URL, Province, Feed string
	Articles                  int
	LastCrawl                 string
	Stale                     bool // no completed crawl for two days
	LastError, LastErrorAt    string
	Chart                     chart
}

// chart is a tiny bar chart of articles published per week, oldest first.
type chart struct {
	Width, Height int
	Label         string
	Bars          []bar
}

type bar struct {
	X, Y, W, H int
	Title      string
}

func (s *Server) healthPage(sn *snapshot, p page) ([]byte, error) {
	data := struct {
		page
		Weeks int
		Rows  []healthRow
	}{page: p, Weeks: chartWeeks}
	byID := map[string]store.SourceStatus{}
	for _, st := range sn.statuses {
		byID[st.ID] = st
	}
	now := s.opts.Now()
	for _, src := range s.opts.Sources {
		st := byID[src.ID]
		row := healthRow{Name: src.Name, URL: src.URL, Province: src.Province, Articles: st.Articles,
			Feed: s.base + scope{"source", src.ID}.path(feed.RSS), LastCrawl: "chưa bao giờ",
			Stale: st.LastCrawl.Before(now.Add(-48 * time.Hour)), LastError: st.LastError}
		if !st.LastCrawl.IsZero() {
			row.LastCrawl = vnTime(st.LastCrawl)
		}
		if st.LastError != "" {
			row.LastErrorAt = vnTime(st.LastErrorAt)
		}
		if d := sn.data[src.ID]; d != nil {
			row.Chart = weeklyChart(d.recent, now)
		}
		data.Rows = append(data.Rows, row)
	}
	return execute("sources.html", data)
}

// weeklyChart counts times into chartWeeks weeks ending now.
func weeklyChart(times []time.Time, now time.Time) chart {
	const barW, gap, height = 8, 2, 30
	counts := make([]int, chartWeeks)
	for _, t := range times {
		w := int(now.Sub(t) / (7 * 24 * time.Hour))
		if w >= 0 && w < chartWeeks {
			counts[chartWeeks-1-w]++
		}
	}
	peak, total := 1, 0
	for _, n := range counts {
		peak, total = max(peak, n), total+n
	}
	c := chart{Width: chartWeeks * (barW + gap), Height: height,
		Label: fmt.Sprintf("%d bài trong %d tuần", total, chartWeeks)}
	for i, n := range counts {
		h := n * (height - 2) / peak
		if n > 0 && h == 0 {
			h = 1
		}
		weeksAgo := chartWeeks - 1 - i
		c.Bars = append(c.Bars, bar{X: i * (barW + gap), Y: height - h, W: barW, H: h,
			Title: fmt.Sprintf("%d tuần trước: %d bài", weeksAgo, n)})
	}
	return c
}

func vnTime(t time.Time) string { return t.In(article.VietnamZone).Format("02/01/2006 15:04") }
