package extract

import (
	"math"

	"github.com/deskwire/newsroom/services/pipeline/catalog"
)

// collectEvidence gathers the countries and regions an article is about:
// unambiguous catalog places, country adjectives, national bodies.
func (s *state) collectEvidence() {
	cat := s.e.cat
	if s.usDomestic >= 2 {
		s.ccEvidence.inc("US") // senators, governors, runoffs, counties
	}
	for _, i := range s.tz.marked(mDemonym) {
		t := &s.toks[i]
		if !t.is(fCap) || t.lex&lxDemonym == 0 {
			continue
		}
		if d, ok := s.e.demonymTok(t); ok && !d.nameForm {
			s.ccEvidence.inc(d.cc)
		}
	}
	for k := range s.spans {
		sp := &s.spans[k]
		if sp.chosen < 0 {
			continue
		}
		if sp.cc != "" {
			s.ccEvidence.inc(sp.cc)
		}
		if sp.chosen == tActor && sp.entry >= 0 {
			if in := s.e.info[sp.entry]; in.cc < ccEmpty {
				s.ccEvidence.incIdx(in.cc, "")
			} else if c := cat.At(int(sp.entry)).Country; len(c) == 2 {
				s.ccEvidence.inc(c)
			}
		}
		if sp.src == srcPlace && sp.entry >= 0 {
			s.ccEvidence.incIdx(s.e.info[sp.entry].cc, cat.At(int(sp.entry)).Country)
			s.regionSeen.add(sp.entry)
		}
		if sp.chosen != tLocation || sp.src != srcDict {
			continue
		}
		// One country among the candidates → evidence for it.
		// cc is compared by slot, and by string for odd codes (ccNone).
		ccI, ccS := uint16(ccEmpty), ""
		same := true
		nRegions, nCities := 0, 0
		var region int32
		for _, c := range s.e.dict.cands[sp.cs : sp.cs+sp.cn] {
			if c.typ != tyLocation {
				continue
			}
			if ok, _ := s.caseOK(sp.i, sp.j, c); !ok {
				continue
			}
			if c.flags&(aCommon|aFirstName|aStopWord) != 0 {
				same = false
			}
			ci, cs := s.e.info[c.entry].cc, ""
			if ci == ccNone {
				cs = cat.At(int(c.entry)).Country
			}
			if ccI == ccEmpty {
				ccI, ccS = ci, cs
			} else if ccI != ci || ccS != cs {
				same = false
			}
			switch c.kind {
			case kRegion:
				if nRegions == 0 {
					region = c.entry
				}
				nRegions++
			case kCity, kPlace:
				nCities++
			}
		}
		if same && ccI != ccEmpty {
			s.ccEvidence.incIdx(ccI, ccS)
			if nRegions == 1 && nCities == 0 {
				s.regionSeen.add(region)
			}
		}
	}
}

func (e *Extractor) regionOfSlow(en *catalog.Entry) (int32, bool) {
	if en.Admin1 == "" {
		return 0, false
	}
	if r, ok := e.regionIdx[en.Admin1]; ok {
		return r, true
	}
	if r, ok := e.regionIdx[en.Country+"."+en.Admin1]; ok {
		return r, true
	}
	if r, ok := e.regionIdx[catalog.Key(en.Admin1)+"|"+en.Country]; ok {
		return r, true
	}
	return 0, false
}

