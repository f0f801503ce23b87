package extract

import (
	"strings"
)

type personRun struct {
	i, j     int32
	nameToks int
	title    bool
	first    bool
	verb     bool
	poss     bool
	recur    bool
	place    bool // read as a place name ("near Krishna Ghati")
	common   int
	ok       bool
}

func (s *state) findPersons() {
	toks := s.toks
	runs := s.runs[:0]
	defer func() { s.runs = runs[:0] }()
	next := int32(0)              // tokens before next are consumed
	for _, i := range s.tz.caps { // isNameTok and isInitial need fCap
		if i < next {
			continue
		}
		if !(s.isNameTok(i) || s.isInitial(i)) || !s.inBodyNoTitleCase(i) {
			continue
		}
		j := i
		names := 0
		for j < int32(len(toks)) {
			if j > i && !s.weakGap(j) {
				break
			}
			switch {
			case s.isNameTok(j):
				if j > i && s.tokIsMajor(j) {
					// "Michael Jordan": a given name that is no place itself
					// may be followed by a surname that is one.
					if !(j == i+1 && (toks[i].lex&lxFirst != 0) && !s.tokIsMajor(i) && !(toks[i].lex&lxCommon != 0)) {
						goto done
					}
				}
				names++
			case s.isInitial(j) && j+1 < int32(len(toks)):
			case j > i && (toks[j].lex&lxParticle != 0) && j+1 < int32(len(toks)) && s.isNameTok(j+1):
			case j > i && (toks[j].lex&lxSuffix != 0) && toks[j].is(fCap):
			default:
				goto done
			}
			j++
		}
	done:
		if names == 0 {
			next = j
			continue
		}
		// Trim leading words that are not names: common words, demonyms,
		// catalog places and organizations ("Republican Herschel Walker").
		a := i
		titled := s.titleDirect(i)
		for a < j && !titled {
			first := toks[a].lex&lxFirst != 0
			if s.isInitial(a) {
				break
			}
			if !first && (toks[a].lex&lxCommon != 0 || s.tokIsMajor(a)) {
				a++
				continue
			}
			if first && a+1 < j && s.tokIsMajor(a) && !s.isNameTok(a+1) {
				a++
				continue
			}
			break
		}
		for a < j && !s.isNameTok(a) && !s.isInitial(a) {
			a++
		}
		r := personRun{i: a, j: j}
		for k := a; k < j; k++ {
			if s.isNameTok(k) {
				r.nameToks++
				if (toks[k].lex&lxCommon != 0) && !(toks[k].lex&lxFirst != 0) {
					r.common++
				}
			}
		}
		if r.nameToks > 0 && r.nameToks <= 4 {
			runs = append(runs, r)
		}
		next = j
	}
	// Count capitalised tokens for recurrence.
	for k := range runs {
		r := &runs[k]
		if r.j-r.i > 6 {
			continue
		}
		s.scorePerson(r)
	}
	// Coordination: "A B and C D" where one side is accepted.
	for pass := 0; pass < 2; pass++ {
		for k := range runs {
			r := &runs[k]
			if r.ok || r.nameToks < 2 || r.common == r.nameToks {
				continue
			}
			if k > 0 && runs[k-1].ok && s.joinedByAnd(runs[k-1].j, r.i) ||
				k+1 < len(runs) && runs[k+1].ok && s.joinedByAnd(r.j, runs[k+1].i) {
				r.ok = true
			}
		}
	}
	for _, r := range runs {
		if r.place {
			s.addSpan(span{i: r.i, j: r.j, src: srcPlace, typ: tLocation, kind: "place",
				name: s.cleanName(r.i, r.j), id: "gen:place:", entry: -1})
			continue
		}
		if !r.ok {
			continue
		}
		name := s.personName(r.i, r.j)
		s.addSpan(span{i: r.i, j: r.j, src: srcPerson, typ: tActor, kind: "person",
			name: name, id: "gen:person:", entry: -1})
	}
}

