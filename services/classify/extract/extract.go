// Package extract finds the actors (people and organizations), named weapon
// systems, weapon categories and locations a news article mentions.
//
// Matching is rule based and deterministic. The text (title, a newline, the
// body) is tokenized once; token n-grams are looked up in a hash map built
// from every catalog name and alias; rules then add what no catalog lists
// (people after titles or before reporting verbs, organizations named by
// their head noun, places named by "the town of …"), and context decides
// between readings: "Patriot" is a weapon only in a military story,
// "Georgia" is the U.S. state when the story is about U.S. places, a place
// inside a team name ("Phoenix Suns") is no location. Entities are merged per
// article by canonical id, with a mention count, the first offset and the
// span of every mention.
package extract

import (
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"unsafe"

	"github.com/deskwire/newsroom/services/pipeline/catalog"
)

// Version is the version of the extraction rules. Bump it whenever a rule
// changes what Extract returns.
const Version = "1.3.0"

// Entity is one actor, weapon or location found in an article.
type Entity struct {
	// ID is the catalog id, or a generated "gen:person:<slug>",
	// "gen:org:<slug>" or "gen:place:<slug>" for names no catalog lists.
	ID string
	// Name is the canonical name (catalog) or the name as first written.
	Name string
	// Kind is person|organization for actors, country|region|city|place
	// for locations, empty for weapons.
	Kind string
	// Category is a weapon's category from the closed list.
	Category string
	// Country is the ISO 3166-1 alpha-2 code, when known.
	Country string
	// Lat and Lon locate a place when HasCoord is set.
	Lat, Lon float64
	// HasCoord reports whether Lat and Lon are known.
	HasCoord bool
	// Mentions counts the entity's mentions in the title and body.
	Mentions int
	// Offset is the rune offset of the first mention in title+"\n"+body.
	Offset int
	// Spans are every mention, ordered and not overlapping, in UTF-16 code
	// units of title+"\n"+body (the unit of a JavaScript string index, so
	// that a browser can highlight them as given). Two mentions of the
	// same words count twice in Mentions but give one span.
	Spans []Span
	// Aliases are other forms of a generated entity's name, so that a
	// search by surname or acronym finds it: a person's surname, an
	// organization's acronym or the shorter name it was also called.
	// Catalog entities carry theirs in the catalog and leave this empty.
	Aliases []string
}

// Span is one mention: the text [Start, End) in UTF-16 code units of
// title+"\n"+body.
type Span struct{ Start, End int }

// Result is what Extract found in one article. Lists are ordered by first
// mention; WeaponCategories follows the order of the closed category list.
type Result struct {
	Actors, Weapons, Locations []Entity
	WeaponCategories           []string
}

// Categories is the closed list of weapon categories.
var Categories = []string{
	"drone", "missile", "cruise missile", "ballistic missile", "hypersonic missile",
	"air defense", "artillery", "rocket", "tank", "armored vehicle", "fighter aircraft",
	"bomber", "helicopter", "warship", "submarine", "small arms", "mine", "nuclear weapon",
}

// Extractor finds entities in articles. It is safe for concurrent use.
type Extractor struct {
	cat        *catalog.Catalog
	info       []entInfo // per catalog entry
	dict       dict
	common     wordSet
	firstNames wordSet
	demonyms   map[string]demonymInfo
	// demTab and demInfos index demonyms by token hash (demonymTok).
	demTab    wordTable
	demInfos  []demonymInfo
	countries map[string]string // folded country name → cc
	// countryIdx maps a country code to its catalog country entry.
	countryIdx map[string]int32
	// regionIdx maps admin1 codes and "name|cc" keys to region entries.
	regionIdx map[string]int32
	// regionOfIdx is the region entry of every location entry, or -1.
	regionOfIdx []int32
	// demonymByCC and nameByCC give the adjective and name of a country.
	demonymByCC, nameByCC map[string]string
	// people holds, per catalog person, the folded single-token aliases
	// (surnames) and the first words of multi-word names.
	people map[int32]personKeys
	// skeletons indexes people by the skeleton of their surnames.
	skeletons map[string][]int32
	// templates caches catalog look-ups of national bodies by "cc|kind".
	templates sync.Map
	catTerms  termTable
	// usStates caches usState for the states of usStateAbbrev.
	usStates map[string]int32
	// catTab and catLists index catTerms by token hash.
	catTab   wordTable
	catLists [][]term
	// lex2 holds the lexical classes of token pairs (those of single
	// tokens live in dict.m).
	lex2 map[uint64]uint64
	// lexSmall holds the classes of the short word lists, lex2Tab those
	// of token pairs.
	lexSmall, lex2Tab lexTab
	// blockHashes holds hashed outlet and platform names.
	blockHashes lexTab
	blockMaxN   int
	pool        sync.Pool
	// version is ClassifierVersion's answer, built once.
	version string
}

