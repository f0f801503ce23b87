package extract

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
func (t *token) nameTok() bool { return nameTokOf(t.f, t.lex) }

// nameTokOf is nameTok of a token with flags f and classes lex.
func nameTokOf(f uint32, lex uint64) bool {
	if f&(fCap|fAlpha|fAllCaps|fDigit|fPossS) != fCap|fAlpha {
		return false
	}
	if lex&(lxCal|lxTitle|lxOrgHead|lxBreaker|lxDemonym) != 0 || lex&(lxStop|lxFirst) == lxStop {
		return false
	}
	return true
}

func (s *state) isInitial(i int32) bool { return s.toks[i].is(fInitial) }

// initial is isInitial of a token, computed once by the tokenizer.
func (t *token) initial() bool { return initialOf(t.norm, t.f) }

// initialOf is initial of a token with norm and flags f.
func initialOf(norm string, f uint32) bool {
	return len(norm) == 1 && f&(fCap|fDotAfter|fAlpha) == fCap|fDotAfter|fAlpha
}

// weakGap reports whether tokens i-1 and i are joined without punctuation
// that separates names.
func (s *state) weakGap(i int32) bool {
	t := &s.toks[i]
	return !t.is(fBarrier|fComma|fQuoteBefore) && !s.toks[i-1].is(fComma)
}

// listNext skips the separator between items of a list at token c: ",",
// "and" or ", and" (a lower-case "and"); it returns c when there is none.
func (s *state) listNext(c int32) int32 {
	n := int32(len(s.toks))
	if c < n && s.toks[c].is(fComma) {
		c++
	}
	if c < n && s.toks[c].norm == "and" && s.toks[c].is(fLower) {
		c++
	}
	return c
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
