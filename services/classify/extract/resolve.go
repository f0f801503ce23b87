package extract

import (
	"math"
	"slices"
	"strings"

	"github.com/deskwire/newsroom/services/pipeline/catalog"
)

// findBlockers marks news outlets and platforms ("told AFP", "on Telegram",
// "Taiwan News"): they are never actors and hide the names inside them.
func (s *state) findBlockers() {
	toks := s.toks
	n := int32(len(toks))
	e := s.e
	for _, i := range s.tz.caps {
		t := &toks[i]
		if !t.capLike() {
			continue
		}
		h := t.h
		first := e.blockFirst.get(t.h) != 0
		for m := int32(1); first && m <= int32(e.blockMaxN) && i+m <= n; m++ {
			if m > 1 {
				if toks[i+m-1].is(fBarrier | fComma) {
					break
				}
				h = combine(h, toks[i+m-1].h)
			}
			if e.blockHashes.get(h) != 0 {
				s.addSpan(span{i: i, j: i + m, src: srcBlock, entry: -1})
			}
		}
		// "<Name> News", "<Name> Times": a capitalised chunk ending in an
		// outlet word.
		j := i + 1
		for j < n && toks[j].capLike() && s.weakGap(j) && !toks[j].is(fPossS) && j-i < 5 {
			j++
		}
		if j-i >= 2 && (toks[j-1].lex&lxOutletHead != 0) && (j == n || !toks[j].capLike() || toks[j].is(fBarrier)) &&
			!(toks[i].lex&lxStop != 0) {
			if j < n && toks[j].is(fPossS) {
				continue // "Taiwan News's" is still an outlet, but keep it simple
			}
			s.addSpan(span{i: i, j: j, src: srcBlock, entry: -1})
		}
	}
}

func (e *Extractor) buildBlockers() {
	names := map[uint64]uint64{}
	first := map[uint64]uint64{}
	defer func() { e.blockFirst, e.blockHashes = newLexTab(first), newLexTab(names) }()
	for _, set := range []wordSet{outletNames, platformNames} {
		for k := range set {
			toks := strings.Split(k, " ")
			var h uint64
			for i, t := range toks {
				if i == 0 {
					h = hashString(t)
				} else {
					h = combine(h, hashString(t))
				}
			}
			names[h] = 1
			first[hashString(toks[0])] = 1
			if len(toks) > e.blockMaxN {
				e.blockMaxN = len(toks)
			}
		}
	}
}

// --- resolution --------------------------------------------------------------------

const (
	choiceNone = -1
)

type mention struct {
	tok int32
	key entKey
	typ int8
	// for new entities
	name, kind, cc string
}