type personKeys struct{ single, first []string }

// New builds an Extractor over catalog c.
func New(c *catalog.Catalog) *Extractor {
	e := &Extractor{
		cat:        c,
		common:     loadWordFile("common.txt"),
		firstNames: loadWordFile("firstnames.txt"),
		countryIdx: map[string]int32{},
		regionIdx:  map[string]int32{},
	}
	e.demonyms, e.countries = loadDemonyms()
	e.demTab, e.demInfos = tableOf(e.demonyms)
	for k := range e.firstNames {
		if stopCaps.has(k) || calendarWords.has(k) {
			delete(e.firstNames, k) // "North", "May", "Will"
		}
	}
	for i, en := range c.Entries() {
		if en.Type != catalog.Location {
			continue
		}
		switch en.Kind {
		case "country":
			if en.Country != "" {
				if old, ok := e.countryIdx[en.Country]; !ok || c.At(int(old)).Population < en.Population {
					e.countryIdx[en.Country] = int32(i)
				}
			}
		case "region":
			if en.Admin1 != "" {
				e.regionIdx[en.Admin1] = int32(i)
			}
			if id, ok := strings.CutPrefix(en.ID, "adm:"); ok {
				e.regionIdx[id] = int32(i)
			}
			e.regionIdx[catalog.Key(en.Name)+"|"+en.Country] = int32(i)
		}
	}
	e.regionOfIdx = make([]int32, len(c.Entries()))
	for i := range c.Entries() {
		e.regionOfIdx[i] = -1
		en := c.At(i)
		if en.Type == catalog.Location {
			if r, ok := e.regionOfSlow(en); ok {
				e.regionOfIdx[i] = r
			}
		}
	}
	e.people = map[int32]personKeys{}
	for i := range c.Entries() {
		en := c.At(i)
		if en.Type != catalog.Actor || en.Kind != "person" {
			continue
		}
		var pk personKeys
		for _, n := range en.Names() {
			toks := catalog.KeyTokens(n)
			switch {
			case len(toks) == 1:
				pk.single = append(pk.single, toks[0])
			case len(toks) >= 2:
				pk.first = append(pk.first, toks[0])
			}
		}
		e.people[int32(i)] = pk
	}
	e.buildSkeletons()
	e.demonymByCC, e.nameByCC = map[string]string{}, map[string]string{}
	for k, d := range e.demonyms {
		if d.nameForm || strings.HasSuffix(k, "s") && k != "swiss" {
			continue
		}
		if old := e.demonymByCC[d.cc]; old == "" || len(k) > len(old) {
			e.demonymByCC[d.cc] = k
		}
	}
	for k, cc := range e.countries {
		e.nameByCC[cc] = k
	}
	for cc, idx := range e.countryIdx {
		e.nameByCC[cc] = c.At(int(idx)).Name
	}
	e.usStates = map[string]int32{}
	for _, st := range usStateAbbrev {
		e.usStates[st] = e.usStateSlow(st)
	}
	e.catTerms = buildTerms()
	e.catTab, e.catLists = tableOf(e.catTerms)
	e.buildInfo()
	e.buildDict()
	e.buildLex()
	e.dict.freeze()
	e.buildBlockers()
	e.pool.New = func() any { return &state{} }
	e.version = Version + "+" + c.Version()
	return e
}

// ClassifierVersion identifies the rules and the data together:
// Version + "+" + the catalog's content hash.
func (e *Extractor) ClassifierVersion() string { return e.version }

// Catalog returns the catalog the extractor matches against.
func (e *Extractor) Catalog() *catalog.Catalog { return e.cat }

// Extract returns the entities of one article. It does no I/O.
func (e *Extractor) Extract(title, body string) Result {
	return e.ExtractTo(new(Buffers), title, body)
}