func (s *state) joinedByAnd(end, start int32) bool {
	if start-end == 1 {
		t := &s.toks[end]
		return t.norm == "and" || t.is(fComma)
	}
	if start-end == 2 {
		return s.toks[end].is(fComma) && s.toks[end+1].norm == "and"
	}
	return false
}

func (s *state) scorePerson(r *personRun) {
	toks := s.toks
	// Credits: "(Reporting by Jane Doe; Editing by John Roe)".
	if r.i >= 2 && toks[r.i-1].norm == "by" {
		switch toks[r.i-2].norm {
		case "reporting", "editing", "writing", "compiled", "edited", "photo", "photos", "produced", "illustration", "graphic":
			return
		}
	}
	// Exercises, operations and meetings are events: "the Han Kuang exercises".
	if r.j < int32(len(toks)) && toks[r.j].is(fLower) && !toks[r.j].is(fBarrier) && toks[r.j].lex&lxEvent != 0 {
		return
	}
	// Named storms are events: "Tropical Storm Helga", "Hurricane Milton".
	for k := max(r.i-1, 0); k <= r.i; k++ {
		if toks[k].is(fCap) && len(toks[k].norm) >= 5 && toks[k].lex&lxStorm != 0 {
			return
		}
	}
	r.first = toks[r.i].lex&lxFirst != 0 && !s.isInitial(r.i)
	r.title = s.titleBefore(r.i)
	if r.j < int32(len(toks)) {
		nt := &toks[r.j]
		if !nt.is(fBarrier) && nt.is(fLower) && (nt.lex&lxReport != 0) {
			r.verb = true
		}
		if nt.is(fComma) && r.j+1 < int32(len(toks)) && toks[r.j+1].norm == "who" {
			r.verb = true
		}
		// "Mat Ishbia bought …": two distinctive words and a past-tense verb.
		if !nt.is(fBarrier) && nt.is(fLower) && r.nameToks >= 2 && r.common == 0 && pastVerbTok(nt) {
			allNew := true
			for k := r.i; k < r.j; k++ {
				if len(s.singleCands(k)) > 0 {
					allNew = false
				}
			}
			r.verb = r.verb || allNew
		}
	}
	if r.i > 0 && toks[r.i-1].is(fLower) && (toks[r.i-1].lex&lxReport != 0) && !toks[r.i].is(fBarrier) {
		r.verb = true
	}
	if r.nameToks >= 2 && r.common == 0 {
		// A sports story's verbs: "Alperen Sengun scored 31 points".
		if s.sportsDominated() && r.j < int32(len(toks)) && toks[r.j].is(fLower) && !toks[r.j].is(fBarrier) && toks[r.j].lex&lxSportsVerb != 0 {
			r.verb = true
		}
		// "led by Tari Eason", "intercepted by Sauce Gardner".
		if r.i >= 2 && toks[r.i-1].norm == "by" && toks[r.i-1].is(fLower) && toks[r.i-2].is(fLower) && !toks[r.i].is(fBarrier) &&
			!toks[r.i-1].is(fBarrier) && pastVerbTok(&toks[r.i-2]) {
			r.verb = true
		}
		// "Anderson Peters of Grenada": a person and a country.
		if r.j+1 < int32(len(toks)) && toks[r.j].norm == "of" && toks[r.j].is(fLower) && !toks[r.j].is(fBarrier) && s.countryAt(r.j+1) {
			r.verb = true
		}
		// An entry list's line "Anderson Peters - Grenada".
		if r.j < int32(len(toks)) && toks[r.i].is(fBarrier) && toks[r.j].is(fDashBefore) && s.countryAt(r.j) {
			r.verb = true
		}
	}
	if r.i >= 2 && toks[r.i-1].is(fPossS) && toks[r.i-2].capLike() && !toks[r.i].is(fBarrier) {
		r.poss = true
	}
	if !r.verb && s.personCue(r) {
		r.verb = true
	}
	last := toks[r.j-1].h
	if toks[r.j-1].lex&lxSuffix != 0 && r.j-2 >= r.i {
		last = toks[r.j-2].h
	}
	if r.nameToks >= 2 {
		for x, h := range s.tz.capH { // fCap implies mCap
			if k := s.tz.caps[x]; h == last && (k < r.i || k >= r.j) {
				r.recur = true
				break
			}
		}
	}
	lastTok := &toks[r.j-1]
	pluralCommon := (lastTok.lex&lxCommon != 0) && strings.HasSuffix(lastTok.norm, "s") && !(lastTok.lex&lxFirst != 0)
	switch {
	case r.nameToks >= 2:
		if r.common == r.nameToks && !r.first {
			return
		}
		if pluralCommon && !r.title && !r.verb {
			return
		}
		if r.common > 0 && !r.first && !r.title && !r.verb {
			return
		}
		r.ok = r.first || r.title || r.verb || r.poss || r.recur
		if r.ok && !r.title && r.i > 0 && toks[r.j-1].lex&lxVenueTail != 0 && !toks[r.j-1].is(fPossS) &&
			(s.placePrepBefore(r.i) || toks[r.i-1].is(fLower) && (toks[r.i-1].norm == "at" || toks[r.i-1].norm == "from")) {
			// "at Lambeau Field", "outside Union Station": a venue.
			r.ok = false
			r.place = true
		}
		if r.ok && !(r.title || r.verb || r.poss || r.recur) && s.placePrepBefore(r.i) && !toks[r.j-1].is(fPossS) {
			// "near Krishna Ghati", "in Kamal Nagar": a given name after a
			// preposition of place, with nothing else saying person, is
			// a place.
			r.ok = false
			r.place = true
		}
	case r.nameToks == 1:
		n := toks[r.i].norm
		if r.j-r.i == 1 && r.title && toks[r.i].lex&(lxCommon|lxFirst) == 0 && len(n) > 2 {
			r.ok = true
		}
		// "Secretary Kerry": a capitalised title right before makes even a
		// word that is also a given name the surname.
		if r.j-r.i == 1 && r.i > 0 && toks[r.i].lex&lxCommon == 0 && toks[r.i-1].is(fCap) && s.titleDirect(r.i) && len(n) > 2 {
			r.ok = true
		}
		if r.j-r.i == 2 && s.isInitial(r.i) && (r.title || r.verb) {
			r.ok = true
		}
	}
}