func (s *state) resolve() {
	cat := s.e.cat
	for k := range s.spans {
		sp := &s.spans[k]
		if sp.chosen != -2 {
			continue
		}
		if strings.HasSuffix(sp.id, ":") {
			sp.id = s.genID(sp.id, sp.name) // generated ids are built for kept spans only
		}
		switch sp.src {
		case srcBlock:
			sp.chosen = choiceNone
		case srcDict:
		default:
			sp.chosen = sp.typ
		}
	}
	// A. People found by rules: adopt a catalog person with the same surname
	// and given name; register surnames.
	for k := range s.spans {
		sp := &s.spans[k]
		if sp.chosen < 0 && sp.chosen != -2 {
			continue
		}
		switch sp.src {
		case srcPerson:
			if sp.entry < 0 {
				sp.entry = s.catalogPerson(sp)
			}
			if sp.n() >= 2 {
				s.registerPerson(sp.i, sp.j, s.keyOf(sp))
			}
		case srcDict:
			if sp.n() >= 2 {
				for _, c := range s.e.dict.cands[sp.cs : sp.cs+sp.cn] {
					if c.typ == tyActor && c.kind == kPerson {
						if ok, _ := s.caseOK(sp.i, sp.j, c); ok {
							s.registerPerson(sp.i, sp.j, entKey{entry: c.entry})
						}
						break
					}
				}
			}
		}
	}
	// Title + surname ("Mayor Taskay") names the person found in full.
	for k := range s.spans {
		sp := &s.spans[k]
		if sp.src != srcPerson || sp.chosen < 0 || sp.n() != 1 || sp.entry >= 0 {
			continue
		}
		if idx, ok := s.surnames[s.toks[sp.i].norm]; ok && idx >= 0 {
			p := s.persons[idx]
			sp.entry, sp.id = p.entry, p.id
		}
	}
	// B. Dictionary spans: choose a reading.
	for k := range s.spans {
		sp := &s.spans[k]
		if sp.chosen != -2 || sp.src != srcDict {
			continue
		}
		s.chooseDict(sp)
	}
	// C. Acronym definitions "Long Name (ABC)" and team nicknames.
	for k := range s.spans {
		sp := &s.spans[k]
		if sp.chosen != tActor {
			continue
		}
		if ai := s.definedAcronym(sp); ai >= 0 {
			a := &s.toks[ai]
			if sp.entry < 0 && sp.src != srcDict {
				sp.entry = s.acronymEntry(ai) // "Long Name (ABC)" with ABC in the catalog
			}
			s.acronyms[a.norm] = s.keyOf(sp)
			s.localNames.add(a.h)
		}
		if sp.alias != "" && sp.src == srcTeam {
			s.shortAlias[sp.alias] = s.keyOf(sp)
			s.localNames.add(hashString(sp.alias))
		}
		s.teamPlaceAlias(sp)
	}
	// D. Article-local names win over the catalog: acronyms, surnames,
	// nicknames, unique given names.
	extra := s.extra[:0]
	defer func() { s.extra = extra[:0] }()
	local := len(s.acronyms) + len(s.surnames) + len(s.shortAlias) + len(s.firstOnly)
	for _, i := range s.tz.caps {
		if local == 0 {
			break
		}
		t := &s.toks[i]
		if !t.capLike() || t.is(fPossS) || !s.localNames.has(t.h) {
			continue
		}
		own := s.owner[i]
		if own >= 0 {
			sp := &s.spans[own]
			if sp.src != srcDict || sp.n() != 1 {
				continue
			}
		}
		var key entKey
		found := false
		if k, ok := s.acronyms[t.norm]; ok && t.is(fAllCaps|fCap) {
			key, found = k, true
		} else if idx, ok := s.surnames[t.norm]; ok && idx >= 0 && t.is(fCap) {
			key, found = s.persons[idx], true
		} else if k, ok := s.shortAlias[t.norm]; ok && t.is(fCap) && !s.placeReading(i) {
			key, found = k, true
		} else if idx, ok := s.firstOnly[t.norm]; ok && idx >= 0 && own < 0 && t.is(fCap) && !(t.lex&lxCommon != 0) {
			if i+1 >= int32(len(s.toks)) || !s.toks[i+1].is(fCap) || !s.weakGap(i+1) {
				key, found = s.persons[idx], true
			}
		}
		if !found {
			continue
		}
		if own >= 0 {
			// the span names this entity already?
			if s.spans[own].chosen >= 0 && s.keyOf(&s.spans[own]) == key {
				continue
			}
			s.spans[own].chosen = choiceNone
		}
		extra = append(extra, mention{tok: i, key: key, typ: tActor})
	}
	// E. Location evidence, then locations.
	s.collectEvidence()
	for pass := 0; pass < 3; pass++ {
		for k := range s.spans {
			sp := &s.spans[k]
			if sp.chosen != tLocation || sp.src != srcDict || sp.entry >= 0 {
				continue
			}
			s.chooseLocation(sp, pass)
		}
	}
	// F. Weapons and ambiguous actors need a second, unambiguous mention or
	// local context.
	accepted := s.accepted[:0]
	pending := false
	for k := range s.spans {
		sp := &s.spans[k]
		if sp.chosen >= 0 && sp.entry >= 0 && sp.ev&evPending == 0 {
			accepted = append(accepted, sp.entry)
		}
		if sp.chosen >= 0 && sp.ev&evPending != 0 {
			pending = true
		}
	}
	if pending {
		slices.Sort(accepted)
	}
	s.accepted = accepted
	for k := range s.spans {
		sp := &s.spans[k]
		if sp.chosen < 0 || sp.ev&evPending == 0 {
			continue
		}
		if _, ok := slices.BinarySearch(accepted, sp.entry); ok || sp.chosen == tWeapon && sp.ev&evLocalMil != 0 || sp.chosen == tActor && s.actorContext(sp) {
			sp.ev &^= evPending
			continue
		}
		sp.chosen = choiceNone
	}
	// G. Emit.
	for k := range s.spans {
		sp := &s.spans[k]
		if sp.chosen == tLocation && sp.n() >= 2 {
			if noun := pluralAdminNouns[s.toks[sp.j-1].norm]; noun != "" && s.toks[sp.j-1].is(fLower) {
				s.listRegions(sp, noun)
			}
		}
	}
	for k := range s.spans {
		sp := &s.spans[k]
		if sp.chosen < 0 {
			continue
		}
		s.emit(sp)
	}
	for _, m := range extra {
		a := s.lookupAgg(m.key)
		if a != nil {
			s.add(a.typ, a.entry, a.id, a.name, a.kind, a.cc, a.category, m.tok)
			continue
		}
		if m.key.entry >= 0 {
			en := cat.At(int(m.key.entry))
			s.add(tActor, m.key.entry, "", "", "", "", en.Category, m.tok)
		}
	}
}

