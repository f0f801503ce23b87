package extract

import (
	"strings"
	"unsafe"

	"github.com/deskwire/newsroom/services/pipeline/catalog"
)

// findOrgs adds names ending in (or built around) an organization head noun:
// "Defense Security Cooperation Agency", "Board of Supervisors", "Forces for
// Freedom and Change".
func (s *state) findOrgs() {
	toks := s.toks
	next := int32(0) // tokens before next are consumed
	for _, h := range s.tz.marked(mOrg) {
		if h < next {
			continue
		}
		t := &toks[h]
		if !t.is(fCap) || !(t.lex&lxOrgHead != 0) || !s.inBodyNoTitleCase(h) || t.norm == "ministry" {
			continue
		}
		// backward
		a := h
		for a > 0 && s.weakGapOrg(a) {
			p := &toks[a-1]
			if p.capLike() && !((p.lex&lxStop != 0) && p.is(fSentStart)) && !(p.lex&lxTitle != 0) && p.norm != "the" && p.norm != "a" {
				a--
				continue
			}
			// A unit's number: "the 25th Airborne Brigade".
			if isOrdinal(p.norm) && unitHeads.has(t.norm) && (a < h || s.countryBefore(a-1)) {
				a--
				break
			}
			if (p.norm == "and" || p.norm == "of" || p.norm == "for" || p.norm == "&") && p.is(fLower|0) && a-2 >= 0 && toks[a-2].capLike() && s.weakGapOrg(a-1) &&
				!(p.norm == "and" && (s.actorSpanEndsAt(a-1) || toks[a].lex&lxCommon == 0 && toks[a-2].lex&lxCommon != 0)) {
				a -= 2
				continue
			}
			break
		}
		// forward: "of/for X [and Y]"
		b := h + 1
		for b+1 < int32(len(toks)) && !toks[b].is(fBarrier|fComma) && (toks[b].norm == "of" || toks[b].norm == "for") &&
			toks[b].is(fLower) {
			c := b + 1
			if toks[c].norm == "the" && c+1 < int32(len(toks)) && !toks[c+1].is(fBarrier) {
				c++
			}
			if !toks[c].capLike() || toks[c].is(fBarrier) {
				break
			}
			for c < int32(len(toks)) && !toks[c].is(fBarrier|fComma) && (toks[c].capLike() && !(toks[c].lex&lxCal != 0) ||
				toks[c].norm == "and" && c+1 < int32(len(toks)) && toks[c+1].capLike() && !toks[c+1].is(fBarrier)) {
				c++
			}
			b = c
		}
		// 'Operational Command "South"'
		if b < int32(len(toks)) && toks[b].is(fQuoteBefore) && toks[b].is(fCap) && toks[b].is(fQuoteAfter) && !toks[b].is(fBarrier) {
			b++
		}
		// Leading possessive organization: "NBA's Board of Governors", but
		// not a person's: "Takaichi's Liberal Democratic Party", nor a
		// catalog actor's, whose own name must stay whole ("the Royal
		// Navy's Fleet Command").
		if a >= 2 && toks[a-1].is(fPossS) && toks[a-2].capLike() && !toks[a].is(fBarrier) && !s.actorSpanEndsAt(a-1) &&
			(toks[a-2].is(fAllCaps) || toks[a-2].lex&lxCommon != 0 || s.tokIsMajor(a-2)) {
			if ok, _, _ := s.tokLocation(a - 2); !ok {
				a -= 2
			}
		}
		// Trim a sentence-initial function word.
		for a < h && ((toks[a].lex&lxStop != 0) && !toks[a].is(fAllCaps) || (toks[a].lex&lxTitle != 0)) {
			a++
		}
		if b-a < 2 {
			continue
		}
		if !s.orgNameOK(a, h, b) {
			continue
		}
		name := s.cleanName(a, b)
		s.addSpan(span{i: a, j: b, src: srcOrg, typ: tActor, kind: "organization", name: name,
			id: "gen:org:", entry: -1})
		next = b
	}
}

func (s *state) weakGapOrg(i int32) bool {
	t := &s.toks[i]
	return !t.is(fBarrier|fComma) && !s.toks[i-1].is(fComma)
}

