package web

import (
	"context"
	"fmt"
	"reflect"
)

// changePage and changePages bound the incremental path: beyond that many
// changed articles since the last look, everything is rebuilt instead.
const (
	changePage  = 256
	changePages = 8
)

// refresh is Refresh without the lock.
func (s *Server) refresh(ctx context.Context) error {
	statuses, err := s.opts.Store.SourceStatuses(ctx)
	if err != nil {
		return fmt.Errorf("web: refresh: %w", err)
	}
	old := s.snap.Load()
	var seq int64
	var changed map[string]bool // nil: every source
	if old == nil {
		seq, err = latestSeq(ctx, s.opts.Store, 0)
	} else {
		seq, changed, err = s.changes(ctx, old.seq)
	}
	if err != nil {
		return fmt.Errorf("web: refresh: %w", err)
	}
	s.statuses.Store(&statuses)
	s.metrics.crawl.observe(statuses)
	if old != nil && changed != nil && !s.anyConfigured(changed) {
		if seq == old.seq && reflect.DeepEqual(old.statuses, statuses) {
			return nil
		}
		return s.swap(old.withPages(s, seq, statuses))
	}
	start := s.opts.Now()
	sn, err := s.build(ctx, old, seq, changed, statuses)
	if err != nil {
		return fmt.Errorf("web: refresh: %w", err)
	}
	s.metrics.rebuilt(s.opts.Now().Sub(start))
	s.log.Debug("web: feeds rebuilt", "change_seq", seq, "sources", len(changed), "took", s.opts.Now().Sub(start))
	return s.swap(sn, nil)
}

func (s *Server) swap(sn *snapshot, err error) error {
	if err != nil {
		return fmt.Errorf("web: refresh: %w", err)
	}
	s.snap.Store(sn)
	return nil
}

func (s *Server) anyConfigured(ids map[string]bool) bool {
	for id := range ids {
		if _, ok := s.byID[id]; ok {
			return true
		}
	}
	return false
}

// changes returns the newest change_seq and the sources whose articles
// changed after seq; a nil map when so many changed that a full rebuild is
// cheaper than counting them.
func (s *Server) changes(ctx context.Context, seq int64) (int64, map[string]bool, error) {
	changed := map[string]bool{}
	for range changePages {
		list, last, err := s.opts.Store.ArticlesChangedSince(ctx, seq, changePage)
		if err != nil {
			return seq, nil, err
		}
		for _, a := range list {
			changed[a.SourceID] = true
		}
		seq = last
		if len(list) < changePage {
			return seq, changed, nil
		}
	}
	seq, err := latestSeq(ctx, s.opts.Store, seq)
	return seq, nil, err
}

// latestSeq returns the largest change_seq in the store (from when there is
// none above it). The store answers "the first change after k" from an index,
// so galloping then bisecting costs O(log² n) one-row reads, where paging
// through every change would read the whole archive on startup.
func latestSeq(ctx context.Context, st Store, from int64) (int64, error) {
	next := func(k int64) (int64, bool, error) {
		list, last, err := st.ArticlesChangedSince(ctx, k, 1)
		return last, len(list) > 0, err
	}
	lo, ok, err := next(from)
	if err != nil || !ok {
		return from, err
	}
	step := int64(1)
	for {
		n, ok, err := next(lo + step)
		if err != nil {
			return from, err
		}
		if !ok {
			break
		}
		lo, step = n, step*2
	}
	hi := lo + step // a change at lo exists; none after hi
	for lo < hi {
		mid := lo + (hi-lo+1)/2
		n, ok, err := next(mid - 1)
		if err != nil {
			return from, err
		}
		if ok {
			lo = n
		} else {
			hi = mid - 1
		}
	}
	return lo, nil
}
