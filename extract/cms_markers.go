package extract

import "strings"

// markerSet finds which of many markers occur in a text in one pass,
// ignoring ASCII case: a position is compared with the markers only when
// its first three bytes begin one. Lower-casing 256 KB and forty
// strings.Contains over it were a tenth of Extract.
type markerSet struct {
	byPrefix map[[3]byte][]markerForm
	maybe    [1 << 16]bool // prefixHash of the forms' first three bytes
}

// markerForm is one spelling of a marker: the marker itself, or for one
// that starts with a non-ASCII letter ("đăng ngày:") its capitalised and
// upper-case forms, which ASCII folding cannot reach.
type markerForm struct{ form, marker string }

// markerIndex holds every rule's markers; built once, read only.
var markerIndex = newMarkerSet(func() []string {
	var all []string
	for _, r := range cmsRules {
		all = append(all, r.markers...)
	}
	return all
}())

func newMarkerSet(markers []string) *markerSet {
	m := &markerSet{byPrefix: map[[3]byte][]markerForm{}}
	for _, k := range markers {
		if len(k) < 3 {
			panic("extract: CMS marker shorter than three bytes: " + k)
		}
		forms := []string{k}
		if k[0] >= 0x80 {
			r := []rune(k)
			forms = append(forms, strings.ToUpper(string(r[0]))+string(r[1:]), strings.ToUpper(k))
		}
		for _, f := range forms {
			key := [3]byte{lowerASCII(f[0]), lowerASCII(f[1]), lowerASCII(f[2])}
			m.byPrefix[key] = append(m.byPrefix[key], markerForm{f, k})
			m.maybe[prefixHash(key[0], key[1], key[2])] = true
		}
	}
	return m
}

func prefixHash(a, b, c byte) uint16 { return uint16(a)*961 + uint16(b)*31 + uint16(c) }

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// scan returns the markers found in s.
func (m *markerSet) scan(s string) map[string]bool {
	found := map[string]bool{}
	if len(s) < 3 {
		return found
	}
	a, b := lowerASCII(s[0]), lowerASCII(s[1])
	for i := 0; i+3 <= len(s); i++ {
		c := lowerASCII(s[i+2])
		if m.maybe[prefixHash(a, b, c)] {
			for _, f := range m.byPrefix[[3]byte{a, b, c}] {
				if len(s)-i >= len(f.form) && strings.EqualFold(s[i:i+len(f.form)], f.form) {
					found[f.marker] = true
				}
			}
		}
		a, b = b, c
	}
	return found
}
