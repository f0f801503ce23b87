package extract

import (
	"slices"
	"strings"
	"unicode"

	"github.com/deskwire/newsroom/services/pipeline/catalog"
)

// Alias flags.
const (
	aUpper     uint16 = 1 << iota // the alias has an upper-case letter
	aAcronym                      // all letters upper case (NATO, U.S.)
	aCommon                       // a single common English word ("Patriot")
	aAmbig                        // listed as ambiguous in the catalog
	aShort                        // a short designation (K2, M1, Z-9)
	aFirstName                    // a single token that is a given name
	aDigit                        // contains a digit
	aDemonym                      // a country adjective ("Russian")
	aCanonical                    // the entry's canonical name
	aSurname                      // a single-token alias of a person
	aShortAcr                     // an acronym of at most three letters
	aStopWord                     // a function or calendar word
	aAdjTail                      // ends in an adjective ("Russia's military")
)

// cand is one catalog entry reachable under an alias.
type cand struct {
	entry int32
	flags uint16
	// upMask has bit j set when token j of the alias starts upper case.
	upMask uint16
	ntok   uint8
	// typ and kind copy the entry's entInfo.
	typ, kind uint8
}

type dictVal struct {
	start, n int32  // range in dict.cands
	more     bool   // a longer alias continues with this prefix
	lex      uint64 // lexical classes of a single token (lx* bits)
}

// dict maps hashes of folded token sequences (and of every prefix) to
// catalog candidates.
type dict struct {
	// m is used while building; freeze moves it into tab.
	m     map[uint64]dictVal
	multi []uint64 // hashes of keys (and prefixes) of two or more tokens
	// lower admits lower-case tokens that may start a catalog name.
	lower bitset
	tab   htab
	cands []cand
	maxN  int
}

type pendingCand struct {
	h uint64
	c cand
}

func (e *Extractor) buildDict() {
	var pend []pendingCand
	prefixes := map[uint64]bool{}
	var multi, lowerStart []uint64
	entries := e.cat.Entries()
	maxN := 1
	for i := range entries {
		en := &entries[i]
		if en.Type == catalog.Location && en.Kind == "" {
			continue
		}
		names := en.Names()
		if en.Type == catalog.Location {
			// "Mobile, Alabama" and "Plateau (Nigeria)" are also written
			// "Mobile" and "Plateau".
			if short := shortPlaceName(en.Name); short != "" && !slices.Contains(names, short) {
				names = append(names, short)
			}
		}
		for ai, name := range names {
			toks := keyTokensWithComma(name)
			if len(toks) >= 2 && toks[0] == "the" {
				toks = toks[1:] // "the Kremlin": the article is matched as any word
			}
			if len(toks) == 0 || len(toks) > 12 {
				continue
			}
			c := cand{entry: int32(i), ntok: uint8(len(toks)), typ: e.info[i].typ, kind: e.info[i].kind}
			c.flags, c.upMask = e.aliasFlags(en, name, toks)
			if ai == 0 {
				c.flags |= aCanonical
			}
			if c.flags&aDemonym != 0 && en.Type == catalog.Location {
				continue // "Russian" is not a location
			}
			if en.Type == catalog.Location && len(toks) == 1 && ai > 0 && notPlaceWords.has(toks[0]) {
				continue // "Jewish" for the Jewish Autonomous Oblast
			}
			if en.Type == catalog.Actor && len(toks) >= 2 && toks[len(toks)-1] == "military" {
				c.flags |= aAdjTail
			}
			if en.Type == catalog.Actor && e.isOutletOrPlatform(strings.Join(toks, " ")) {
				continue
			}
			var h uint64
			for j, t := range toks {
				if j == 0 {
					h = hashString(t)
				} else {
					h = combine(h, hashString(t))
				}
				if j < len(toks)-1 {
					prefixes[h] = true
				}
				if j > 0 {
					multi = append(multi, h)
				}
				if j == 0 && c.upMask&1 == 0 {
					lowerStart = append(lowerStart, h) // alias starts in lower case
				}
			}
			pend = append(pend, pendingCand{h, c})
			if len(toks) == 1 && lowerMatchable(en, c.flags) {
				lowerStart = append(lowerStart, h)
				if a := altForm(toks[0]); a != "" {
					lowerStart = append(lowerStart, hashString(a))
				}
			}
			if len(toks) > maxN {
				maxN = len(toks)
			}
		}
	}
	// Group candidates by hash.
	group := make(map[uint64][]cand, len(pend))
	for _, p := range pend {
		l := group[p.h]
		dup := false
		for k := range l {
			if l[k].entry == p.c.entry {
				// Keep the most permissive flags of the same entry.
				l[k].flags |= p.c.flags & (aCanonical)
				dup = true
				break
			}
		}
		if !dup {
			group[p.h] = append(l, p.c)
		}
	}
	d := dict{m: make(map[uint64]dictVal, len(group)+len(prefixes)), maxN: maxN}
	for h, l := range group {
		d.m[h] = dictVal{start: int32(len(d.cands)), n: int32(len(l))}
		d.cands = append(d.cands, l...)
	}
	for h := range prefixes {
		v := d.m[h]
		v.more = true
		d.m[h] = v
	}
	d.multi = multi
	d.lower = newBitset(lowerStart, 16)
	e.dict = d
}