// evPending marks a reading that needs confirmation by another mention.
const evPending uint16 = 1 << 15

func (s *state) lookupAgg(k entKey) *agg { return s.aggOf(k) }

// keyOf returns the entity key of a resolved or generated span.
func (s *state) keyOf(sp *span) entKey {
	if sp.entry >= 0 {
		return entKey{entry: sp.entry}
	}
	return entKey{entry: -1, id: sp.id}
}

func (s *state) registerPerson(i, j int32, key entKey) {
	idx := -1
	for k, p := range s.persons {
		if p == key {
			idx = k
		}
	}
	if idx < 0 {
		s.persons = append(s.persons, key)
		idx = len(s.persons) - 1
	}
	// surname: last name token (skip suffixes); given name: first token.
	last := j - 1
	for last > i && ((s.toks[last].lex&lxSuffix != 0) || s.toks[last].is(fComma)) {
		last--
	}
	set := func(m map[string]int, t *token) {
		s.localNames.add(t.h)
		if old, ok := m[t.norm]; ok && old != idx {
			m[t.norm] = -1
			return
		}
		m[t.norm] = idx
	}
	set(s.surnames, &s.toks[last])
	if last > i && !s.isInitial(i) {
		set(s.firstOnly, &s.toks[i])
	}
	if key.entry >= 0 {
		for _, k := range s.e.people[key.entry].single {
			if old, ok := s.surnames[k]; !ok || old == idx {
				s.surnames[k] = idx
				s.localNames.add(hashString(k))
			}
		}
	}
}

// catalogPerson maps a rule-found person to a catalog person with the same
// surname whose given name agrees ("Volodymyr Zelensky" → the catalog's
// "Volodymyr Zelenskyy" listed under alias "Zelensky").
func (s *state) catalogPerson(sp *span) int32 {
	last := sp.j - 1
	for last > sp.i && (s.toks[last].lex&lxSuffix != 0) {
		last--
	}
	first := s.toks[sp.i].norm
	single := last == sp.i
	for _, c := range s.singleCands(last) {
		if c.typ != tyActor || c.kind != kPerson {
			continue
		}
		if single {
			return c.entry
		}
		if slices.Contains(s.e.people[c.entry].first, first) {
			return c.entry
		}
	}
	if idx := s.skeletonPerson(last, first, single); idx >= 0 {
		return idx // "Bashar al-Asad" is the catalog's "Bashar al-Assad"
	}
	// Given names only ("(Recep Tayyip) Erdogan"): the one catalog person
	// whose name starts so.
	if (s.toks[last].lex&lxFirst != 0) && !single {
		var found int32 = -1
		for _, en := range s.e.cat.Suggest(catalog.Actor, s.joinNormTmp(sp.i, sp.j)+" ", 3) {
			if en.Kind != "person" {
				continue
			}
			if found >= 0 {
				return -1
			}
			found = int32(s.e.cat.Index(en.ID))
		}
		return found
	}
	return -1
}

