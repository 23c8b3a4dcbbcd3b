package extract

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// VNI-Windows (the "VNI-Times" fonts) spells a Vietnamese letter as its base
// letter and one byte more for its marks; shown or decoded as windows-1252
// the text reads "Vieät Nam", "Sôû Noäi vuï", "Ñaêng". Unlike TCVN3 the mark
// bytes are everyday letters elsewhere (French "où", German "für", Unicode
// Vietnamese "tác", "cô"), so text is converted only where it reads as
// Vietnamese once converted and not before, run of words by run of words.

// vniRows spells each Vietnamese vowel in VNI-Windows with its tones, in the
// order: none, sắc, huyền, hỏi, ngã, nặng; then đ. A capital is its small
// letter's code in capitals ("AÙ" is Á, "Ñ" is Đ). The codes are those of
// the VNI table in xvnkb (github.com/lamdao/xvnkb, vni.h) and agree with
// vietnamese-conversion (github.com/duydev/vietnamese-conversion,
// src/charsets.ts); vni_test.go checks all 134 letters against the rules
// the codes follow.
var vniRows = [...]struct{ letters, codes string }{
	{"aáàảãạ", "a aù aø aû aõ aï"},
	{"ăắằẳẵặ", "aê aé aè aú aü aë"},
	{"âấầẩẫậ", "aâ aá aà aå aã aä"},
	{"eéèẻẽẹ", "e eù eø eû eõ eï"},
	{"êếềểễệ", "eâ eá eà eå eã eä"},
	{"iíìỉĩị", "i í ì æ ó ò"},
	{"oóòỏõọ", "o où oø oû oõ oï"},
	{"ôốồổỗộ", "oâ oá oà oå oã oä"},
	{"ơớờởỡợ", "ô ôù ôø ôû ôõ ôï"},
	{"uúùủũụ", "u uù uø uû uõ uï"},
	{"ưứừửữự", "ö öù öø öû öõ öï"},
	{"yýỳỷỹỵ", "y yù yø yû yõ î"},
	{"đ", "ñ"},
}

const (
	// minVNIWords is how many marked words that read as Vietnamese make a
	// text VNI, as minTCVN3Words does for TCVN3.
	minVNIWords = 3
	// vniDensity: in a run converted, at least one word in vniDensity
	// reads as Vietnamese only once converted. VNI prose has one in two or
	// three; French prose has a false friend ("dû", "goût") in hundreds.
	vniDensity = 6
)

// vniTables are the decoding tables built from vniRows; read only.
type vniTables struct {
	pairs    map[[2]rune]rune // base letter and mark byte: the letter
	singles  map[rune]rune    // codes that stand alone: ñ đ, ô ơ, ö ư, æ ỉ, ó ĩ, ò ị, î ỵ
	toneless map[rune]rune    // small vowel with a tone: the vowel without
	// only has bit c-0xC0 set for each code c of U+00C0-U+00FF that VNI
	// uses and no Vietnamese letter is (ø û ï å ä ë ü æ ñ ö î, and
	// capitals): the marks that tell VNI from Unicode Vietnamese.
	only uint64
}

var vniTab = func() *vniTables {
	t := &vniTables{pairs: map[[2]rune]rune{}, singles: map[rune]rune{}, toneless: map[rune]rune{}}
	letters := map[rune]bool{}
	add := func(code string, letter rune) {
		c := []rune(code)
		switch {
		case len(c) == 2:
			t.pairs[[2]rune{c[0], c[1]}] = letter
		case c[0] != letter:
			t.singles[c[0]] = letter
		}
		for _, r := range c {
			if r >= 0xC0 && r <= 0xFF {
				t.only |= 1 << (r - 0xC0)
			}
		}
	}
	for _, row := range vniRows {
		ls := []rune(row.letters)
		for i, code := range strings.Fields(row.codes) {
			l, u := ls[i], unicode.ToUpper(ls[i])
			letters[l], letters[u] = true, true
			add(code, l)
			add(strings.ToUpper(code), u)
			// Title case typed as "Uûy ban": a capital with a small mark.
			if c := []rune(code); len(c) == 2 {
				add(string(unicode.ToUpper(c[0]))+string(c[1]), u)
			}
			if i > 0 && len(ls) > 1 {
				t.toneless[l] = ls[0]
			}
		}
	}
	for r := range letters {
		if r >= 0xC0 && r <= 0xFF {
			t.only &^= 1 << (r - 0xC0)
		}
	}
	return t
}()

