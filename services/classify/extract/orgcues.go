package extract

// orgNounsAfter, in lower case after a capitalised name, say it is an
// organization: "the Maritime Trade Office agency", "the Orlov group".
var orgNounsAfter = newSet(`agency,firm,company,consortium,conglomerate,militia,organization,organisation,startup`)

// orgNounsBefore, in lower case before a capitalised name, say the same:
// "shipping firm Blue Anchor", "carmaker Voltra".
var orgNounsBefore = newSet(`firm,company,carmaker,automaker,manufacturer,contractor,shipowner,startup,conglomerate,
insurer,broker,retailer,airline,lender,miner,refiner`)

// findNounOrgs adds organizations named next to a lower-case organization
// noun, before or after the name. Places, people's titles and common words
// alone do not make a name.
func (s *state) findNounOrgs() {
	toks := s.toks
	n := int32(len(toks))
	for _, k := range s.tz.marked(mOpen) {
		t := &toks[k]
		if k == 0 || t.f&fLower == 0 || t.lex&lxOrgNoun == 0 || t.is(fBarrier|fComma) {
			continue
		}
		// After: "<Name> agency".
		if toks[k-1].capLike() && orgNounsAfter.has(t.norm) {
			a := k
			for a > 0 && k-a < 5 && toks[a-1].capLike() && (a == k || s.weakGap(a)) && !toks[a-1].is(fPossS) &&
				toks[a-1].lex&(lxStop|lxTitle|lxCal) == 0 {
				a--
			}
			if k-a >= 2 && !s.capUncertain(a) || k-a >= 3 {
				s.addNounOrg(a, k)
			}
		}
		// Before: "firm <Name>".
		if k+1 < n && orgNounsBefore.has(t.norm) && toks[k+1].is(fCap) && s.weakGap(k+1) {
			b := k + 1
			for b < n && b-k <= 3 && toks[b].capLike() && (b == k+1 || s.weakGap(b)) && toks[b].lex&(lxStop|lxTitle|lxCal) == 0 {
				b++
				if toks[b-1].is(fPossS) || b < n && toks[b].is(fPossS) {
					break
				}
			}
			if b > k+1 {
				s.addNounOrg(k+1, b)
			}
		}
	}
}

// addNounOrg adds tokens [a, b) as an organization unless they read as
// something else: a catalog place, a demonym, one common word.
func (s *state) addNounOrg(a, b int32) {
	toks := s.toks
	if b-a == 1 && (toks[a].lex&lxCommon != 0 || len(toks[a].norm) < 3) {
		return
	}
	if _, ok := s.e.demonymTok(&toks[a]); ok && b-a == 1 {
		return
	}
	if s.hasDictSpan(a, b, tyLocation) || s.hasDictSpan(a, b, tyActor) {
		return // the catalog reading stands
	}
	s.addSpan(span{i: a, j: b, src: srcOrg, typ: tActor, kind: "organization", name: s.cleanName(a, b),
		id: "gen:org:", entry: -1})
}

// orgPlurals introduce a list of organizations: "groups such as A, B and C".
var orgPlurals = newSet(`organizations,organisations,groups,militias,factions,companies,firms,parties,movements,
agencies,contractors,manufacturers,carmakers,automakers,airlines,banks,insurgents`)

// findListedOrgs adds the members of a list that an organization plural
// introduces with "such as", "including" or "like": "militant groups such
// as Ansar Tal, Katiba Orun and the Sahel Front".
func (s *state) findListedOrgs() {
	toks := s.toks
	n := int32(len(toks))
	for _, k := range s.tz.marked(mOpen) {
		if toks[k].lex&lxOrgPlural == 0 || !toks[k].is(fLower) || k+2 >= n {
			continue
		}
		c := k + 1
		switch {
		case toks[c].norm == "such" && toks[c+1].norm == "as" && !toks[c+1].is(fBarrier):
			c += 2
		case toks[c].norm == "including" || toks[c].norm == "like":
			c++
		default:
			continue
		}
		if c < n && toks[c].is(fComma) {
			c++
		}
		for c < n {
			e := s.listedOrgEnd(c)
			if e == c {
				break
			}
			a := c
			if !s.hasDictSpan(a, e, tyLocation) && !s.hasDictSpan(a, e, tyActor) && !(e-a == 1 && toks[a].lex&lxCommon != 0) {
				s.addSpan(span{i: a, j: e, src: srcOrg, typ: tActor, kind: "organization", name: s.cleanName(a, e),
					id: "gen:org:", entry: -1})
			}
			c = e
			for c < n && (toks[c].is(fOpenParen) || toks[c].is(fAllCaps) && toks[c].is(fCloseParen)) {
				c++ // skip "(ABC)"
			}
			c = s.listNext(c)
			if c == e {
				break
			}
		}
	}
}