// chooseDict picks the reading of a catalog span: actor, weapon or location.
func (s *state) chooseDict(sp *span) {
	var act, wpn *cand
	var hasLoc, hasCountry, strongLoc bool
	cands := s.e.dict.cands[sp.cs : sp.cs+sp.cn]
	for k := range cands {
		c := &cands[k]
		ok, _ := s.caseOK(sp.i, sp.j, *c)
		if !ok {
			continue
		}
		switch c.typ {
		case tyActor:
			if act == nil || act.flags&aAmbig != 0 && c.flags&aAmbig == 0 {
				act = c
			}
		case tyWeapon:
			if wpn == nil || s.weaponRisky(sp, *wpn) && !s.weaponRisky(sp, *c) {
				wpn = c
			}
		case tyLocation:
			hasLoc = true
			if c.kind == kCountry {
				hasCountry = true
			}
			if c.kind != kCity || s.e.info[c.entry].pop >= 100_000 {
				strongLoc = true
			}
		}
	}
	sp.chosen = choiceNone
	// Weapons first when the context is military.
	if wpn != nil {
		ok, pending := s.weaponOK(sp, *wpn)
		strict := ok && !pending
		if strict || ok && act == nil && !hasLoc {
			sp.chosen, sp.entry = tWeapon, wpn.entry
			if pending {
				sp.ev |= evPending
			}
			return
		}
	}
	if hasCountry {
		sp.chosen = tLocation
		return
	}
	if act != nil {
		if strongLoc && s.locativeBefore(sp.i) {
			sp.chosen = tLocation
			return
		}
		if s.actorOK(sp, *act) {
			sp.chosen, sp.entry = tActor, act.entry
			if s.actorNeedsConfirm(sp, *act) {
				sp.ev |= evPending
			}
			return
		}
	}
	if hasLoc {
		sp.chosen = tLocation
	}
}

// weaponRisky reports whether an alias may well mean something else: a
// common word, a given name, a short designation, a listed ambiguity.
func (s *state) weaponRisky(sp *span, c cand) bool {
	if c.flags&(aCommon|aAmbig|aShort|aFirstName|aStopWord) != 0 || sp.ev&evLower != 0 {
		return true
	}
	if sp.n() == 1 && s.capUncertain(sp.i) && (s.toks[sp.i].lex&lxCommon != 0) {
		return true
	}
	return false
}

// weaponOK decides a weapon reading; pending means it holds only if the
// same weapon is confirmed elsewhere or locally.
func (s *state) weaponOK(sp *span, c cand) (ok, pending bool) {
	if s.milStrong == 0 {
		return s.designationWeapon(sp), false
	}
	if s.sports >= 4 && s.milStrong < 4 {
		return false, false
	}
	if !s.weaponRisky(sp, c) {
		return true, false
	}
	if !s.milContext() {
		return false, false
	}
	if s.localMilitary(sp) {
		sp.ev |= evLocalMil
		return true, false
	}
	return true, true
}

// weaponContext are words that, near a name, make it a weapon.
var weaponContext = newSet(`missile,missiles,system,systems,rocket,rockets,launcher,launchers,tank,tanks,jet,jets,fighter,
fighters,aircraft,plane,planes,drone,drones,howitzer,howitzers,battery,batteries,interceptor,interceptors,warship,
warships,submarine,submarines,helicopter,helicopters,munition,munitions,weapon,weapons,bomber,bombers,cruise,
ballistic,hypersonic,air-defense,defense,defence,variants,variant,vehicles,armored,armoured,artillery,strike,
strikes,launched,fired,shot,intercepted,deliveries,delivery,supply,supplied,send,sending,sent,
fleet,fleets,program,programme,squadron,squadrons,pilots,pilot,order,ordered,purchase,procurement,contract,
production,upgrade,upgraded,frigate,frigates,destroyer,destroyers,ship,ships,vessel,vessels,buy,bought,airframes,
salvo,salvos,salvoes,barrage,barrages`)

func (s *state) localMilitary(sp *span) bool {
	toks := s.toks
	lo, hi := sp.i-6, sp.j+6
	if lo < 0 {
		lo = 0
	}
	if hi > int32(len(toks)) {
		hi = int32(len(toks))
	}
	// stay in the sentence
	for k := sp.i; k > lo; k-- {
		if toks[k].is(fSentStart) {
			lo = k
			break
		}
	}
	for k := sp.j; k < hi; k++ {
		if toks[k].is(fSentStart) {
			hi = k
			break
		}
	}
	for k := lo; k < hi; k++ {
		if k >= sp.i && k < sp.j {
			continue
		}
		if (toks[k].lex&lxWeaponCtx != 0) && !toks[k].is(fCap) {
			return true
		}
		if o := s.owner[k]; o >= 0 && s.spans[o].src == srcDict {
			for _, c := range s.e.dict.cands[s.spans[o].cs : s.spans[o].cs+s.spans[o].cn] {
				if c.typ == tyWeapon && !s.weaponRisky(&s.spans[o], c) {
					return true
				}
			}
		}
	}
	return false
}

