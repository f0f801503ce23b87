package extract

import (
	"strings"
	"unsafe"

	"github.com/deskwire/newsroom/services/pipeline/catalog"
)

var nameParticles = newSet(`al,el,bin,ibn,bint,abu,de,da,del,della,der,den,van,von,la,le,di,du,dos,das,ul,ben,ter,ten,zu,y`)
var nameSuffixes = newSet(`jr,sr,ii,iii,iv`)

// Geographic heads that end a person's name run ("Carroll County").
var nameBreakers = newSet(`county,oblast,province,region,district,governorate,prefecture,island,islands,sea,ocean,
strait,gulf,bay,river,lake,mountains,airport,stadium,arena,square,bridge,dam,shoal,reef,peninsula,desert,valley,
heights,canal,base,plant,city,state`)

// Nouns after "X, a …" that make X an organization.
var apposOrgNouns = newSet(`consortium,company,firm,manufacturer,maker,contractor,conglomerate,startup,subsidiary,
supplier,producer,airline,bank,militia,faction,organisation,organization,agency,alliance,coalition,party,confederation,
movement,group,network,insurer,retailer,developer,shipbuilder,automaker,carmaker,venture,joint venture`)

// Types of ministries, folded, mapped to a merge key.
var ministryTypes = map[string]string{
	"defense": "defense", "defence": "defense", "national defense": "defense", "national defence": "defense",
	"foreign": "foreign", "foreign affairs": "foreign", "external affairs": "foreign",
	"interior": "interior", "internal affairs": "interior", "home affairs": "interior",
	"justice": "justice", "finance": "finance", "health": "health", "emergency situations": "emergencies",
	"emergencies": "emergencies", "economy": "economy", "economic development": "economy", "energy": "energy",
	"education": "education", "agriculture": "agriculture", "culture": "culture", "information": "information",
	"intelligence": "intelligence", "trade": "trade", "industry": "industry", "transport": "transport",
	"digital transformation": "digital", "labour": "labour", "labor": "labour", "environment": "environment",
	"communications": "communications", "strategic industries": "industry", "veterans affairs": "veterans",
}

// forceNouns are national armed services named after a country adjective.
var forceNouns = map[string]string{
	"army": "armed-forces", "armed forces": "armed-forces", "air force": "air-force", "navy": "navy",
	"military": "armed-forces",
}

// militaryAsNoun reports a word like "military" at token i used as a noun,
// the armed forces ("the Israeli military said", "… declined to comment"),
// not as an adjective ("an Israeli military statement"): the next word is
// a verb.
func (s *state) militaryAsNoun(i int32) bool {
	if i+1 >= int32(len(s.toks)) {
		return true
	}
	nt := &s.toks[i+1]
	if nt.is(fBarrier | fComma) {
		return true
	}
	if !nt.is(fLower) {
		return false
	}
	if nt.lex&lxReport != 0 || pastVerbTok(nt) {
		return true
	}
	switch nt.norm {
	case "has", "had", "is", "was", "will", "would", "did", "does", "declined", "denies", "denied", "says", "also", "launched", "struck":
		return true
	}
	return false
}

// isNameTok reports whether token i can be part of a person's name.
func (s *state) isNameTok(i int32) bool { return s.toks[i].is(fNameTok) }

// nameTok is isNameTok of a token, computed once by the tokenizer.
func (t *token) nameTok() bool {
	if !t.is(fCap) || !t.is(fAlpha) || t.is(fAllCaps) || t.is(fDigit) || t.is(fPossS) {
		return false
	}
	if t.lex&(lxCal|lxTitle|lxOrgHead|lxBreaker|lxDemonym) != 0 || t.lex&(lxStop|lxFirst) == lxStop {
		return false
	}
	return true
}

func (s *state) isInitial(i int32) bool { return s.toks[i].is(fInitial) }

// initial is isInitial of a token, computed once by the tokenizer.
func (t *token) initial() bool {
	return len(t.norm) == 1 && t.is(fCap) && t.is(fDotAfter) && t.is(fAlpha)
}

// weakGap reports whether tokens i-1 and i are joined without punctuation
// that separates names.
func (s *state) weakGap(i int32) bool {
	t := &s.toks[i]
	return !t.is(fBarrier|fComma|fQuoteBefore) && !s.toks[i-1].is(fComma)
}

// titleBefore reports whether a title or role stands right before token i
// ("Defence Secretary Ben Wallace", "the president of Azerbaijan, Ilham
// Aliyev", "quarterback Mac Jones").
func (s *state) titleBefore(i int32) bool {
	k := i - 1
	if k < 0 {
		return false
	}
	if s.toks[k].is(fComma) {
		k--
	} else if s.toks[i].is(fBarrier) && !s.toks[i].is(fColonBefore) {
		return false
	}
	if k < 0 {
		return false
	}
	// Immediate title, one or two tokens ("spokesperson", "tight end").
	if s.toks[k].lex&lxTitle != 0 {
		return true
	}
	if k > 0 && !s.toks[k].is(fBarrier) && s.lex2(k-1)&lxTitle != 0 {
		return true
	}
	// Capitalised role phrase: "Minister of Internal Affairs", "President of Azerbaijan".
	for steps := 0; k >= 0 && steps < 7; steps++ {
		t := &s.toks[k]
		if (t.lex&lxTitle != 0) && (t.is(fCap) || steps == 0) {
			return true
		}
		if !(t.capLike() || t.norm == "of" || t.norm == "the" || t.norm == "to" || t.norm == "for" || t.is(fPossS)) {
			return false
		}
		if t.is(fBarrier) || t.is(fComma) {
			return false
		}
		k--
	}
	return false
}

