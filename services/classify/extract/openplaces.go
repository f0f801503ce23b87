package extract

import "github.com/deskwire/newsroom/services/pipeline/catalog"

// listPlaceNouns open a list of places: "the municipalities of A, B and C",
// "in the area of A".
var listPlaceNouns = newSet(`municipalities,municipality,villages,village,towns,town,districts,district,
settlements,communities,provinces,area,areas,outskirts,vicinity,suburbs,neighbourhoods,neighborhoods,cities`)

// distanceUnits measure distances: "10 kilometres from A".
var distanceUnits = newSet(`km,kilometres,kilometers,kilometre,kilometer,miles,mile,mi,nautical`)

// compassWords stand between a distance and "of": "5 km south of A".
var compassWords = newSet(`north,south,east,west,northeast,northwest,southeast,southwest,north-east,north-west,
south-east,south-west,northern,southern,eastern,western`)

// settlementPrefixes start the names of Israeli communities: "Kibbutz Be'eri".
var settlementPrefixes = newSet(`kibbutz,moshav`)

// findOpenPlaces adds places that no catalog lists, from contexts that only
// places take: the members of "the villages of A, B and C", "A, about 10
// km from B" (both), "Kibbutz A". A rule-found person with the same name
// elsewhere in the article becomes the place.
func (s *state) findOpenPlaces() {
	toks := s.toks
	n := int32(len(toks))
	var keys []string // folded names with place evidence
	add := func(a, b int32) {
		if b <= a || s.hasDictSpan(a, b, tyLocation) {
			for m := a; m < b; m++ {
				s.tokEvSet(m, evSettlement)
			}
			return
		}
		for m := a; m < b; m++ {
			s.tokEvSet(m, evSettlement)
		}
		name := s.cleanName(a, b)
		s.addSpan(span{i: a, j: b, src: srcPlace, typ: tLocation, kind: "city", name: name,
			id: "gen:place:", ev: evSettlement, entry: -1})
		keys = append(keys, catalog.Key(name))
	}
	cue := func(k int32) {
		if k+2 >= n {
			return
		}
		t := &toks[k]
		switch {
		case t.is(fLower) && t.lex&lxPlaceList != 0 && toks[k+1].norm == "of" && !toks[k+1].is(fBarrier|fComma):
			// "the municipalities of A, B and C"
			c := k + 2
			for c < n {
				e := s.placeNameEnd(c)
				if e == c {
					break
				}
				add(c, e)
				c = s.listNext(e)
				if c == e {
					break
				}
			}
		case t.is(fCap) && t.lex&lxSettlePrefix != 0 && s.weakGap(k+1):
			if e := s.placeNameEnd(k + 1); e > k+1 {
				add(k, e)
			}
		case t.is(fCap) && k >= 2 && toks[k-1].norm == "in" && toks[k-1].is(fLower) && eventNounsIn.has(toks[k-2].norm):
			// "the summit in A", "last year's final in A"
			if e := s.placeNameEnd(k); e > k && (e == n || !toks[e].is(fPossS)) {
				add(k, e)
			}
		case t.is(fCap) && s.placePrepBefore(k) && (k == 0 || !toks[k-1].is(fCap)):
			// "near A in <country>": a name placed inside a known country or region.
			e := s.placeNameEnd(k)
			if e > k && e+1 < n && toks[e].norm == "in" && toks[e].is(fLower) && !toks[e].is(fBarrier) && s.regionOrCountryAt(e+1) {
				add(k, e)
			}
		case t.is(fDigit) && toks[k+1].lex&lxDistUnit != 0:
			// "10 km (6 miles) south of A", "A, about 10 km from B"
			c := k + 2
			for c < n && (toks[c].is(fOpenParen) || toks[c].is(fDigit) || toks[c].lex&lxDistUnit != 0) && c-k < 6 {
				c++
			}
			if c < n && compassWords.has(toks[c].norm) {
				c++
			}
			if c+1 < n && (toks[c].norm == "of" || toks[c].norm == "from") && toks[c].is(fLower) {
				if e := s.placeNameEnd(c + 1); e > c+1 {
					add(c+1, e)
				}
			}
			// The place before: "in A, about 10 km from B".
			b := k
			if b > 0 && (toks[b-1].norm == "about" || toks[b-1].norm == "some" || toks[b-1].norm == "around") {
				b--
			}
			if b > 1 && toks[b-1].is(fComma) {
				a := b - 1
				for a > 0 && toks[a-1].is(fCap) && (a == b-1 || s.weakGap(a)) && b-1-a < 3 {
					a--
				}
				if a < b-1 && a > 0 && toks[a-1].is(fLower) && s.placePrepBefore(a) && s.placeNameEnd(a) == b-1 {
					add(a, b-1)
				}
			}
		}
	}
	for _, k := range s.tz.marked(mOpen) {
		if toks[k].lex&lxDistUnit != 0 {
			if k > 0 && toks[k-1].is(fDigit) {
				cue(k - 1) // "10 km from …" starts at the number
			}
			continue
		}
		cue(k)
	}
	for _, k := range s.tz.caps {
		if k > 0 && toks[k-1].lex&lxLocPrep != 0 && toks[k].lex&lxSettlePrefix == 0 {
			cue(k) // "near A in <country>"
		}
	}
	if len(keys) == 0 {
		return
	}
	// People found by rules who bear a place's name are that place.
	for k := range s.spans {
		sp := &s.spans[k]
		if sp.src != srcPerson || sp.entry >= 0 {
			continue
		}
		key := catalog.Key(sp.name)
		for _, pk := range keys {
			if pk == key {
				sp.src, sp.typ, sp.kind, sp.id, sp.ev = srcPlace, tLocation, "city", "gen:place:", sp.ev|evSettlement
				break
			}
		}
	}
}

