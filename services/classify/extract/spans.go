package extract

import "slices"

// findDictSpans records every token n-gram that names a catalog entry under
// acceptable capitalisation.
func (s *state) findDictSpans() {
	d := &s.e.dict
	toks := s.toks
	for _, i32 := range s.tz.dicts {
		i := int(i32)
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
				v = t.dv()
				ok = v.n > 0 || v.more
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
		if c.typ == tyWeapon && s.milStrong == 0 && !s.designation(i, j) {
			continue // a designation may still be one (designationWeapon)
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
			if !t.is(fNoLower) && s.e.commonWord(t.norm) {
				return false, false // "Plans" in a headline is no "PLAN"
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
	switch c.typ {
	case tyLocation:
		if c.kind == kCountry || s.e.info[c.entry].pop >= 1_000_000 {
			return true, true
		}
	case tyWeapon:
		if f&aDigit != 0 {
			return true, true
		}
	}
	return false, false
}

// selectSpans keeps a non-overlapping set of spans: longer first, then by
// source priority, then leftmost.
func (s *state) selectSpans() {
	for _, k := range s.spanOrder() {
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

// spanOrder returns the span indices sorted longer first, then by source
// priority, then leftmost, then in order of creation (a stable sort). A
// counting sort puts them in buckets by length and source, in order of
// creation; spans come mostly in text order, so a bucket rarely needs
// sorting by start, where a comparison sort of all spans mispredicts a
// branch at about every other comparison.
func (s *state) spanOrder() []int32 {
	idx := slices.Grow(s.order32[:0], len(s.spans))[:len(s.spans)]
	s.order32 = idx
	// Spans longer than maxBucketLen, empty or of no known source (none
	// seen in practice) leave the buckets for a comparison sort.
	const maxBucketLen, nSrc = 64, int32(srcBlock) + 1
	maxN, bucketed := int32(1), true
	for k := range s.spans {
		sp := &s.spans[k]
		maxN = max(maxN, sp.n())
		bucketed = bucketed && sp.n() >= 1 && sp.n() <= maxBucketLen && sp.src <= srcBlock
	}
	if !bucketed {
		for k := range idx {
			idx[k] = int32(k)
		}
		slices.SortStableFunc(idx, s.cmpSpans)
		return idx
	}
	bucket := func(sp *span) int32 { return (maxN-sp.n())*nSrc + nSrc - 1 - int32(sp.src) }
	// end[b+1] counts bucket b; the running sum then makes end[b] the
	// start of bucket b, and filling the bucket moves it to its end.
	end := slices.Grow(s.bucketEnd[:0], int(maxN*nSrc)+1)[:maxN*nSrc+1]
	s.bucketEnd = end
	clear(end)
	for k := range s.spans {
		end[bucket(&s.spans[k])+1]++
	}
	for b := 1; b < len(end); b++ {
		end[b] += end[b-1]
	}
	for k := range s.spans {
		b := bucket(&s.spans[k])
		idx[end[b]] = int32(k)
		end[b]++
	}
	byStart := func(a, b int32) int { return int(s.spans[a].i - s.spans[b].i) }
	lo := int32(0)
	for _, hi := range end[:len(end)-1] {
		if seg := idx[lo:hi]; !slices.IsSortedFunc(seg, byStart) {
			slices.SortStableFunc(seg, byStart)
		}
		lo = hi
	}
	return idx
}

// cmpSpans orders spans a and b as spanOrder does, but for the creation
// order that a stable sort keeps.
func (s *state) cmpSpans(a, b int32) int {
	x, y := &s.spans[a], &s.spans[b]
	if x.n() != y.n() {
		return int(y.n() - x.n())
	}
	if x.src != y.src {
		return int(y.src) - int(x.src)
	}
	return int(x.i - y.i)
}

// singleCands returns the catalog candidates of the single token i.
func (s *state) singleCands(i int32) []cand {
	if t := &s.toks[i]; t.dvN > 0 {
		return s.e.dict.cands[t.dvStart : t.dvStart+t.dvN]
	}
	if c := s.single[i]; c.n1 > 0 {
		return s.e.dict.cands[c.start : c.start+c.n1-1]
	}
	v := s.singleCandsSlow(i)
	s.single[i] = singleVal{start: v.start, n1: v.n + 1}
	return s.e.dict.cands[v.start : v.start+v.n]
}

// singleVal caches the candidates of a single token: dict.cands[start:]
// of length n1-1; n1 == 0 means not looked up yet.
type singleVal struct{ start, n1 int32 }

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
		switch c.typ {
		case tyLocation:
			if c.kind == kCountry || s.e.info[c.entry].pop >= 1_000_000 {
				return true
			}
		case tyActor:
			if c.kind != kPerson && c.flags&(aCommon|aAmbig|aFirstName) == 0 {
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
		if c.typ != tyLocation {
			continue
		}
		if ok, _ := s.caseOK(i, i+1, c); !ok {
			continue
		}
		found = true
		if c.kind == kCountry {
			kind = "country"
			pop = max(pop, 1<<40)
		}
		if p := s.e.info[c.entry].pop; p > pop {
			pop = p
			if kind != "country" {
				kind = s.e.cat.At(int(c.entry)).Kind
			}
		}
	}
	return found, pop, kind
}