func (s *state) actorOK(sp *span, c cand) bool {
	if c.flags&aStopWord != 0 {
		return false
	}
	if sp.j < int32(len(s.toks)) {
		nt := &s.toks[sp.j]
		// "Fatah-4": a designation built on the name, not the group.
		if nt.is(fHyphenBefore) && !nt.is(fBarrier) && nt.norm != "" && nt.norm[0] >= '0' && nt.norm[0] <= '9' {
			return false
		}
		// "Danish Defence Minister": a role, not the body.
		if nt.is(fCap) && !nt.is(fBarrier|fComma) && nt.lex&lxTitle != 0 && s.toks[sp.j-1].lex&lxGenericMod != 0 {
			return false
		}
	}
	// "Russia's military operations": an adjective, not the armed forces.
	if c.flags&aAdjTail != 0 && sp.j < int32(len(s.toks)) {
		nt := &s.toks[sp.j]
		if nt.is(fLower) && !nt.is(fBarrier|fComma) && !s.militaryAsNoun(sp.j-1) {
			return false
		}
	}
	return true
}

// actorNeedsConfirm: ambiguous aliases, and surnames that are common words
// or given names, count only after an unambiguous mention.
func (s *state) actorNeedsConfirm(sp *span, c cand) bool {
	if c.flags&aAmbig != 0 {
		return true
	}
	if sp.n() == 1 && c.kind == kPerson && c.flags&(aCommon|aFirstName) != 0 {
		return true
	}
	if sp.n() == 1 && c.flags&aCommon != 0 && s.capUncertain(sp.i) {
		return true
	}
	return false
}

// orgContext are words next to an organization's short name that make it
// one: "mercenary group Wagner", "Wagner founder", "Fatah-linked".
var orgContext = newSet(`group,founder,founders,chief,boss,leader,leaders,head,commander,commanders,fighters,units,
unit,forces,troops,members,member,militants,mercenaries,spokesman,spokeswoman,spokesperson,official,officials,
party,movement,company,militia,faction,linked,backed,led,affiliated,aligned,run,ruled,controlled,allied,
owned,operated,sponsored,statement,members,army,organization,organisation,network,group's`)

// actorContext confirms an ambiguous actor alias by its neighbours or, for
// an organization, by the article being about its country.
func (s *state) actorContext(sp *span) bool {
	en := s.e.cat.At(int(sp.entry))
	toks := s.toks
	if sp.n() == 1 && toks[sp.i].is(fTitle) && s.titleCase && !toks[sp.i].is(fAllCaps) {
		return false // a title-case headline word needs the body to confirm it
	}
	if sp.i > 0 && !toks[sp.i].is(fBarrier) {
		if toks[sp.i-1].lex&lxTitle != 0 || en.Kind != "person" && toks[sp.i-1].lex&lxOrgCtx != 0 {
			return true
		}
	}
	if en.Kind == "person" && s.surnameAlone(sp) {
		return true
	}
	if sp.j < int32(len(toks)) && !toks[sp.j].is(fBarrier|fComma) && en.Kind != "person" && (toks[sp.j].lex&lxOrgCtx != 0) {
		return true
	}
	if en.Kind == "organization" && len(en.Country) == 2 && s.ccEvidence.get(en.Country) > 0 {
		role := strings.ToLower(en.Role)
		if strings.Contains(role, "team") || strings.Contains(role, "club") || strings.Contains(role, "league") {
			return s.sports >= 2
		}
		return true
	}
	return false
}

// locativeBefore reports a preposition of place before token i, skipping
// "the" ("visit the White House").
func (s *state) locativeBefore(i int32) bool {
	k := i - 1
	if k >= 0 && s.toks[k].norm == "the" {
		k--
	}
	if k < 0 {
		return false
	}
	switch s.toks[k].norm {
	case "at", "in", "inside", "outside", "to", "visit", "visited", "visiting", "near", "from", "into", "toward", "towards", "around", "on":
		return s.toks[k].is(fLower)
	}
	return false
}

