package extract

import (
	"slices"

	"github.com/deskwire/newsroom/services/pipeline/catalog"
)

// findDictSpans records every token n-gram that names a catalog entry under
// acceptable capitalisation.
func (s *state) findDictSpans() {
	d := &s.e.dict
	toks := s.toks
	for i := range toks {
		t := &toks[i]
		if t.is(fComma | fPossS) {
			continue
		}
		var prev uint64
		for n := 1; i+n <= len(toks) && n <= d.maxN; n++ {
			last := &toks[i+n-1]
			if n > 1 && last.is(fBarrier) {
				break
			}
			var h uint64
			var v dictVal
			var ok bool
			if n == 1 {
				h = last.h
				v, ok = t.dv, t.dv.n > 0 || t.dv.more
			} else {
				h = combine(prev, last.h)
				if d.tab.mayHaveMulti(h) {
					v, ok = d.get(h)
				}
			}
			if ok && v.n > 0 {
				s.addDictSpan(int32(i), int32(i+n), v, false)
			}
			if last.ha != 0 && !last.is(fComma) && (n > 1 || !last.is(fNoDict)) {
				ha := last.ha
				if n > 1 {
					ha = combine(prev, last.ha)
				}
				if n == 1 || d.tab.mayHaveMulti(ha) {
					if va, ok2 := d.get(ha); ok2 && va.n > 0 {
						s.addDictSpan(int32(i), int32(i+n), va, true)
					}
				}
			}
			if !ok || !v.more {
				break
			}
			prev = h
		}
	}
}

func (s *state) addDictSpan(i, j int32, v dictVal, alt bool) {
	sp := span{i: i, j: j, src: srcDict, cs: v.start, cn: v.n, entry: -1, chosen: -1}
	if alt {
		sp.ev |= evAlt
		// A plural or variant of a single-letter alias ("Ks") is noise.
		if j-i == 1 && len(s.toks[i].norm) <= 3 {
			return
		}
	}
	viable := false
	for _, c := range s.e.dict.cands[v.start : v.start+v.n] {
		ok, lower := s.caseOK(i, j, c)
		if !ok {
			continue
		}
		if lower {
			sp.ev |= evLower
		}
		en := s.e.cat.At(int(c.entry))
		if en.Type == catalog.Weapon && s.milStrong == 0 {
			continue
		}
		viable = true
	}
	if viable {
		s.spans = append(s.spans, sp)
	}
}

// caseOK checks the capitalisation of tokens [i, j) against an alias. The
// second result reports a lower-case match of a capitalised alias.
func (s *state) caseOK(i, j int32, c cand) (bool, bool) {
	toks := s.toks
	f := c.flags
	if f&aUpper == 0 {
		return true, false
	}
	if f&aShortAcr != 0 {
		// "US", "UN", "U.S.": capitals only.
		for k := i; k < j; k++ {
			t := &toks[k]
			if t.is(fComma) || t.is(fDigit) && !t.is(fAlpha) {
				continue
			}
			if !t.is(fNoLower) {
				return false, false
			}
		}
		return true, false
	}
	if f&aAcronym != 0 {
		for k := i; k < j; k++ {
			t := &toks[k]
			if t.is(fAlpha) && !t.is(fCap) {
				return false, false
			}
		}
		return true, false
	}
	ok := true
	for k := i; k < j; k++ {
		bit := k - i
		if bit >= 16 || c.upMask&(1<<bit) == 0 {
			continue
		}
		t := &toks[k]
		if t.is(fCap|fAllCaps) || len(t.norm) > 0 && t.norm[0] >= '0' && t.norm[0] <= '9' {
			continue
		}
		ok = false
		break
	}
	if ok {
		return true, false
	}
	// A lower-case spelling of a distinctive name ("kyiv") counts for big
	// places and designations.
	if j-i != 1 || f&(aCommon|aFirstName|aStopWord|aAmbig|aDemonym) != 0 || len(toks[i].norm) < 4 {
		return false, false
	}
	en := s.e.cat.At(int(c.entry))
	switch en.Type {
	case catalog.Location:
		if en.Kind == "country" || en.Population >= 1_000_000 {
			return true, true
		}
	case catalog.Weapon:
		if f&aDigit != 0 {
			return true, true
		}
	}
	return false, false
}

