package extract

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/text/unicode/norm"
)

// The combining marks of Vietnamese, as NFD spells its letters.
const (
	markCircumflex = '\u0302'
	markBreve      = '\u0306'
	markHorn       = '\u031B'
	toneSac        = '\u0301'
	toneHuyen      = '\u0300'
	toneHoi        = '\u0309'
	toneNga        = '\u0303'
	toneNang       = '\u0323'
)

// vietnameseLetters builds the 134 letters Vietnamese adds to ASCII from
// their parts, independently of vniRows: each vowel with the vowel marks
// it takes, with no tone or one of the five, composed to NFC; and đ.
func vietnameseLetters() []rune {
	shapes := map[rune][]rune{'a': {0, markBreve, markCircumflex}, 'e': {0, markCircumflex},
		'i': {0}, 'o': {0, markCircumflex, markHorn}, 'u': {0, markHorn}, 'y': {0}}
	var out []rune
	for _, base := range "aeiouy" {
		for _, shape := range shapes[base] {
			for _, tone := range []rune{0, toneSac, toneHuyen, toneHoi, toneNga, toneNang} {
				if shape == 0 && tone == 0 {
					continue
				}
				s := string(base)
				for _, m := range []rune{shape, tone} {
					if m != 0 {
						s += string(m)
					}
				}
				r, _ := utf8.DecodeRuneInString(norm.NFC.String(s))
				out = append(out, r, unicode.ToUpper(r))
			}
		}
	}
	return append(out, 'đ', 'Đ')
}

// spellVNI spells one letter in VNI-Windows from the rules of the encoding,
// independently of vniRows: a base letter, then one byte for the tone
// (ù ø û õ ï), for the circumflex with or without a tone (â á à å ã ä) or
// the breve (ê é è ú ü ë); ơ and ư are ô and ö, đ is ñ; the i's are single
// bytes (í ì æ ó ò) and so is ỵ (î). Capitals take the capital codes.
func spellVNI(r rune) string {
	switch r {
	case 'đ':
		return "ñ"
	case 'Đ':
		return "Ñ"
	}
	d := []rune(norm.NFD.String(string(r)))
	if len(d) == 1 {
		return string(r)
	}
	base, upper := unicode.ToLower(d[0]), unicode.IsUpper(d[0])
	var shape, tone rune
	for _, m := range d[1:] {
		switch m {
		case markCircumflex, markBreve, markHorn:
			shape = m
		default:
			tone = m
		}
	}
	ti := slices.Index([]rune{0, toneSac, toneHuyen, toneHoi, toneNga, toneNang}, tone)
	pick := func(codes string) string { // one code a tone, from no tone to nặng; '-' for none
		if c := []rune(codes)[ti]; c != '-' {
			return string(c)
		}
		return ""
	}
	var code string
	switch {
	case base == 'i':
		code = pick("iíìæóò")
	case base == 'y' && tone == toneNang:
		code = "î"
	case shape == markCircumflex:
		code = string(base) + pick("âáàåãä")
	case shape == markBreve:
		code = string(base) + pick("êéèúüë")
	case shape == markHorn:
		code = map[rune]string{'o': "ô", 'u': "ö"}[base] + pick("-ùøûõï")
	default:
		code = string(base) + pick("-ùøûõï")
	}
	if upper {
		code = strings.ToUpper(code)
	}
	return code
}

// encodeVNI spells a Unicode text in VNI-Windows, as a VNI font shows it
// when read as windows-1252.
func encodeVNI(s string) string {
	var b strings.Builder
	for _, r := range norm.NFC.String(s) {
		b.WriteString(spellVNI(r))
	}
	return b.String()
}

