package index

import (
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
)

// syllableTokenizer splits text into words exactly as Bleve's unicode
// tokenizer does (Unicode word boundaries, UAX #29), several times faster on
// the text the portals publish: Latin letters with Vietnamese diacritics,
// digits, spaces and common punctuation. A stretch of text holding anything
// else (another script, a combining mark, an emoji, a soft hyphen, '_') is
// handed to the unicode tokenizer, from the last space before it to the
// first space after it, so that its tokens are the unicode tokenizer's own.
// Every text is tokenised when it is indexed (once for its four fields,
// fields.go) and again for each hit's snippet, so this matters.
type syllableTokenizer struct {
	fallback analysis.Tokenizer
}

func newSyllableTokenizer() syllableTokenizer {
	return syllableTokenizer{fallback: unicode.NewUnicodeTokenizer()}
}

// Word-boundary classes of the runes the fast path knows (UAX #29 names).
const (
	clOther     uint8 = iota // breaks a word: spaces, most punctuation
	clLetter                 // ALetter
	clDigit                  // Numeric
	clMidLetter              // joins letters: ':' '·'
	clMidNum                 // joins digits: ',' ';'
	clMidBoth                // joins letters or digits: '.' '‘' '’' and '\''
	clUnknown                // anything else: left to the unicode tokenizer
	clInvalid                // not UTF-8: the unicode tokenizer stops there, so all is left to it
)

var asciiClass = func() (t [utf8.RuneSelf]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = clLetter, clLetter
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = clDigit
	}
	t[':'] = clMidLetter
	t[','], t[';'] = clMidNum, clMidNum
	t['.'], t['\''] = clMidBoth, clMidBoth
	t['_'] = clUnknown // ExtendNumLet: joins words in ways left to the unicode tokenizer
	return t
}()

// runeClass classifies a rune beyond ASCII.
func runeClass(r rune) uint8 {
	switch {
	case r == 0xAA || r == 0xB5 || r == 0xBA: // ª µ º
		return clLetter
	case r == 0xB7: // ·
		return clMidLetter
	case r == 0xAD: // soft hyphen: a Format character, ignored inside words
		return clUnknown
	case r >= 0xA0 && r <= 0xBF, r == 0xD7, r == 0xF7: // NBSP, « » ° …, × ÷
		return clOther
	case r >= 0xC0 && r <= 0x24F, r >= 0x1E00 && r <= 0x1EFF: // Latin letters, Vietnamese ones included
		return clLetter
	case r == 0x2018 || r == 0x2019: // ‘ ’
		return clMidBoth
	case r == 0x2013 || r == 0x2014 || r == 0x201C || r == 0x201D || r == 0x2022 || r == 0x2026: // – — “ ” • …
		return clOther
	}
	return clUnknown
}

// classAt returns the class of the rune at s[i] and its length in bytes.
func classAt(s []byte, i int) (uint8, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return asciiClass[c], 1
	}
	r, size := utf8.DecodeRune(s[i:])
	if r == utf8.RuneError && size == 1 {
		return clInvalid, size
	}
	return runeClass(r), size
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'
}

func (t syllableTokenizer) Tokenize(input []byte) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, len(input)/6+1)
	tokens := make([]analysis.Token, 0, cap(out))
	emit := func(term []byte, start, end int, typ analysis.TokenType) {
		if len(tokens) == cap(tokens) {
			tokens = make([]analysis.Token, 0, len(input)/12+16)
		}
		tokens = append(tokens, analysis.Token{Term: term, Start: start, End: end,
			Position: len(out) + 1, Type: typ})
		out = append(out, &tokens[len(tokens)-1])
	}
	for i := 0; i < len(input); {
		c, size := classAt(input, i)
		switch {
		case c == clInvalid:
			return t.fallback.Tokenize(input)
		case c == clUnknown:
			if i = t.slow(input, i, &out, emit); i < 0 {
				return t.fallback.Tokenize(input)
			}
			continue
		case c != clLetter && c != clDigit:
			i += size
			continue
		}
		end, numeric, ok := scanWord(input, i, c, size)
		if !ok {
			if i = t.slow(input, i, &out, emit); i < 0 {
				return t.fallback.Tokenize(input)
			}
			continue
		}
		typ := analysis.AlphaNumeric
		if numeric {
			typ = analysis.Numeric
		}
		emit(input[i:end], i, end, typ)
		i = end
	}
	return out
}

// scanWord returns the end of the word that starts at s[i] with a rune of
// class c and length size, whether it holds only digits and their
// separators, and false when it meets a rune the fast path does not know.
// Words follow UAX #29: letters and digits join (WB5, WB8-WB10); ':', '·',
// '.', '’' and '\” join letters (WB6, WB7); ',', ';', '.', '’' and '\” join
// digits (WB11, WB12).
func scanWord(s []byte, i int, c uint8, size int) (end int, numeric, ok bool) {
	last, numeric := c, c == clDigit
	j := i + size
	for j < len(s) {
		c, size := classAt(s, j)
		switch c {
		case clUnknown, clInvalid:
			return 0, false, false
		case clLetter, clDigit:
			last, numeric = c, numeric && c == clDigit
			j += size
			continue
		case clMidLetter, clMidNum, clMidBoth:
			if j+size >= len(s) {
				return j, numeric, true
			}
			next, nsize := classAt(s, j+size)
			if next == clUnknown || next == clInvalid {
				return 0, false, false
			}
			joins := (last == clLetter && next == clLetter && c != clMidNum) ||
				(last == clDigit && next == clDigit && c != clMidLetter)
			if joins {
				j += size + nsize
				continue
			}
		}
		return j, numeric, true
	}
	return j, numeric, true
}

// slow tokenises, with the unicode tokenizer, the stretch of input around
// the unknown rune met at or after i: from the last space before i (whose
// successor is ASCII, so that no combining mark hangs on it) to the first
// such space after. Tokens already emitted inside the stretch are taken
// back first. It returns where the fast path resumes, or -1 when the
// stretch is not UTF-8: the unicode tokenizer stops at the first invalid
// byte, so the whole input must go to it.
func (t syllableTokenizer) slow(input []byte, i int, out *analysis.TokenStream,
	emit func([]byte, int, int, analysis.TokenType)) int {
	from := i
	for from > 0 && !(isSpace(input[from-1]) && input[from] < utf8.RuneSelf) {
		from--
	}
	for len(*out) > 0 && (*out)[len(*out)-1].Start >= from {
		*out = (*out)[:len(*out)-1]
	}
	to := i + 1
	for to < len(input) && !(isSpace(input[to]) && (to+1 == len(input) || input[to+1] < utf8.RuneSelf)) {
		to++
	}
	if !utf8.Valid(input[from:to]) {
		return -1
	}
	for _, tok := range t.fallback.Tokenize(input[from:to]) {
		emit(tok.Term, tok.Start+from, tok.End+from, tok.Type)
	}
	return to
}
