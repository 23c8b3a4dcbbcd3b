package extract

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/net/html"
)

// TCVN3 (TCVN 5712:1993, the ".VnTime" fonts) put Vietnamese letters on the
// Latin-1 code points; text pasted from such documents reads "B¸o c¸o thùc
// tËp" once the font is gone. The mapping is one character to one, so it
// can be undone exactly. Capitals with tone marks lived in separate fonts
// (".VnTimeH") on the same code points and come back as small letters.
const (
	tcvn3Codes   = "¸µ¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòô\u00adõøö÷ùúýûüþ¡¢§£¤¥¦"
	tcvn3Letters = "áàảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵĂÂĐÊÔƠƯ"
	// tcvn3Marks are codes that neither Unicode Vietnamese nor VNI text
	// (the other legacy encoding, vni.go) uses as letters.
	tcvn3Marks = "¸µ¶·¹¨»¾¼½©Ç®ÐªÞ×ß«¬\u00ad÷þ¡¢§£¤¥¦"
	// minTCVN3Words is how many marked words make a page TCVN3.
	minTCVN3Words = 3
)

var tcvn3Map = func() map[rune]rune {
	m := map[rune]rune{}
	letters := []rune(tcvn3Letters)
	for i, c := range []rune(tcvn3Codes) {
		m[c] = letters[i]
	}
	return m
}()

// tcvn3Common are the TCVN3 stand-ins of the commonest Vietnamese letters
// (¸ á, µ à, ¹ ạ, · ã, ¶ ả, ¨ ă, ® đ): any TCVN3 prose holds some of them,
// Unicode Vietnamese almost never does.
const tcvn3Common = "¸µ¹·¶¨®"

// tcvn3CommonSet is tcvn3Common for hasLatin1Code: every rune of it is
// U+00A0-U+00BF, encoded 0xC2 and one byte more.
var tcvn3CommonSet = func() (set uint64) {
	for _, r := range tcvn3Common {
		set |= 1 << (r - 0x80)
	}
	return set
}()

// mayBeTCVN3 is the cheap test that spares ordinary pages the word-by-word
// scan of recodeTCVN3.
func mayBeTCVN3(text string) bool { return hasLatin1Code(text, 0xC2, tcvn3CommonSet) }

// hasLatin1Code reports whether text holds a character U+0080-U+00FF
// encoded lead and a byte b with bit b-0x80 of set: looking for lead runs
// at IndexByte's speed, where strings.ContainsAny with a non-ASCII set
// compares rune by rune.
func hasLatin1Code(text string, lead byte, set uint64) bool {
	for i := 0; ; {
		j := strings.IndexByte(text[i:], lead)
		if j < 0 || i+j+1 >= len(text) {
			return false
		}
		i += j + 1
		if b := text[i]; b >= 0x80 && b <= 0xBF && set&(1<<(b-0x80)) != 0 {
			return true
		}
	}
}

// recodeTCVN3 converts the TCVN3 text of a parsed page to Unicode in place
// and reports whether it did. It acts only on a page with several marked
// words, and inside a text node only on runs of Latin-1 words holding a
// marked one, so Unicode Vietnamese beside the legacy text stays untouched.
func recodeTCVN3(root *html.Node) bool {
	var nodes []*html.Node
	marked := 0
	var walk func(*html.Node)
	syllables := 0
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style") {
			return
		}
		if n.Type == html.TextNode {
			if k, v := markedWords(n.Data); k > 0 {
				nodes = append(nodes, n)
				marked += k
				syllables += v
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	// Latin-1 text in other languages has marks too (German ß and soft
	// hyphens, French «», £, ½, ©): the marked words must read as Vietnamese
	// syllables once converted, nearly all of them, as TCVN3 prose does.
	if syllables < minTCVN3Words || syllables*3 < marked*2 {
		return false
	}
	for _, n := range nodes {
		n.Data = recodeRuns(n.Data)
	}
	return true
}

// markedWords counts the words of s that hold a TCVN3 mark, and among them
// those that convert to a Vietnamese syllable.
func markedWords(s string) (marked, syllables int) {
	for _, w := range strings.Fields(s) {
		if latinWord(w) && strings.ContainsAny(w, tcvn3Marks) {
			marked++
			// An ASCII letter too: "½" or "¼" alone would convert to "ẵ", "ẳ".
			if strings.IndexFunc(w, isASCIILetter) >= 0 &&
				reSyllable.MatchString(strings.ToLower(strings.TrimFunc(recodeTCVN3Text(w), notLetter))) {
				syllables++
			}
		}
	}
	return marked, syllables
}

// reSyllable is the shape of a Vietnamese syllable: an initial consonant,
// one to three vowels, a final consonant. "Straße" or "für" converted from
// TCVN3 ("straòe", "fỹr") does not fit it.
var reSyllable = regexp.MustCompile(`^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnpqrstvx])?` +
	`[aăâeêioôơuưyáàảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]{1,3}(?:ch|ng|nh|[cmnpt])?$`)

func notLetter(r rune) bool { return !unicode.IsLetter(r) }

func isASCIILetter(r rune) bool { return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' }

// latinWord says w holds nothing beyond Latin-1 but punctuation: a word
// that TCVN3 could have produced.
func latinWord(w string) bool {
	for _, r := range w {
		if r > 0xFF && (r < 0x2000 || r > 0x206F) {
			return false
		}
	}
	return true
}

// recodeRuns converts each run of consecutive Latin-1 words that holds a
// marked word, keeping the white space between words as it was.
func recodeRuns(s string) string {
	type word struct{ start, end int }
	var words []word
	start := -1
	for i, r := range s {
		space := r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\u00a0'
		if !space && start < 0 {
			start = i
		} else if space && start >= 0 {
			words = append(words, word{start, i})
			start = -1
		}
	}
	if start >= 0 {
		words = append(words, word{start, len(s)})
	}
	var b strings.Builder
	last := 0
	for i := 0; i < len(words); {
		j := i
		hasMark := false
		for j < len(words) && latinWord(s[words[j].start:words[j].end]) {
			hasMark = hasMark || strings.ContainsAny(s[words[j].start:words[j].end], tcvn3Marks)
			j++
		}
		if j == i {
			i++
			continue
		}
		if hasMark {
			from, to := words[i].start, words[j-1].end
			b.WriteString(s[last:from])
			b.WriteString(recodeTCVN3Text(s[from:to]))
			last = to
		}
		i = j
	}
	b.WriteString(s[last:])
	return b.String()
}

func recodeTCVN3Text(s string) string {
	return strings.Map(func(r rune) rune {
		if u, ok := tcvn3Map[r]; ok {
			return u
		}
		return r
	}, s)
}