// Buffers holds the memory of one Result so that a caller extracting many
// articles one after the other does not allocate it anew for each.
type Buffers struct {
	ents    []Entity
	spans   []Span
	aliases []string
	strs    []byte // the ids, names and aliases of generated entities
	cats    []string
}

// ExtractTo is Extract with the Result's lists, spans and strings in b: the
// Result is valid until the next call with b, which overwrites it. b must
// not be used by two calls at once.
func (e *Extractor) ExtractTo(b *Buffers, title, body string) Result {
	s := e.pool.Get().(*state)
	defer e.pool.Put(s)
	// The text lives in a buffer of the pooled state: result copies the
	// strings it hands out that point into it.
	buf := append(append(append(s.textBuf[:0], title...), '\n'), body...)
	s.textBuf = buf
	s.reset(e, unsafe.String(unsafe.SliceData(buf), len(buf)), len(title))
	s.run()
	return s.result(b)
}

// --- per-article state -----------------------------------------------------

// Span sources, in tie-break priority order (higher wins on equal length).
const (
	srcPlace uint8 = iota + 1
	srcPerson
	srcOrg
	srcTeam
	srcForces
	srcDict
	srcShared // a list member given the qualifier of the first (sharedqual.go)
	srcBlock
)

const (
	tActor = iota
	tWeapon
	tLocation
)

// Span evidence bits.
const (
	evDateline uint16 = 1 << iota
	evSettlement
	evLocPrep
	evAdminAfter
	evTitleBefore
	evLower
	evAlt
	evSentStart
	evLocalMil
	evGovPrep
)

type span struct {
	i, j   int32 // tokens [i, j)
	src    uint8
	typ    int8  // tActor/tWeapon/tLocation for generated spans
	cs, cn int32 // dict candidate range
	ev     uint16
	// Generated spans: id, display name, kind, country.
	id, name, kind, cc string
	// entry is the resolved catalog entry or -1.
	entry int32
	// alias is a short form registered for the article ("Patriots").
	alias string
	// chosen: resolved type; -1 when rejected.
	chosen int8
	// adj caches adjacentName: 0 not yet, 1 no, 2 yes.
	adj int8
}

func (sp *span) n() int32 { return sp.j - sp.i }

type entKey struct {
	entry int32
	id    string
}

type agg struct {
	typ      int8
	entry    int32
	id       string
	name     string
	kind     string
	cc       string
	category string
	mentions int
	offset   int32
	// short is a shorter name merged into this one (mergeShortOrgs).
	short string
}

type state struct {
	e        *Extractor
	text     string
	titleEnd int
	tz       tokenizer
	toks     []token
	spans    []span
	owner    []int32

	milStrong, milWeak int
	hasShips           bool
	// shipNamed lists the tokens right after an all-capitals ship prefix
	// ("HMS", "USS"), built on first use (shipNamedOK) per article.
	shipNamed   []int32
	shipNamedOK bool
	sports      int
	usDomestic  int
	usStates    int
	titleCase   bool

	// article context
	ccEvidence ccCounts
	regionSeen entrySet
	surnames   map[string]int // folded surname → index in persons (-1 ambiguous)
	firstOnly  map[string]int
	persons    []entKey
	acronyms   map[string]entKey
	shortAlias map[string]entKey
	// aggs holds the article's entities in order of creation; byEntry
	// and byID index them by catalog entry and by generated id.
	aggs       []agg
	ments      []ment  // every mention, in order of emission
	spanFirst  []int32 // scratch for mentionSpans
	spanNext   []int32 // scratch for mentionSpans
	byEntry    aggTable
	byID       map[entKey]int32
	catsFound  [18]bool
	weaponToks []bool
	tokEv      []uint16
	order32    []int32     // scratch for selectSpans
	bucketEnd  []int32     // scratch for spanOrder
	runs       []personRun // scratch for findPersons
	keyBuf     []byte      // scratch for genID
	joinBuf    []byte      // scratch for joinNormTmp
	textBuf    []byte      // title, "\n", body
	extra      []mention   // scratch for resolve
	accepted   []int32     // scratch for resolve
	locs       []int32     // scratch for resolve
	// localNames holds the hashes of the keys of acronyms, surnames,
	// shortAlias and firstOnly.
	localNames hashBloom
	idBuf      []byte      // genID's ids, reset per call
	single     []singleVal // cached single-token look-ups (zero: not yet)
	major      []uint8     // cached tokIsMajor: 0 unknown, 1 yes, 2 no
}

