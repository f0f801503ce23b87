package catalog

import "unsafe"

// A loaded catalog holds some 75,000 entries, and in them about a million
// strings and lists that the garbage collector would trace on every cycle of
// every service: about 10 ms of marking a cycle (BENCHMARKS.md, "The
// catalog and the garbage collector"). An arena holds them instead: one
// allocation the collector sees as a []uint64, so it never scans it.
//
// That is sound because every pointer stored in the arena points into the
// arena itself: the allocation stays alive while anything points into it (the
// Catalog, an Entry copied out, a string or a list taken from one), and the
// collector does not move memory. Lists get cap == len, so that a caller's
// append copies them out instead of writing into the arena; nothing may
// write into a frozen entry ("Entries: must not be modified").
type arena struct {
	mem  []uint64
	used uintptr // bytes handed out
}

// take returns n bytes of the arena, aligned to 8 bytes.
func (a *arena) take(n uintptr) unsafe.Pointer {
	p := unsafe.Add(unsafe.Pointer(unsafe.SliceData(a.mem)), a.used)
	a.used += (n + 7) &^ 7
	if a.used > uintptr(len(a.mem))*8 {
		panic("catalog: arena sized too small")
	}
	return p
}

// str copies s into the arena; the empty string stays the empty string.
func (a *arena) str(s string) string {
	if s == "" {
		return ""
	}
	p := a.take(uintptr(len(s)))
	copy(unsafe.Slice((*byte)(p), len(s)), s)
	return unsafe.String((*byte)(p), len(s))
}

// list copies l and its strings into the arena, keeping a nil list nil. An
// empty list points at no memory of the arena's: its pointer could be one
// past the arena's end, which the collector may take for another object's.
func (a *arena) list(l []string) []string {
	if l == nil {
		return nil
	}
	if len(l) == 0 {
		return []string{}
	}
	out := unsafe.Slice((*string)(a.take(uintptr(len(l))*unsafe.Sizeof(""))), len(l))
	for i, s := range l {
		out[i] = a.str(s)
	}
	return out[:len(l):len(l)]
}

// freeze returns a copy of entries that lives in an arena. The short
// attribute strings (type, kind, category, country, first-level division)
// repeat across entries and are stored once each.
func freeze(entries []Entry) []Entry {
	if len(entries) == 0 {
		return entries
	}
	round := func(n int) uintptr { return (uintptr(n) + 7) &^ 7 }
	size := uintptr(len(entries)) * unsafe.Sizeof(Entry{})
	shared := map[string]bool{}
	for i := range entries {
		e := &entries[i]
		for _, s := range [...]string{string(e.Type), e.Kind, e.Category, e.Country, e.Admin1} {
			if !shared[s] {
				shared[s] = true
				size += round(len(s))
			}
		}
		size += round(len(e.ID)) + round(len(e.Name)) + round(len(e.Role))
		for _, l := range [...][]string{e.Aliases, e.Variants, e.Ambiguous} {
			size += uintptr(len(l)) * unsafe.Sizeof("")
			for _, s := range l {
				size += round(len(s))
			}
		}
	}
	a := &arena{mem: make([]uint64, size/8)}
	out := unsafe.Slice((*Entry)(a.take(uintptr(len(entries))*unsafe.Sizeof(Entry{}))), len(entries))
	once := make(map[string]string, len(shared))
	attr := func(s string) string {
		v, ok := once[s]
		if !ok {
			v = a.str(s)
			once[s] = v
		}
		return v
	}
	for i := range entries {
		e, f := &entries[i], &out[i]
		*f = Entry{
			ID: a.str(e.ID), Name: a.str(e.Name), Type: Type(attr(string(e.Type))), Kind: attr(e.Kind),
			Category: attr(e.Category), Country: attr(e.Country), Lat: e.Lat, Lon: e.Lon, HasCoord: e.HasCoord,
			Population: e.Population, Aliases: a.list(e.Aliases), Variants: a.list(e.Variants),
			Ambiguous: a.list(e.Ambiguous), Admin1: attr(e.Admin1), Role: a.str(e.Role),
		}
	}
	return out[:len(out):len(out)]
}
