package extract

// designationWeapon accepts a catalog weapon written as a distinctive
// designation (letters and digits, such as "KF-21" or "Su-57") next to a
// weapon word ("KF-21 fighters") in an article with no other military
// vocabulary, such as a short industry item. It counts as military
// vocabulary for the rest of the article. Sports stories never qualify.
func (s *state) designationWeapon(sp *span) bool {
	if s.sports >= 2 || !s.designation(sp.i, sp.j) || !s.localMilitary(sp) {
		return false
	}
	s.milStrong++
	return true
}

// designation reports whether tokens [i, j) form a designation: a word with
// a letter joined to a number ("F414", "KF-21", "T-72B3"), optionally
// followed by a capitalised name ("F-4 Phantom").
func (s *state) designation(i, j int32) bool {
	letters, digits := false, false
	k := i
	for ; k < j; k++ {
		t := &s.toks[k]
		if k > i && !t.is(fHyphenBefore) {
			break
		}
		if t.is(fAlpha) && !t.is(fNoLower) && !t.is(fDigit) {
			break // a word ("Phantom"), not part of the designation
		}
		letters = letters || t.is(fAlpha)
		digits = digits || t.is(fDigit)
	}
	if !letters || !digits {
		return false
	}
	for ; k < j; k++ {
		if !s.toks[k].is(fCap) {
			return false
		}
	}
	return true
}

// findMakers adds the maker named right before a designation: "the Orlan
// Aviation KX-40" names the company Orlan Aviation. Single words, places,
// demonyms and titles are not makers.
func (s *state) findMakers() {
	toks := s.toks
	nsp := len(s.spans) // spans added here are not weapons
	for k := 0; k < nsp; k++ {
		sp := &s.spans[k]
		if sp.src != srcDict || sp.i == 0 || !s.weakGap(sp.i) || !s.designation(sp.i, sp.j) || !s.hasWeaponCand(sp) {
			continue
		}
		i := sp.i
		a := i
		for a > 0 && i-a < 3 && toks[a-1].is(fCap) && !toks[a-1].is(fPossS|fDigit) && (a == i || s.weakGap(a)) &&
			toks[a-1].lex&(lxStop|lxTitle|lxCal|lxDemonym) == 0 {
			a--
		}
		if i-a < 2 {
			continue // one word may be an origin ("Korean K2"); catalogs list one-word makers
		}
		if s.tokIsMajor(a) || s.hasDictSpan(a, i, tyLocation) || s.hasDictSpan(a, i, tyWeapon) || !s.distinctiveRun(a, i) {
			continue
		}
		s.addSpan(span{i: a, j: i, src: srcOrg, typ: tActor, kind: "organization", name: s.cleanName(a, i),
			id: "gen:org:", entry: -1})
	}
}

// hasWeaponCand reports a catalog weapon among the readings of sp.
func (s *state) hasWeaponCand(sp *span) bool {
	for _, c := range s.e.dict.cands[sp.cs : sp.cs+sp.cn] {
		if c.typ == tyWeapon {
			return true
		}
	}
	return false
}

// distinctiveRun reports whether tokens [a, b) hold a word that is neither
// an ordinary word nor a Roman numeral ("Block III" is a variant, not a
// maker).
func (s *state) distinctiveRun(a, b int32) bool {
	for k := a; k < b; k++ {
		t := &s.toks[k]
		if t.lex&lxCommon == 0 && !romanNumeral(t.norm) {
			return true
		}
	}
	return false
}

// romanNumeral reports a folded Roman numeral up to "xx".
func romanNumeral(w string) bool {
	if w == "" || len(w) > 5 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if w[i] != 'i' && w[i] != 'v' && w[i] != 'x' {
			return false
		}
	}
	return true
}
