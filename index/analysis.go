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
	nfcCharFilter       = "vi_nfc"       // NFC-normalises the input before tokenising
	syllableTokenizerID = "vi_syllables" // Bleve's unicode tokenizer, faster on Vietnamese
	foldTokenFilter     = "vi_fold"      // removes diacritics and maps đ to d
	markedTokenFilter   = "vi_marked"    // keeps only the syllables that have diacritics
	bigramTokenFilter   = "vi_pairs"     // pairs of adjacent common syllables
	sigTokenFilter      = "vi_pair_sigs" // signatures of the other pairs
)

func init() {
	// Registration is how Bleve finds analysis pieces by name when it opens
	// an index whose mapping names them; it happens once per process.
	err := registry.RegisterCharFilter(nfcCharFilter,
		func(map[string]interface{}, *registry.Cache) (analysis.CharFilter, error) {
			return nfcFilter{}, nil
		})
	if err == nil {
		err = registry.RegisterTokenizer(syllableTokenizerID,
			func(map[string]interface{}, *registry.Cache) (analysis.Tokenizer, error) {
				return newSyllableTokenizer(), nil
			})
	}
	filters := map[string]analysis.TokenFilter{
		foldTokenFilter: foldFilter{}, markedTokenFilter: markedFilter{}, bigramTokenFilter: bigramFilter{},
		sigTokenFilter: sigFilter{}}
	for name, f := range filters {
		if err == nil {
			err = registry.RegisterTokenFilter(name,
				func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
					return f, nil
				})
		}
	}
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
	if isPlainNFC(input) {
		return input
	}
	return norm.NFC.Bytes(input) // input itself when it is NFC already
}

// nfc returns s in NFC, s itself when it is plain NFC already.
func nfc(s string) string {
	if isPlainNFC(s) {
		return s
	}
	return norm.NFC.String(s)
}

// isPlainNFC reports whether s holds only runes that are NFC on their own
// and never combine with a neighbour (ASCII, Latin letters with Vietnamese
// diacritics, common punctuation; see TestPlainRunesAreNFC): such text is
// NFC, and checking that is cheaper than asking the norm package, which
// every analysis of every text would otherwise do.
func isPlainNFC[T string | []byte](s T) bool {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune([]byte(s[i:min(i+utf8.UTFMax, len(s))]))
		if !isPlainRune(r) {
			return false
		}
		i += size
	}
	return true
}

func isPlainRune(r rune) bool {
	return r < utf8.RuneSelf || (r >= 0xA0 && r <= 0x24F) || (r >= 0x1E00 && r <= 0x1EFF) ||
		(r >= 0x2010 && r <= 0x2027)
}

// foldFilter replaces every token by its folded form (see Fold). It runs
// after tokenising so that offsets still point into the original text, which
// is what highlighting needs.
type foldFilter struct{}

func (foldFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	size := 0
	for _, tok := range input {
		size += len(tok.Term)
	}
	buf := make([]byte, 0, size) // folding never lengthens: one allocation for all
	for _, tok := range input {
		if isASCII(tok.Term) {
			continue
		}
		from := len(buf)
		buf = appendFold(buf, tok.Term)
		tok.Term = buf[from:len(buf):len(buf)]
	}
	return input
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// markedFilter keeps the syllables that carry diacritics (or đ): the others
// are their own folded form, which the folded field already holds, so the
// exact field need not hold them too.
type markedFilter struct{}

func (markedFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	out := input[:0]
	for _, tok := range input {
		if hasMarks(tok.Term) {
			out = append(out, tok)
		}
	}
	return out
}

// hasMarks reports whether folding would change b.
func hasMarks(b []byte) bool {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if (r < rune(len(foldArray)) && foldArray[r] != 0) || unicode.Is(unicode.Mn, r) {
			return true
		}
		i += size
	}
	return false
}

// bigramFilter replaces the syllables by the pairs of adjacent common ones
// (common.go), "a b", each at the position of its first syllable and
// spanning both: Bleve's shingle filter makes every pair, with an
// allocation or three per pair. It runs after folding.
type bigramFilter struct{}

func (bigramFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	return commonPairs(input, commonFlags(input))
}