// listedOrgEnd returns the end of one list member from token i: capitalised
// words joined by name particles ("Ansar al-Din"), possibly led by a
// lower-case particle ("al-Mourabitoun"); i when there is none.
func (s *state) listedOrgEnd(i int32) int32 {
	toks := s.toks
	n := int32(len(toks))
	j := i
	if j+1 < n && toks[j].is(fLower) && toks[j].lex&lxParticle != 0 && toks[j+1].is(fHyphenBefore) && toks[j+1].is(fCap) {
		j++
	} else if j < n && toks[j].norm == "the" && toks[j].is(fLower) {
		return i // "the …" members are left to the other rules
	}
	for j < n && j-i < 5 {
		t := &toks[j]
		if j > i && !s.weakGap(j) && !t.is(fHyphenBefore) {
			break
		}
		if !t.capLike() && !(j > i && s.particleJoin(j)) {
			break
		}
		if t.lex&(lxStop|lxCal) != 0 && !t.is(fAllCaps) {
			break
		}
		j++
	}
	if j > i && !toks[j-1].capLike() {
		j--
	}
	if j == i || j == i+1 && toks[i].is(fLower) {
		return i
	}
	return j
}

// acronymConnectors may stand inside a name without giving its acronym a
// letter: "Front for Unity of the Hills (FUH)".
var acronymConnectors = newSet(`in,of,the,for,and,de,du,del,des,la,le,al,el,wa,wal,ul,on,at,y,e`)

// findAcronymNames adds an organization spelled out before its acronym
// when the initials of its words give the acronym: "Front for Unity of the
// Hills (FUH)", "Jaysh Tahrir wa al-Nasr (JTN)".
// The long name then wins over a shorter catalog name inside it.
func (s *state) findAcronymNames() {
	toks := s.toks
	for _, k := range s.tz.caps {
		t := &toks[k]
		if k < 2 || !t.is(fAllCaps) || !t.is(fOpenParen) || t.is(fDigit) || len(t.norm) < 3 || len(t.norm) > 6 {
			continue
		}
		if k+1 < int32(len(toks)) && !toks[k+1].is(fCloseParen|fBarrier) {
			continue
		}
		start := s.acronymStart(k)
		if start < 0 || s.hasDictSpan(start, k, tyActor) || s.hasDictSpan(start, k, tyLocation) {
			continue
		}
		s.addSpan(span{i: start, j: k, src: srcOrg, typ: tActor, kind: "organization", name: s.cleanName(start, k),
			id: "gen:org:", entry: -1})
	}
}

// acronymStart walks back from the acronym at token k over words whose
// initials spell it; it returns the first word, or -1.
func (s *state) acronymStart(k int32) int32 {
	toks := s.toks
	letters := toks[k].norm
	p := len(letters) - 1
	caps := 0
	for m := k - 1; m >= 0 && k-m <= 12; m-- {
		t := &toks[m]
		if m < k-1 && (t.is(fComma) || toks[m+1].is(fBarrier)) {
			return -1
		}
		first := t.norm[0]
		switch {
		case t.is(fCap) && !t.is(fAllCaps) && first == letters[p]:
			caps++
			p--
		case t.is(fLower) && acronymConnectors.has(t.norm):
			if first == letters[p] && t.norm == "al" {
				p-- // "al-Jabha al-Wataniya (AJW)"
			}
		default:
			return -1
		}
		if p < 0 {
			if caps < 2 || !t.is(fCap) && !(t.norm == "al" && m+1 < k && toks[m+1].is(fHyphenBefore)) {
				return -1
			}
			return m
		}
	}
	return -1
}

// corporateNouns after a possessive make the possessor a company: "Voltra's
// shares", "Orlan's chief executive".
var corporateNouns = newSet(`ceo,cfo,coo,vp,chairman,chairwoman,shares,stock,profit,profits,revenue,revenues,sales,
shareholders,earnings,subsidiary,subsidiaries,factory,factories,dealers,dealerships,lineup,showroom,brand,brands`)

// findCompanies adds the possessor of a corporate noun as a company unless
// it reads as something else (a catalog place or person, a demonym, one
// ordinary word).
func (s *state) findCompanies() {
	toks := s.toks
	n := int32(len(toks))
	for _, k := range s.tz.caps {
		if k+2 >= n || !toks[k+1].is(fPossS) || !corporateNouns.has(toks[k+2].norm) || toks[k].is(fPossS) {
			continue
		}
		a := k
		for a > 0 && k-a < 2 && toks[a-1].is(fCap) && s.weakGap(a) && toks[a-1].lex&(lxStop|lxTitle|lxCal) == 0 {
			a--
		}
		if s.capUncertain(a) && a == k && toks[a].lex&lxCommon != 0 {
			continue
		}
		if s.tokIsMajor(a) || s.hasDictSpan(a, k+1, tyActor) {
			continue
		}
		s.addNounOrg(a, k+1)
	}
}