// irregularPast lists common irregular past-tense verbs.
var irregularPast = newSet(`bought,sold,led,won,lost,took,made,gave,became,met,began,left,told,said,wrote,
ran,got,went,came,saw,found,held,kept,paid,sent,spent,built,brought,thought,felt,fell,rose,struck,fought,
hit,quit,beat,drove,flew,threw,caught,taught,chose,spoke,stood,sat,won,set,put,let,cut,shot,read`)

// pastVerbTok reports a token that looks like a past-tense verb: an
// irregular one (lxPast) or a longer word ending in "ed".
func pastVerbTok(t *token) bool {
	return t.lex&lxPast != 0 || len(t.norm) > 4 && strings.HasSuffix(t.norm, "ed")
}

// personName is the surface of a name run without line breaks.
func (s *state) personName(i, j int32) string { return s.cleanName(i, j) }

// cleanName is the surface of tokens [i, j) with runs of white space
// collapsed; it allocates only when there is something to collapse.
func (s *state) cleanName(i, j int32) string {
	sur := s.surface(i, j)
	prevSpace := false
	for k := 0; k < len(sur); k++ {
		c := sur[k]
		sp := c == ' ' || c == '\n' || c == '\t' || c == '\r'
		if sp && (c != ' ' || prevSpace) {
			return strings.Join(strings.Fields(sur), " ")
		}
		prevSpace = sp
	}
	return sur
}