// chooseLocation scores the catalog places a span may name and keeps the
// best one when the evidence is strong enough. In the first pass only
// confident choices are made, so that they can serve as evidence.
func (s *state) chooseLocation(sp *span, pass int) {
	final := pass == 2
	if sp.adj == 0 { // the answer holds for all passes
		sp.adj = 1
		if s.adjacentName(sp) {
			sp.adj = 2
		}
	}
	if sp.adj == 2 {
		sp.chosen = choiceNone
		return
	}
	best, bestScore := int32(-1), math.Inf(-1)
	cands := s.e.dict.cands[sp.cs : sp.cs+sp.cn]
	// City and region of one name: the city, unless "state"/"region" is said.
	bigCity := false
	info := s.e.info
	for _, c := range cands {
		if c.typ == tyLocation && c.kind == kCity && info[c.entry].pop >= 300_000 {
			bigCity = true
		}
	}
	for _, c := range cands {
		if c.typ != tyLocation {
			continue
		}
		ok, lower := s.caseOK(sp.i, sp.j, c)
		if !ok {
			continue
		}
		sc := s.scoreLoc(sp, c, lower)
		if c.kind == kRegion && bigCity && !s.stateWordNear(sp) {
			sc -= 60 // "Washington" is the city unless "Washington state"
		}
		if sc > bestScore || sc == bestScore && best >= 0 && info[c.entry].pop > info[best].pop {
			best, bestScore = c.entry, sc
		}
	}
	// A region of the same name written out elsewhere ("SAVANNAH, Ga.")
	// decides: "the Georgia coast" is then the state, not the country.
	if best >= 0 && info[best].kind == kCountry {
		for _, c := range cands {
			if s.regionSeen.has(c.entry) && c.entry != best {
				if ok, _ := s.caseOK(sp.i, sp.j, c); ok {
					best, bestScore = c.entry, max(bestScore, 100)
					break
				}
			}
		}
	}
	const threshold = 60
	if best < 0 || bestScore < threshold {
		if final {
			sp.chosen = choiceNone
		}
		return
	}
	if pass == 0 && bestScore < 80 {
		return
	}
	sp.entry = best
	s.ccInc(best)
	if info[best].kind == kRegion {
		s.regionSeen.add(best)
		if info[best].cc == ccUS {
			s.usStates++
		}
	}
}

// allCommon reports whether every word of tokens [i, j) is an ordinary
// English word.
func (s *state) allCommon(i, j int32) bool {
	for k := i; k < j; k++ {
		if s.toks[k].is(fComma) {
			continue
		}
		if s.toks[k].lex&lxCommon == 0 {
			return false
		}
	}
	return true
}

func (s *state) stateWordNear(sp *span) bool {
	if sp.j < int32(len(s.toks)) && s.toks[sp.j].norm == "state" {
		return true
	}
	if sp.i >= 2 && s.toks[sp.i-1].norm == "of" && s.toks[sp.i-2].norm == "state" {
		return true
	}
	return false
}

func (s *state) scoreLoc(sp *span, c cand, lower bool) float64 {
	in := &s.e.info[c.entry]
	kind, pop := in.kind, in.pop
	ccN := s.ccCountOf(c.entry)
	var sc float64
	switch kind {
	case kCountry:
		sc = 100
	case kRegion:
		sc = 60
		if ccN > 0 {
			sc = 70
		}
	case kPlace:
		sc = 65
	default:
		sc = in.popScore
	}
	if sp.n() >= 2 {
		sc += 15
		if kind == kCity && pop < 100_000 && s.allCommon(sp.i, sp.j) {
			sc -= 30 // "Good Hope", "Red Oak": ordinary words
		}
	}
	ev := s.tokEvGet(sp.i)
	if ev&evDateline != 0 {
		sc += 50
	}
	if ev&evSettlement != 0 {
		sc += 45
	}
	if s.locPrepBefore(sp.i) {
		sc += 20
	}
	if ccN > 0 && kind != kCountry {
		if kind != kCity || pop >= 50_000 {
			sc += 25
		} else {
			sc += 10
		}
	}
	if kind == kRegion && in.cc == ccUS && (s.usDomestic >= 2 || s.usStates > 0) {
		sc += 20
	}
	if kind == kCountry && ccN > 0 {
		sc += 15
	}
	if kind != kRegion && kind != kCountry {
		if r := s.e.regionOfIdx[c.entry]; r >= 0 && s.regionSeen.has(r) {
			sc += 35
		}
	}
	if s.adminAfter(sp, c.entry) {
		sc += 40
	}
	if kind == kCity && s.listedWithPlace(sp) {
		sc += 15 // "Fordow, Natanz and Isfahan"
	}
	if kind != kCountry {
		if c.flags&aCommon != 0 {
			sc -= 40
			if s.capUncertain(sp.i) && ev&evDateline == 0 {
				sc -= 20
			}
		}
		if c.flags&aFirstName != 0 && sp.n() == 1 && pop < 300_000 && (kind != kRegion || ccN == 0) {
			sc -= 20
		}
	}
	if c.flags&aStopWord != 0 {
		sc -= 100
	}
	if lower {
		sc -= 10
	}
	return sc
}

