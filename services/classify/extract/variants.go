package extract

import (
	"slices"
	"strings"
)

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
			s.moveMentions(int32(a), int32(b))
			if long.short == "" {
				long.short = short.name
			}
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

// transcriptLabel reports capitals at the start of the body that label a
// speaker in a transcript ("QUESTION:", "MR. PRICE:") rather than name a
// dateline's place: ordinary words and titles no catalog lists as a place.
func (s *state) transcriptLabel(i, j int32) bool {
	if s.hasDictSpan(i, j, tyLocation) {
		return false
	}
	if t := &s.toks[i]; t.lex&lxTitle != 0 || t.norm == "mr" || t.norm == "mrs" || t.norm == "ms" {
		return true // a speaker: "MR. HALE:", "MINISTER OKORO:"
	}
	for k := i; k < j; k++ {
		t := &s.toks[k]
		if t.lex&(lxCommon|lxTitle|lxAbbrev) == 0 && len(t.norm) > 1 {
			return false
		}
	}
	return true
}

// skeleton folds a transliteration's doubled letters: "assad" and "asad"
// both give "asad".
func skeleton(w string) string {
	b := make([]byte, 0, len(w))
	for i := 0; i < len(w); i++ {
		if i > 0 && w[i] == w[i-1] {
			continue
		}
		b = append(b, w[i])
	}
	return string(b)
}

// buildSkeletons indexes catalog people by the skeleton of each one-word
// alias (surname), for names spelled with one letter more or less.
func (e *Extractor) buildSkeletons() {
	e.skeletons = map[string][]int32{}
	for idx, pk := range e.people {
		for _, sn := range pk.single {
			if len(sn) < 4 {
				continue
			}
			k := skeleton(sn)
			if !slices.Contains(e.skeletons[k], idx) {
				e.skeletons[k] = append(e.skeletons[k], idx)
			}
		}
	}
}

// skeletonPerson finds the catalog person whose surname matches token last
// up to doubled letters, and whose given name is first unless the name is
// a surname alone; -1 when none or more than one does.
func (s *state) skeletonPerson(last int32, first string, single bool) int32 {
	t := &s.toks[last]
	if len(t.norm) < 4 {
		return -1
	}
	found := int32(-1)
	for _, idx := range s.e.skeletons[skeleton(t.norm)] {
		if !single && !slices.Contains(s.e.people[idx].first, first) {
			continue
		}
		if found >= 0 {
			return -1
		}
		found = idx
	}
	return found
}

// mergeCityIntoRegion folds a city mentioned once, as a modifier ("the
// Kursk offensive"), into the region of the same name that the article
// also names ("the Kursk region"): one place, not two. A city named with
// a preposition ("in Kursk") stays a city.
func (s *state) mergeCityIntoRegion() {
	cat := s.e.cat
	for a := range s.aggs {
		city := &s.aggs[a]
		if city.typ != tLocation || city.entry < 0 || city.mentions != 1 {
			continue
		}
		en := cat.At(int(city.entry))
		r := s.e.regionOfIdx[city.entry]
		if en.Kind != "city" || r < 0 {
			continue
		}
		region := s.aggOf(entKey{entry: r})
		if region == nil || !strings.HasPrefix(cat.At(int(r)).Name, en.Name+" ") {
			continue
		}
		k := s.tokAtRune(city.offset)
		if k < 0 || k+1 >= int32(len(s.toks)) || s.locPrepBefore(k) {
			continue
		}
		if nt := &s.toks[k+1]; !nt.is(fLower) || nt.is(fBarrier|fComma) || nt.lex&(lxStop|lxAdmin|lxSettle) != 0 {
			continue
		}
		region.mentions++
		region.offset = min(region.offset, city.offset)
		ri, _ := s.aggIndex(entKey{entry: r})
		s.moveMentions(int32(a), ri)
		city.typ = -1 // dropped by result
	}
}

// tokAtRune returns the token starting at rune offset off, or -1.
func (s *state) tokAtRune(off int32) int32 {
	k, ok := slices.BinarySearchFunc(s.toks, off, func(t token, off int32) int { return int(t.rstart - off) })
	if !ok {
		return -1
	}
	return int32(k)
}
