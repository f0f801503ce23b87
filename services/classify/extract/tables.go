package extract

import "github.com/deskwire/newsroom/services/pipeline/catalog"

// entInfo is the part of a catalog entry that the rules read in their
// loops over candidates, packed into 24 bytes: a look-up touches one small
// array instead of a catalog.Entry, which spans several cache lines.
type entInfo struct {
	pop      int64   // Population
	popScore float64 // popScore(pop)
	cc       uint16  // ccIndex(Country)
	typ      uint8   // ty* (Type)
	kind     uint8   // k* (Kind)
}

// Entry types.
const (
	tyOther uint8 = iota
	tyActor
	tyWeapon
	tyLocation
)

// Entry kinds.
const (
	kOther uint8 = iota
	kCountry
	kRegion
	kCity
	kPlace
	kPerson
	kOrganization
)

func typeCode(t catalog.Type) uint8 {
	switch t {
	case catalog.Actor:
		return tyActor
	case catalog.Weapon:
		return tyWeapon
	case catalog.Location:
		return tyLocation
	}
	return tyOther
}

func kindCode(k string) uint8 {
	switch k {
	case "country":
		return kCountry
	case "region":
		return kRegion
	case "city":
		return kCity
	case "place":
		return kPlace
	case "person":
		return kPerson
	case "organization":
		return kOrganization
	}
	return kOther
}

// buildInfo fills e.info from the catalog.
func (e *Extractor) buildInfo() {
	entries := e.cat.Entries()
	e.info = make([]entInfo, len(entries))
	for i := range entries {
		en := &entries[i]
		e.info[i] = entInfo{pop: en.Population, popScore: popScore(en.Population), cc: ccIndex(en.Country),
			typ: typeCode(en.Type), kind: kindCode(en.Kind)}
	}
}

// Country-code slots of ccCounts: two upper-case letters map to 0..675,
// the empty code to ccEmpty; anything else to ccNone (counted in a map).
const (
	ccEmpty = 26 * 26
	ccNone  = ccEmpty + 1
)

// ccIndex returns the slot of a country code.
func ccIndex(cc string) uint16 {
	switch {
	case cc == "":
		return ccEmpty
	case len(cc) == 2 && cc[0] >= 'A' && cc[0] <= 'Z' && cc[1] >= 'A' && cc[1] <= 'Z':
		return uint16(cc[0]-'A')*26 + uint16(cc[1]-'A')
	}
	return ccNone
}

// ccCounts counts evidence per country code; it replaces a map[string]int
// with an array that is cleared by the slots it touched.
type ccCounts struct {
	n       [ccEmpty + 1]int32
	touched []uint16
	other   map[string]int
}

func (c *ccCounts) inc(cc string) { c.incIdx(ccIndex(cc), cc) }

// incIdx counts code cc whose slot is i.
func (c *ccCounts) incIdx(i uint16, cc string) {
	if i == ccNone {
		if c.other == nil {
			c.other = map[string]int{}
		}
		c.other[cc]++
		return
	}
	if c.n[i] == 0 {
		c.touched = append(c.touched, i)
	}
	c.n[i]++
}

func (c *ccCounts) get(cc string) int { return c.getIdx(ccIndex(cc), cc) }

func (c *ccCounts) getIdx(i uint16, cc string) int {
	if i == ccNone {
		return c.other[cc]
	}
	return int(c.n[i])
}

func (c *ccCounts) reset() {
	for _, i := range c.touched {
		c.n[i] = 0
	}
	c.touched = c.touched[:0]
	clear(c.other)
}

// entrySet is a small set of catalog entries; articles see few, so a
// linear scan beats a map.
type entrySet []int32

func (s entrySet) has(x int32) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

func (s *entrySet) add(x int32) {
	if !s.has(x) {
		*s = append(*s, x)
	}
}

// ccUS is the slot of "US".
var ccUS = ccIndex("US")