// titleDirect reports a title word right before token i ("owner Mat Ishbia").
func (s *state) titleDirect(i int32) bool {
	k := i - 1
	if k < 0 || s.toks[i].is(fBarrier) {
		return false
	}
	switch s.toks[k].norm {
	case "of", "to", "for":
		return false
	}
	return s.toks[k].lex&lxTitle != 0 || k > 0 && s.lex2(k-1)&lxTitle != 0
}

// findPatterns adds the spans of rule-found names.
func (s *state) findPatterns() {
	s.findDatelines()
	s.findSettlements()
	s.findGeoHeads()
	s.findHeadFirstGeo()
	s.findAdminNouns()
	s.findMinistries()
	s.findForces()
	s.findOrgs()
	s.findNounOrgs()
	s.findListedOrgs()
	s.findMakers()
	s.findAcronymNames()
	s.findCompanies()
	s.findTeams()
	s.findApposOrgs()
	s.findPersons()
	s.findOpenPlaces()
}

func (s *state) addSpan(sp span) *span {
	sp.chosen = -1
	s.spans = append(s.spans, sp)
	return &s.spans[len(s.spans)-1]
}

func (s *state) inBodyNoTitleCase(i int32) bool {
	return !(s.toks[i].is(fTitle) && s.titleCase)
}

// --- people ----------------------------------------------------------------

