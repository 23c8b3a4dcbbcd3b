package crawler

import (
	"testing"
	"time"
)

func TestRetryDelayBacksOff(t *testing.T) {
	if d := retryDelay(1); d != 0 {
		t.Errorf("first failure waits %v; it must be retried on the next run", d)
	}
	prev := retryDelay(2)
	if prev <= 0 {
		t.Fatalf("second failure waits %v", prev)
	}
	for n := 3; n < 30; n++ {
		d := retryDelay(n)
		if d < prev || d > 24*time.Hour {
			t.Fatalf("retryDelay(%d) = %v after %v: want non-decreasing and at most a day", n, d, prev)
		}
		prev = d
	}
	if prev != 24*time.Hour {
		t.Errorf("a long-dead URL waits %v, want a day", prev)
	}
}

func TestRecheckAfterDecays(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	lo, hi := 24*time.Hour, 720*time.Hour
	tests := []struct {
		age  time.Duration
		want time.Duration
	}{
		{time.Hour, lo},
		{10 * 24 * time.Hour, 5 * 24 * time.Hour},
		{5 * 365 * 24 * time.Hour, hi},
	}
	for _, tt := range tests {
		if got := recheckAfter(now.Add(-tt.age), time.Time{}, now, lo, hi); got != tt.want {
			t.Errorf("article aged %v: recheck after %v, want %v", tt.age, got, tt.want)
		}
	}
	// No publication date: the first sighting stands in.
	if got := recheckAfter(time.Time{}, now.Add(-20*24*time.Hour), now, lo, hi); got != 10*24*time.Hour {
		t.Errorf("undated article: %v", got)
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		h    string
		want time.Duration
	}{
		{"5", 5 * time.Second},
		{"", 30 * time.Second},
		{"99999", maxRetryAfter},
		{"-3", 0},
		{now.Add(2 * time.Minute).Format(http1123), 2 * time.Minute},
		{"garbage", 0},
	}
	for _, tt := range tests {
		if got := retryAfter(tt.h, now); got != tt.want {
			t.Errorf("retryAfter(%q) = %v, want %v", tt.h, got, tt.want)
		}
	}
}

const http1123 = "Mon, 02 Jan 2006 15:04:05 GMT"