// selectSpans keeps a non-overlapping set of spans: longer first, then by
// source priority, then leftmost.
func (s *state) selectSpans() {
	idx := s.order32[:0]
	for k := range s.spans {
		idx = append(idx, int32(k))
	}
	s.order32 = idx
	slices.SortStableFunc(idx, func(a, b int32) int {
		x, y := &s.spans[a], &s.spans[b]
		if x.n() != y.n() {
			return int(y.n() - x.n())
		}
		if x.src != y.src {
			return int(y.src) - int(x.src)
		}
		return int(x.i - y.i)
	})
	for _, k := range idx {
		sp := &s.spans[k]
		free := true
		for t := sp.i; t < sp.j; t++ {
			if s.owner[t] >= 0 {
				free = false
				break
			}
		}
		if !free {
			continue
		}
		for t := sp.i; t < sp.j; t++ {
			s.owner[t] = int32(k)
		}
		sp.chosen = 0
	}
	for k := range s.spans {
		if s.spans[k].chosen != 0 {
			s.spans[k].chosen = -1
		} else {
			s.spans[k].chosen = -2 // selected, not yet resolved
		}
	}
}

// singleCands returns the catalog candidates of the single token i.
func (s *state) singleCands(i int32) []cand {
	if c := s.single[i]; c.n >= 0 {
		return s.e.dict.cands[c.start : c.start+c.n]
	}
	v := s.singleCandsSlow(i)
	s.single[i] = v
	return s.e.dict.cands[v.start : v.start+v.n]
}

func (s *state) singleCandsSlow(i int32) dictVal {
	t := &s.toks[i]
	if t.is(fNoDict) {
		return dictVal{}
	}
	v, ok := s.e.dict.get(t.h)
	if !ok || v.n == 0 {
		if t.ha == 0 {
			return dictVal{}
		}
		v, ok = s.e.dict.get(t.ha)
		if !ok || v.n == 0 {
			return dictVal{}
		}
	}
	return v
}

// tokIsMajor reports whether token i alone names a country, a region, a
// city of a million people or an organization in the catalog.
func (s *state) tokIsMajor(i int32) bool {
	switch s.major[i] {
	case 1:
		return true
	case 2:
		return false
	}
	m := s.tokIsMajorSlow(i)
	s.major[i] = 2
	if m {
		s.major[i] = 1
	}
	return m
}

func (s *state) tokIsMajorSlow(i int32) bool {
	for _, c := range s.singleCands(i) {
		if ok, _ := s.caseOK(i, i+1, c); !ok {
			continue
		}
		en := s.e.cat.At(int(c.entry))
		switch en.Type {
		case catalog.Location:
			if en.Kind == "country" || en.Kind == "region" && en.Population >= 1_000_000 || en.Population >= 1_000_000 {
				return true
			}
		case catalog.Actor:
			if en.Kind != "person" && c.flags&(aCommon|aAmbig|aFirstName) == 0 {
				return true
			}
		}
	}
	return false
}

// tokIsLocation reports whether token i alone names any catalog location
// (big or small) and returns the largest population.
func (s *state) tokLocation(i int32) (bool, int64, string) {
	found := false
	var pop int64
	kind := ""
	for _, c := range s.singleCands(i) {
		en := s.e.cat.At(int(c.entry))
		if en.Type != catalog.Location {
			continue
		}
		if ok, _ := s.caseOK(i, i+1, c); !ok {
			continue
		}
		found = true
		if en.Kind == "country" {
			kind = "country"
			pop = max(pop, 1<<40)
		}
		if en.Population > pop {
			pop = en.Population
			if kind != "country" {
				kind = en.Kind
			}
		}
	}
	return found, pop, kind
}
