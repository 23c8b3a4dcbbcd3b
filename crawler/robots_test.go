package crawler

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"
)

func TestFetchRobots(t *testing.T) {
	tests := []struct {
		name       string
		handler    http.HandlerFunc
		wantErr    bool
		allowed    []string
		disallowed []string
		delay      time.Duration
	}{
		{
			name: "rules for everyone and a crawl delay",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				w.Write([]byte("User-agent: *\nDisallow: /admin/\nDisallow: /lich?\nCrawl-delay: 2\nSitemap: http://x/sitemap.xml\n"))
			},
			allowed:    []string{"/", "/vi/news/a-1.html", "/lich"},
			disallowed: []string{"/admin/login", "/lich?ngay=2024-01-01"},
			delay:      2 * time.Second,
		},
		{
			name: "a group for noivu wins over *",
			handler: func(w http.ResponseWriter, _ *http.Request) {
				w.Write([]byte("User-agent: *\nDisallow: /\n\nUser-agent: noivu\nDisallow: /private/\n"))
			},
			allowed:    []string{"/", "/tin-tuc/"},
			disallowed: []string{"/private/x"},
		},
		{
			name:    "404 means no rules",
			handler: func(w http.ResponseWriter, _ *http.Request) { http.NotFound(w, nil) },
			allowed: []string{"/", "/admin/"},
		},
		{
			name:    "500 closes the site for this run",
			handler: func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusInternalServerError) },
			wantErr: true,
		},
		{
			name: "a time-out closes the site for this run",
			handler: func(w http.ResponseWriter, r *http.Request) {
				select {
				case <-r.Context().Done():
				case <-time.After(5 * time.Second):
				}
			},
			wantErr: true,
		},
		{
			name:    "a crawl delay beyond a minute is capped",
			handler: func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("User-agent: *\nCrawl-delay: 86400\n")) },
			allowed: []string{"/"},
			delay:   maxCrawlDelay,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			home, _ := url.Parse(srv.URL + "/")
			client := &http.Client{Timeout: 300 * time.Millisecond}
			rob, _, err := fetchRobots(context.Background(), client, home, "noivu/0.1 (+https://example.org)")
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			for _, p := range tt.allowed {
				if u, _ := url.Parse(srv.URL + p); !rob.allowed(u) {
					t.Errorf("%s disallowed, want allowed", p)
				}
			}
			for _, p := range tt.disallowed {
				if u, _ := url.Parse(srv.URL + p); rob.allowed(u) {
					t.Errorf("%s allowed, want disallowed", p)
				}
			}
			if rob.delay != tt.delay {
				t.Errorf("crawl delay %v, want %v", rob.delay, tt.delay)
			}
		})
	}
}
