package extract

// htab is a read-only open-addressing hash table from non-zero 64-bit
// hashes to dictionary values, replacing a Go map on the hot path. A slot
// holds the key and the whole value, so a probe costs one cache miss; a
// bitset of multi-token keys lets most n-gram extensions skip the probe.
type htab struct {
	slots []slot
	mask  uint64
	// multi has a bit set for every key of two or more tokens.
	multi []uint64
	mmask uint64
}

// slot is one key and its dictVal packed into 16 bytes: start in bits
// 0-31, n in bits 32-55, more in bit 56 and the bigLex classes in bits
// 57-59, so that four slots share a cache line.
type slot struct {
	key uint64
	val uint64
}

const (
	slotMore   = 1 << 56
	slotCommon = 1 << 57
	slotFirst  = 1 << 58
	slotDemo   = 1 << 59
)

func packSlot(v dictVal) uint64 {
	if v.start < 0 || v.n < 0 || v.n >= 1<<24 || v.lex&^bigLex != 0 {
		panic("extract: dictionary value out of range")
	}
	p := uint64(uint32(v.start)) | uint64(v.n)<<32
	if v.more {
		p |= slotMore
	}
	if v.lex&lxCommon != 0 {
		p |= slotCommon
	}
	if v.lex&lxFirst != 0 {
		p |= slotFirst
	}
	if v.lex&lxDemonym != 0 {
		p |= slotDemo
	}
	return p
}

func unpackSlot(p uint64) dictVal {
	v := dictVal{start: int32(uint32(p)), n: int32(p >> 32 & (1<<24 - 1)), more: p&slotMore != 0}
	if p&(slotCommon|slotFirst|slotDemo) != 0 {
		if p&slotCommon != 0 {
			v.lex |= lxCommon
		}
		if p&slotFirst != 0 {
			v.lex |= lxFirst
		}
		if p&slotDemo != 0 {
			v.lex |= lxDemonym
		}
	}
	return v
}

func newHtab(m map[uint64]dictVal, multiKeys []uint64) htab {
	size := uint64(1)
	for size*3 < uint64(len(m))*4+4 { // load factor <= 3/4
		size <<= 1
	}
	t := htab{slots: make([]slot, size), mask: size - 1}
	for h, v := range m {
		i := mix(h) & t.mask
		for t.slots[i].key != 0 {
			i = (i + 1) & t.mask
		}
		t.slots[i] = slot{key: h, val: packSlot(v)}
	}
	bits := uint64(1 << 16)
	for bits < uint64(len(multiKeys))*16 {
		bits <<= 1
	}
	t.multi = make([]uint64, bits/64)
	t.mmask = bits - 1
	for _, h := range multiKeys {
		b := h >> 7 & t.mmask
		t.multi[b/64] |= 1 << (b % 64)
	}
	return t
}

// mix spreads the bits of h so that the low bits index well.
func mix(h uint64) uint64 {
	h ^= h >> 29
	h *= 0xbf58476d1ce4e5b9
	return h ^ h>>32
}

// get returns the value of h; a missing key gives the zero dictVal.
func (t *htab) get(h uint64) (dictVal, bool) {
	if len(t.slots) == 0 {
		return dictVal{}, false
	}
	// As in lexTab.get: the first slot decides almost always, and the
	// value is selected without a branch on the match.
	i := mix(h) & t.mask
	s := &t.slots[i]
	k, v := s.key, s.val
	if k != h {
		v = 0
	}
	if k == h || k == 0 {
		return unpackSlot(v), k == h
	}
	for {
		i = (i + 1) & t.mask
		s := &t.slots[i]
		if s.key == h {
			return unpackSlot(s.val), true
		}
		if s.key == 0 {
			return dictVal{}, false
		}
	}
}

// mayHaveMulti reports whether the multi-token key h may be present.
func (t *htab) mayHaveMulti(h uint64) bool {
	if len(t.multi) == 0 {
		return true
	}
	b := h >> 7 & t.mmask
	return t.multi[b/64]&(1<<(b%64)) != 0
}

// lexTab is a small open-addressing table from token hashes to lexical
// classes of the short word lists; it stays in cache.
type lexTab struct {
	slots []lexSlot
	mask  uint64
}

type lexSlot struct{ key, val uint64 }

func newLexTab(m map[uint64]uint64) lexTab {
	// At most a quarter full: a look-up then rarely goes past the first
	// slot, and the branch that would is predictable.
	size := uint64(1)
	for size < uint64(len(m))*4+2 {
		size <<= 1
	}
	t := lexTab{slots: make([]lexSlot, size), mask: size - 1}
	for h, v := range m {
		i := mix(h) & t.mask
		for t.slots[i].key != 0 {
			i = (i + 1) & t.mask
		}
		t.slots[i] = lexSlot{h, v}
	}
	return t
}

func (t *lexTab) get(h uint64) uint64 {
	if len(t.slots) == 0 {
		return 0
	}
	// The first slot decides almost always: its key or an empty slot. The
	// value is selected without a branch on whether the key matched, which
	// the processor could not predict.
	i := mix(h) & t.mask
	s := &t.slots[i]
	k, v := s.key, s.val
	if k != h {
		v = 0
	}
	if k == h || k == 0 {
		return v
	}
	return t.probe(h, i)
}

// first returns the first slot of h's probe sequence.
func (t *lexTab) first(h uint64) *lexSlot { return &t.slots[mix(h)&t.mask] }

// probe continues the search for h after slot i.
func (t *lexTab) probe(h, i uint64) uint64 {
	for {
		i = (i + 1) & t.mask
		s := &t.slots[i]
		if s.key == h {
			return s.val
		}
		if s.key == 0 {
			return 0
		}
	}
}

// bitset is a one-hash Bloom filter over 64-bit hashes.
type bitset struct {
	bits []uint64
	mask uint64
}

func newBitset(keys []uint64, perKey int) bitset {
	n := uint64(1 << 12)
	for n < uint64(len(keys)*perKey) {
		n <<= 1
	}
	b := bitset{bits: make([]uint64, n/64), mask: n - 1}
	for _, h := range keys {
		x := mix(h^0x5bd1e995) & b.mask
		b.bits[x/64] |= 1 << (x % 64)
	}
	return b
}

func (b *bitset) has(h uint64) bool {
	if len(b.bits) == 0 {
		return true
	}
	x := mix(h^0x5bd1e995) & b.mask
	return b.bits[x/64]&(1<<(x%64)) != 0
}