func (s *state) reset(e *Extractor, text string, titleEnd int) {
	s.e = e
	s.text = text
	s.titleEnd = titleEnd
	s.tz.dict = &e.dict.tab
	s.tz.small = &e.lexSmall
	s.tz.lower = &e.dict.lower
	s.tz.tokenize(text, titleEnd)
	s.toks = s.tz.toks
	s.spans = s.spans[:0]
	n := len(s.toks)
	if cap(s.owner) < n {
		s.owner = make([]int32, n)
		s.weaponToks = make([]bool, n)
		s.tokEv = make([]uint16, n)
		s.single = make([]singleVal, n)
		s.major = make([]uint8, n)
	}
	s.owner = s.owner[:n]
	s.weaponToks = s.weaponToks[:n]
	s.tokEv = s.tokEv[:n]
	s.single = s.single[:n]
	s.major = s.major[:n]
	clear(s.weaponToks)
	clear(s.tokEv)
	clear(s.single)
	clear(s.major)
	if n > 0 {
		s.owner[0] = -1
		for k := 1; k < n; k *= 2 {
			copy(s.owner[k:], s.owner[:k])
		}
	}
	s.milStrong, s.milWeak, s.sports, s.usDomestic = 0, 0, 0, 0
	s.hasShips = false
	s.shipNamed, s.shipNamedOK = s.shipNamed[:0], false
	s.usStates = 0
	s.titleCase = false
	if s.surnames == nil {
		s.surnames = map[string]int{}
		s.firstOnly = map[string]int{}
		s.acronyms = map[string]entKey{}
		s.shortAlias = map[string]entKey{}
		s.byID = map[entKey]int32{}
	}
	s.ccEvidence.reset()
	s.regionSeen = s.regionSeen[:0]
	s.localNames = hashBloom{}
	clear(s.surnames)
	clear(s.firstOnly)
	clear(s.acronyms)
	clear(s.shortAlias)
	s.byEntry.reset()
	clear(s.byID)
	s.persons = s.persons[:0]
	s.aggs = s.aggs[:0]
	s.ments = s.ments[:0]
	s.idBuf = s.idBuf[:0]
	s.catsFound = [18]bool{}
}

func (s *state) run() {
	s.features()
	s.findDictSpans()
	s.findBlockers()
	s.findShipNames()
	s.findOutlets()
	s.findLowerBodies()
	s.findSharedQualifier()
	s.findPatterns()
	s.selectSpans()
	s.resolve()
	s.mergeShortOrgs()
	s.mergeCityIntoRegion()
	s.countryAnaphora()
	s.categories()
}

// surface returns the original text of tokens [i, j).
func (s *state) surface(i, j int32) string {
	return s.text[s.toks[i].start:s.toks[j-1].end]
}

// features computes article-level context: military and sports vocabulary,
// U.S. domestic politics, whether the title is written in title case.
func (s *state) features() {
	toks := s.toks
	next := int32(0) // tokens before next are consumed
	for _, i := range s.tz.marked(mFeat) {
		if i < next {
			continue
		}
		t := &toks[i]
		if t.is(fComma) {
			continue
		}
		if l2 := s.lex2(i); l2&lxMil != 0 {
			if l2&lxMilWeak != 0 {
				s.milWeak++
			} else {
				s.milStrong++
			}
			next = i + 2
			continue
		}
		if t.lex&lxMil != 0 {
			if t.lex&lxMilWeak != 0 {
				s.milWeak++
			} else if !(t.norm == "war" && t.is(fHyphenBefore)) {
				s.milStrong++
			}
		}
		if t.lex&lxSports != 0 {
			s.sports++
		}
		if t.lex&lxUSDomestic != 0 {
			s.usDomestic++
		}
		if t.lex&lxShip != 0 && t.is(fAllCaps) {
			s.hasShips = true
		}
	}
	// Title case: most longer title words capitalised.
	caps, words := 0, 0
	for i := range toks {
		t := &toks[i]
		if !t.is(fTitle) {
			break
		}
		if !t.is(fAlpha) || len(t.norm) <= 3 {
			continue
		}
		words++
		if t.is(fCap | fAllCaps) {
			caps++
		}
	}
	s.titleCase = words >= 3 && caps*10 >= words*7
}

// milContext reports a clearly military article: two strong military
// words, or one with two weaker ones ("drones", "rockets", "tanks").
func (s *state) milContext() bool {
	return s.milStrong >= 2 || s.milStrong >= 1 && s.milWeak >= 2
}

