package extract

import (
	"math"
	"strings"

	"github.com/deskwire/newsroom/services/pipeline/catalog"
)

// emit records the mentions of one resolved span.
func (s *state) emit(sp *span) {
	cat := s.e.cat
	switch sp.src {
	case srcBlock:
		return
	case srcDict:
		if sp.entry < 0 {
			return
		}
		en := cat.At(int(sp.entry))
		if sp.chosen == tLocation && s.landmarkSpeaks(sp, en) {
			return
		}
		s.add(sp.chosen, sp.entry, "", "", "", "", en.Category, sp.i, sp.j)
		if sp.chosen == tLocation {
			s.emitCommaRegion(sp)
		}
		if sp.chosen == tActor {
			s.emitPossessor(sp)
		}
		if sp.chosen == tWeapon {
			for k := sp.i; k < sp.j; k++ {
				s.weaponToks[k] = true
			}
		}
		return
	case srcPlace:
		if sp.alias != "" && sp.cn > 0 {
			s.emitAdminNoun(sp)
			return
		}
		if sp.entry >= 0 {
			s.add(tLocation, sp.entry, "", "", "", "", "", sp.i, sp.j)
			return
		}
		if s.adjacentName(sp) && sp.ev&(evDateline|evSettlement) == 0 {
			return
		}
		s.add(tLocation, -1, sp.id, sp.name, sp.kind, sp.cc, "", sp.i, sp.j)
		return
	}
	// actors
	if sp.entry >= 0 {
		s.add(tActor, sp.entry, "", "", "", "", "", sp.i, sp.j)
	} else {
		if strings.HasPrefix(sp.alias, "bare-ministry:") {
			if k, ok := s.uniqueMinistry(strings.TrimPrefix(sp.alias, "bare-ministry:")); ok {
				if a := s.aggOf(k); a != nil {
					s.add(tActor, a.entry, a.id, a.name, a.kind, a.cc, "", sp.i, sp.j)
					return
				}
			}
			if sp.n() < 3 || s.hasMinistry(strings.TrimPrefix(sp.alias, "bare-ministry:")) {
				return
			}
		}
		s.add(tActor, -1, sp.id, sp.name, sp.kind, sp.cc, "", sp.i, sp.j)
	}
	if sp.ev&evAdminAfter != 0 && sp.cs >= 0 && sp.cc != "" {
		if idx, ok := s.e.countryIdx[sp.cc]; ok {
			s.add(tLocation, idx, "", "", "", "", "", sp.cs, s.countryEnd(sp.cs, sp.j))
		}
	}
}

// emitCommaRegion adds the region or country written after the comma of
// a matched "Tomahawk, Wisconsin".
func (s *state) emitCommaRegion(sp *span) {
	for k := sp.i + 1; k+1 < sp.j; k++ {
		if !s.toks[k].is(fComma) {
			continue
		}
		for _, c := range s.singleCandsN(k+1, sp.j-k-1) {
			en := s.e.cat.At(int(c.entry))
			if en.Type == catalog.Location && (en.Kind == "region" || en.Kind == "country") {
				s.add(tLocation, c.entry, "", "", "", "", "", k+1, sp.j)
				return
			}
		}
		return
	}
}

// emitPossessor adds the person or country named inside an organization's
// name: "Netanyahu's office" names Netanyahu too, "Ukraine's General Staff"
// names Ukraine.
func (s *state) emitPossessor(sp *span) {
	for k := sp.i + 1; k < sp.j; k++ {
		if !s.toks[k].is(fPossS) {
			continue
		}
		for _, c := range s.singleCandsN(sp.i, k-sp.i) {
			en := s.e.cat.At(int(c.entry))
			if c.flags&aAmbig != 0 {
				continue
			}
			if en.Type == catalog.Actor && en.Kind == "person" {
				s.add(tActor, c.entry, "", "", "", "", "", sp.i, k)
				return
			}
			if en.Type == catalog.Location && en.Kind == "country" {
				if idx, ok := s.e.countryIdx[en.Country]; ok && idx == c.entry {
					s.add(tLocation, c.entry, "", "", "", "", "", sp.i, k)
					return
				}
			}
		}
		return
	}
	s.emitOfCountry(sp)
}

// emitOfCountry adds the country in a person's title-like name: "King
// Abdullah II of Jordan" names Jordan too.
func (s *state) emitOfCountry(sp *span) {
	if s.e.cat.At(int(sp.entry)).Kind != "person" {
		return
	}
	for k := sp.i + 1; k+1 < sp.j; k++ {
		if s.toks[k].norm != "of" || !s.toks[k].is(fLower) {
			continue
		}
		for _, c := range s.singleCandsN(k+1, sp.j-k-1) {
			en := s.e.cat.At(int(c.entry))
			if en.Type == catalog.Location && en.Kind == "country" && c.flags&aAmbig == 0 {
				if idx, ok := s.e.countryIdx[en.Country]; ok && idx == c.entry {
					s.add(tLocation, c.entry, "", "", "", "", "", k+1, sp.j)
					return
				}
			}
		}
		return
	}
}