// listedWithPlace reports a span in a list ("A, B and C") next to a
// place already chosen.
func (s *state) listedWithPlace(sp *span) bool {
	toks := s.toks
	placeAt := func(k int32) bool {
		if k < 0 || k >= int32(len(toks)) {
			return false
		}
		o := s.owner[k]
		return o >= 0 && s.spans[o].chosen == tLocation && s.spans[o].entry >= 0
	}
	sep := func(k int32) bool {
		return k >= 0 && k < int32(len(toks)) && (toks[k].is(fComma) || toks[k].norm == "and" && toks[k].is(fLower))
	}
	// before: "X, B" / "X and B" / "X, and B"
	if k := sp.i - 1; sep(k) {
		if placeAt(k - 1) {
			return true
		}
		if toks[k].norm == "and" && sep(k-1) && placeAt(k-2) {
			return true
		}
	}
	// after: "B, Y" / "B and Y"
	if k := sp.j; sep(k) && !toks[k].is(fBarrier) {
		if placeAt(k + 1) {
			return true
		}
	}
	return false
}

// listRegions turns the earlier members of a list ended by a plural
// administrative noun into regions: in "Kyiv, Chernihiv and Kharkiv
// oblasts", Kyiv and Chernihiv are oblasts too, not the cities.
func (s *state) listRegions(last *span, noun string) {
	toks := s.toks
	k := last.i - 1
	for n := 0; n < 6 && k >= 1; n++ {
		if !(toks[k].is(fComma) || toks[k].norm == "and" && toks[k].is(fLower)) || toks[k+1].is(fBarrier) {
			return
		}
		if toks[k].norm == "and" && toks[k-1].is(fComma) {
			k--
		}
		o := s.owner[k-1]
		if o < 0 {
			return
		}
		m := &s.spans[o]
		if m.chosen != tLocation || m.src != srcDict || m.j != k {
			return
		}
		m.src, m.alias, m.cs, m.cn, m.entry = srcPlace, noun, m.i, m.j, -1
		m.name = s.cleanName(m.i, m.j) + " " + noun
		m.id = s.genID("gen:place:", m.name)
		k = m.i - 1
	}
}

// regionalBodies follow "<X> regional" in the names of regional bodies.
var regionalBodies = newSet(`administration,council,government,authorities,military,assembly,parliament,prosecutor,police,court,office,department,duma`)

// unknownPopulation scores a town whose population the catalog lacks as a
// small town rather than a hamlet.
const unknownPopulation = 10_000

// popScore is the base score of a town of population pop.
func popScore(pop int64) float64 {
	p := float64(pop)
	if p < 1 {
		// Unknown, not empty: mostly curated towns from conflict news
		// (Tawila, Zikim) and GeoNames rows without a census figure.
		p = unknownPopulation
	}
	sc := 10 * math.Log10(p)
	return min(max(sc, 20), 75)
}

func (s *state) locPrepBefore(i int32) bool {
	if i == 0 {
		return false
	}
	p := &s.toks[i-1]
	return p.is(fLower) && !s.toks[i].is(fBarrier) && (p.lex&lxLocPrep != 0)
}

// adminAfter reports "X, <region or country of X>".
func (s *state) adminAfter(sp *span, idx int32) bool {
	k := sp.j
	if k+1 >= int32(len(s.toks)) || !s.toks[k].is(fComma) {
		return false
	}
	en := s.e.cat.At(int(idx))
	r := s.e.regionOfIdx[idx]
	hasRegion := r >= 0
	for _, c := range s.singleCandsN(k+1, 3) {
		o := s.e.cat.At(int(c.entry))
		if o.Type != catalog.Location {
			continue
		}
		if hasRegion && c.entry == r || o.Kind == "country" && o.Country == en.Country {
			return true
		}
	}
	// AP state abbreviation.
	if en.Country == "US" {
		for n := int32(2); n >= 1; n-- {
			if k+1+n <= int32(len(s.toks)) {
				if st, ok := usStateAbbrev[s.joinNormTmp(k+1, k+1+n)]; ok {
					if idx := s.e.usState(st); idx >= 0 && hasRegion && idx == r {
						return true
					}
				}
			}
		}
	}
	return false
}

