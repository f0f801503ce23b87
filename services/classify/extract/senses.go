package extract

import (
	"strings"
)

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
