package crawler

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The gate lets one request at a time through per host, twins included, and
// never makes another host wait.
func TestGateOneAtATimePerHost(t *testing.T) {
	var gs gates
	a := gs.get("sonoivu.sonla.gov.vn", 0)
	if gs.get("www.sonoivu.sonla.gov.vn", 0) != a {
		t.Fatal("www. twin got its own gate")
	}
	var inside, most atomic.Int32
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := a.acquire(context.Background()); err != nil {
				t.Error(err)
				return
			}
			n := inside.Add(1)
			for {
				m := most.Load()
				if n <= m || most.CompareAndSwap(m, n) {
					break
				}
			}
			time.Sleep(time.Millisecond)
			inside.Add(-1)
			a.release(0)
		}()
	}
	wg.Wait()
	if most.Load() != 1 {
		t.Errorf("%d requests ran at once on one host", most.Load())
	}
	// A paused host does not hold up another one.
	a.acquire(context.Background())
	a.release(time.Hour)
	b := gs.get("snv.binhdinh.gov.vn", 0)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := b.acquire(ctx); err != nil {
		t.Fatalf("other host blocked: %v", err)
	}
	b.release(0)
	// The paused host answers a cancelled context instead of hanging.
	ctx2, cancel2 := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel2()
	if err := a.acquire(ctx2); err == nil {
		t.Fatal("paused host let a request through")
	}
}
