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

type slot struct {
	key   uint64
	lex   uint32
	start int32
	n     int32
	more  bool
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
		t.slots[i] = slot{key: h, lex: uint32(v.lex), start: v.start, n: v.n, more: v.more}
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

func (t *htab) get(h uint64) (dictVal, bool) {
	if len(t.slots) == 0 {
		return dictVal{}, false
	}
	i := mix(h) & t.mask
	for {
		s := &t.slots[i]
		if s.key == h {
			return dictVal{start: s.start, n: s.n, more: s.more, lex: uint64(s.lex)}, true
		}
		if s.key == 0 {
			return dictVal{}, false
		}
		i = (i + 1) & t.mask
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
	keys []uint64
	vals []uint64
	mask uint64
}

func newLexTab(m map[uint64]uint64) lexTab {
	size := uint64(1)
	for size < uint64(len(m))*2+2 {
		size <<= 1
	}
	t := lexTab{keys: make([]uint64, size), vals: make([]uint64, size), mask: size - 1}
	for h, v := range m {
		i := mix(h) & t.mask
		for t.keys[i] != 0 {
			i = (i + 1) & t.mask
		}
		t.keys[i], t.vals[i] = h, v
	}
	return t
}

func (t *lexTab) get(h uint64) uint64 {
	if len(t.keys) == 0 {
		return 0
	}
	i := mix(h) & t.mask
	for {
		k := t.keys[i]
		if k == h {
			return t.vals[i]
		}
		if k == 0 {
			return 0
		}
		i = (i + 1) & t.mask
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