// capUncertain reports whether capitalisation of token i says nothing: the
// first word of a sentence or a word of a title-case title.
func (s *state) capUncertain(i int32) bool {
	t := &s.toks[i]
	if t.is(fSentStart) {
		return true
	}
	if t.is(fQuoteBefore) && i > 0 && s.toks[i-1].is(fColonBefore) {
		return true
	}
	return t.is(fTitle) && s.titleCase
}

// --- output ------------------------------------------------------------------

// ment is one mention: the entity (index in aggs) named by tokens [i, j).
type ment struct{ agg, i, j int32 }

// add records a mention, by tokens [i, j), of the entity of key (entry, id),
// creating the entity with the other arguments when it is new.
func (s *state) add(typ int8, entry int32, id, name, kind, cc, category string, i, j int32) entKey {
	k := entKey{entry: entry}
	if entry < 0 {
		k.id = id
	}
	ai, ok := s.aggIndex(k)
	if !ok {
		s.newAgg(k, agg{typ: typ, entry: entry, id: id, name: name, kind: kind, cc: cc, category: category, offset: math.MaxInt32})
		ai = int32(len(s.aggs) - 1)
	}
	a := &s.aggs[ai]
	a.mentions++
	if off := s.toks[i].rstart; off < a.offset {
		a.offset = off
	}
	s.ments = append(s.ments, ment{agg: ai, i: i, j: max(j, i+1)})
	return k
}

// aggIndex returns the index in aggs of the entity of key k.
func (s *state) aggIndex(k entKey) (int32, bool) {
	if k.entry >= 0 {
		return s.byEntry.get(s.aggs, k.entry)
	}
	i, ok := s.byID[k]
	return i, ok
}

// aggOf returns the entity of key k, or nil. The pointer is valid until
// the next newAgg.
func (s *state) aggOf(k entKey) *agg {
	i, ok := s.aggIndex(k)
	if !ok {
		return nil
	}
	return &s.aggs[i]
}

// newAgg adds entity a under key k.
func (s *state) newAgg(k entKey, a agg) *agg {
	i := int32(len(s.aggs))
	s.aggs = append(s.aggs, a)
	if k.entry >= 0 {
		s.byEntry.put(s.aggs, k.entry, i)
	} else {
		s.byID[k] = i
	}
	return &s.aggs[i]
}