// TestVNITable checks vniRows against the 134 letters built from their parts
// and the codes spelled from the rules of the encoding, both ways.
func TestVNITable(t *testing.T) {
	table := map[rune]string{}
	for _, row := range vniRows {
		ls := []rune(row.letters)
		codes := strings.Fields(row.codes)
		if len(ls) != len(codes) {
			t.Fatalf("row %q: %d letters, %d codes", row.letters, len(ls), len(codes))
		}
		for i, l := range ls {
			table[l] = codes[i]
			table[unicode.ToUpper(l)] = strings.ToUpper(codes[i])
		}
	}
	letters := vietnameseLetters()
	if len(letters) != 134 {
		t.Fatalf("built %d letters, want 134", len(letters))
	}
	for _, l := range letters {
		code, ok := table[l]
		if !ok {
			t.Errorf("%c (%U) is not in vniRows", l, l)
			continue
		}
		if want := spellVNI(l); code != want {
			t.Errorf("vniRows spells %c %q, the rules %q", l, code, want)
		}
		if got := decodeVNI(code); got != string(l) {
			t.Errorf("decodeVNI(%q) = %q, want %c", code, got, l)
		}
		if c := []rune(code); len(c) == 2 && unicode.IsUpper(l) { // title case: "Uûy"
			if got := decodeVNI(string(c[0]) + string(unicode.ToLower(c[1]))); got != string(l) {
				t.Errorf("decodeVNI(%q) = %q, want %c", string(c[0])+string(unicode.ToLower(c[1])), got, l)
			}
		}
		delete(table, l)
	}
	for l := range table { // only the plain vowels may be left
		if !strings.ContainsRune("aeiouyAEIOUY", l) {
			t.Errorf("vniRows holds %c, not a Vietnamese letter", l)
		}
	}
	var only []rune
	for c := rune(0xC0); c <= 0xFF; c++ {
		if vniTab.only&(1<<(c-0xC0)) != 0 {
			only = append(only, c)
		}
	}
	if got, want := string(only), "ÄÅÆËÎÏÑÖØÛÜäåæëîïñöøûü"; got != want {
		t.Errorf("VNI-only marks = %q, want %q", got, want)
	}
}

// The fixture's body (testdata/kiengiang-vni-garbled.html) and its reading.
const (
	kiengiangVNI = "Ngaøy 10/5/2010, Sôû Noäi vuï toå chöùc hoäi nghò trieån khai coâng taùc thi ñua khen " +
		"thöôûng naêm 2010 cho caùc cô quan, ñôn vò trong tænh."
	kiengiangVNI2 = "Hoäi nghò ñaõ quaùn trieät caùc vaên baûn môùi cuûa Trung öông veà coâng taùc thi ñua, " +
		"khen thöôûng vaø thoáng nhaát keá hoaïch thöïc hieän trong naêm."
	kiengiangUnicode = "Ngày 10/5/2010, Sở Nội vụ tổ chức hội nghị triển khai công tác thi đua khen " +
		"thưởng năm 2010 cho các cơ quan, đơn vị trong tỉnh."
	kiengiangUnicode2 = "Hội nghị đã quán triệt các văn bản mới của Trung ương về công tác thi đua, " +
		"khen thưởng và thống nhất kế hoạch thực hiện trong năm."
)