// lowerMatchable reports whether a single-token alias may match a
// lower-case word (see caseOK): distinctive names of big places and
// designations with digits.
func lowerMatchable(en *catalog.Entry, f uint16) bool {
	if f&aUpper == 0 {
		return true
	}
	if f&(aCommon|aFirstName|aStopWord|aAmbig|aDemonym|aAcronym) != 0 {
		return false
	}
	switch en.Type {
	case catalog.Location:
		return en.Kind == "country" || en.Population >= 1_000_000
	case catalog.Weapon:
		return f&aDigit != 0
	}
	return false
}

// shortPlaceName returns the bare name of a disambiguated place name:
// the part before ", " or " (", or "" when there is none.
func shortPlaceName(name string) string {
	if i := strings.Index(name, " ("); i > 0 && strings.HasSuffix(name, ")") {
		return name[:i]
	}
	if i := strings.Index(name, ", "); i > 0 {
		return name[:i]
	}
	return ""
}

// keyTokensWithComma splits an alias like catalog.Key but keeps commas as
// tokens, so that "Washington, D.C." only matches with its comma.
func keyTokensWithComma(s string) []string {
	var out []string
	var cur []byte
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	for _, r := range s {
		switch {
		case catalog.IsWordRune(r):
			cur = catalog.AppendFold(cur, r)
		case r == ',':
			flush()
			out = append(out, ",")
		default:
			flush()
		}
	}
	flush()
	return out
}

// aliasFlags classifies an alias.
func (e *Extractor) aliasFlags(en *catalog.Entry, alias string, toks []string) (uint16, uint16) {
	var f, mask uint16
	upper, lower, letters := 0, 0, 0
	tokIdx := 0
	inWord := false
	for _, r := range alias {
		if catalog.IsWordRune(r) {
			if !inWord {
				if unicode.IsUpper(r) && tokIdx < 16 {
					mask |= 1 << tokIdx
				}
				if unicode.IsDigit(r) && tokIdx < 16 {
					mask |= 1 << tokIdx // digits must match as written, treat as "proper"
				}
				tokIdx++
			}
			inWord = true
			switch {
			case unicode.IsUpper(r):
				upper++
				letters++
			case unicode.IsLower(r):
				lower++
				letters++
			case unicode.IsDigit(r):
				f |= aDigit
			}
			continue
		}
		if r == ',' {
			tokIdx++
		}
		inWord = false
	}
	if upper > 0 {
		f |= aUpper
	}
	if upper >= 2 && lower == 0 || upper == 1 && lower == 0 && letters == 1 && len(toks) == 1 {
		f |= aAcronym
		if letters <= 3 {
			f |= aShortAcr
		}
	}
	key := strings.Join(toks, " ")
	if len(toks) == 1 && f&aAcronym == 0 {
		if e.common.has(key) {
			f |= aCommon
		}
		if e.firstNames.has(key) {
			f |= aFirstName
		}
		if stopCaps.has(key) || calendarWords.has(key) {
			f |= aStopWord
		}
		if en.Type == catalog.Actor && en.Kind == "person" {
			f |= aSurname
		}
	}
	if d, ok := e.demonyms[key]; ok && !d.nameForm && e.countries[key] == "" {
		f |= aDemonym
	}
	if en.Type == catalog.Weapon {
		alnum := 0
		for _, t := range toks {
			alnum += len(t)
		}
		if alnum <= 3 {
			f |= aShort
		}
	}
	if en.IsAmbiguous(alias) {
		f |= aAmbig
	}
	return f, mask
}

func (e *Extractor) isOutletOrPlatform(key string) bool {
	return outletNames.has(key) || platformNames.has(key)
}

// freeze moves the build map into the flat lookup table.
func (d *dict) freeze() {
	d.tab = newHtab(d.m, d.multi)
	d.m, d.multi = nil, nil
}

func (d *dict) get(h uint64) (dictVal, bool) { return d.tab.get(h) }