// singleCandsN returns the catalog candidates of the longest n-gram (up to
// maxN tokens) starting at token i.
func (s *state) singleCandsN(i int32, maxN int32) []cand {
	var out []cand
	var h uint64
	for n := int32(1); n <= maxN && i+n <= int32(len(s.toks)); n++ {
		t := &s.toks[i+n-1]
		if n > 1 && t.is(fBarrier|fComma) {
			break
		}
		if n == 1 {
			h = t.h
		} else {
			h = combine(h, t.h)
		}
		v, ok := s.e.dict.get(h)
		if !ok {
			break
		}
		if v.n > 0 {
			out = s.e.dict.cands[v.start : v.start+v.n]
		}
		if !v.more {
			break
		}
	}
	return out
}

// shipNames returns the tokens that follow an all-capitals ship prefix,
// listed once per article: each one-token place is checked against them.
func (s *state) shipNames() []int32 {
	if !s.shipNamedOK {
		s.shipNamedOK = true
		toks := s.toks
		for k := int32(1); k < int32(len(toks)); k++ {
			if toks[k-1].lex&lxShip != 0 && toks[k-1].is(fAllCaps) {
				s.shipNamed = append(s.shipNamed, k)
			}
		}
	}
	return s.shipNamed
}

// adjacentName reports a place name glued to other capitalised words that
// make a longer name no catalog knows: "Phoenix Suns", "Georgia Bulldog",
// "East Germany".
func (s *state) adjacentName(sp *span) bool {
	toks := s.toks
	nameLike := func(k int32) bool {
		t := &toks[k]
		if !t.is(fCap) || t.is(fAllCaps) && len(t.norm) <= 3 || t.is(fPossS) {
			return false
		}
		n := t.norm
		if t.lex&lxStop != 0 && !(n == "east" || n == "west" || n == "north" || n == "south" || n == "new") ||
			t.lex&(lxCal|lxTitle|lxGeoHead|lxOrgHead|lxDemonym) != 0 {
			return false
		}
		if o := s.owner[k]; o >= 0 {
			return false
		}
		return true
	}
	if sp.i > 0 && (toks[sp.i-1].lex&lxShip != 0) && toks[sp.i-1].is(fAllCaps) {
		return true
	}
	if sp.n() == 1 && s.hasShips {
		// a ship named once with its prefix keeps its name: "the Carney"
		t := &toks[sp.i]
		for _, k := range s.shipNames() {
			if toks[k].h == t.h && toks[k].norm == t.norm {
				return true
			}
		}
	}
	if sp.j < int32(len(toks)) && s.weakGap(sp.j) && !toks[sp.j].is(fHyphenBefore) && toks[sp.j].is(fDigit) && !toks[sp.j].is(fAlpha) && sp.n() == 1 {
		return true // "Mach 5", "Article 5"
	}
	if sp.j < int32(len(toks)) && s.weakGap(sp.j) && !toks[sp.j].is(fHyphenBefore) && nameLike(sp.j) {
		return true
	}
	if sp.i > 0 && s.weakGap(sp.i) && !toks[sp.i].is(fHyphenBefore) && nameLike(sp.i-1) && !toks[sp.i-1].is(fSentStart) {
		return true
	}
	if sp.i > 0 && s.weakGap(sp.i) && nameLike(sp.i-1) && toks[sp.i-1].is(fSentStart) {
		n := toks[sp.i-1].norm
		if n == "east" || n == "west" || n == "north" || n == "south" || n == "new" {
			return true
		}
	}
	return false
}

// shipPrefixes name a ship, not a place: "USS Carney".
var shipPrefixes = newSet(`uss,hms,hmas,hmcs,hmnzs,ins,rfs,fs,tcg,jds,js,rokn,ns,mv,ss,cns,kri,brp`)