// orgNameOK rejects generic or doubtful organization names.
func (s *state) orgNameOK(a, h, b int32) bool {
	toks := s.toks
	head := toks[h].norm
	mods := 0
	generic := 0
	distinct := 0
	for k := a; k < b; k++ {
		if k == h || toks[k].is(fLower) || toks[k].is(fPossS) {
			continue
		}
		mods++
		if toks[k].lex&lxGenericMod != 0 {
			generic++
		}
		if toks[k].lex&lxDemonym != 0 {
			generic++
		}
		if toks[k].lex&lxCommon == 0 {
			distinct++
		}
	}
	if mods == 0 || mods == generic && mods < 2 {
		return false
	}
	if toks[b-1].lex&lxOutletHead != 0 {
		return false
	}
	if toks[h].lex&lxCompanyHead != 0 && h == b-1 {
		if toks[a].lex&lxCommon != 0 || s.tokIsMajor(a) {
			return false
		}
		if _, ok := s.e.demonymTok(&toks[a]); ok {
			return false
		}
	}
	if head == "republic" {
		if ok, _, _ := s.tokLocation(a); !ok {
			return false
		}
	}
	if (head == "army" || head == "force" || head == "forces" || head == "navy") && mods == 1 {
		if _, ok := s.e.demonymTok(&toks[a]); ok {
			return false // "Ukrainian Army": see findForces
		}
	}
	// Sentence-initial common words alone do not make a name: "Security Council".
	if distinct == 0 && mods < 2 && s.capUncertain(a) {
		return false
	}
	return true
}

// findApposOrgs adds "X, a consortium of …" organizations.
func (s *state) findApposOrgs() {
	toks := s.toks
	for _, k := range s.tz.marked(mComma) {
		if k < 1 || k+2 >= int32(len(toks)) {
			continue
		}
		if !toks[k].is(fComma) {
			continue
		}
		det := toks[k+1].norm
		if det != "a" && det != "an" && det != "the" {
			continue
		}
		found := false
		for m := k + 2; m < k+6 && m < int32(len(toks)); m++ {
			if toks[m].is(fBarrier | fComma) {
				break
			}
			if (toks[m].lex&lxApposOrg != 0) && toks[m].is(fLower) {
				found = true
				break
			}
		}
		if !found {
			continue
		}
		// X: capitalised run before the comma, not sentence-initial alone.
		b := k
		a := b
		for a > 0 && toks[a-1].is(fCap) && !toks[a-1].is(fPossS) && (a == b || s.weakGap(a)) {
			a--
			if toks[a].is(fBarrier) {
				break
			}
		}
		if a == b || b-a > 4 {
			continue
		}
		// One ordinary word is no name; a longer run may start with one
		// ("Northern Defence Staff, a coalition of …").
		if toks[a].lex&lxStop != 0 || s.tokIsMajor(a) || b-a == 1 && toks[a].lex&lxCommon != 0 {
			continue
		}
		name := s.cleanName(a, b)
		s.addSpan(span{i: a, j: b, src: srcOrg, typ: tActor, kind: "organization", name: name,
			id: "gen:org:", entry: -1})
	}
}

// qualifierBefore finds a country qualifier ending right before token i: a
// country adjective ("Ukrainian"), a country name or its possessive
// ("Ukraine's"). It returns the first token of the qualifier, the country
// code and the index of a country-name token (-1 for an adjective).
func (s *state) qualifierBefore(i int32) (int32, string, int32) {
	toks := s.toks
	k := i - 1
	if k < 0 || toks[i].is(fBarrier) {
		return -1, "", -1
	}
	if toks[k].is(fPossS) {
		k--
		if k < 0 {
			return -1, "", -1
		}
	}
	if !toks[k].capLike() {
		return -1, "", -1
	}
	// One- to three-token country names or adjectives ending at k.
	for n := int32(3); n >= 1; n-- {
		a := k - n + 1
		if a < 0 {
			continue
		}
		bad := false
		for m := a + 1; m <= k; m++ {
			if toks[m].is(fBarrier | fComma) {
				bad = true
			}
		}
		if bad {
			continue
		}
		key := s.joinNormTmp(a, k+1)
		if d, ok := s.e.demonyms[key]; ok {
			if d.nameForm {
				return a, d.cc, a
			}
			return a, d.cc, -1
		}
		if cc, ok := s.e.countries[key]; ok {
			return a, cc, a
		}
		// Catalog country names and aliases ("Britain", "Türkiye").
		for _, idx := range s.e.cat.ResolveIndex(catalog.Location, key) {
			en := s.e.cat.At(int(idx))
			if en.Kind == "country" {
				return a, en.Country, a
			}
		}
	}
	return -1, "", -1
}

// joinNormTmp is joinNorm in a buffer that the next call reuses: for
// look-ups only, the result must not be kept.
func (s *state) joinNormTmp(a, b int32) string {
	buf := s.joinBuf[:0]
	for k := a; k < b; k++ {
		if k > a {
			buf = append(buf, ' ')
		}
		buf = append(buf, s.toks[k].norm...)
	}
	s.joinBuf = buf
	return unsafe.String(unsafe.SliceData(buf), len(buf))
}

func (s *state) joinNorm(a, b int32) string {
	var sb strings.Builder
	for k := a; k < b; k++ {
		if k > a {
			sb.WriteByte(' ')
		}
		sb.WriteString(s.toks[k].norm)
	}
	return sb.String()
}

// countryName returns the country name of a code.
func (e *Extractor) countryName(cc string) string {
	if n, ok := e.nameByCC[cc]; ok {
		return n
	}
	return cc
}

func (e *Extractor) demonymOf(cc string) string { return e.demonymByCC[cc] }