// mayBeVNI says s holds a code VNI uses that no Vietnamese letter is (all
// U+00C0-U+00FF, encoded 0xC3 and one byte more): the cheap test that
// spares ordinary pages the word-by-word scan.
func mayBeVNI(s string) bool { return hasLatin1Code(s, 0xC3, vniTab.only) }

// recodeVNI converts the VNI text of s to Unicode (NFC) and reports whether
// it did; it returns s unchanged otherwise. It acts only on a text with
// several marked words that read as Vietnamese once converted, and inside
// it only on runs of Latin-1 words that read so, so Unicode words beside
// the legacy text stay untouched.
func recodeVNI(s string) (string, bool) {
	if !mayBeVNI(s) {
		return s, false
	}
	out, ok := recodeVNITexts([]string{s})
	return out[0], ok
}

// recodeVNITexts is recodeVNI over the texts of one page: the evidence is
// counted over them all, so that a short text ("Vieät Nam" in a heading)
// is converted when the rest of the page is VNI. The texts are not changed;
// the result holds the converted texts, or is texts itself. The caller has
// found a VNI-only mark (mayBeVNI) in them already.
func recodeVNITexts(texts []string) ([]string, bool) {
	type plan struct {
		text string
		runs []vniRun
	}
	plans := make([]plan, len(texts))
	evidence := 0
	for i, s := range texts {
		if strings.IndexByte(s, 0xC3) < 0 { // no Latin-1 letter, nothing to convert
			continue
		}
		s = nfc(s)
		plans[i] = plan{text: s}
		for _, r := range scanVNIRuns(s) {
			if r.convertible() {
				plans[i].runs = append(plans[i].runs, r)
				evidence += r.strong
			}
		}
	}
	if evidence < minVNIWords {
		return texts, false
	}
	out := make([]string, len(texts))
	for i, p := range plans {
		if len(p.runs) == 0 {
			out[i] = texts[i]
			continue
		}
		var b strings.Builder
		b.Grow(len(p.text) + len(p.text)/4)
		last := 0
		for _, r := range p.runs {
			b.WriteString(p.text[last:r.from])
			decodeVNIRun(&b, p.text[r.from:r.to])
			last = r.to
		}
		b.WriteString(p.text[last:])
		out[i] = nfc(b.String())
	}
	return out, true
}

// recodeVNINodes converts the VNI text of a parsed page in place and
// reports whether it did; see recodeVNITexts.
func recodeVNINodes(root *html.Node) bool {
	var nodes []*html.Node
	var texts []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style") {
			return
		}
		if n.Type == html.TextNode && strings.IndexByte(n.Data, 0xC3) >= 0 {
			nodes = append(nodes, n)
			texts = append(texts, n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	out, ok := recodeVNITexts(texts)
	if ok {
		for i, n := range nodes {
			n.Data = out[i]
		}
	}
	return ok
}

// vniRun is a run of consecutive Latin-1 words of a text, as byte offsets,
// with the count of its words by what they are once converted.
type vniRun struct {
	from, to int
	strong   int // hold a VNI-only mark, read as Vietnamese converted
	weak     int // no such mark, read as Vietnamese converted only
	bad      int // hold a VNI-only mark, do not read as Vietnamese converted
	words    int // hold a letter
}

// convertible says the run is VNI: its evidence outweighs its marked words
// that would not convert to Vietnamese (German "für", Danish "sø") and is
// not a stray false friend in a run of foreign prose.
func (r vniRun) convertible() bool {
	good := r.strong + r.weak
	return good > 0 && good*3 >= (good+r.bad)*2 && good*vniDensity >= r.words
}

// scanVNIRuns splits s into words at white space and counts the runs of
// consecutive words that VNI could have produced (latinWord).
func scanVNIRuns(s string) []vniRun {
	var runs []vniRun
	cur := vniRun{from: -1}
	end := func() {
		if cur.from >= 0 {
			runs = append(runs, cur)
		}
		cur = vniRun{from: -1}
	}
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && !vniSpace(s, j) {
			j++
		}
		if j == i { // a space
			_, n := utf8.DecodeRuneInString(s[i:])
			i += n
			continue
		}
		w := s[i:j]
		if !latinWord(w) {
			end()
		} else {
			if cur.from < 0 {
				cur.from = i
			}
			cur.to = j
			cur.count(w)
		}
		i = j
	}
	end()
	return runs
}

// vniSpace says a white space separating words starts at s[i]: the ones
// recodeRuns splits at.
func vniSpace(s string, i int) bool {
	switch s[i] {
	case ' ', '\t', '\n', '\r':
		return true
	case 0xC2:
		return i+1 < len(s) && s[i+1] == 0xA0
	}
	return false
}

