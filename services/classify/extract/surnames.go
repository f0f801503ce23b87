package extract

// surnameAlone confirms a catalog person named by a surname that is also a
// common word ("Price", "Bush") when the article never gives the full name:
// the surname stands capitalised inside a sentence, on its own (no
// capitalised neighbour making a longer name), and no catalog place or
// given name shares the spelling.
func (s *state) surnameAlone(sp *span) bool {
	if sp.n() != 1 || sp.src != srcDict {
		return false
	}
	i := sp.i
	t := &s.toks[i]
	if !t.is(fCap) || t.is(fAllCaps) || s.capUncertain(i) || t.is(fQuoteBefore) {
		return false
	}
	if i > 0 && s.toks[i-1].capLike() && !t.is(fBarrier) && !s.toks[i-1].is(fComma) {
		return false
	}
	if i+1 < int32(len(s.toks)) {
		nt := &s.toks[i+1]
		if nt.capLike() && s.weakGap(i+1) || nt.is(fHyphenBefore) {
			return false
		}
	}
	for _, c := range s.e.dict.cands[sp.cs : sp.cs+sp.cn] {
		switch {
		case c.typ == tyLocation, c.typ == tyWeapon:
			return false
		case c.typ == tyActor && c.entry == sp.entry && c.flags&(aFirstName|aAmbig|aStopWord) != 0:
			return false
		}
	}
	return true
}
