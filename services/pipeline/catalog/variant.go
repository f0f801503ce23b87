package catalog

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Spelling variants. Two layers keep one entity per real thing:
//
//   - VariantKey folds a name to a skeleton shared by its transliteration
//     and punctuation variants; Resolve and Suggest fall back to it when the
//     exact key finds nothing, on both the query and the catalog side.
//   - variantAliases generates, at load, the few variant spellings the
//     extractor must match in running text (it matches exact keys only):
//     Mt./Mount, al-/el-, joined apostrophes, collapsed double consonants,
//     Slavic -sky endings and the romanized Cyrillic of Ukrainian names.

// articles are the Arabic article forms (assimilated ones included) that
// VariantKey drops before another word.
var articles = map[string]bool{
	"al": true, "el": true, "il": true, "ul": true, "ad": true, "ed": true, "adh": true,
	"an": true, "ar": true, "as": true, "ash": true, "at": true, "ath": true, "az": true, "the": true,
}

// abbrevWords expands the abbreviations that name places and saints.
var abbrevWords = map[string]string{
	"mt": "mount", "mtn": "mountain", "st": "saint", "ste": "sainte", "ft": "fort", "pt": "point",
}

// VariantKey returns the spelling skeleton of a name: its Key with the
// abbreviations expanded, articles before another word dropped, "ou" as
// "u", "y" inside a word as "i" (a leading "y" before a vowel dropped),
// "ei" and "ey" as "e", "x" as "ks", runs of one letter collapsed, and the
// words joined without spaces. "Bashar al-Asad", "Bashar Assad", "Mt.
// Hermon" and "Mount Hermon", "Zelenskyy" and "Зеленський" thus share one.
func VariantKey(name string) string {
	k := Key(name)
	out := make([]byte, 0, len(k))
	for k != "" {
		var t string
		t, k, _ = strings.Cut(k, " ")
		if articles[t] && k != "" {
			continue
		}
		if full, ok := abbrevWords[t]; ok {
			t = full
		}
		out = appendSkeleton(out, t)
	}
	return string(out)
}

// appendSkeleton appends the VariantKey form of one folded word to dst.
func appendSkeleton(dst []byte, w string) []byte {
	if len(w) > 1 && w[0] == 'y' && isVowel(w[1]) {
		w = w[1:]
	}
	start := len(dst)
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c == 'o' && i+1 < len(w) && w[i+1] == 'u', c == 'e' && i+1 < len(w) && (w[i+1] == 'i' || w[i+1] == 'y'):
			i++ // "ou" → "u", "ei" → "e"
			if c == 'o' {
				c = 'u'
			}
		case c == 'y' && i > 0:
			c = 'i'
		case c == 'x':
			dst = append(dst, 'k') // "x" is "ks", as in Cyrillic кс
			c = 's'
		}
		if n := len(dst); n > start && dst[n-1] == c {
			continue
		}
		dst = append(dst, c)
	}
	return dst
}

func isVowel(c byte) bool {
	switch c {
	case 'a', 'e', 'i', 'o', 'u', 'y':
		return true
	}
	return false
}

// HasCyrillic reports whether s contains a Cyrillic letter.
func HasCyrillic(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Cyrillic, r) {
			return true
		}
	}
	return false
}

// variantAliases returns spellings of e's names that the extractor would
// not otherwise match in text.
func variantAliases(e *Entry) []string {
	var out []string
	for j := -1; j < len(e.Aliases); j++ {
		n := e.Name
		if j >= 0 {
			n = e.Aliases[j]
		}
		out = append(out, abbrevForms(n)...)
		out = appendIf(out, n, joinApostrophes(n))
		switch e.Type {
		case Actor:
			out = append(out, articleForms(n)...)
			if e.Kind == "person" {
				out = appendIf(out, n, collapseDoubles(n))
			}
			if arabicCountries[e.Country] {
				out = appendIf(out, n, ouToU(n))
			}
			if e.Kind == "person" && (e.Country == "RU" || e.Country == "UA" || e.Country == "BY") {
				out = append(out, slavicEndings(n)...)
			}
		}
		// A Ukrainian place's canonical name follows the national
		// romanization; its other aliases mostly do not.
		if e.Country == "UA" && (e.Type == Location && j < 0 || e.Kind == "person") {
			out = append(out, ukrainianFolds(n)...)
		}
		if e.Country == "RU" && (e.Type == Location && j < 0 || e.Kind == "person") {
			out = append(out, russianFolds(n, e.Kind == "person")...)
		}
	}
	return out
}

