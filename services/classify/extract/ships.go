package extract

// shipNouns name a class of ship; a capitalised name right after one is the
// ship's name ("the destroyer Ashford", "frigates Ashford and Belmont"), not
// the place it may be named after.
var shipNouns = newSet(`destroyer,destroyers,frigate,frigates,corvette,corvettes,cruiser,cruisers,carrier,carriers,
submarine,submarines,warship,warships,icebreaker,icebreakers,flagship,minesweeper,minesweepers,
landing ship,landing ships,patrol ship,patrol ships,patrol boat,patrol boats,supply ship,replenishment ship`)

// vesselNouns name any vessel; a name follows them only after "named" or
// "called" ("a tanker named Eagle Crest").
var vesselNouns = newSet(`ship,ships,vessel,vessels,tanker,tankers,freighter,boat,yacht,bulker,cargo ship,container ship`)

// findShipNames blocks the names of individual ships: after a ship noun,
// after a class designation ("Type 052D Ashford") and along a list that
// such a name starts ("Type 054A frigates Ashford, Belmont and Carrow").
func (s *state) findShipNames() {
	done := int32(0) // tokens before done belong to a list already read
	for _, k := range s.tz.marked(mOpen) {
		if k >= done && s.toks[k].lex&lxShipNoun != 0 {
			done = s.shipList(k)
		}
	}
	done = 0
	for _, k := range s.tz.caps {
		if k >= done && s.toks[k].h == hType {
			done = s.shipList(k)
		}
	}
}

// shipList blocks the ship names that token k introduces and returns the
// index after them (k+1 when there are none).
func (s *state) shipList(k int32) int32 {
	toks := s.toks
	n := int32(len(toks))
	end := k + 1
	i, plural := s.shipNameStart(k)
	if i < 0 {
		return end
	}
	for {
		j := s.shipNameEnd(i)
		if j == i {
			break
		}
		s.addSpan(span{i: i, j: j, src: srcBlock, entry: -1})
		end = j
		// List continuation: ", Name", "and Name", ", and Name", each
		// item optionally led by its own designation.
		c := s.listNext(j)
		if c == j || c >= n {
			break
		}
		if d := s.designationEnd(c); d > c {
			i = d
			continue
		}
		if !plural {
			break
		}
		i = c
	}
	return end
}

// shipNameStart returns where a ship's name starts if token k introduces
// one, and whether a plural noun opens a list of names; -1 if none.
func (s *state) shipNameStart(k int32) (int32, bool) {
	toks := s.toks
	t := &toks[k]
	if t.lex&lxShipNoun != 0 && k+2 < int32(len(toks)) && (toks[k+1].norm == "named" || toks[k+1].norm == "called") && !toks[k+2].is(fBarrier) {
		return k + 2, false // "a tanker named …"
	}
	if t.lex&lxShipNoun != 0 && vesselNouns.has(t.norm) && !(k > 0 && s.lex2(k-1)&lxShipNoun != 0) {
		return -1, false
	}
	if t.lex&lxShipNoun != 0 && k+1 < int32(len(toks)) && !toks[k+1].is(fBarrier|fComma) {
		plural := t.norm[len(t.norm)-1] == 's'
		if k > 0 && toks[k-1].lex&lxShipNoun != 0 {
			return -1, false // the first word of a two-word noun comes next
		}
		if k+1 < int32(len(toks)) && s.lex2(k)&lxShipNoun != 0 {
			return -1, false // "landing ship": wait for its second word
		}
		return k + 1, plural
	}
	if d := s.designationEnd(k); d > k {
		if d < int32(len(toks)) && toks[d].lex&lxShipNoun != 0 {
			return -1, false // "Type 054A frigates …": the noun starts it
		}
		return d, false
	}
	return -1, false
}

// hType is the hash of "type", which starts a ship class designation.
var hType = hashString("type")

// designationEnd returns the end of a ship class designation starting at
// token k ("Type 055", "Type 052DL"), or k.
func (s *state) designationEnd(k int32) int32 {
	toks := s.toks
	if k+1 >= int32(len(toks)) || toks[k].h != hType || !toks[k].is(fCap) {
		return k
	}
	d := &toks[k+1]
	if d.is(fBarrier|fComma) || !d.is(fDigit) || d.norm[0] < '0' || d.norm[0] > '9' {
		return k
	}
	return k + 2
}

// shipNameEnd returns the end of a ship's name starting at token i: up to
// three capitalised words, or i when none is a plausible name (a country,
// a word in lower case, a designation).
func (s *state) shipNameEnd(i int32) int32 {
	toks := s.toks
	if i >= int32(len(toks)) || s.countryAt(i) {
		return i
	}
	j := i
	for j < int32(len(toks)) && j-i < 3 {
		t := &toks[j]
		if !t.is(fCap) || t.is(fDigit|fPossS) || j > i && !s.weakGap(j) || t.lex&(lxStop|lxCal|lxDemonym) != 0 {
			break
		}
		j++
	}
	return j
}
