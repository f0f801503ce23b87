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
// article by canonical id, with a mention count and the first offset.
package extract

import (
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/deskwire/newsroom/services/pipeline/catalog"
)

// Version is the version of the extraction rules. Bump it whenever a rule
// changes what Extract returns.
const Version = "1.1.0"

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
}

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
	dict       dict
	common     wordSet
	firstNames wordSet
	demonyms   map[string]demonymInfo
	countries  map[string]string // folded country name → cc
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
	// templates caches catalog look-ups of national bodies by "cc|kind".
	templates sync.Map
	catTerms  termTable
	// lex2 holds the lexical classes of token pairs (those of single
	// tokens live in dict.m).
	lex2 map[uint64]uint64
	// lexSmall holds the classes of the short word lists, lex2Tab those
	// of token pairs.
	lexSmall, lex2Tab lexTab
	// blockFirst holds the first tokens of outlet and platform names.
	blockFirst lexTab
	// blockHashes holds hashed outlet and platform names.
	blockHashes map[uint64]bool
	blockMaxN   int
	pool        sync.Pool
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
	e.catTerms = buildTerms()
	e.buildDict()
	e.buildLex()
	e.dict.freeze()
	e.buildBlockers()
	e.pool.New = func() any { return &state{} }
	return e
}

// ClassifierVersion identifies the rules and the data together:
// Version + "+" + the catalog's content hash.
func (e *Extractor) ClassifierVersion() string { return Version + "+" + e.cat.Version() }

// Catalog returns the catalog the extractor matches against.
func (e *Extractor) Catalog() *catalog.Catalog { return e.cat }

// Extract returns the entities of one article. It does no I/O.
func (e *Extractor) Extract(title, body string) Result {
	s := e.pool.Get().(*state)
	defer e.pool.Put(s)
	s.reset(e, title+"\n"+body, len(title))
	s.run()
	return s.result()
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
	sports             int
	usDomestic         int
	usStates           int
	titleCase          bool

	// article context
	ccEvidence map[string]int
	regionSeen map[int32]bool
	surnames   map[string]int // folded surname → index in persons (-1 ambiguous)
	firstOnly  map[string]int
	persons    []entKey
	acronyms   map[string]entKey
	shortAlias map[string]entKey
	ents       map[entKey]*agg
	order      []*agg
	catsFound  [18]bool
	weaponToks []bool
	tokEv      []uint16
	order32    []int32   // scratch for selectSpans
	single     []dictVal // cached single-token look-ups (n < 0: not yet)
	major      []uint8   // cached tokIsMajor: 0 unknown, 1 yes, 2 no
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
	if cap(s.owner) < len(s.toks) {
		s.owner = make([]int32, len(s.toks))
		s.weaponToks = make([]bool, len(s.toks))
	}
	if cap(s.tokEv) < len(s.toks) {
		s.tokEv = make([]uint16, len(s.toks))
		s.single = make([]dictVal, len(s.toks))
		s.major = make([]uint8, len(s.toks))
	}
	s.single = s.single[:len(s.toks)]
	s.major = s.major[:len(s.toks)]
	for i := range s.single {
		s.single[i] = dictVal{n: -1}
		s.major[i] = 0
	}
	for i := range s.toks {
		if s.toks[i].dv.n > 0 {
			s.single[i] = s.toks[i].dv
		}
	}
	s.owner = s.owner[:len(s.toks)]
	s.weaponToks = s.weaponToks[:len(s.toks)]
	s.tokEv = s.tokEv[:len(s.toks)]
	for i := range s.owner {
		s.owner[i] = -1
		s.weaponToks[i] = false
		s.tokEv[i] = 0
	}
	s.milStrong, s.milWeak, s.sports, s.usDomestic = 0, 0, 0, 0
	s.hasShips = false
	s.usStates = 0
	s.titleCase = false
	if s.ccEvidence == nil {
		s.ccEvidence = map[string]int{}
		s.regionSeen = map[int32]bool{}
		s.surnames = map[string]int{}
		s.firstOnly = map[string]int{}
		s.acronyms = map[string]entKey{}
		s.shortAlias = map[string]entKey{}
		s.ents = map[entKey]*agg{}
	}
	clear(s.ccEvidence)
	clear(s.regionSeen)
	clear(s.surnames)
	clear(s.firstOnly)
	clear(s.acronyms)
	clear(s.shortAlias)
	clear(s.ents)
	s.persons = s.persons[:0]
	s.order = s.order[:0]
	s.catsFound = [18]bool{}
}

func (s *state) run() {
	s.features()
	s.findDictSpans()
	s.findBlockers()
	s.findPatterns()
	s.selectSpans()
	s.resolve()
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
	for i := 0; i < len(toks); i++ {
		t := &toks[i]
		if t.is(fComma) {
			continue
		}
		if l2 := s.lex2(int32(i)); l2&lxMil != 0 {
			if l2&lxMilWeak != 0 {
				s.milWeak++
			} else {
				s.milStrong++
			}
			i++
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

func (s *state) add(typ int8, entry int32, id, name, kind, cc, category string, tokIdx int32) entKey {
	k := entKey{entry: entry}
	if entry < 0 {
		k.id = id
	}
	a := s.ents[k]
	if a == nil {
		a = &agg{typ: typ, entry: entry, id: id, name: name, kind: kind, cc: cc, category: category, offset: math.MaxInt32}
		s.ents[k] = a
		s.order = append(s.order, a)
	}
	a.mentions++
	if off := s.toks[tokIdx].rstart; off < a.offset {
		a.offset = off
	}
	return k
}

func (s *state) result() Result {
	var r Result
	slices.SortStableFunc(s.order, func(a, b *agg) int { return int(a.offset - b.offset) })
	cat := s.e.cat
	for _, a := range s.order {
		var en Entity
		if a.entry >= 0 {
			ce := cat.At(int(a.entry))
			en = Entity{ID: ce.ID, Name: ce.Name, Kind: ce.Kind, Category: ce.Category, Country: ce.Country,
				Lat: ce.Lat, Lon: ce.Lon, HasCoord: ce.HasCoord}
			if a.typ == tActor && en.Kind == "" {
				en.Kind = "organization"
			}
		} else {
			en = Entity{ID: a.id, Name: a.name, Kind: a.kind, Country: a.cc, Category: a.category}
		}
		en.Mentions = a.mentions
		en.Offset = int(a.offset)
		switch a.typ {
		case tActor:
			r.Actors = append(r.Actors, en)
		case tWeapon:
			r.Weapons = append(r.Weapons, en)
		case tLocation:
			r.Locations = append(r.Locations, en)
		}
	}
	for i, c := range Categories {
		if s.catsFound[i] {
			r.WeaponCategories = append(r.WeaponCategories, c)
		}
	}
	return r
}

// slug turns a name into an id fragment: folded tokens joined by "-",
// country adjectives replaced by the country name and possessive "s" dropped.
func (e *Extractor) slug(name string) string {
	toks := catalog.KeyTokens(name)
	out := make([]string, 0, len(toks)+2)
	for i, t := range toks {
		if t == "s" && i > 0 {
			continue
		}
		if d, ok := e.demonyms[t]; ok && !d.nameForm {
			out = append(out, catalog.KeyTokens(d.country)...)
			continue
		}
		out = append(out, t)
	}
	return strings.Join(out, "-")
}