func (r *vniRun) count(w string) {
	if strings.IndexFunc(w, unicode.IsLetter) < 0 {
		return
	}
	r.words++
	if strings.IndexByte(w, 0xC3) < 0 { // ASCII and punctuation only
		return
	}
	marked := mayBeVNI(w)
	d := decodeVNI(w)
	switch {
	case d == w && marked:
		r.bad++
	case d == w:
	case vietnameseWord(d) && marked:
		r.strong++
	case vietnameseWord(d) && !vietnameseWord(w):
		r.weak++
	case marked:
		r.bad++
	}
}

// decodeVNIRun writes the words of a convertible run converted, keeping the
// white space between them; a word that keeps a VNI-only mark once
// converted is not VNI and is written as it was.
func decodeVNIRun(b *strings.Builder, run string) {
	for i := 0; i < len(run); {
		j := i
		for j < len(run) && !vniSpace(run, j) {
			j++
		}
		if j == i {
			_, n := utf8.DecodeRuneInString(run[i:])
			b.WriteString(run[i : i+n])
			i += n
			continue
		}
		w := run[i:j]
		if d := decodeVNI(w); !mayBeVNI(d) {
			w = d
		}
		b.WriteString(w)
		i = j
	}
}

// decodeVNI reads s as VNI: a base letter and the mark after it make one
// letter, and the codes that stand alone are replaced. It returns s itself
// when nothing is replaced, as for most words of a page that is not VNI.
func decodeVNI(s string) string {
	var b strings.Builder
	last := 0 // s[last:i] is still to be written
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		u, size := rune(0), n
		if m, k := utf8.DecodeRuneInString(s[i+n:]); m >= 0xC0 && m <= 0xFF {
			if p, ok := vniTab.pairs[[2]rune{r, m}]; ok {
				u, size = p, n+k
			}
		}
		if u == 0 && r >= 0xC0 {
			u = vniTab.singles[r]
		}
		if u != 0 {
			if last == 0 {
				b.Grow(len(s) + 4)
			}
			b.WriteString(s[last:i])
			b.WriteRune(u)
			last = i + size
		}
		i += size
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// vietnameseWord says every run of letters in w is a Vietnamese syllable:
// one tone at most, on a vowel group Vietnamese has, between an initial
// and a final consonant it allows.
func vietnameseWord(w string) bool {
	n := 0
	for seg := range strings.FieldsFuncSeq(w, notLetter) {
		n++
		if !vietnameseSyllable(seg) {
			return false
		}
	}
	return n > 0
}

func vietnameseSyllable(s string) bool {
	var buf [32]byte
	base, tones := buf[:0], 0
	for _, r := range s {
		r = unicode.ToLower(r)
		if t, ok := vniTab.toneless[r]; ok {
			r = t
			tones++
		}
		base = utf8.AppendRune(base, r)
	}
	if tones > 1 {
		return false
	}
	for _, on := range vniOnsets {
		if !bytes.HasPrefix(base, []byte(on)) {
			continue
		}
		rest := base[len(on):]
		if vniNuclei[string(rest)] != 0 {
			return true
		}
		for _, coda := range vniCodas {
			if bytes.HasSuffix(rest, []byte(coda)) && vniNuclei[string(rest[:len(rest)-len(coda)])] == vniCoda {
				return true
			}
		}
	}
	return false
}

// A Vietnamese syllable without its tone is an initial consonant (or none),
// a vowel group, and a final consonant for the groups that take one. A
// table, not a regexp: it runs on every marked word of a page.
var (
	vniOnsets = []string{"ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "qu", "th", "tr",
		"b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "q", "r", "s", "t", "v", "x", ""}
	vniCodas  = []string{"ch", "ng", "nh", "c", "m", "n", "p", "t"}
	vniNuclei = func() map[string]uint8 {
		m := map[string]uint8{}
		for _, v := range strings.Fields("a ă â e ê i o ô ơ u ư y iê yê oa oă oe oo uâ uê uô uy ươ uyê") {
			m[v] = vniCoda
		}
		for _, v := range strings.Fields("ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui uơ ưa ưi ưu " +
			"iêu yêu oai oay oao oeo uây uôi ươi ươu uya uyu") {
			m[v] = vniOpen
		}
		return m
	}()
)

// Kinds of vowel group: without a final consonant only, or with one or none.
const (
	vniOpen = 1 + iota
	vniCoda
)