func TestRecodeVNI(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{kiengiangVNI, kiengiangUnicode, true},
		{kiengiangVNI2, kiengiangUnicode2, true},
		{"Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam", true},
		{"Ñaêng kyù thi ñua naêm 2024 cuûa Sôû", "Đăng ký thi đua năm 2024 của Sở", true},
		// Capitals, and title case with a small mark after a capital.
		{"UÛY BAN NHAÂN DAÂN TÆNH KIEÂN GIANG - SÔÛ NOÄI VUÏ", "ỦY BAN NHÂN DÂN TỈNH KIÊN GIANG - SỞ NỘI VỤ", true},
		{"Uûy ban nhaân daân tænh, Ñaûng uûy khoái", "Ủy ban nhân dân tỉnh, Đảng ủy khối", true},
		{"Ñieàu 5. Nhieäm vuï (söûa ñoåi)", "Điều 5. Nhiệm vụ (sửa đổi)", true},
		// Unicode words beside a VNI run stay as they are; so do runs of
		// Latin-1 Unicode words that read as Vietnamese already.
		{"Sở Nội vụ tỉnh Kiên Giang: Hoäi nghò trieån khai coâng taùc thi ñua",
			"Sở Nội vụ tỉnh Kiên Giang: Hội nghị triển khai công tác thi đua", true},
		{"Thực hiện kế hoạch: Sôû Noäi vuï toå chöùc; Ngày đăng: có, hoà, tác",
			"Thực hiện kế hoạch: Sở Nội vụ tổ chức; Ngày đăng: có, hoà, tác", true},
		// Too little to tell.
		{"Vieät Nam", "Vieät Nam", false},
		{"Sôû Noäi", "Sôû Noäi", false},
		// Two words with a VNI-only mark (Ñ, ñ): "kyù", "naêm" read as VNI
		// only, but so does French "où" (ó), and they do not count.
		{"Ñaêng kyù thi ñua naêm 2024", "Ñaêng kyù thi ñua naêm 2024", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := recodeVNI(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("recodeVNI(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
		if !norm.NFC.IsNormalString(got) {
			t.Errorf("recodeVNI(%q) = %q, not NFC", tt.in, got)
		}
	}
}

// TestRecodeVNILeavesOtherText: Unicode Vietnamese, TCVN3 and the Latin-1
// languages a portal may carry come back unchanged and false.
func TestRecodeVNILeavesOtherText(t *testing.T) {
	texts := []string{
		kiengiangUnicode + " " + kiengiangUnicode2,
		"Các cán bộ có trách nhiệm hoà giải, khoá học và tờ trình của Ủy ban nhân dân tỉnh",
		"Cô giáo, cô ấy, tôi, bóng đá, hòa bình, thoả thuận, Hoà Bình, Khánh Hoà, Thừa Thiên Huế",
		"The quick brown fox jumps over the lazy dog; naïve café, coöperate, Zoë, Brontë.",
		// French, with the false friends: où (ó), dû (dủ), goût (gỏt), coût (cỏt).
		"Où est-il ? Le coût du goût, c'est sûr : Noël à l'île, un maïs naïf, déjà dû. " +
			"Il connaît la forêt où l'on goûte le pâté, à la Pentecôte, près du château d'août.",
		"Où es-tu ? Où va-t-il ? Où sont-ils ?",
		"Über die Größe: weiß, bloß, Fuß, groß. Schöne Grüße aus Köln, für Müller und Bäcker, Öl, Ärger.",
		"El niño español y su año en España: señor, mañana, baño, cañón, ñu, pingüino.",
		"Københavns ø og søen, på året, æbler og blåbær; Århus, Ærø, Øresund, Skåne, smörgåsbord.",
		"São Paulo não põe o avô na fila, a irmã e o irmão; Ônibus à noite.",
		"B¸o c¸o thùc tËp tèt nghiÖp t¹i Së Néi vô", // TCVN3 is recodeTCVN3's
		"Giá vé: 30.000đ « Trang trước – © 2024 Sở Nội vụ ® ° × ½",
	}
	texts = append(texts, goldenTexts(t)...)
	for _, s := range texts {
		if got, ok := recodeVNI(s); ok || got != s {
			t.Errorf("recodeVNI(%q) = %q, %v; want it unchanged", s, got, ok)
		}
	}
	if got, ok := recodeVNITexts(texts); ok {
		t.Errorf("recodeVNITexts(all) = %q, true; want false", got)
	}
}

// goldenTexts are the titles and texts of the golden pages that are not VNI.
func goldenTexts(t *testing.T) []string {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		if strings.Contains(f, "vni") {
			continue
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var g struct{ Title, Text string }
		if json.Unmarshal(raw, &g) != nil {
			continue // not a golden result (cases.json, expect.json)
		}
		for _, s := range []string{g.Title, g.Text} {
			if s != "" {
				out = append(out, s)
			}
		}
	}
	if len(out) < 20 {
		t.Fatalf("only %d golden texts", len(out))
	}
	return out
}

// vniCorpus is Unicode Vietnamese holding every letter, in syllables.
func vniCorpus() string {
	var b strings.Builder
	b.WriteString(kiengiangUnicode + "\n" + kiengiangUnicode2 + "\n")
	b.WriteString("Nguyễn Thị Hường, người trưởng phòng khuyến nông huyện Quỳnh Lưu, tỉnh Nghệ An; " +
		"Đoàn Thanh niên xã Yên Sở đã quyết định ưu tiên giữ gìn rượu cần, khuỷu tay, ngoáy tai.\n")
	for _, l := range vietnameseLetters() {
		if l == 'đ' || l == 'Đ' {
			b.WriteString(string(l) + "a ")
			continue
		}
		b.WriteString("t" + string(l) + "n ")
	}
	return b.String()
}

// TestRecodeVNIRoundTrip: Unicode spelled in VNI by the rules of the
// encoding converts back to itself, in small letters and capitals, and the
// converted text converts no further.
func TestRecodeVNIRoundTrip(t *testing.T) {
	for _, want := range []string{vniCorpus(), strings.ToUpper(vniCorpus())} {
		in := encodeVNI(want)
		got, ok := recodeVNI(in)
		if !ok || got != want {
			t.Errorf("recodeVNI(encodeVNI(text)) = %v\n got %q\nwant %q", ok, got, want)
		}
		if again, ok := recodeVNI(got); ok || again != got {
			t.Errorf("recodeVNI(converted) = %q, %v; want it unchanged", again, ok)
		}
	}
}

// TestRecodeVNINodes converts the VNI body of the golden page and nothing
// else: the page's Unicode title, menus and footer stay as they are.
func TestRecodeVNINodes(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("testdata", "kiengiang-vni-garbled.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !mayBeVNI(string(raw)) {
		t.Fatal("mayBeVNI(page) = false")
	}
	doc, err := html.Parse(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	before := textNodes(doc)
	if !recodeVNINodes(doc) {
		t.Fatal("recodeVNINodes(page) = false")
	}
	after := textNodes(doc)
	changed := map[string]string{}
	for i := range before {
		if before[i] != after[i] {
			changed[before[i]] = after[i]
		}
	}
	want := map[string]string{kiengiangVNI: kiengiangUnicode, kiengiangVNI2: kiengiangUnicode2}
	if len(changed) != len(want) {
		t.Errorf("changed %d text nodes, want %d: %q", len(changed), len(want), changed)
	}
	for in, w := range want {
		if changed[in] != w {
			t.Errorf("node %q became %q, want %q", in, changed[in], w)
		}
	}
	// A short VNI text converts with the rest of its page.
	doc, _ = html.Parse(strings.NewReader("<h1>Vieät Nam</h1><p>" + kiengiangVNI + "</p>"))
	if !recodeVNINodes(doc) || textNodes(doc)[0] != "Việt Nam" {
		t.Errorf("heading = %q, want %q", textNodes(doc)[0], "Việt Nam")
	}
}

// TestRecodeVNINodesLeavesOtherPages: no other golden page, the TCVN3 ones
// included, is taken for VNI.
func TestRecodeVNINodesLeavesOtherPages(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.Contains(f, "vni") {
			continue
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := html.Parse(strings.NewReader(nfc(string(raw))))
		if err != nil {
			t.Fatal(err)
		}
		if recodeVNINodes(doc) {
			t.Errorf("recodeVNINodes(%s) = true", f)
		}
	}
}

func textNodes(root *html.Node) []string {
	var out []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			out = append(out, n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return out
}

func TestMayBeVNI(t *testing.T) {
	for s, want := range map[string]bool{
		"Sôû Noäi vuï": true,
		"Ñaêng kyù":    true,
		"UÛY BAN":      true,
		"Sở Nội vụ tỉnh Sơn La đã tổ chức": false,
		"Các cán bộ có trách nhiệm":        false,
		"Tháng 3 - Sở Nội vụ, Ôn tập":      false,
		"The quick brown fox":              false,
		"\xc3":                             false,
	} {
		if got := mayBeVNI(s); got != want {
			t.Errorf("mayBeVNI(%q) = %v, want %v", s, got, want)
		}
	}
}

func FuzzRecodeVNI(f *testing.F) {
	for _, s := range []string{kiengiangVNI, kiengiangUnicode, encodeVNI(vniCorpus()),
		"Où est-il ? Le coût du goût, c'est sûr", "Sôû Noäi vuï tỉnh Kiên Giang",
		// Codes that pair only once converted: "aaù" gives "aá", "oâù" "ôù".
		kiengiangVNI + " aaù oâù hoâû Ôù ôô öö ññ Uûû a\u0308ï Noäi\u0301 \xc3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, ok := recodeVNI(s)
		if !ok && out != s {
			t.Fatalf("recodeVNI(%q) = %q, false: changed", s, out)
		}
		if utf8.ValidString(s) && !utf8.ValidString(out) {
			t.Fatalf("recodeVNI(%q) = %q: not UTF-8", s, out)
		}
		if ok && !norm.NFC.IsNormalString(out) {
			t.Fatalf("recodeVNI(%q) = %q: not NFC", s, out)
		}
		if again, ok := recodeVNI(out); ok || again != out {
			t.Fatalf("recodeVNI(%q) = %q, then %q, %v", s, out, again, ok)
		}
	})
}

func BenchmarkRecodeVNI(b *testing.B) {
	for _, bc := range []struct{ name, text string }{
		{"vni", strings.Repeat(kiengiangVNI+" "+kiengiangVNI2+"\n", 20)},
		{"unicode", strings.Repeat(kiengiangUnicode+" "+kiengiangUnicode2+"\n", 20)},
		{"french", strings.Repeat("Où est-il ? Le coût du goût, c'est sûr : Noël à l'île, un maïs naïf.\n", 20)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.text)))
			for b.Loop() {
				recodeVNI(bc.text)
			}
		})
	}
}
