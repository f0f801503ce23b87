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
	e.lexSmall = newLexTab(small)
	e.lex2Tab = newLexTab(e.lex2)
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