func appendIf(out []string, orig, v string) []string {
	if v != "" && v != orig {
		out = append(out, v)
	}
	return out
}

// words splits a name at spaces and hyphens, keeping the separators as
// their own elements so that a name can be rebuilt.
func words(s string) []string {
	var out []string
	start := 0
	for i, r := range s {
		if r == ' ' || r == '-' {
			if i > start {
				out = append(out, s[start:i])
			}
			out = append(out, string(r))
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// abbrevWordList holds the keys of abbrevSwap, for a scan without map
// iteration.
var abbrevWordList = []string{"mount", "saint", "fort", "mt", "st", "ft"}

var abbrevSwap = map[string]string{"mount": "Mt.", "saint": "St.", "fort": "Ft.", "mt": "Mount", "st": "Saint", "ft": "Fort"}

// hasAbbrevWord reports whether a word of name (up to a space or hyphen)
// is one of abbrevSwap's, without allocating.
func hasAbbrevWord(name string) bool {
	start := 0
	for i := 0; i <= len(name); i++ {
		if i < len(name) && name[i] != ' ' && name[i] != '-' {
			continue
		}
		w := strings.TrimSuffix(name[start:i], ".")
		start = i + 1
		if len(w) < 2 || len(w) > 5 {
			continue
		}
		for _, k := range abbrevWordList {
			if len(w) == len(k) && strings.EqualFold(w, k) {
				return true
			}
		}
	}
	return false
}

// abbrevForms swaps Mount/Mt., Saint/St., Fort/Ft. in either direction.
func abbrevForms(name string) []string {
	if !hasAbbrevWord(name) {
		return nil
	}
	ws := words(name)
	changed := false
	for i, w := range ws {
		if len(w) > 6 || len(w) < 2 {
			continue
		}
		if v, ok := abbrevSwap[strings.ToLower(strings.TrimSuffix(w, "."))]; ok && i+1 < len(ws) {
			ws[i], changed = v, true
		}
	}
	if !changed {
		return nil
	}
	return []string{strings.Join(ws, "")}
}

// joinApostrophes removes apostrophes inside a word ("Da'esh" → "Daesh"),
// keeping possessives.
func joinApostrophes(name string) string {
	if !strings.ContainsAny(name, "'’‘ʼʻ`´′") {
		return ""
	}
	var b strings.Builder
	changed := false
	for i, r := range name {
		if IsApostrophe(r) && i > 0 {
			rest := name[i+utf8.RuneLen(r):]
			next, _ := utf8.DecodeRuneInString(rest)
			prev, _ := utf8.DecodeLastRuneInString(name[:i])
			possessive := (next == 's' || next == 'S') && (len(rest) == 1 || !IsWordRune(rune(rest[1])))
			if IsWordRune(prev) && IsWordRune(next) && !possessive {
				changed = true
				continue
			}
		}
		b.WriteRune(r)
	}
	if !changed {
		return ""
	}
	return b.String()
}

// articleForms gives "el-X" for "al-X" (and back) and, for names of more
// than one word, the name without a lower-case or hyphenated article
// ("Bashar al-Assad" → "Bashar Assad").
func articleForms(name string) []string {
	if !strings.Contains(name, "l-") && !strings.Contains(name, "l ") {
		return nil
	}
	ws := words(name)
	var swapped, dropped []string
	found := false
	for i := 0; i < len(ws); i++ {
		w := ws[i]
		lw := strings.ToLower(w)
		hyph := i+2 < len(ws) && ws[i+1] == "-"
		if (lw == "al" || lw == "el") && i+2 < len(ws) && (hyph || w == lw) {
			found = true
			alt := map[string]string{"al": "el", "el": "al", "Al": "El", "El": "Al", "AL": "EL", "EL": "AL"}[w]
			swapped = append(swapped, alt, ws[i+1])
			i++ // the separator goes with the dropped article
			continue
		}
		swapped = append(swapped, w)
		dropped = append(dropped, w)
	}
	if !found {
		return nil
	}
	out := []string{strings.Join(swapped, "")}
	// A bare word is left to the curated aliases: "al-Houthi" the person
	// is not "Houthi" the movement.
	if d := strings.TrimSpace(strings.Join(dropped, "")); strings.ContainsAny(d, " -") {
		out = append(out, d)
	}
	return out
}

// collapseDoubles writes doubled consonants once in words of five letters
// or more that are not all capitals ("Assad" → "Asad"); used for people,
// whose names are transliterated more loosely than organizations'.
func collapseDoubles(name string) string {
	if !hasDouble(name) {
		return ""
	}
	ws := words(name)
	changed := false
	for i, w := range ws {
		if len(w) < 5 || strings.ToUpper(w) == w {
			continue
		}
		var b strings.Builder
		var prev rune
		for _, r := range w {
			if unicode.ToLower(r) == prev && r < utf8.RuneSelf && !isVowel(byte(r|0x20)) && unicode.IsLetter(r) {
				changed = true
				continue
			}
			prev = unicode.ToLower(r)
			b.WriteRune(r)
		}
		ws[i] = b.String()
	}
	if !changed {
		return ""
	}
	return strings.Join(ws, "")
}

// hasDouble reports whether s has the same ASCII letter twice in a row.
func hasDouble(s string) bool {
	for i := 1; i < len(s); i++ {
		if s[i] == s[i-1] && s[i]|0x20 >= 'a' && s[i]|0x20 <= 'z' {
			return true
		}
	}
	return false
}

// arabicCountries are the countries whose names English news romanizes
// from Arabic, where "ou" and "u" write the same vowel.
var arabicCountries = map[string]bool{
	"DZ": true, "BH": true, "EG": true, "IQ": true, "JO": true, "KW": true, "LB": true, "LY": true,
	"MA": true, "OM": true, "PS": true, "QA": true, "SA": true, "SD": true, "SY": true, "TN": true,
	"AE": true, "YE": true, "MR": true,
}

// ouToU writes "ou" as "u" ("Mahmoud" → "Mahmud"), or gives "" when the
// name has none.
func ouToU(name string) string {
	if !strings.Contains(name, "ou") && !strings.Contains(name, "Ou") {
		return ""
	}
	return strings.NewReplacer("ou", "u", "Ou", "U").Replace(name)
}

// slavicEnds are the romanizations of the adjectival surname ending -ский
// / -ський.
var slavicEnds = []string{"skyy", "skyi", "skiy", "sky"}

// slavicEndings gives the other romanizations of a -sky surname
// ("Zelensky" → "Zelenskyy", "Zelenskiy", "Zelenskyi").
func slavicEndings(name string) []string {
	ws := words(name)
	last := len(ws) - 1
	if last < 0 {
		return nil
	}
	for _, end := range slavicEnds {
		if stem, ok := strings.CutSuffix(ws[last], end); ok && len(stem) >= 3 {
			var out []string
			for _, e2 := range slavicEnds {
				if e2 != end {
					ws[last] = stem + e2
					out = append(out, strings.Join(ws, ""))
				}
			}
			return out
		}
	}
	return nil
}

// addVariants appends the generated variant spellings to every entry.
func (c *Catalog) addVariants() {
	for i := range c.entries {
		e := &c.entries[i]
		e.Variants = variantAliases(e)
	}
}

// lookupVariant finds the entries of type ti under the Ukrainian
// romanization of a Cyrillic value, then under the variant skeleton.
func (c *Catalog) lookupVariant(ti int, value string) []int32 {
	if c.blocked[ti][Key(value)] {
		return nil
	}
	forms := []string{value}
	if HasCyrillic(value) {
		uk := RomanizeUkrainian(value)
		if idx := c.lookup(ti, Key(uk)); len(idx) > 0 {
			return idx
		}
		forms = append(forms, uk)
	}
	c.variantOnce[ti].Do(func() { c.buildVariants(ti) })
	for _, f := range forms {
		if idx := c.variants[ti].find(VariantKey(f)); len(idx) > 0 {
			return idx
		}
	}
	return nil
}

// buildVariants indexes the skeletons of every name of type ti, ordered
// like the exact keys (population, then catalog order).
func (c *Catalog) buildVariants(ti int) {
	m := make(map[string][]int32)
	for i := range c.entries {
		e := &c.entries[i]
		if typeIndex(e.Type) != ti {
			continue
		}
		for _, n := range e.Names() {
			k := VariantKey(n)
			if l := m[k]; k != "" && (len(l) == 0 || l[len(l)-1] != int32(i)) {
				m[k] = append(l, int32(i))
			}
		}
	}
	var lists postings
	own := make(map[string]int32, len(m))
	for k, l := range m {
		if len(l) == 1 {
			own[k] = l[0]
			continue
		}
		c.sortPostings(l)
		own[k] = lists.add(l)
	}
	c.variants[ti] = nameIndex{strIndex: newStrIndex(own), lists: lists}
}
