package extract

import "strings"

// digitNickname reports a team nickname that starts with digits in a sports
// story: "76ers", "49ers".
func (s *state) digitNickname(k int32) bool {
	t := &s.toks[k]
	return s.sports >= 2 && t.is(fDigit) && t.is(fAlpha) && t.norm[0] >= '0' && t.norm[0] <= '9' &&
		len(t.norm) >= 4 && t.norm[len(t.norm)-1] == 's'
}

// teamPlaceAlias makes the one-word place of a team's name ("Charlotte" of
// "Charlotte Hornets") an alias of the team in a sports story: "Charlotte
// won" is the team. placeReading keeps datelines and "in Charlotte" places.
func (s *state) teamPlaceAlias(sp *span) {
	if !s.sportsDominated() || sp.n() != 2 {
		return
	}
	switch {
	case sp.src == srcTeam:
	case sp.src == srcDict && sp.entry >= 0:
		role := s.e.cat.At(int(sp.entry)).Role
		if !strings.Contains(role, "team") && !strings.Contains(role, "club") {
			return
		}
	default:
		return
	}
	t := &s.toks[sp.i]
	if !t.is(fCap) || t.is(fAllCaps) {
		return
	}
	if _, taken := s.shortAlias[t.norm]; taken {
		return
	}
	s.shortAlias[t.norm] = s.keyOf(sp)
	s.localNames.add(t.h)
}

// placeReading reports a token that names a place whatever the article is
// about: a dateline, or a name after a preposition of place.
func (s *state) placeReading(i int32) bool {
	return s.tokEvGet(i)&evDateline != 0 || s.locPrepBefore(i) || s.locativeBefore(i) || s.placePrepBefore(i)
}
