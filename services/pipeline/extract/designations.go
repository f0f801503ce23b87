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
