package extract

import "strings"

// mergeShortOrgs folds a generated organization whose name is the tail of
// a longer actor's name in the same article into that actor: a later
// "the Regional Military Administration" is the "Lviv Regional Military
// Administration" named before, not a second body.
func (s *state) mergeShortOrgs() {
	for a := range s.aggs {
		short := &s.aggs[a]
		if short.typ != tActor || short.entry >= 0 || short.kind != "organization" || !strings.Contains(short.name, " ") {
			continue // one word is too little to tell
		}
		for b := range s.aggs {
			long := &s.aggs[b]
			if b == a || long.typ != tActor || !nameTail(s.aggName(long), short.name) {
				continue
			}
			long.mentions += short.mentions
			long.offset = min(long.offset, short.offset)
			short.typ = -1 // dropped by result
			break
		}
	}
}

// nameTail reports whether name ends with the words of tail, ignoring case.
func nameTail(name, tail string) bool {
	k := len(name) - len(tail)
	return k > 0 && name[k-1] == ' ' && strings.EqualFold(name[k:], tail)
}

// aggName is the name of an entity: the catalog's or the generated one.
func (s *state) aggName(a *agg) string {
	if a.entry >= 0 {
		return s.e.cat.At(int(a.entry)).Name
	}
	return a.name
}

// commonWord reports an ordinary English word, or the plural of one.
func (e *Extractor) commonWord(w string) bool {
	if e.common.has(w) {
		return true
	}
	return len(w) > 3 && w[len(w)-1] == 's' && e.common.has(w[:len(w)-1])
}
