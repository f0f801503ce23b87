package catalog

import (
	"hash/maphash"
	"unsafe"
)

// strIndex is a read-only map from non-empty strings to int32 that holds no
// pointer the garbage collector would trace (see arena): the keys' bytes lie
// in one byte slice, the records and the open-addressing slots in
// pointer-free slices. A Go map of 300,000 string keys costs each service
// about 5 ms of marking per collection.
type strIndex struct {
	seed  maphash.Seed
	slots []uint32 // 1 + index in recs, 0 when empty; a power of two long
	recs  []strRec
	data  []byte
}

type strRec struct {
	off, n uint32
	val    int32
}

// newStrIndex copies m.
func newStrIndex(m map[string]int32) strIndex {
	size := 0
	for k := range m {
		size += len(k)
	}
	n := 2
	for n < 2*len(m) { // at most half full
		n <<= 1
	}
	x := strIndex{seed: maphash.MakeSeed(), slots: make([]uint32, n),
		recs: make([]strRec, 0, len(m)), data: make([]byte, 0, size)}
	mask := uint64(n - 1)
	for k, v := range m {
		if len(x.data)+len(k) > 1<<32-1 {
			panic("catalog: name index over 4 GB")
		}
		x.recs = append(x.recs, strRec{off: uint32(len(x.data)), n: uint32(len(k)), val: v})
		x.data = append(x.data, k...)
		i := maphash.String(x.seed, k) & mask
		for x.slots[i] != 0 {
			i = (i + 1) & mask
		}
		x.slots[i] = uint32(len(x.recs))
	}
	return x
}

// get returns the value of k.
func (x *strIndex) get(k string) (int32, bool) {
	if len(x.slots) == 0 {
		return 0, false
	}
	mask := uint64(len(x.slots) - 1)
	for i := maphash.String(x.seed, k) & mask; ; i = (i + 1) & mask {
		s := x.slots[i]
		if s == 0 {
			return 0, false
		}
		if r := &x.recs[s-1]; int(r.n) == len(k) && x.key(r) == k {
			return r.val, true
		}
	}
}

// key returns the key of r, in x's memory.
func (x *strIndex) key(r *strRec) string {
	if r.n == 0 {
		return ""
	}
	return unsafe.String(&x.data[r.off], r.n)
}

// postings are the entry lists of the keys several entries share, flat: a
// key's value v >= 0 is one entry, v < 0 the list -v-1.
type postings struct {
	at   []int32 // list j is data[at[j]:at[j+1]]
	data []int32
}

// add appends list and returns its value.
func (p *postings) add(list []int32) int32 {
	if len(p.at) == 0 {
		p.at = append(p.at, 0)
	}
	p.data = append(p.data, list...)
	p.at = append(p.at, int32(len(p.data)))
	return -int32(len(p.at) - 1)
}

// list returns the entries of value v. A list must not be modified; its
// capacity ends with it, so that an append copies.
func (p *postings) list(v int32) []int32 {
	if v >= 0 {
		return []int32{v}
	}
	j := -v - 1
	lo, hi := p.at[j], p.at[j+1]
	return p.data[lo:hi:hi]
}

// nameIndex maps keys to the entries they name.
type nameIndex struct {
	strIndex
	lists postings
}

// newNameIndex freezes m, whose negative values name lists of multi as
// addKey makes them (-v-1).
func newNameIndex(m map[string]int32, multi [][]int32) nameIndex {
	var lists postings
	own := make(map[string]int32, len(m))
	for k, v := range m {
		if v < 0 {
			v = lists.add(multi[-v-1])
		}
		own[k] = v
	}
	return nameIndex{strIndex: newStrIndex(own), lists: lists}
}

// find returns the entries of key k, nil when none.
func (n *nameIndex) find(k string) []int32 {
	v, ok := n.get(k)
	if !ok {
		return nil
	}
	return n.lists.list(v)
}
