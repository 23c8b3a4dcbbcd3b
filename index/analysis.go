package index

import (
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"
)

// Names under which the package registers its analysis pieces with Bleve.
// The analyzers themselves are declared as data in mapping.go.
const (
	nfcCharFilter   = "vi_nfc"  // NFC-normalises the input before tokenising
	foldTokenFilter = "vi_fold" // removes diacritics and maps đ to d
)

func init() {
	// Registration is how Bleve finds analysis pieces by name when it opens
	// an index whose mapping names them; it happens once per process.
	err := registry.RegisterCharFilter(nfcCharFilter,
		func(map[string]interface{}, *registry.Cache) (analysis.CharFilter, error) {
			return nfcFilter{}, nil
		})
	if err != nil {
		panic(err)
	}
	err = registry.RegisterTokenFilter(foldTokenFilter,
		func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
			return foldFilter{}, nil
		})
	if err != nil {
		panic(err)
	}
}

// nfcFilter composes decomposed input (NFD, as some portals and keyboards
// send it) so that "ế" typed as e + U+0302 + U+0301 is one letter, the same
// bytes as the stored NFC text. Documents are NFC before they are indexed,
// so their byte offsets are unchanged; queries may arrive in either form.
type nfcFilter struct{}

func (nfcFilter) Filter(input []byte) []byte {
	return norm.NFC.Bytes(input) // input itself when it is NFC already
}

// foldFilter replaces every token by its folded form (see Fold). It runs
// after tokenising so that offsets still point into the original text, which
// is what highlighting needs.
type foldFilter struct{}

func (foldFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, tok := range input {
		tok.Term = foldBytes(tok.Term)
	}
	return input
}

// Fold returns s without diacritics, with đ and Đ mapped to d and D:
// "Đắk Lắk" becomes "Dak Lak". Case is kept; the analyzers lower-case first.
func Fold(s string) string {
	return string(foldBytes([]byte(s)))
}

// foldBytes folds b, returning b itself when it holds nothing to fold.
func foldBytes(b []byte) []byte {
	i := 0
	for i < len(b) && b[i] < utf8.RuneSelf {
		i++
	}
	if i == len(b) {
		return b
	}
	out := make([]byte, i, len(b))
	copy(out, b[:i])
	for _, r := range string(b[i:]) {
		if r < utf8.RuneSelf {
			out = append(out, byte(r))
			continue
		}
		if unicode.Is(unicode.Mn, r) {
			continue // a stray combining mark: a diacritic on its own
		}
		if base, ok := foldTable[r]; ok {
			r = base
		}
		out = utf8.AppendRune(out, r)
	}
	return out
}

// foldTable maps each precomposed Latin letter to its base letter, derived
// from Unicode's canonical decompositions (ế = e + ◌̂ + ◌́) so that no
// letter is forgotten; đ and Đ have no decomposition and are added by hand.
var foldTable = buildFoldTable()

func buildFoldTable() map[rune]rune {
	t := map[rune]rune{'đ': 'd', 'Đ': 'D'}
	for _, span := range [][2]rune{{0x00C0, 0x024F}, {0x1E00, 0x1EFF}} {
		for r := span[0]; r <= span[1]; r++ {
			d := []rune(norm.NFD.String(string(r)))
			if len(d) < 2 || d[0] >= utf8.RuneSelf {
				continue
			}
			marksOnly := true
			for _, m := range d[1:] {
				marksOnly = marksOnly && unicode.Is(unicode.Mn, m)
			}
			if marksOnly {
				t[r] = d[0]
			}
		}
	}
	return t
}