// result copies the article's entities out of the state into b.
func (s *state) result(b *Buffers) Result {
	var r Result
	order := s.order32[:0]
	var nAct, nWpn, nLoc, nCat, strLen, nAlias int
	var aliasBuf [maxAliases]string
	for i := range s.aggs {
		a := &s.aggs[i]
		order = append(order, int32(i))
		switch a.typ {
		case tActor:
			nAct++
		case tWeapon:
			nWpn++
		case tLocation:
			nLoc++
		}
		if a.entry < 0 {
			strLen += len(a.id) + len(a.name)
			for _, x := range s.aliasesOf(a, &aliasBuf) {
				strLen += len(x)
				nAlias++
			}
		}
	}
	s.order32 = order
	slices.SortStableFunc(order, func(a, b int32) int { return int(s.aggs[a].offset - s.aggs[b].offset) })
	// The three lists share one array, capped so that appending to one
	// cannot overwrite the next; every entity is written below, so the
	// array needs no clearing.
	all := slices.Grow(b.ents[:0], nAct+nWpn+nLoc)[:nAct+nWpn+nLoc]
	b.ents = all
	if nAct > 0 {
		r.Actors = all[:0:nAct]
	}
	if nWpn > 0 {
		r.Weapons = all[nAct : nAct : nAct+nWpn]
	}
	if nLoc > 0 {
		r.Locations = all[nAct+nWpn : nAct+nWpn : len(all)]
	}
	// The ids and names of generated entities point into buffers that the
	// next call overwrites (the text, genID's arena): they are copied into
	// b.strs, whose bytes stay unchanged until b is used again.
	sb := slices.Grow(b.strs[:0], strLen)
	for _, ai := range order {
		if a := &s.aggs[ai]; a.entry < 0 {
			sb = append(append(sb, a.id...), a.name...)
			for _, x := range s.aliasesOf(a, &aliasBuf) {
				sb = append(sb, x...)
			}
		}
	}
	b.strs = sb
	strs, off := unsafe.String(unsafe.SliceData(sb), len(sb)), 0
	clone := func(x string) string {
		off += len(x)
		return strs[off-len(x) : off]
	}
	cat := s.e.cat
	var aliases []string
	spans, first := s.mentionSpans(b)
	for _, ai := range order {
		a := &s.aggs[ai]
		var en Entity
		if a.entry >= 0 {
			ce := cat.At(int(a.entry))
			en = Entity{ID: ce.ID, Name: ce.Name, Kind: ce.Kind, Category: ce.Category, Country: ce.Country,
				Lat: ce.Lat, Lon: ce.Lon, HasCoord: ce.HasCoord}
			if a.typ == tActor && en.Kind == "" {
				en.Kind = "organization"
			}
		} else {
			id := clone(a.id) // before the name: clone takes them in the order written
			en = Entity{ID: id, Name: clone(a.name), Kind: a.kind, Country: a.cc, Category: a.category}
			if al := s.aliasesOf(a, &aliasBuf); len(al) > 0 {
				// All entities' aliases share one array, capped per entity.
				if aliases == nil {
					aliases = slices.Grow(b.aliases[:0], nAlias)
					b.aliases = aliases
				}
				start := len(aliases)
				for _, x := range al {
					aliases = append(aliases, clone(x))
				}
				en.Aliases = aliases[start:len(aliases):len(aliases)]
			}
		}
		en.Mentions = a.mentions
		en.Offset = int(a.offset)
		if lo, hi := first[ai], first[ai+1]; hi > lo {
			en.Spans = spans[lo:hi:hi]
		}
		switch a.typ {
		case tActor:
			r.Actors = append(r.Actors, en)
		case tWeapon:
			r.Weapons = append(r.Weapons, en)
		case tLocation:
			r.Locations = append(r.Locations, en)
		}
	}
	for i := range Categories {
		if s.catsFound[i] {
			nCat++
		}
	}
	if nCat > 0 {
		r.WeaponCategories = slices.Grow(b.cats[:0], nCat)
		b.cats = r.WeaponCategories
		for i, c := range Categories {
			if s.catsFound[i] {
				r.WeaponCategories = append(r.WeaponCategories, c)
			}
		}
	}
	return r
}

// genID returns prefix followed by the slug of name: its folded tokens
// (catalog.Key) joined by "-", country adjectives replaced by the country
// name and possessive "s" dropped. The id lives in s.idBuf, which only
// grows during one call of Extract (so the id stays valid until the next
// call); result copies the ids it hands out.
func (s *state) genID(prefix, name string) string {
	key := appendKey(s.keyBuf[:0], name)
	s.keyBuf = key
	start := len(s.idBuf)
	out := append(s.idBuf, prefix...)
	n := 0 // tokens written
	elem := func(t string) {
		if n > 0 {
			out = append(out, '-')
		}
		out = append(out, t...)
		n++
	}
	if len(key) > 0 {
		ks := unsafe.String(unsafe.SliceData(key), len(key))
		for idx := 0; ; idx++ {
			t, rest, more := strings.Cut(ks, " ")
			switch d := s.e.demTab.lookup(t); {
			case t == "s" && idx > 0:
			case d >= 0 && !s.e.demInfos[d].nameForm:
				for _, ct := range s.e.demInfos[d].countryToks {
					elem(ct)
				}
			default:
				elem(t)
			}
			if !more {
				break
			}
			ks = rest
		}
	}
	s.idBuf = out
	return unsafe.String(unsafe.SliceData(out[start:]), len(out)-start)
}

// appendKey appends catalog.Key(s) to dst.
func appendKey(dst []byte, s string) []byte {
	start := len(dst)
	inWord := false
	for _, r := range s {
		if catalog.IsWordRune(r) {
			if !inWord && len(dst) > start {
				dst = append(dst, ' ')
			}
			inWord = true
			dst = catalog.AppendFold(dst, r)
			continue
		}
		inWord = false
	}
	return dst
}

// tableOf indexes m's keys in a word table and lists their values in the
// table's order.
func tableOf[V any](m map[string]V) (wordTable, []V) {
	keys := slices.Sorted(maps.Keys(m))
	t := newWordTable(keys)
	vals := make([]V, 0, len(t.words))
	for _, k := range t.words {
		vals = append(vals, m[k])
	}
	return t, vals
}