// commonFlags says, for each token of a folded stream, whether it is a
// common syllable: looked up once for the pair and signature fields both.
func commonFlags(input analysis.TokenStream) []bool {
	common := make([]bool, len(input))
	for i, tok := range input {
		common[i] = isCommon(tok.Term)
	}
	return common
}

// commonPairs is bigramFilter over input, common being commonFlags(input).
func commonPairs(input analysis.TokenStream, common []bool) analysis.TokenStream {
	n, size := 0, 0
	for i := 0; i+1 < len(input); i++ {
		if common[i] && common[i+1] {
			n, size = n+1, size+len(input[i].Term)+len(input[i+1].Term)+1
		}
	}
	if n == 0 {
		return input[:0]
	}
	buf := make([]byte, 0, size)
	tokens := make([]analysis.Token, n)
	out := make(analysis.TokenStream, n)
	j := 0
	for i := 0; i+1 < len(input); i++ {
		if !common[i] || !common[i+1] {
			continue
		}
		a, b := input[i], input[i+1]
		from := len(buf)
		buf = append(append(append(buf, a.Term...), ' '), b.Term...)
		tokens[j] = analysis.Token{Term: buf[from:len(buf):len(buf)], Start: a.Start, End: b.End,
			Position: a.Position, Type: analysis.Shingle}
		out[j] = &tokens[j]
		j++
	}
	return out
}

// sigFilter replaces the syllables by the signatures (appendPairSig) of
// the pairs of adjacent ones that bigramFilter leaves out. Their positions
// mean nothing: the field is only asked which articles hold a signature.
// It runs after folding.
type sigFilter struct{}

func (sigFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	return pairSigs(input, commonFlags(input))
}

// pairSigs is sigFilter over input, common being commonFlags(input).
func pairSigs(input analysis.TokenStream, common []bool) analysis.TokenStream {
	if len(input) < 2 {
		return input[:0]
	}
	buf := make([]byte, 0, 4*(len(input)-1)) // sigBuckets has 4 hex digits
	tokens := make([]analysis.Token, 0, len(input)-1)
	for i := 1; i < len(input); i++ {
		if common[i-1] && common[i] {
			continue
		}
		a, b := input[i-1], input[i]
		from := len(buf)
		buf = appendPairSig(buf, a.Term, b.Term)
		tokens = append(tokens, analysis.Token{Term: buf[from:len(buf):len(buf)], Start: a.Start, End: b.End,
			Position: len(tokens) + 1, Type: analysis.Shingle})
	}
	out := make(analysis.TokenStream, len(tokens))
	for i := range tokens {
		out[i] = &tokens[i]
	}
	return out
}

// Fold returns s without diacritics, with đ and Đ mapped to d and D:
// "Đắk Lắk" becomes "Dak Lak". Case is kept; the analyzers lower-case first.
func Fold(s string) string {
	return string(foldBytes([]byte(s)))
}

// foldBytes folds b, returning b itself when it holds nothing to fold.
func foldBytes(b []byte) []byte {
	if isASCII(b) {
		return b
	}
	return appendFold(make([]byte, 0, len(b)), b)
}

// appendFold appends the folded form of b to dst.
func appendFold(dst, b []byte) []byte {
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			dst = append(dst, b[i])
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r < rune(len(foldArray)) && foldArray[r] != 0:
			dst = append(dst, foldArray[r]) // bases are ASCII letters
		case unicode.Is(unicode.Mn, r):
			// a stray combining mark: a diacritic on its own
		default:
			dst = append(dst, b[i:i+size]...)
		}
		i += size
	}
	return dst
}

// foldTable maps each precomposed Latin letter to its base letter, derived
// from Unicode's canonical decompositions (ế = e + ◌̂ + ◌́) so that no
// letter is forgotten; đ and Đ have no decomposition and are added by hand.
var foldTable = buildFoldTable()

// foldArray is foldTable as an array, for the hot path: every folded
// letter lies below U+1F00.
var foldArray = func() (a [0x1F00]byte) {
	for r, base := range foldTable {
		if r >= rune(len(a)) || base >= utf8.RuneSelf {
			panic("index: fold table beyond its array")
		}
		a[r] = byte(base)
	}
	return a
}()

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
