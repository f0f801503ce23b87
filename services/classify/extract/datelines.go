package extract

import (
	"strings"

	"github.com/deskwire/newsroom/services/pipeline/catalog"
)

// findDatelines marks "MOSCOW, May 16" and "KHARTOUM:" at the start of the body.
func (s *state) findDatelines() {
	toks := s.toks
	b0 := s.tz.body0
	if b0 < 0 {
		return
	}
	j := b0
	for j < int32(len(toks)) && j-b0 < 4 && toks[j].is(fAllCaps) && (j == b0 || s.weakGap(j)) {
		j++
	}
	if j == b0 || j >= int32(len(toks)) {
		return
	}
	nt := &toks[j]
	if !(nt.is(fComma) || nt.is(fColonBefore|fOpenParen|fDashBefore)) {
		return
	}
	if s.transcriptLabel(b0, j) {
		return // "QUESTION:", "MR. PRICE:"
	}
	for k := b0; k < j; k++ {
		s.tokEvSet(k, evDateline)
	}
	// Not in the catalog: keep it as a generated place.
	if !s.hasDictSpan(b0, j, tyLocation) {
		name := titleCase(s.surface(b0, j))
		s.addSpan(span{i: b0, j: j, src: srcPlace, typ: tLocation, kind: "place", name: name,
			id: "gen:place:", ev: evDateline, entry: -1})
	}
	// "FOXBOROUGH, Mass." → the U.S. state.
	s.stateAbbrevAfter(j)
}

// stateAbbrevAfter adds the U.S. state named by an AP abbreviation after
// the comma at token k ("Mass.", "N.C.").
func (s *state) stateAbbrevAfter(k int32) {
	toks := s.toks
	if k >= int32(len(toks)) || !toks[k].is(fComma) {
		return
	}
	for n := int32(2); n >= 1; n-- {
		e := k + 1 + n
		if e > int32(len(toks)) || !toks[e-1].is(fDotAfter) || !toks[k+1].is(fCap) {
			continue
		}
		key := s.joinNormTmp(k+1, e)
		st, ok := usStateAbbrev[key]
		if !ok {
			continue
		}
		idx := s.e.usState(st)
		sp := span{i: k + 1, j: e, src: srcPlace, typ: tLocation, kind: "region", name: st,
			id: "gen:place:", cc: "US", entry: idx}
		s.addSpan(sp)
		return
	}
}

// usState returns the catalog region of a U.S. state named in
// usStateAbbrev, or -1.
func (e *Extractor) usState(name string) int32 {
	if idx, ok := e.usStates[name]; ok {
		return idx
	}
	return e.usStateSlow(name)
}

func (e *Extractor) usStateSlow(name string) int32 {
	for _, idx := range e.cat.ResolveIndex(catalog.Location, catalog.Key(name)) {
		en := e.cat.At(int(idx))
		if en.Country == "US" && (en.Kind == "region" || en.Kind == "city" && name == "Washington, D.C.") {
			return idx
		}
	}
	return -1
}

func titleCase(s string) string {
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		r := []rune(w)
		if len(r) > 0 {
			r[0] = []rune(strings.ToUpper(string(r[0])))[0]
		}
		words[i] = string(r)
	}
	return strings.Join(words, " ")
}
