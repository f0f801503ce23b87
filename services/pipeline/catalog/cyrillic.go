package catalog

import (
	"slices"
	"strings"
	"unicode"
)

// ukrainianTable is the Ukrainian national romanization (2010), forms
// inside a word; ukrainianInitial holds the forms at the start of a word.
var (
	ukrainianTable = map[rune]string{
		'а': "a", 'б': "b", 'в': "v", 'г': "h", 'ґ': "g", 'д': "d", 'е': "e", 'є': "ie",
		'ж': "zh", 'з': "z", 'и': "y", 'і': "i", 'ї': "i", 'й': "i", 'к': "k", 'л': "l",
		'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u",
		'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ь': "", 'ю': "iu",
		'я': "ia", 'ы': "y", 'э': "e", 'ё': "io", 'ъ': "",
	}
	ukrainianInitial = map[rune]string{'є': "ye", 'ї': "yi", 'й': "y", 'ю': "yu", 'я': "ya"}
)

// RomanizeUkrainian writes the Cyrillic letters of s in Latin by the
// Ukrainian national table (word-initial forms and "зг" → "zgh" included),
// in lower case; other characters are kept. Resolve tries it beside the
// per-letter folding of Key, which follows the Russian table.
func RomanizeUkrainian(s string) string {
	var b strings.Builder
	prevLetter := false
	var prev rune
	for _, r := range s {
		lr := unicode.ToLower(r)
		v, ok := ukrainianTable[lr]
		switch {
		case !ok:
			if IsApostrophe(r) && prevLetter {
				continue // the Ukrainian apostrophe is not written
			}
			b.WriteRune(r)
		case !prevLetter && ukrainianInitial[lr] != "":
			b.WriteString(ukrainianInitial[lr])
		case lr == 'г' && prev == 'з':
			b.WriteString("gh")
		default:
			b.WriteString(v)
		}
		prevLetter = IsWordRune(r)
		prev = lr
	}
	return b.String()
}

// ukrainianFolds returns what Key gives for the Cyrillic spelling of a name
// written in the Ukrainian national romanization, capitalized like the
// name: "Kharkiv" → "Kharkiv", "Huliaipole" → "Gulyaipole" and
// "Gulyaypole". A Latin "i" after a vowel stands for ї or й, which Key
// folds differently, so both readings are returned; names with other than
// ASCII letters give none.
func ukrainianFolds(name string) []string {
	for i := 0; i < len(name); i++ {
		if name[i] >= 0x80 {
			return nil
		}
	}
	var out []string
	for _, yot := range []bool{false, true} {
		ws := words(name)
		for i, w := range ws {
			if !englishWords[strings.ToLower(w)] {
				ws[i] = ukrainianFold(w, yot)
			}
		}
		v := strings.Join(ws, "")
		if v != name && (len(out) == 0 || out[0] != v) {
			out = append(out, v)
		}
	}
	return out
}

// englishWords are the English words of place and person names, which
// ukrainianFolds keeps as they are.
var englishWords = map[string]bool{
	"city": true, "oblast": true, "region": true, "raion": true, "district": true, "hromada": true,
	"island": true, "river": true, "lake": true, "reservoir": true, "dam": true, "airport": true,
	"port": true, "bay": true, "spit": true, "nuclear": true, "power": true, "plant": true,
	"station": true, "the": true, "of": true, "republic": true, "people's": true, "peoples": true,
	"sea": true, "square": true, "bridge": true, "base": true, "air": true, "gulf": true,
	"mount": true, "mountain": true, "forest": true, "national": true, "park": true, "canal": true,
}

// ukrainianFold converts one romanized name; yot reads an "i" after a
// vowel as й rather than ї.
func ukrainianFold(name string, yot bool) string {
	var b strings.Builder
	s := strings.ToLower(name)
	start := true
	for i := 0; i < len(s); {
		rest := s[i:]
		n, v := ukrainianStep(rest, start, i > 0 && isVowel(s[i-1]), yot)
		if name[i] >= 'A' && name[i] <= 'Z' && v != "" {
			v = strings.ToUpper(v[:1]) + v[1:]
		}
		b.WriteString(v)
		start = !(s[i] >= 'a' && s[i] <= 'z')
		i += n
	}
	return b.String()
}

