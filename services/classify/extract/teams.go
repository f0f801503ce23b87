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

// findTeams adds sports teams named "<place> <Nicknames>" ("Buffalo Bills")
// in articles about sport.
func (s *state) findTeams() {
	if s.sports < 2 {
		return
	}
	toks := s.toks
	n := int32(len(toks))
	for k := range s.spans {
		sp := s.spans[k]
		if sp.src != srcDict {
			continue
		}
		isLoc := false
		for _, c := range s.e.dict.cands[sp.cs : sp.cs+sp.cn] {
			if c.typ == tyLocation && (c.kind != kCity || s.e.info[c.entry].pop >= 100_000) {
				isLoc = true
			}
		}
		if !isLoc || sp.j >= n {
			continue
		}
		b := sp.j
		nick := b
		for b < n && b-nick < 2 && (toks[b].is(fCap) || b == nick && s.digitNickname(b)) && s.weakGap(b) && !toks[b].is(fPossS) {
			b++
		}
		if b == nick {
			continue
		}
		last := toks[b-1].norm
		club := b-nick == 1 && (clubSuffixes[last] || s.digitNickname(nick))
		if !club && (!strings.HasSuffix(last, "s") || len(last) < 4 || toks[b-1].lex&(lxOrgHead|lxGeoHead|lxOutletHead|lxCal|lxBreaker) != 0 ||
			toks[b-1].lex&lxCommon == 0) {
			continue
		}
		if _, ok := s.e.demonymTok(&toks[b-1]); ok {
			continue
		}
		a := sp.i
		if a > 0 && toks[a-1].is(fCap) && s.weakGap(a) && !toks[a-1].is(fPossS) && toks[a-1].lex&lxTitle == 0 {
			switch p := toks[a-1].norm; {
			case p == "new" || p == "los" || p == "las" || p == "san" || p == "st" || p == "golden" || p == "tampa":
				a--
			case toks[a-1].lex&(lxStop|lxCal) == 0 && !toks[a-1].is(fSentStart):
				a--
			}
		}
		name := s.cleanName(a, b)
		s.addSpan(span{i: a, j: b, src: srcTeam, typ: tActor, kind: "organization", name: name,
			id: "gen:org:", alias: s.joinNorm(nick, b), entry: -1})
	}
}

// clubSuffixes end the names of sports clubs: "Manchester United".
var clubSuffixes = map[string]bool{"united": true, "city": true, "fc": true, "cf": true, "athletic": true,
	"albion": true, "hotspur": true, "wanderers": true, "rovers": true, "celtic": true, "sc": true, "ac": true,
	// Singular North American team nicknames: "Oklahoma City Thunder".
	"thunder": true, "lightning": true, "heat": true, "magic": true, "jazz": true, "wild": true,
	"avalanche": true, "fever": true, "sky": true, "storm": true, "mercury": true, "dream": true,
	"liberty": true, "lynx": true, "wings": true, "galaxy": true, "fire": true, "crew": true, "union": true,
	"revolution": true, "dynamo": true, "kraken": true, "valkyries": true, "sparks": true, "sun": true}
