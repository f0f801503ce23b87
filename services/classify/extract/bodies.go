package extract

import (
	"strings"

	"github.com/deskwire/newsroom/services/pipeline/catalog"
)

// bodyMods and bodyHeads make the lower-case names of local bodies:
// "Lviv's military administration", "the Odesa city council".
var (
	bodyMods  = newSet(`city,regional,oblast,district,military,civil,municipal,provincial,state`)
	bodyHeads = newSet(`administration,council`)
)

// findLowerBodies adds local bodies written in lower case after the place
// they govern: "<Place>'s military administration", "<Place> city
// council". A possessive place keeps its own reading; the body is named in title
// case after it, a military administration with "City" or "Regional" as
// the place is a city or a region ("Lviv City Military Administration").
func (s *state) findLowerBodies() {
	toks := s.toks
	for _, h := range s.tz.marked(mOpen) {
		if toks[h].lex&lxBodyHead == 0 || !toks[h].is(fLower) || !s.weakGap(h) {
			continue
		}
		// Back over the modifiers to the place: "<Place>['s] city military <head>".
		p := h
		military, placeWord := false, false
		for p > 0 && h-p < 3 && toks[p-1].is(fLower) && toks[p-1].lex&lxBodyMod != 0 {
			switch toks[p-1].norm {
			case "military":
				military = true
			case "city", "regional", "oblast", "district":
				placeWord = true
			}
			p--
		}
		if p == h || p == 0 || !s.weakGap(p) {
			continue
		}
		k := p - 1
		if toks[k].is(fPossS) {
			k--
		}
		if k < 0 || !toks[k].is(fCap) || toks[k].is(fAllCaps) || k+1 < p && !s.weakGap(k+1) && !toks[k+1].is(fPossS) {
			continue
		}
		kind := s.placeKindAt(k)
		if kind == 0 {
			continue
		}
		var b strings.Builder
		b.WriteString(s.surface(k, k+1))
		if military && !placeWord {
			if kind == kRegion {
				b.WriteString(" Regional")
			} else {
				b.WriteString(" City")
			}
		}
		for m := p; m <= h; m++ {
			b.WriteByte(' ')
			b.WriteString(titleCase(toks[m].norm))
		}
		start := k // "the Odesa city council": the place is part of the name
		if p > k+1 {
			start = p // "Lviv's military administration": the place stays a place
		}
		s.addSpan(span{i: start, j: h + 1, src: srcOrg, typ: tActor, kind: "organization", name: b.String(),
			id: "gen:org:", entry: -1})
	}
}

// placeKindAt returns the kind of catalog place token k names (kRegion
// when it names only regions, kCity otherwise), or 0 when it names none.
func (s *state) placeKindAt(k int32) uint8 {
	kind := uint8(0)
	for _, c := range s.singleCands(k) {
		if c.typ != tyLocation || c.kind == kCountry {
			continue
		}
		if c.kind != kRegion {
			return kCity
		}
		kind = kRegion
	}
	return kind
}

// landmarkSpeaks turns a catalog landmark (a building, not a town or a
// country) followed by a reporting verb into the body it houses: "the
// White House says" is the presidency speaking. A capital that speaks
// ("Moscow warned") stays a place, as the guideline says.
func (s *state) landmarkSpeaks(sp *span, en *catalog.Entry) bool {
	if en.Kind != "place" || sp.n() < 2 || sp.j >= int32(len(s.toks)) {
		return false
	}
	nt := &s.toks[sp.j]
	if !nt.is(fLower) || nt.is(fBarrier|fComma) || nt.lex&lxReport == 0 {
		return false
	}
	name := s.cleanName(sp.i, sp.j)
	s.add(tActor, -1, s.genID("gen:org:", name), name, "organization", en.Country, "", sp.i, sp.j)
	return true
}

// hCountry is the hash of "country", as in "the country's defence ministry".
var hCountry = hashString("country")

// countryAnaphora resolves "the country's <type> ministry" and "the
// country's military" to the body of the country the article is most
// about (the catalog country mentioned most often).
func (s *state) countryAnaphora() {
	toks := s.toks
	n := int32(len(toks))
	cc := ""
	for k := int32(1); k+2 < n; k++ {
		if toks[k].h != hCountry || !toks[k].is(fLower) || !toks[k+1].is(fPossS) || toks[k-1].norm != "the" {
			continue
		}
		if cc == "" {
			if cc = s.mainCountry(); cc == "" {
				return
			}
		}
		c := k + 2
		entry, end := int32(-1), c+1 // the body and its words [c, end)
		switch {
		case c+1 < n && toks[c+1].norm == "ministry" && ministryTypes[toks[c].norm] != "":
			entry, end = s.e.resolveMinistry(cc, ministryTypes[toks[c].norm]), c+2
		case c+2 < n && toks[c+2].norm == "ministry" && ministryTypes[toks[c].norm+" "+toks[c+1].norm] != "":
			entry, end = s.e.resolveMinistry(cc, ministryTypes[toks[c].norm+" "+toks[c+1].norm]), c+3
		case forceNouns[toks[c].norm] != "" && toks[c].is(fLower):
			if toks[c].norm == "military" && !s.militaryAsNoun(c) {
				continue
			}
			entry = s.e.resolveForces(cc, forceNouns[toks[c].norm])
		}
		if entry >= 0 {
			s.add(tActor, entry, "", "", "", "", "", c, end)
		}
	}
}

// mainCountry returns the code of the catalog country with the most
// mentions among the article's places, or "".
func (s *state) mainCountry() string {
	best, cc := 0, ""
	for i := range s.aggs {
		a := &s.aggs[i]
		if a.typ != tLocation || a.entry < 0 || a.mentions <= best {
			continue
		}
		if en := s.e.cat.At(int(a.entry)); en.Kind == "country" {
			best, cc = a.mentions, en.Country
		}
	}
	return cc
}
