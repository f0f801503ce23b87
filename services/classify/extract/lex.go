package extract

import "strings"

// Lexical classes of a token (or of a two-token phrase), looked up once per
// token by hash so that the rules test bits instead of strings.
const (
	lxCommon uint64 = 1 << iota
	lxFirst
	lxStop
	lxCal
	lxTitle
	lxOrgHead
	lxBreaker
	lxParticle
	lxSuffix
	lxReport
	lxGenericMod
	lxOutletHead
	lxCompanyHead
	lxApposOrg
	lxGeoHead
	lxSettle
	lxAdmin
	lxMil
	lxMilWeak
	lxSports
	lxLocPrep
	lxWeaponCtx
	lxOrgCtx
	lxShip
	lxPast
	lxNotPlace
	lxDemonym
	lxForce
	lxCatTerm
	lxUSDomestic
	lxAbbrev
	lxPairFirst // first token of a two-token phrase in lex2
	lxEvent     // eventNouns
	lxStorm     // stormWords
	lxSportsVerb
	lxVenueTail
	lxShipNoun     // shipNouns
	lxServiceHead  // serviceHeads
	lxPlaceList    // listPlaceNouns
	lxDistUnit     // distanceUnits
	lxSettlePrefix // settlementPrefixes
	lxBodyMod      // bodyMods
	lxBodyHead     // bodyHeads
	lxOutletNoun   // outletNouns
	lxOrgNoun      // orgNounsAfter, orgNounsBefore
	lxOrgPlural    // orgPlurals
	lxBlockFirst   // first word of an outlet or platform name (findBlockers)
)

// usDomesticWords mark U.S. domestic politics.
var usDomesticWords = newSet(`senate,senator,congressman,congresswoman,governor,gov,runoff,republican,republicans,
democrat,democrats,democratic,gop,county,statewide,mayor`)

// buildLex adds the lexical classes of single tokens to the dictionary
// map (one look-up per token serves both) and fills e.lex2 with those of
// two-token phrases. It runs after buildDict.
func (e *Extractor) buildLex() {
	e.lex2 = map[uint64]uint64{}
	small := map[uint64]uint64{}
	add := func(set wordSet, bit uint64) {
		for k := range set {
			toks := strings.Split(k, " ")
			switch len(toks) {
			case 1:
				h := hashString(toks[0])
				if bit&bigLex != 0 {
					v := e.dict.m[h]
					v.lex |= bit
					e.dict.m[h] = v
				} else {
					small[h] |= bit
				}
			case 2:
				e.lex2[combine(hashString(toks[0]), hashString(toks[1]))] |= bit
				small[hashString(toks[0])] |= lxPairFirst
			}
		}
	}
	add(e.common, lxCommon)
	add(e.firstNames, lxFirst)
	add(stopCaps, lxStop)
	add(calendarWords, lxCal)
	add(titleWords, lxTitle)
	add(orgHeads, lxOrgHead)
	add(nameBreakers, lxBreaker)
	add(nameParticles, lxParticle)
	add(nameSuffixes, lxSuffix)
	add(reportingVerbs, lxReport)
	add(genericOrgModifiers, lxGenericMod)
	add(outletHeads, lxOutletHead)
	add(companyHeads, lxCompanyHead)
	add(apposOrgNouns, lxApposOrg)
	add(geoHeads, lxGeoHead)
	add(settlementNouns, lxSettle)
	add(adminNouns, lxAdmin)
	add(militaryTerms, lxMil)
	add(weakMilitaryTerms, lxMilWeak)
	add(sportsTerms, lxSports)
	add(locativePreps, lxLocPrep)
	add(weaponContext, lxWeaponCtx)
	add(orgContext, lxOrgCtx)
	add(shipPrefixes, lxShip)
	add(irregularPast, lxPast)
	add(notPlaceWords, lxNotPlace)
	add(usDomesticWords, lxUSDomestic)
	add(abbrevs, lxAbbrev)
	add(newSet("army,navy,armed forces,air force,military"), lxForce)
	add(eventNouns, lxEvent)
	add(stormWords, lxStorm)
	add(sportsVerbs, lxSportsVerb)
	add(venueTails, lxVenueTail)
	add(shipNouns, lxShipNoun)
	add(vesselNouns, lxShipNoun)
	add(serviceHeads, lxServiceHead)
	add(listPlaceNouns, lxPlaceList)
	add(distanceUnits, lxDistUnit)
	add(settlementPrefixes, lxSettlePrefix)
	add(bodyMods, lxBodyMod)
	add(bodyHeads, lxBodyHead)
	add(outletNouns, lxOutletNoun)
	add(orgNounsAfter, lxOrgNoun)
	add(orgNounsBefore, lxOrgNoun)
	add(orgPlurals, lxOrgPlural)
	add(firstWords(outletNames, platformNames), lxBlockFirst)
	dem := wordSet{}
	for k, d := range e.demonyms {
		if !d.nameForm {
			dem[k] = struct{}{}
		}
	}
	add(dem, lxDemonym)
	terms := wordSet{}
	for k := range e.catTerms {
		terms[k] = struct{}{}
	}
	add(terms, lxCatTerm)
	// The table also carries the token marks its classes imply.
	if _, ok := small[hMinistry]; !ok {
		small[hMinistry] = 0
	}
	for h, v := range small {
		small[h] = v | lexMarks(v, h == hMinistry)
	}
	e.lexSmall = newLexTab(small)
	e.lex2Tab = newLexTab(e.lex2)
}

// firstWords returns the first words of the phrases of sets.
func firstWords(sets ...wordSet) wordSet {
	out := wordSet{}
	for _, set := range sets {
		for k := range set {
			first, _, _ := strings.Cut(k, " ")
			out[first] = struct{}{}
		}
	}
	return out
}

// The values of lexSmall hold the lx* classes in their low 48 bits
// (lexClasses) and the token marks they imply in bits 48 and up.
const (
	lexClasses   = 1<<48 - 1
	lexMarkShift = 48
)

// lexMarks returns the marks bits of a lexSmall value with classes lex.
// mAdmin is set for any token; the tokenizer clears it unless the token
// is lower case and not after a barrier.
func lexMarks(lex uint64, ministry bool) uint64 {
	var m uint16
	if lex&(lxPairFirst|lxMil|lxSports|lxUSDomestic|lxShip) != 0 {
		m |= mFeat
	}
	if lex&lxSettle != 0 {
		m |= mSettle
	}
	if lex&lxAdmin != 0 {
		m |= mAdmin
	}
	if ministry {
		m |= mMinistry // a superset: findMinistries compares the text
	}
	if lex&(lxForce|lxPairFirst) != 0 {
		m |= mForce
	}
	if lex&lxCatTerm != 0 {
		m |= mCat
	}
	if lex&(lxShipNoun|lxPlaceList|lxDistUnit|lxSettlePrefix|lxBodyHead|lxOrgNoun|lxOrgPlural) != 0 {
		m |= mOpen
	}
	return uint64(m) << lexMarkShift
}

// bigLex are the classes of the long word lists, kept in the dictionary
// table and looked up only for capitalised tokens.
const bigLex = lxCommon | lxFirst | lxDemonym

// lex2 returns the classes of the phrase of tokens i and i+1.
func (s *state) lex2(i int32) uint64 {
	if s.toks[i].lex&lxPairFirst == 0 || int(i)+1 >= len(s.toks) || s.toks[i+1].is(fBarrier|fComma) {
		return 0
	}
	return s.e.lex2Tab.get(combine(s.toks[i].h, s.toks[i+1].h))
}
