package index

import (
	_ "embed"
	"strconv"
	"strings"
)

// The syllable-pair field holds only the pairs of two common syllables
// (common.txt), the way Solr's common-grams index pairs of stop words:
//
//   - a phrase of common syllables ("của các", "cải cách hành chính") would
//     otherwise be matched on the positions of syllables that are in
//     almost every article, tens of times in each: that is what made
//     phrases slow before pairs were indexed;
//   - a phrase with a rarer syllable is matched on that syllable's
//     positions, in the few articles that hold it;
//   - a phrase of frequent syllables that are not in the list ("phó chủ
//     tịch") is narrowed first by the pair signatures (appendPairSig): each
//     article indexes every other pair it holds as one of sigBuckets
//     hashed terms, without positions, so that only the few articles that
//     may hold the pair have their positions read;
//   - pairs of every two syllables (mapping vi-2) made the index build
//     nearly four times slower than the syllables alone, and a third
//     slower than this layout: 100,000 articles hold millions of distinct
//     pairs, most of them met once, and scorch pays for each distinct term
//     of each segment.
//
// The list is read once, at start; nothing changes it.
//
//go:embed common.txt
var commonTxt string

var commonSyllables = func() map[string]struct{} {
	set := make(map[string]struct{})
	for _, line := range strings.Split(commonTxt, "\n") {
		if s := strings.TrimSpace(line); s != "" && !strings.HasPrefix(s, "#") {
			if Fold(strings.ToLower(s)) != s {
				panic("index: common.txt: " + s + " is not folded and lower-case")
			}
			set[s] = struct{}{}
		}
	}
	return set
}()

// isCommon reports whether a folded, lower-case syllable is in common.txt.
func isCommon[T string | []byte](s T) bool {
	_, ok := commonSyllables[string(s)]
	return ok
}

// paired reports whether the pair field holds the folded syllables a b.
func paired(a, b string) bool { return isCommon(a) && isCommon(b) }

// sigBuckets is how many pair signatures there are. An article of 900
// syllables holds about 600 pairs outside the pair field, so a signature
// it has by chance, not by the pair asked for, is in about 1 article of
// 27: few enough to check, and few enough terms for scorch to build.
const sigBuckets = 1 << 14

// appendPairSig appends the signature of the folded pair a b to dst: an
// FNV-1a hash of "a b" in sigBuckets, in hexadecimal. Signatures only
// narrow the articles whose positions a phrase reads: two pairs may share
// one, never to wrong effect.
func appendPairSig[T string | []byte](dst []byte, a, b T) []byte {
	const prime = 16777619
	h := uint32(2166136261)
	for i := 0; i < len(a); i++ {
		h = (h ^ uint32(a[i])) * prime
	}
	h = (h ^ ' ') * prime
	for i := 0; i < len(b); i++ {
		h = (h ^ uint32(b[i])) * prime
	}
	return strconv.AppendUint(dst, uint64(h%sigBuckets), 16)
}
