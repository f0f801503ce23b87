package extract

// personCue reports cues that make a two-word name run a person even when
// a word of it is unknown or ordinary: a possessive after two distinctive
// words ("Tavian Okoro's fumble"), or a past-tense verb after a given or
// unknown name and a surname that is also a word ("Kamari Stone scored").
func (s *state) personCue(r *personRun) bool {
	toks := s.toks
	if r.nameToks != 2 || r.j-r.i != 2 || r.j >= int32(len(toks)) {
		return false
	}
	first, last, next := &toks[r.i], &toks[r.i+1], &toks[r.j]
	if first.lex&lxCommon != 0 || s.tokIsMajor(r.i) || s.tokIsMajor(r.i+1) {
		return false
	}
	if next.is(fPossS) && r.common == 0 {
		return len(s.singleCands(r.i)) == 0
	}
	if r.common == 1 && last.lex&lxCommon != 0 && next.is(fLower) && !next.is(fBarrier|fComma) && pastVerbTok(next) {
		return first.lex&lxFirst != 0 || len(s.singleCands(r.i)) == 0
	}
	return false
}