// placeNameEnd returns the end of a place name of one to three capitalised
// words starting at token i ("El Tarra", "Deir al-Balah"), or i when the
// words look like something else (common words, calendar words, a person's
// title).
func (s *state) placeNameEnd(i int32) int32 {
	toks := s.toks
	j := i
	for j < int32(len(toks)) && j-i < 4 {
		t := &toks[j]
		if j > i && !s.weakGap(j) && !t.is(fHyphenBefore) {
			break
		}
		if !t.is(fCap) && !(j > i && s.particleJoin(j)) {
			break
		}
		if t.is(fDigit) || t.lex&(lxStop|lxCal|lxTitle|lxOrgHead|lxDemonym) != 0 {
			break
		}
		j++
		if t.is(fPossS) || toks[j-1].is(fPossS) {
			break
		}
	}
	if j == i || j-i == 1 && toks[i].lex&lxCommon != 0 && !s.hasDictSpan(i, j, tyLocation) {
		return i
	}
	return j
}

// regionOrCountryAt reports a catalog country or region named at token i
// (after an optional "the" or "occupied").
func (s *state) regionOrCountryAt(i int32) bool {
	toks := s.toks
	for i < int32(len(toks)) && toks[i].is(fLower) && (toks[i].norm == "the" || toks[i].norm == "occupied") {
		i++
	}
	if i >= int32(len(toks)) || !toks[i].is(fCap) {
		return false
	}
	for _, c := range s.singleCandsN(i, 3) {
		if c.typ == tyLocation && (c.kind == kCountry || c.kind == kRegion) {
			return true
		}
	}
	return false
}

// placeQualifiers start the names of regions when capitalised inside a
// sentence: "Upper Nile state", "North Kivu province".
var placeQualifiers = newSet(`north,south,east,west,northern,southern,eastern,western,central,upper,lower,greater,middle`)

// regionNouns are dropped from the name of a region no catalog lists ("the
// Kandor region" is Kandor); district, county and the like stay, being part
// of the name ("Kyivskyi district").
var regionNouns = newSet(`region,province,governorate,state,oblast,prefecture`)

// emitNewRegion adds the region "<x> <noun>" of span sp, a name no catalog
// lists.
func (s *state) emitNewRegion(sp *span, x, kind string) {
	if regionNouns.has(sp.alias) {
		s.add(tLocation, -1, s.genID("gen:place:", x), x, kind, "", "", sp.i, sp.j)
		return
	}
	s.add(tLocation, -1, sp.id, sp.name, kind, "", "", sp.i, sp.j)
}

// eventNounsIn are events whose place follows "in": "the summit in A".
var eventNounsIn = newSet(`summit,talks,meeting,meetings,conference,final,finals,match,race,rally,ceremony,funeral,
parade,forum,games,championships,tournament,congress,convention,festival`)