// uniqueMinistry finds the one country-qualified ministry of a type in the
// article ("the Defence Ministry's spokesman" after "Russia's Defence
// Ministry").
func (s *state) uniqueMinistry(typ string) (entKey, bool) {
	var found entKey
	n := 0
	for k := range s.spans {
		sp := &s.spans[k]
		if sp.alias != "ministry:"+typ || s.owner[sp.i] < 0 {
			continue
		}
		key := s.keyOf(sp)
		if n == 0 || key != found {
			n++
			found = key
		}
	}
	// Emit order: qualified ministries must be added first.
	if n == 1 {
		if s.aggOf(found) == nil {
			for k := range s.spans {
				sp := &s.spans[k]
				if sp.alias == "ministry:"+typ && s.owner[sp.i] >= 0 {
					if sp.entry >= 0 {
						s.newAgg(found, agg{typ: tActor, entry: sp.entry, offset: math.MaxInt32})
					} else {
						s.newAgg(found, agg{typ: tActor, entry: -1, id: sp.id, name: sp.name, kind: sp.kind, cc: sp.cc, offset: math.MaxInt32})
					}
					break
				}
			}
		}
	}
	return found, n == 1
}

// hasMinistry reports a country-qualified ministry of the type.
func (s *state) hasMinistry(typ string) bool {
	for k := range s.spans {
		sp := &s.spans[k]
		if sp.alias == "ministry:"+typ && s.owner[sp.i] >= 0 {
			return true
		}
	}
	return false
}

// emitAdminNoun resolves "<X> region": the region X names, the region of
// city X ("Kherson region" → Kherson Oblast), or a new place.
func (s *state) emitAdminNoun(sp *span) {
	cat := s.e.cat
	a, h := sp.cs, sp.cn
	noun := sp.alias
	if lowerGeoNouns.has(noun) {
		s.emitGeoNoun(sp)
		return
	}
	if noun == "regional" && sp.j < int32(len(s.toks)) && regionalBodies.has(s.toks[sp.j].norm) {
		return // "the Odesa regional administration": a place inside a body's name
	}
	var city *catalog.Entry
	for _, c := range s.singleCandsN(a, h-a) {
		en := cat.At(int(c.entry))
		if en.Type != catalog.Location {
			continue
		}
		if ok, _ := s.caseOK(a, h, c); !ok {
			continue
		}
		if en.Kind == "region" || en.Kind == "country" || en.Kind == "place" {
			s.add(tLocation, c.entry, "", "", "", "", "", sp.i, sp.j)
			return
		}
		if city == nil || en.Population > city.Population {
			city = en
		}
	}
	x := strings.Join(strings.Fields(s.surface(a, h)), " ")
	if city != nil {
		for _, suffix := range []string{" Oblast", " Region", " Province", " Governorate", " District", " County", " Prefecture", " " + noun} {
			for _, idx := range cat.ResolveIndex(catalog.Location, catalog.Key(x+suffix)) {
				en := cat.At(int(idx))
				if en.Kind == "region" && en.Country == city.Country {
					s.add(tLocation, idx, "", "", "", "", "", sp.i, sp.j)
					return
				}
			}
		}
		switch noun {
		case "regional":
			// "the Donetsk regional administration" without a region in
			// the catalog: the city.
			if idx := cat.Index(city.ID); idx >= 0 {
				s.add(tLocation, int32(idx), "", "", "", "", "", a, h)
			}
			return
		case "area", "territory", "state", "municipality", "island":
			if idx := cat.Index(city.ID); idx >= 0 {
				s.add(tLocation, int32(idx), "", "", "", "", "", a, h)
			}
			return
		}
	} else if noun == "area" || noun == "territory" || noun == "state" || noun == "municipality" || noun == "regional" {
		return
	}
	if s.adjacentName(&span{i: a, j: h}) {
		return
	}
	kind := "region"
	if noun == "island" {
		kind = "place"
	}
	s.emitNewRegion(sp, x, kind)
}

// emitGeoNoun resolves "<X> river / reservoir / mountains …": the catalog
// feature of that name, the feature X names, or a new place. The town or
// country X may name is not meant ("the Kakhovka reservoir", "the Jordan
// valley").
func (s *state) emitGeoNoun(sp *span) {
	cat := s.e.cat
	a, h := sp.cs, sp.cn
	x := strings.Join(strings.Fields(s.surface(a, h)), " ")
	for _, idx := range cat.ResolveIndex(catalog.Location, catalog.Key(x+" "+sp.alias)) {
		s.add(tLocation, idx, "", "", "", "", "", sp.i, sp.j)
		return
	}
	for _, c := range s.singleCandsN(a, h-a) {
		en := cat.At(int(c.entry))
		if en.Type == catalog.Location && en.Kind == "place" {
			if ok, _ := s.caseOK(a, h, c); ok {
				s.add(tLocation, c.entry, "", "", "", "", "", sp.i, sp.j)
				return
			}
		}
	}
	if s.adjacentName(&span{i: a, j: h}) {
		return
	}
	s.add(tLocation, -1, sp.id, sp.name, "place", "", "", sp.i, sp.j)
}

// countryEnd returns the end of the country name that starts at token k
// inside a ministry's span ending at j: before a possessive ("Russia's
// Defence Ministry"), at j after "of" ("Ministry of Defence of Ukraine"),
// else after one token.
func (s *state) countryEnd(k, j int32) int32 {
	for m := k + 1; m < j && m <= k+3; m++ {
		if s.toks[m].is(fPossS) {
			return m
		}
	}
	if k > 0 && (s.toks[k-1].norm == "of" || s.toks[k-1].norm == "the" && k > 1 && s.toks[k-2].norm == "of") {
		return j
	}
	return k + 1
}