// ccCountOf returns the evidence count of the country of catalog entry idx.
func (s *state) ccCountOf(idx int32) int {
	i := s.e.info[idx].cc
	if i == ccNone {
		return s.ccEvidence.get(s.e.cat.At(int(idx)).Country)
	}
	return int(s.ccEvidence.n[i])
}

// ccInc counts evidence for the country of catalog entry idx.
func (s *state) ccInc(idx int32) {
	i := s.e.info[idx].cc
	if i == ccNone {
		s.ccEvidence.inc(s.e.cat.At(int(idx)).Country)
		return
	}
	s.ccEvidence.incIdx(i, "")
}

// hashBloom is a 256-bit one-hash Bloom filter over token hashes: a quick
// "certainly not" before a map look-up by the token's text.
type hashBloom [4]uint64

func (b *hashBloom) add(h uint64)      { b[h>>6&3] |= 1 << (h & 63) }
func (b *hashBloom) has(h uint64) bool { return b[h>>6&3]&(1<<(h&63)) != 0 }

// aggTable maps catalog entries to their index in state.aggs: an
// open-addressing table of index+1 (0: empty) that compares keys through
// the aggs themselves.
type aggTable struct {
	slots []int32
	n     int
}

func aggHash(entry int32) uint32 { return uint32(entry) * 0x9e3779b1 }

func (t *aggTable) reset() {
	clear(t.slots)
	t.n = 0
}

func (t *aggTable) get(aggs []agg, entry int32) (int32, bool) {
	if len(t.slots) == 0 {
		return 0, false
	}
	mask := uint32(len(t.slots) - 1)
	for i := aggHash(entry) >> 16 & mask; ; i = (i + 1) & mask {
		v := t.slots[i]
		if v == 0 {
			return 0, false
		}
		if aggs[v-1].entry == entry {
			return v - 1, true
		}
	}
}

// put records that aggs[idx] is the entity of entry, which must be new.
func (t *aggTable) put(aggs []agg, entry, idx int32) {
	if 2*(t.n+1) > len(t.slots) {
		old := t.slots
		t.slots = make([]int32, max(64, 2*len(old)))
		t.n = 0
		for _, v := range old {
			if v != 0 {
				t.insert(aggs[v-1].entry, v-1)
			}
		}
	}
	t.insert(entry, idx)
}

func (t *aggTable) insert(entry, idx int32) {
	mask := uint32(len(t.slots) - 1)
	i := aggHash(entry) >> 16 & mask
	for t.slots[i] != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = idx + 1
	t.n++
}

// wordTable is a read-only map from folded words to small integers (index
// 0..n-1), looked up by the token's hash and checked against the word.
type wordTable struct {
	tab   lexTab // hash → index+1
	words []string
}

func newWordTable(words []string) wordTable {
	m := map[uint64]uint64{}
	var kept []string
	for _, w := range words {
		h := hashString(w)
		if _, dup := m[h]; dup {
			// The lists are embedded; tests catch this at once.
			panic("extract: hash collision in a word list: " + w)
		}
		kept = append(kept, w)
		m[h] = uint64(len(kept))
	}
	return wordTable{tab: newLexTab(m), words: kept}
}

// index returns the index of the word of token t, or -1. Words of the
// table have distinct hashes (newWordTable checks), so a word with the
// hash of another is not in the table.
func (w *wordTable) index(t *token) int {
	i := int(w.tab.get(t.h)) - 1
	if i < 0 || w.words[i] != t.norm {
		return -1
	}
	return i
}

// lookup returns the index of word, or -1.
func (w *wordTable) lookup(word string) int {
	i := int(w.tab.get(hashString(word))) - 1
	if i < 0 || w.words[i] != word {
		return -1
	}
	return i
}

// demonymTok is demonyms[t.norm].
func (e *Extractor) demonymTok(t *token) (demonymInfo, bool) {
	if i := e.demTab.index(t); i >= 0 {
		return e.demInfos[i], true
	}
	return demonymInfo{}, false
}