// ukrainianStep reads one letter of the romanization at the start of s and
// returns its length and what Key folds its Cyrillic letter to.
func ukrainianStep(s string, start, afterVowel, yot bool) (int, string) {
	for _, p := range [][2]string{{"shch", "shch"}, {"zgh", "zg"}, {"zh", "zh"}, {"kh", "kh"}, {"ts", "ts"}, {"ch", "ch"}, {"sh", "sh"}} {
		if strings.HasPrefix(s, p[0]) {
			return len(p[0]), p[1]
		}
	}
	if start {
		for _, p := range [][2]string{{"ye", "ie"}, {"yi", "i"}, {"yu", "yu"}, {"ya", "ya"}} {
			if strings.HasPrefix(s, p[0]) {
				return 2, p[1]
			}
		}
	}
	switch {
	case strings.HasPrefix(s, "ia"):
		return 2, "ya"
	case strings.HasPrefix(s, "iu"):
		return 2, "yu"
	case strings.HasPrefix(s, "ie"):
		return 2, "ie"
	}
	switch s[0] {
	case 'h':
		return 1, "g"
	case 'y':
		if start || afterVowel {
			return 1, "y" // й, as in "Oleksiy" or the end of "Zelenskyy"
		}
		return 1, "i"
	case 'i':
		if afterVowel && yot {
			return 1, "y"
		}
		return 1, "i"
	}
	return 1, s[:1]
}

// russianFolds returns what Key gives for the Russian Cyrillic spelling of
// a name written in English news style: "Ye" at a word start as "E", "x"
// as "ks", a final й after a vowel as "y" ("Sergei" → "Sergey") and a
// final "y" or "i" after a consonant as "iy" (-ий) or "yy" (-ый), both
// given ("Dmitry" → "Dmitriy", "Dmitryy"); the endings only when endings
// is set (people's names: a place's final "y" is mostly ы, as written).
func russianFolds(name string, endings bool) []string {
	base := name
	if v := russianYe(name); v != "" {
		base = v
	}
	var out []string
	for _, yy := range []bool{false, true} {
		ws := words(base)
		for i, w := range ws {
			ws[i] = russianWord(w, endings, yy)
		}
		v := strings.Join(ws, "")
		if v != name && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// russianWord applies russianFolds' rules to one word.
func russianWord(w string, endings, yy bool) string {
	if len(w) < 4 || !isASCIIWord(w) {
		return w
	}
	w = strings.ReplaceAll(strings.ReplaceAll(w, "x", "ks"), "X", "Ks")
	if !endings {
		return w
	}
	n := len(w)
	last, prev := w[n-1], w[n-2]|0x20
	switch {
	case last == 'i' && strings.IndexByte("aeou", prev) >= 0:
		return w[:n-1] + "y"
	case (last == 'y' || last == 'i') && !isVowel(prev):
		if yy {
			return w[:n-1] + "yy"
		}
		return w[:n-1] + "iy"
	}
	return w
}

func isASCIIWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// russianYe gives the Key-folded form of a BGN/PCGN name whose "ye" stands
// for е at the start of a word or after a vowel ("Yekaterinburg" →
// "Ekaterinburg"), or "" when there is none.
func russianYe(name string) string {
	if !strings.Contains(name, "ye") && !strings.Contains(name, "Ye") {
		return ""
	}
	var b strings.Builder
	changed := false
	for i := 0; i < len(name); i++ {
		c := name[i]
		if (c == 'Y' || c == 'y') && i+1 < len(name) && (name[i+1] == 'e' || name[i+1] == 'E') &&
			(i == 0 || !IsWordRune(rune(name[i-1])) || isVowel(name[i-1]|0x20)) {
			changed = true
			if c == 'Y' {
				b.WriteByte('E')
				i++
			}
			continue
		}
		b.WriteByte(c)
	}
	if !changed {
		return ""
	}
	return b.String()
}
