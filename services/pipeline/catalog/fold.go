package catalog

import (
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// foldTable maps accented Latin letters (upper and lower case) to their
// unaccented lower-case ASCII base letter.
var foldTable = func() map[rune]rune {
	groups := map[rune]string{
		'a': "àáâãäåāăąǎǟǡǻȁȃȧạảấầẩẫậắằẳẵặÀÁÂÃÄÅĀĂĄǍǞǠǺȀȂȦẠẢẤẦẨẪẬẮẰẲẴẶ",
		'c': "çćĉċčÇĆĈĊČ",
		'd': "ďđðĎĐÐ",
		'e': "èéêëēĕėęěȅȇȩẹẻẽếềểễệÈÉÊËĒĔĖĘĚȄȆȨẸẺẼẾỀỂỄỆ",
		'g': "ĝğġģǧǵĜĞĠĢǦǴ",
		'h': "ĥħȟḥĤĦȞḤ",
		'i': "ìíîïĩīĭįıǐȉȋịỉÌÍÎÏĨĪĬĮİǏȈȊỊỈ",
		'j': "ĵǰĴ",
		'k': "ķǩĶǨ",
		'l': "ĺļľŀłĹĻĽĿŁ",
		'n': "ñńņňŉǹÑŃŅŇǸ",
		'o': "òóôõöøōŏőǒǫǭǿȍȏȫȭȯȱọỏốồổỗộớờởỡợơÒÓÔÕÖØŌŎŐǑǪǬǾȌȎȪȬȮȰỌỎỐỒỔỖỘỚỜỞỠỢƠ",
		'r': "ŕŗřȑȓŔŖŘȐȒ",
		's': "śŝşšșṣŚŜŞŠȘṢ",
		't': "ţťŧțṭŢŤŦȚṬ",
		'u': "ùúûüũūŭůűųǔǖǘǚǜȕȗụủứừửữựưÙÚÛÜŨŪŬŮŰŲǓǕǗǙǛȔȖỤỦỨỪỬỮỰƯ",
		'w': "ŵẁẃẅŴẀẂẄ",
		'y': "ýÿŷȳỳỵỷỹÝŸŶȲỲỴỶỸ",
		'z': "źżžẓŹŻŽẒ",
	}
	m := make(map[rune]rune, 512)
	for base, list := range groups {
		for _, r := range list {
			m[r] = base
		}
	}
	return m
}()

// foldMulti lists letters that fold to more than one ASCII letter.
var foldMulti = map[rune]string{
	'ß': "ss", 'ẞ': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe",
	'þ': "th", 'Þ': "th", 'ĳ': "ij", 'Ĳ': "ij",
}

// cyrillicFold romanizes the Cyrillic letters U+0400..U+04FF one by one,
// lower and upper case alike: shared letters by the Russian BGN/PCGN table,
// the Ukrainian letters і ї є ґ by the Ukrainian national table (2010),
// soft and hard signs to nothing. Every value is at most twice the UTF-8
// length of its letter, which the extractor's token buffer relies on.
var cyrillicFold = func() (t [0x100]string) {
	lower := map[rune]string{
		'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh",
		'з': "z", 'и': "i", 'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o",
		'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts",
		'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu",
		'я': "ya", 'і': "i", 'ї': "i", 'є': "ie", 'ґ': "g", 'ў': "u", 'ѐ': "e", 'ѝ': "i",
	}
	for r, v := range lower {
		t[r-0x400] = v
		t[unicode.ToUpper(r)-0x400] = v
	}
	return t
}()

// IsApostrophe reports whether r is one of the apostrophe-like characters
// (', ’, ‘, ʼ, ʻ, `, ´) that separate a possessive "s" from its word.
func IsApostrophe(r rune) bool {
	switch r {
	case '\'', '’', '‘', 'ʼ', 'ʻ', '`', '´', '′':
		return true
	}
	return false
}

// IsWordRune reports whether r belongs to a word token: a letter or a digit,
// apostrophe-like modifier letters excluded.
func IsWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	if IsApostrophe(r) {
		return false
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// AppendFold appends the case- and diacritics-folded form of r to dst.
// Combining marks fold to nothing; Cyrillic letters are romanized (see
// cyrillicFold), so that "Путин" folds like "Putin".
func AppendFold(dst []byte, r rune) []byte {
	if r < utf8.RuneSelf {
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		return append(dst, byte(r))
	}
	if r >= 0x400 && r < 0x500 {
		if v := cyrillicFold[r-0x400]; v != "" || r == 'ъ' || r == 'ь' || r == 'Ъ' || r == 'Ь' {
			return append(dst, v...)
		}
	}
	if b, ok := foldTable[r]; ok {
		return append(dst, byte(b))
	}
	if s, ok := foldMulti[r]; ok {
		return append(dst, s...)
	}
	if unicode.Is(unicode.Mn, r) {
		return dst
	}
	return utf8.AppendRune(dst, unicode.ToLower(r))
}

// Key returns the lookup key of a name: its word tokens (runs of letters and
// digits), case- and diacritics-folded, joined by single spaces. Punctuation,
// hyphens and apostrophes separate tokens, so "U.S." gives "u s",
// "Shahed-136" gives "shahed 136" and "Erdoğan" gives "erdogan".
func Key(s string) string {
	buf := AppendKey(make([]byte, 0, len(s)), s)
	if len(buf) == 0 {
		return ""
	}
	return unsafe.String(&buf[0], len(buf)) // buf is not used again: no copy
}

// AppendKey appends Key(s) to dst, for callers that must not allocate.
func AppendKey(dst []byte, s string) []byte {
	start := len(dst)
	inWord := false
	for _, r := range s {
		if IsWordRune(r) {
			if !inWord && len(dst) > start {
				dst = append(dst, ' ')
			}
			inWord = true
			dst = AppendFold(dst, r)
			continue
		}
		inWord = false
	}
	return dst
}

// KeyTokens returns the tokens of Key(s).
func KeyTokens(s string) []string {
	k := Key(s)
	if k == "" {
		return nil
	}
	return strings.Split(k, " ")
}
