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

// garbled reports TCVN3 or VNI mojibake in s.
func garbled(s string) bool {
	odd, letters := 0, 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
		}
		if r >= 0xA1 && r <= 0xFF && r != 0xD7 && r != 0xB0 && r != 0xA9 && !isVietnameseLatin1(r) {
			odd++
		}
	}
	return odd >= minOddChars && float64(odd) >= oddPerLetter*float64(letters)
}

func isVietnameseLatin1(r rune) bool {
	for _, v := range vietnameseLatin1 {
		if r == v {
			return true
		}
	}
	return false
}