type personRun struct {
	i, j     int32
	nameToks int
	ev       int // evidence score
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
		for _, k := range s.tz.caps { // fCap implies mCap
			if k >= r.i && k < r.j {
				continue
			}
			if toks[k].h == last && toks[k].is(fCap) {
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

// --- organizations -----------------------------------------------------------

// findOrgs adds names ending in (or built around) an organization head noun:
// "Defense Security Cooperation Agency", "Board of Supervisors", "Forces for
// Freedom and Change".
func (s *state) findOrgs() {
	toks := s.toks
	next := int32(0) // tokens before next are consumed
	for _, h := range s.tz.rare {
		if h < next || s.marks[h]&mOrg == 0 {
			continue
		}
		t := &toks[h]
		if !t.is(fCap) || !(t.lex&lxOrgHead != 0) || !s.inBodyNoTitleCase(h) || t.norm == "ministry" {
			continue
		}
		// backward
		a := h
		for a > 0 && s.weakGapOrg(a) {
			p := &toks[a-1]
			if p.capLike() && !((p.lex&lxStop != 0) && p.is(fSentStart)) && !(p.lex&lxTitle != 0) && p.norm != "the" && p.norm != "a" {
				a--
				continue
			}
			// A unit's number: "the 25th Airborne Brigade".
			if isOrdinal(p.norm) && unitHeads.has(t.norm) && (a < h || s.countryBefore(a-1)) {
				a--
				break
			}
			if (p.norm == "and" || p.norm == "of" || p.norm == "for" || p.norm == "&") && p.is(fLower|0) && a-2 >= 0 && toks[a-2].capLike() && s.weakGapOrg(a-1) &&
				!(p.norm == "and" && (s.actorSpanEndsAt(a-1) || toks[a].lex&lxCommon == 0 && toks[a-2].lex&lxCommon != 0)) {
				a -= 2
				continue
			}
			break
		}
		// forward: "of/for X [and Y]"
		b := h + 1
		for b+1 < int32(len(toks)) && !toks[b].is(fBarrier|fComma) && (toks[b].norm == "of" || toks[b].norm == "for") &&
			toks[b].is(fLower) {
			c := b + 1
			if toks[c].norm == "the" && c+1 < int32(len(toks)) && !toks[c+1].is(fBarrier) {
				c++
			}
			if !toks[c].capLike() || toks[c].is(fBarrier) {
				break
			}
			for c < int32(len(toks)) && !toks[c].is(fBarrier|fComma) && (toks[c].capLike() && !(toks[c].lex&lxCal != 0) ||
				toks[c].norm == "and" && c+1 < int32(len(toks)) && toks[c+1].capLike() && !toks[c+1].is(fBarrier)) {
				c++
			}
			b = c
		}
		// 'Operational Command "South"'
		if b < int32(len(toks)) && toks[b].is(fQuoteBefore) && toks[b].is(fCap) && toks[b].is(fQuoteAfter) && !toks[b].is(fBarrier) {
			b++
		}
		// Leading possessive organization: "NBA's Board of Governors", but
		// not a person's: "Takaichi's Liberal Democratic Party", nor a
		// catalog actor's, whose own name must stay whole ("the Royal
		// Navy's Fleet Command").
		if a >= 2 && toks[a-1].is(fPossS) && toks[a-2].capLike() && !toks[a].is(fBarrier) && !s.actorSpanEndsAt(a-1) &&
			(toks[a-2].is(fAllCaps) || toks[a-2].lex&lxCommon != 0 || s.tokIsMajor(a-2)) {
			if ok, _, _ := s.tokLocation(a - 2); !ok {
				a -= 2
			}
		}
		// Trim a sentence-initial function word.
		for a < h && ((toks[a].lex&lxStop != 0) && !toks[a].is(fAllCaps) || (toks[a].lex&lxTitle != 0)) {
			a++
		}
		if b-a < 2 {
			continue
		}
		if !s.orgNameOK(a, h, b) {
			continue
		}
		name := s.cleanName(a, b)
		s.addSpan(span{i: a, j: b, src: srcOrg, typ: tActor, kind: "organization", name: name,
			id: "gen:org:", entry: -1})
		next = b
	}
}

func (s *state) weakGapOrg(i int32) bool {
	t := &s.toks[i]
	return !t.is(fBarrier|fComma) && !s.toks[i-1].is(fComma)
}

// orgNameOK rejects generic or doubtful organization names.
func (s *state) orgNameOK(a, h, b int32) bool {
	toks := s.toks
	head := toks[h].norm
	mods := 0
	generic := 0
	distinct := 0
	for k := a; k < b; k++ {
		if k == h || toks[k].is(fLower) || toks[k].is(fPossS) {
			continue
		}
		mods++
		if toks[k].lex&lxGenericMod != 0 {
			generic++
		}
		if toks[k].lex&lxDemonym != 0 {
			generic++
		}
		if toks[k].lex&lxCommon == 0 {
			distinct++
		}
	}
	if mods == 0 || mods == generic && mods < 2 {
		return false
	}
	if toks[b-1].lex&lxOutletHead != 0 {
		return false
	}
	if toks[h].lex&lxCompanyHead != 0 && h == b-1 {
		if toks[a].lex&lxCommon != 0 || s.tokIsMajor(a) {
			return false
		}
		if _, ok := s.e.demonymTok(&toks[a]); ok {
			return false
		}
	}
	if head == "republic" {
		if ok, _, _ := s.tokLocation(a); !ok {
			return false
		}
	}
	if (head == "army" || head == "force" || head == "forces" || head == "navy") && mods == 1 {
		if _, ok := s.e.demonymTok(&toks[a]); ok {
			return false // "Ukrainian Army": see findForces
		}
	}
	// Sentence-initial common words alone do not make a name: "Security Council".
	if distinct == 0 && mods < 2 && s.capUncertain(a) {
		return false
	}
	return true
}

// findApposOrgs adds "X, a consortium of …" organizations.
func (s *state) findApposOrgs() {
	toks := s.toks
	for _, k := range s.tz.rare {
		if k < 1 || k+2 >= int32(len(toks)) || s.marks[k]&mComma == 0 {
			continue
		}
		if !toks[k].is(fComma) {
			continue
		}
		det := toks[k+1].norm
		if det != "a" && det != "an" && det != "the" {
			continue
		}
		found := false
		for m := k + 2; m < k+6 && m < int32(len(toks)); m++ {
			if toks[m].is(fBarrier | fComma) {
				break
			}
			if (toks[m].lex&lxApposOrg != 0) && toks[m].is(fLower) {
				found = true
				break
			}
		}
		if !found {
			continue
		}
		// X: capitalised run before the comma, not sentence-initial alone.
		b := k
		a := b
		for a > 0 && toks[a-1].is(fCap) && !toks[a-1].is(fPossS) && (a == b || s.weakGap(a)) {
			a--
			if toks[a].is(fBarrier) {
				break
			}
		}
		if a == b || b-a > 4 {
			continue
		}
		// One ordinary word is no name; a longer run may start with one
		// ("Northern Defence Staff, a coalition of …").
		if toks[a].lex&lxStop != 0 || s.tokIsMajor(a) || b-a == 1 && toks[a].lex&lxCommon != 0 {
			continue
		}
		name := s.cleanName(a, b)
		s.addSpan(span{i: a, j: b, src: srcOrg, typ: tActor, kind: "organization", name: name,
			id: "gen:org:", entry: -1})
	}
}

// --- national forces and ministries -------------------------------------------

// qualifierBefore finds a country qualifier ending right before token i: a
// country adjective ("Ukrainian"), a country name or its possessive
// ("Ukraine's"). It returns the first token of the qualifier, the country
// code and the index of a country-name token (-1 for an adjective).
func (s *state) qualifierBefore(i int32) (int32, string, int32) {
	toks := s.toks
	k := i - 1
	if k < 0 || toks[i].is(fBarrier) {
		return -1, "", -1
	}
	if toks[k].is(fPossS) {
		k--
		if k < 0 {
			return -1, "", -1
		}
	}
	if !toks[k].capLike() {
		return -1, "", -1
	}
	// One- to three-token country names or adjectives ending at k.
	for n := int32(3); n >= 1; n-- {
		a := k - n + 1
		if a < 0 {
			continue
		}
		bad := false
		for m := a + 1; m <= k; m++ {
			if toks[m].is(fBarrier | fComma) {
				bad = true
			}
		}
		if bad {
			continue
		}
		key := s.joinNormTmp(a, k+1)
		if d, ok := s.e.demonyms[key]; ok {
			if d.nameForm {
				return a, d.cc, a
			}
			return a, d.cc, -1
		}
		if cc, ok := s.e.countries[key]; ok {
			return a, cc, a
		}
		// Catalog country names and aliases ("Britain", "Türkiye").
		for _, idx := range s.e.cat.ResolveIndex(catalog.Location, key) {
			en := s.e.cat.At(int(idx))
			if en.Kind == "country" {
				return a, en.Country, a
			}
		}
	}
	return -1, "", -1
}

// joinNormTmp is joinNorm in a buffer that the next call reuses: for
// look-ups only, the result must not be kept.
func (s *state) joinNormTmp(a, b int32) string {
	buf := s.joinBuf[:0]
	for k := a; k < b; k++ {
		if k > a {
			buf = append(buf, ' ')
		}
		buf = append(buf, s.toks[k].norm...)
	}
	s.joinBuf = buf
	return unsafe.String(unsafe.SliceData(buf), len(buf))
}

func (s *state) joinNorm(a, b int32) string {
	var sb strings.Builder
	for k := a; k < b; k++ {
		if k > a {
			sb.WriteByte(' ')
		}
		sb.WriteString(s.toks[k].norm)
	}
	return sb.String()
}

// countryName returns the country name of a code.
func (e *Extractor) countryName(cc string) string {
	if n, ok := e.nameByCC[cc]; ok {
		return n
	}
	return cc
}

func (e *Extractor) demonymOf(cc string) string { return e.demonymByCC[cc] }

// findForces adds "<country adjective> army / armed forces / air force / navy".
func (s *state) findForces() {
	toks := s.toks
	next := int32(0) // tokens before next are consumed
	for _, i := range s.tz.rare {
		if i < next || s.marks[i]&mForce == 0 {
			continue
		}
		var kind string
		end := i + 1
		if l2 := s.lex2(i); l2&lxForce != 0 {
			kind, end = forceNouns[toks[i].norm+" "+toks[i+1].norm], i+2
		} else if toks[i].lex&lxForce != 0 {
			kind = forceNouns[toks[i].norm]
		}
		if kind == "" || i == 0 || !(toks[i-1].capLike() || toks[i-1].is(fPossS)) {
			continue
		}
		if toks[i].norm == "military" && end == i+1 && !s.militaryAsNoun(i) {
			continue
		}
		a, cc, _ := s.qualifierBefore(i)
		if a < 0 {
			continue
		}
		name := s.cleanName(a, end)
		sp := s.addSpan(span{i: a, j: end, src: srcForces, typ: tActor, kind: "organization", name: name,
			cc: cc, id: "gen:org:" + strings.ToLower(cc) + "-" + kind, entry: -1})
		sp.entry = s.e.resolveForces(cc, kind)
		next = end
	}
}

func (e *Extractor) resolveForces(cc, kind string) int32 {
	if v, ok := e.templates.Load(cc + "|" + kind); ok {
		return v.(int32)
	}
	idx := e.resolveForcesSlow(cc, kind)
	e.templates.Store(cc+"|"+kind, idx)
	return idx
}

func (e *Extractor) resolveForcesSlow(cc, kind string) int32 {
	country := e.countryName(cc)
	dem := e.demonymOf(cc)
	var tries []string
	switch kind {
	case "armed-forces":
		tries = []string{"Armed Forces of " + country, dem + " Armed Forces", country + " Armed Forces", dem + " Army", country + " Army"}
	case "air-force":
		tries = []string{dem + " Air Force", country + " Air Force", "Air Force of " + country}
	case "navy":
		tries = []string{dem + " Navy", country + " Navy", "Navy of " + country}
	}
	return e.resolveActorTemplates(cc, tries)
}

func (e *Extractor) resolveActorTemplates(cc string, tries []string) int32 {
	for _, t := range tries {
		for _, idx := range e.cat.ResolveIndex(catalog.Actor, catalog.Key(t)) {
			en := e.cat.At(int(idx))
			if en.Country == "" || en.Country == cc {
				return idx
			}
		}
	}
	return -1
}

// findMinistries adds "Russia's Defence Ministry", "Ministry of Defense of
// Azerbaijan", "Chinese foreign ministry" and bare "Ministry of X".
func (s *state) findMinistries() {
	toks := s.toks
	next := int32(0) // tokens before next are consumed
	for _, m := range s.tz.rare {
		if m < next || s.marks[m]&mMinistry == 0 {
			continue
		}
		if toks[m].norm != "ministry" {
			continue
		}
		capM := toks[m].is(fCap)
		a, b := m, m+1
		typ := ""
		// "<type> ministry"
		for n := int32(2); n >= 1 && typ == ""; n-- {
			s0 := m - n
			if s0 < 0 || toks[m].is(fBarrier) {
				continue
			}
			ok := true
			for k := s0 + 1; k <= m; k++ {
				if toks[k].is(fBarrier | fComma) {
					ok = false
				}
			}
			if !ok {
				continue
			}
			if t, found := ministryTypes[s.joinNormTmp(s0, m)]; found {
				typ, a = t, s0
			}
		}
		// "ministry of <type>"
		if typ == "" && m+2 < int32(len(toks)) && toks[m+1].norm == "of" && !toks[m+1].is(fBarrier) {
			for n := int32(3); n >= 1 && typ == ""; n-- {
				e := m + 2 + n
				if e > int32(len(toks)) {
					continue
				}
				ok := true
				for k := m + 2; k < e; k++ {
					if toks[k].is(fBarrier|fComma) && k > m+2 || toks[k].is(fComma) {
						ok = false
					}
				}
				if !ok || toks[m+2].is(fBarrier) {
					continue
				}
				if t, found := ministryTypes[s.joinNormTmp(m+2, e)]; found {
					typ, b = t, e
				}
			}
			if typ == "" && capM {
				// Unknown capitalised type: "Ministry of Digital Transformation".
				e := m + 2
				for e < int32(len(toks)) && toks[e].capLike() && !toks[e].is(fBarrier|fComma) && e-m < 6 {
					e++
				}
				if e > m+2 {
					typ, b = s.joinNorm(m+2, e), e
				}
			}
		}
		if typ == "" {
			continue
		}
		// "Ministry of Trade and Industry": a second portfolio.
		if b > m+1 && b+1 < int32(len(toks)) && toks[b].norm == "and" && toks[b].is(fLower) && !toks[b].is(fBarrier) &&
			toks[b+1].is(fCap) && !toks[b+1].is(fBarrier) && toks[b+1].lex&lxCommon != 0 {
			b += 2
		}
		// Qualifier: before ("Russia's", "Russian") or after ("of Russia").
		q, cc, locTok := s.qualifierBefore(a)
		if q >= 0 {
			a = q
		} else if b+1 < int32(len(toks)) && toks[b].norm == "of" && !toks[b].is(fBarrier) {
			for n := int32(3); n >= 1; n-- {
				e := b + 1 + n
				if e > int32(len(toks)) {
					continue
				}
				key := s.joinNormTmp(b+1, e)
				if key == "the" {
					continue
				}
				key = strings.TrimPrefix(key, "the ")
				if c2, ok := s.e.countries[key]; ok {
					cc, locTok, b = c2, b+1, e
					break
				}
				found := false
				for _, idx := range s.e.cat.ResolveIndex(catalog.Location, key) {
					if en := s.e.cat.At(int(idx)); en.Kind == "country" {
						cc, locTok, b, found = en.Country, b+1, e, true
						break
					}
				}
				if found {
					break
				}
			}
		}
		name := s.cleanName(a, b)
		sp := span{i: a, j: b, src: srcForces, typ: tActor, kind: "organization", name: name, cc: cc, entry: -1}
		if cc != "" {
			sp.id = "gen:org:" + strings.ToLower(cc) + "-ministry-of-" + strings.ReplaceAll(typ, " ", "-")
			sp.entry = s.e.resolveMinistry(cc, typ)
			sp.alias = "ministry:" + typ
		} else {
			if !capM {
				continue // "an interior ministry statement"
			}
			sp.alias = "bare-ministry:" + typ
			sp.id = s.genID("gen:org:", name)
		}
		if locTok >= 0 {
			sp.ev |= evAdminAfter // carries a country name: also a location mention
			sp.cs = locTok
		} else {
			sp.cs = -1
		}
		s.addSpan(sp)
		next = b
	}
}

func (e *Extractor) resolveMinistry(cc, typ string) int32 {
	if v, ok := e.templates.Load(cc + "|ministry|" + typ); ok {
		return v.(int32)
	}
	idx := e.resolveMinistrySlow(cc, typ)
	e.templates.Store(cc+"|ministry|"+typ, idx)
	return idx
}

func (e *Extractor) resolveMinistrySlow(cc, typ string) int32 {
	country := e.countryName(cc)
	dem := e.demonymOf(cc)
	var names []string
	switch typ {
	case "defense":
		names = []string{"Defense", "Defence"}
	case "foreign":
		names = []string{"Foreign Affairs", "Foreign"}
	case "interior":
		names = []string{"Interior", "Internal Affairs"}
	default:
		names = []string{typ}
	}
	var tries []string
	for _, n := range names {
		tries = append(tries, dem+" "+n+" Ministry", "Ministry of "+n+" of "+country, dem+" Ministry of "+n,
			country+" Ministry of "+n, "Ministry of "+n+" ("+country+")", "Ministry of National "+n+" ("+country+")",
			"Ministry of National "+n+" of "+country)
	}
	return e.resolveActorTemplates(cc, tries)
}

// --- teams -----------------------------------------------------------------------

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

// --- places ------------------------------------------------------------------------

// findDatelines marks "MOSCOW, May 16" and "KHARTOUM:" at the start of the body.
func (s *state) findDatelines() {
	toks := s.toks
	b0 := s.tz.body0
	if b0 < 0 {
		return
	}
	j := b0
	for j < int32(len(toks)) && j-b0 < 4 && toks[j].is(fAllCaps) && (j == b0 || s.weakGap(j)) {
		j++
	}
	if j == b0 || j >= int32(len(toks)) {
		return
	}
	nt := &toks[j]
	if !(nt.is(fComma) || nt.is(fColonBefore|fOpenParen|fDashBefore)) {
		return
	}
	if s.transcriptLabel(b0, j) {
		return // "QUESTION:", "MR. PRICE:"
	}
	for k := b0; k < j; k++ {
		s.tokEvSet(k, evDateline)
	}
	// Not in the catalog: keep it as a generated place.
	if !s.hasDictSpan(b0, j, tyLocation) {
		name := titleCase(s.surface(b0, j))
		s.addSpan(span{i: b0, j: j, src: srcPlace, typ: tLocation, kind: "place", name: name,
			id: "gen:place:", ev: evDateline, entry: -1})
	}
	// "FOXBOROUGH, Mass." → the U.S. state.
	s.stateAbbrevAfter(j)
}

// stateAbbrevAfter adds the U.S. state named by an AP abbreviation after
// the comma at token k ("Mass.", "N.C.").
func (s *state) stateAbbrevAfter(k int32) {
	toks := s.toks
	if k >= int32(len(toks)) || !toks[k].is(fComma) {
		return
	}
	for n := int32(2); n >= 1; n-- {
		e := k + 1 + n
		if e > int32(len(toks)) || !toks[e-1].is(fDotAfter) || !toks[k+1].is(fCap) {
			continue
		}
		key := s.joinNormTmp(k+1, e)
		st, ok := usStateAbbrev[key]
		if !ok {
			continue
		}
		idx := s.e.usState(st)
		sp := span{i: k + 1, j: e, src: srcPlace, typ: tLocation, kind: "region", name: st,
			id: "gen:place:", cc: "US", entry: idx}
		s.addSpan(sp)
		return
	}
}

// usState returns the catalog region of a U.S. state named in
// usStateAbbrev, or -1.
func (e *Extractor) usState(name string) int32 {
	if idx, ok := e.usStates[name]; ok {
		return idx
	}
	return e.usStateSlow(name)
}

func (e *Extractor) usStateSlow(name string) int32 {
	for _, idx := range e.cat.ResolveIndex(catalog.Location, catalog.Key(name)) {
		en := e.cat.At(int(idx))
		if en.Country == "US" && (en.Kind == "region" || en.Kind == "city" && name == "Washington, D.C.") {
			return idx
		}
	}
	return -1
}

func titleCase(s string) string {
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		r := []rune(w)
		if len(r) > 0 {
			r[0] = []rune(strings.ToUpper(string(r[0])))[0]
		}
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}

func (s *state) hasDictSpan(i, j int32, t uint8) bool {
	for k := range s.spans {
		sp := &s.spans[k]
		if sp.src != srcDict || sp.i != i || sp.j != j {
			continue
		}
		for _, c := range s.e.dict.cands[sp.cs : sp.cs+sp.cn] {
			if c.typ == t {
				return true
			}
		}
	}
	return false
}

func (s *state) tokEvSet(k int32, ev uint16) { s.tokEv[k] |= ev }

func (s *state) tokEvGet(k int32) uint16 {
	if int(k) >= len(s.tokEv) {
		return 0
	}
	return s.tokEv[k]
}

// findSettlements handles "the town of X", "kibbutzim of X and Y".
func (s *state) findSettlements() {
	toks := s.toks
	n := int32(len(toks))
	for _, k := range s.tz.rare {
		if k+2 >= n || s.marks[k]&mSettle == 0 {
			continue
		}
		if !(toks[k].lex&lxSettle != 0) || toks[k+1].norm != "of" || toks[k+1].is(fBarrier) {
			continue
		}
		c := k + 2
		for c < n {
			if toks[c].is(fBarrier|fComma) || !toks[c].is(fCap) {
				break
			}
			a := c
			for c < n && (toks[c].is(fCap) || c > a && s.particleJoin(c)) && (c == a || s.weakGap(c)) && !toks[c-1].is(fPossS) && c-a < 5 &&
				!(toks[c].lex&lxCal != 0) {
				c++
				if toks[c-1].is(fPossS) {
					break
				}
			}
			if c == a {
				break
			}
			if (toks[a].lex&lxStop != 0) || c-a == 1 && toks[a].lex&lxCommon != 0 && !s.hasDictSpan(a, c, tyLocation) {
				break
			}
			for m := a; m < c; m++ {
				s.tokEvSet(m, evSettlement)
			}
			if !s.hasDictSpan(a, c, tyLocation) {
				name := s.cleanName(a, c)
				s.addSpan(span{i: a, j: c, src: srcPlace, typ: tLocation, kind: "city", name: name,
					id: "gen:place:", ev: evSettlement, entry: -1})
			}
			if c+1 < n && toks[c].norm == "and" && toks[c+1].is(fCap) && !toks[c+1].is(fBarrier) {
				c++
				continue
			}
			break
		}
	}
}

// findGeoHeads adds "<Name> County / Islands / Shoal / Stadium …".
func (s *state) findGeoHeads() {
	toks := s.toks
	for _, h := range s.tz.rare {
		if h < 1 || s.marks[h]&mGeo == 0 {
			continue
		}
		t := &toks[h]
		if !t.is(fCap) || !(t.lex&lxGeoHead != 0) || !s.inBodyNoTitleCase(h) {
			continue
		}
		end := h + 1
		if end < int32(len(toks)) && toks[end].is(fCap) && s.lex2(h)&lxGeoHead != 0 && s.weakGap(end) {
			end++
		}
		a := h
		for a > 0 && s.weakGap(a) && toks[a-1].capLike() && !toks[a-1].is(fPossS) && a-h > -4 {
			p := toks[a-1].norm
			if p == "the" || toks[a-1].lex&(lxTitle|lxCal) != 0 {
				break
			}
			if d, ok := s.e.demonymTok(&toks[a-1]); ok && !d.nameForm {
				break
			}
			a--
		}
		for a < h && (toks[a].lex&lxStop != 0) && toks[a].is(fSentStart) {
			a++
		}
		if a == h {
			continue
		}
		// Generic: "Air Base", "Power Plant" alone.
		distinct := false
		for k := a; k < h; k++ {
			if !(toks[k].lex&lxCommon != 0) || toks[k].is(fAllCaps) {
				distinct = true
			}
		}
		if !distinct && h-a < 2 {
			continue
		}
		name := s.cleanName(a, end)
		kind := "place"
		if t.lex&lxAdmin != 0 {
			kind = "region"
		}
		s.addSpan(span{i: a, j: end, src: srcPlace, typ: tLocation, kind: kind, name: name,
			id: "gen:place:", entry: -1})
	}
}

// headFirstGeo are nouns that start a geographic name: "Cape of Good Hope",
// "Gulf of Aden", "Sea of Azov".
var headFirstGeo = map[string]bool{"cape": true, "gulf": true, "bay": true, "strait": true, "straits": true,
	"sea": true, "isle": true, "isles": true, "lake": true, "mount": true, "port": true, "bight": true,
	"horn": true, "mouth": true, "gate": true}

// findHeadFirstGeo adds "Cape of Good Hope"-style names so that their
// parts ("Good Hope") are not matched on their own.
func (s *state) findHeadFirstGeo() {
	toks := s.toks
	n := int32(len(toks))
	for _, h := range s.tz.caps { // both readings need fCap
		if h+2 >= n {
			break
		}
		if toks[h].is(fCap) && (toks[h].norm == "lake" || toks[h].norm == "mount") && toks[h+1].is(fCap) && s.weakGap(h+1) && toks[h+1].lex&lxStop == 0 {
			// "Lake Tanganyika", "Mount Sinjar": not the province or the
			// town of the bare name.
			e := h + 1
			for e < n && toks[e].is(fCap) && !toks[e].is(fBarrier|fComma) && e-h < 4 && (e == h+1 || s.weakGap(e)) && toks[e].lex&lxGeoHead == 0 {
				if e > h+1 && toks[e-1].is(fPossS) {
					break
				}
				e++
				if toks[e-1].is(fPossS) {
					break
				}
			}
			if !s.hasDictSpan(h, e, tyLocation) {
				s.addSpan(span{i: h, j: e, src: srcPlace, typ: tLocation, kind: "place", name: s.cleanName(h, e),
					id: "gen:place:", entry: -1})
			}
			continue
		}
		if !toks[h].is(fCap) || toks[h+1].norm != "of" || toks[h+1].is(fBarrier) || !headFirstGeo[toks[h].norm] {
			continue
		}
		e := h + 2
		for e < n && toks[e].is(fCap) && !toks[e].is(fBarrier|fComma) && e-h < 6 {
			e++
		}
		if e == h+2 || s.hasDictSpan(h, e, tyLocation) {
			continue
		}
		name := s.cleanName(h, e)
		s.addSpan(span{i: h, j: e, src: srcPlace, typ: tLocation, kind: "place", name: name,
			id: "gen:place:", entry: -1})
	}
}

// findAdminNouns handles "the Kherson region", "Khojavend district".
func (s *state) findAdminNouns() {
	toks := s.toks
	for _, h := range s.tz.rare {
		if h < 1 || s.marks[h]&mAdmin == 0 {
			continue
		}
		t := &toks[h]
		if !t.is(fLower) || !(t.lex&lxAdmin != 0) || t.is(fBarrier) {
			continue
		}
		a := h
		for a > 0 && h-a < 3 && toks[a-1].is(fCap) && s.weakGap(a) && !toks[a-1].is(fPossS) {
			if toks[a-1].lex&(lxStop|lxTitle|lxCal) != 0 {
				if a < h && placeQualifiers.has(toks[a-1].norm) && !s.capUncertain(a-1) {
					a-- // "Lower Shabelle region", "North Kivu province"
				}
				break
			}
			if _, ok := s.e.demonymTok(&toks[a-1]); ok {
				break
			}
			a--
		}
		if a == h || s.capUncertain(a) && (toks[a].lex&lxCommon != 0) {
			continue
		}
		// "the Jewish state", "the Islamic State": an adjective, not a state.
		if t.norm == "state" && a > 0 && toks[a-1].norm == "the" {
			continue
		}
		noun := t.norm
		if sg, ok := pluralAdminNouns[noun]; ok {
			noun = sg
		}
		name := s.cleanName(a, h+1)
		s.addSpan(span{i: a, j: h + 1, src: srcPlace, typ: tLocation, kind: "region", name: name,
			id: "gen:place:", alias: noun, cs: a, cn: h, entry: -1})
	}
}

// placePrepBefore reports a preposition of place right before token i that
// rarely stands before a person: "near", "outside", "in".
func (s *state) placePrepBefore(i int32) bool {
	if i == 0 || s.toks[i].is(fBarrier) || !s.toks[i-1].is(fLower) && !s.toks[i-1].is(fSentStart) {
		return false // "near X", or "Near X" opening a sentence
	}
	switch s.toks[i-1].norm {
	case "near", "outside", "in", "inside", "around", "across", "towards", "toward", "into", "throughout", "nearby":
		return true
	}
	return false
}

// actorSpanEndsAt reports a catalog actor name ending right before token j:
// "Pratt & Whitney and Collins Aerospace" joins two companies, not one.
func (s *state) actorSpanEndsAt(j int32) bool {
	for k := range s.spans {
		sp := &s.spans[k]
		if sp.src == srcShared && sp.j == j {
			return true // a list member given a shared qualifier
		}
		if sp.src != srcDict || sp.j != j || sp.n() < 2 {
			continue
		}
		for _, c := range s.e.dict.cands[sp.cs : sp.cs+sp.cn] {
			if c.typ == tyActor {
				return true
			}
		}
	}
	return false
}

// stormWords name weather systems; a name after them is the storm's.
var stormWords = newSet(`storm,hurricane,typhoon,cyclone,depression`)

// sportsVerbs follow a player's name in match reports.
var sportsVerbs = newSet(`scored,led,added,finished,threw,caught,rushed,passed,grabbed,hit,made,had,beat,won,lost,
saved,netted,converted,missed,tallied,recorded,struck,clinched,sank,drained,blocked,sacked,intercepted,ran,jumped,
cleared,kicked,pitched,homered,doubled,singled,allowed,fired,finished,posted,set,broke,took,completed`)

// countryAt reports a country name starting at token i, after an optional
// "the": "of the United States".
func (s *state) countryAt(i int32) bool {
	if i < int32(len(s.toks)) && s.toks[i].norm == "the" && s.toks[i].is(fLower) {
		i++
	}
	if i >= int32(len(s.toks)) || !s.toks[i].is(fCap) {
		return false
	}
	for _, c := range s.singleCandsN(i, 3) {
		if c.typ == tyLocation && c.kind == kCountry {
			return true
		}
	}
	return false
}

// unitHeads end the names of numbered military units.
var unitHeads = newSet(`brigade,brigades,battalion,regiment,division,corps,army,fleet,squadron,wing,group,detachment,company,front`)

// isOrdinal reports a folded ordinal number written in digits: "25th", "3rd".
func isOrdinal(w string) bool {
	n := len(w)
	if n < 3 || w[0] < '0' || w[0] > '9' {
		return false
	}
	for i := 0; i < n-2; i++ {
		if w[i] < '0' || w[i] > '9' {
			return false
		}
	}
	switch w[n-2:] {
	case "st", "nd", "rd", "th":
		return true
	}
	return false
}

// particleJoin reports a lower-case name particle at token k joining two
// capitalised words of one name: "Jubata al-Khashab", "Nioro du Sahel".
func (s *state) particleJoin(k int32) bool {
	t := &s.toks[k]
	if !t.is(fLower) || t.lex&lxParticle == 0 || t.is(fBarrier|fComma) || k+1 >= int32(len(s.toks)) {
		return false
	}
	nt := &s.toks[k+1]
	return nt.is(fCap) && !nt.is(fBarrier|fComma) && s.weakGap(k+1)
}

// eventNouns follow the name of an event, not of a person: "the Han Kuang
// exercises", "the Zapad drills".
var eventNouns = newSet(`exercise,exercises,drill,drills,wargames,war-games,maneuvers,manoeuvres,operation,offensive,
summit,talks,forum,festival,trophy,award,prize,doctrine,initiative,accords,accord,agreement,process,format,plan`)

// venueTails end the names of venues that are also surnames ("Lambeau
// Field", "Madison Square Garden"): after a preposition of place they
// name the place.
var venueTails = newSet(`field,park,hall,garden,gardens,center,centre,station,street,avenue,road,boulevard,tower,stadium,arena`)
