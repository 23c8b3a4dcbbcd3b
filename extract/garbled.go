package extract

import "unicode"

// vietnameseLatin1 are the Latin-1 letters Vietnamese really uses; any
// other character of U+00A1-U+00FF in running text is a sign of TCVN3
// ("B¸o c¸o thùc tËp") or VNI ("Vieät Nam") text shown in the wrong font.
const vietnameseLatin1 = "àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ"

// Garbling thresholds: enough odd characters, and enough of them per letter.
const (
	minOddChars  = 3
	oddPerLetter = 0.02
)

// garbled reports TCVN3 or VNI mojibake in the texts taken together.
func garbled(texts ...string) bool {
	odd, letters := 0, 0
	for _, s := range texts {
		for _, r := range s {
			if isLetter(r) {
				letters++
			}
			if r >= 0xA1 && r <= 0xFF && r != 0xD7 && r != 0xB0 && r != 0xA9 && !isVietnameseLatin1(r) {
				odd++
			}
		}
	}
	return odd >= minOddChars && float64(odd) >= oddPerLetter*float64(letters)
}

// isLetter is unicode.IsLetter with the blocks of Vietnamese text answered
// first: Latin Extended-A and -B and Latin Extended Additional hold letters
// only, and unicode.IsLetter searches its tables for every rune above
// U+00FF (a third of Vietnamese prose).
func isLetter(r rune) bool {
	if 0x100 <= r && r <= 0x24F || 0x1E00 <= r && r <= 0x1EFF {
		return true
	}
	return unicode.IsLetter(r)
}

func isVietnameseLatin1(r rune) bool {
	for _, v := range vietnameseLatin1 {
		if r == v {
			return true
		}
	}
	return false
}
