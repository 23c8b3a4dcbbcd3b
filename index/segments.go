package index

import (
	"sort"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// segments is how scorch lays out a snapshot: segment after segment, each
// numbering its documents from 0, Bleve's internal document number being
// the segment's offset plus that local number. Searchers that read it
// directly skip the per-posting work of Bleve's generic readers; they fall
// back on those when an index is not scorch's.
type segments struct {
	list    []*scorch.SegmentSnapshot
	offsets []uint64 // internal number of each segment's first document
	last    int      // the segment of the last document located
}

// segmentsOf returns the layout of r, or false when r is not a scorch
// snapshot.
func segmentsOf(r index.IndexReader) (*segments, bool) {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil, false
	}
	s := &segments{list: snap.Segments()}
	var n uint64
	for _, ss := range s.list {
		s.offsets = append(s.offsets, n)
		n += ss.Segment().Count()
	}
	return s, true
}

// locate returns the segment holding internal document n and n's number
// in it. Documents are asked for in increasing order, mostly.
func (s *segments) locate(n uint64) (int, uint32) {
	k := s.last
	if k >= len(s.offsets) || n < s.offsets[k] || (k+1 < len(s.offsets) && n >= s.offsets[k+1]) {
		k = sort.Search(len(s.offsets), func(i int) bool { return s.offsets[i] > n }) - 1
		s.last = k
	}
	return k, uint32(n - s.offsets[k])
}

// postings returns, for each segment, the postings of term in field with
// deleted documents left out (nil where the segment has none), and how many
// documents hold it in all.
func (s *segments) postings(field, term string) ([]segment.PostingsList, uint64, error) {
	lists := make([]segment.PostingsList, len(s.list))
	var df uint64
	for k, ss := range s.list {
		dict, err := ss.Segment().Dictionary(field)
		if err != nil {
			return nil, 0, err
		}
		pl, err := dict.PostingsList([]byte(term), ss.Deleted(), nil)
		if err != nil {
			return nil, 0, err
		}
		if n := pl.Count(); n > 0 {
			lists[k], df = pl, df+n
		}
	}
	return lists, df, nil
}

// docs returns, for each segment, the documents that hold term in field
// (nil when none do).
func (s *segments) docs(field, term string) ([]*roaring.Bitmap, error) {
	out := make([]*roaring.Bitmap, len(s.list))
	for k, ss := range s.list {
		dict, err := ss.Segment().Dictionary(field)
		if err != nil {
			return nil, err
		}
		pl, err := dict.PostingsList([]byte(term), nil, nil)
		if err != nil {
			return nil, err
		}
		it, ok := pl.Iterator(false, false, false, nil).(segment.OptimizablePostingsIterator)
		if !ok {
			return nil, nil // no bitmaps here: the caller reads postings instead
		}
		if bm := it.ActualBitmap(); bm != nil {
			out[k] = bm
		} else if n, ok := it.DocNum1Hit(); ok {
			out[k] = roaring.BitmapOf(uint32(n))
		}
	}
	return out, nil
}