// collectEvidence gathers the countries and regions an article is about:
// unambiguous catalog places, country adjectives, national bodies.
func (s *state) collectEvidence() {
	cat := s.e.cat
	if s.usDomestic >= 2 {
		s.ccEvidence.inc("US") // senators, governors, runoffs, counties
	}
	for _, i := range s.tz.rare {
		if s.marks[i]&mDemonym == 0 {
			continue
		}
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

// regionOf returns the region (admin1) entry of a location.
func (e *Extractor) regionOf(en *catalog.Entry) (int32, bool) {
	if i := e.cat.Index(en.ID); i >= 0 && i < len(e.regionOfIdx) {
		r := e.regionOfIdx[i]
		return r, r >= 0
	}
	return e.regionOfSlow(en)
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
		norm := toks[sp.i].norm
		for k := int32(1); k < int32(len(toks)); k++ {
			if toks[k].norm == norm && (toks[k-1].lex&lxShip != 0) && toks[k-1].is(fAllCaps) {
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
		s.add(sp.chosen, sp.entry, "", "", "", "", en.Category, sp.i)
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
			s.add(tLocation, sp.entry, "", "", "", "", "", sp.i)
			return
		}
		if s.adjacentName(sp) && sp.ev&(evDateline|evSettlement) == 0 {
			return
		}
		s.add(tLocation, -1, sp.id, sp.name, sp.kind, sp.cc, "", sp.i)
		return
	}
	// actors
	if sp.entry >= 0 {
		s.add(tActor, sp.entry, "", "", "", "", "", sp.i)
	} else {
		if strings.HasPrefix(sp.alias, "bare-ministry:") {
			if k, ok := s.uniqueMinistry(strings.TrimPrefix(sp.alias, "bare-ministry:")); ok {
				if a := s.aggOf(k); a != nil {
					s.add(tActor, a.entry, a.id, a.name, a.kind, a.cc, "", sp.i)
					return
				}
			}
			if sp.n() < 3 || s.hasMinistry(strings.TrimPrefix(sp.alias, "bare-ministry:")) {
				return
			}
		}
		s.add(tActor, -1, sp.id, sp.name, sp.kind, sp.cc, "", sp.i)
	}
	if sp.ev&evAdminAfter != 0 && sp.cs >= 0 && sp.cc != "" {
		if idx, ok := s.e.countryIdx[sp.cc]; ok {
			s.add(tLocation, idx, "", "", "", "", "", sp.cs)
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
				s.add(tLocation, c.entry, "", "", "", "", "", k+1)
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
				s.add(tActor, c.entry, "", "", "", "", "", sp.i)
				return
			}
			if en.Type == catalog.Location && en.Kind == "country" {
				if idx, ok := s.e.countryIdx[en.Country]; ok && idx == c.entry {
					s.add(tLocation, c.entry, "", "", "", "", "", sp.i)
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
					s.add(tLocation, c.entry, "", "", "", "", "", k+1)
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
			s.add(tLocation, c.entry, "", "", "", "", "", sp.i)
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
					s.add(tLocation, idx, "", "", "", "", "", sp.i)
					return
				}
			}
		}
		switch noun {
		case "regional":
			// "the Donetsk regional administration" without a region in
			// the catalog: the city.
			if idx := cat.Index(city.ID); idx >= 0 {
				s.add(tLocation, int32(idx), "", "", "", "", "", sp.i)
			}
			return
		case "area", "territory", "state", "municipality", "island":
			if idx := cat.Index(city.ID); idx >= 0 {
				s.add(tLocation, int32(idx), "", "", "", "", "", sp.i)
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
		s.add(tLocation, idx, "", "", "", "", "", sp.i)
		return
	}
	for _, c := range s.singleCandsN(a, h-a) {
		en := cat.At(int(c.entry))
		if en.Type == catalog.Location && en.Kind == "place" {
			if ok, _ := s.caseOK(a, h, c); ok {
				s.add(tLocation, c.entry, "", "", "", "", "", sp.i)
				return
			}
		}
	}
	if s.adjacentName(&span{i: a, j: h}) {
		return
	}
	s.add(tLocation, -1, sp.id, sp.name, "place", "", "", sp.i)
}
