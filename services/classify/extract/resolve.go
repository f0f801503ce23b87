package extract

import (
	"slices"
	"strings"

	"github.com/deskwire/newsroom/services/pipeline/catalog"
)

// findBlockers marks news outlets and platforms ("told AFP", "on Telegram",
// "Taiwan News"): they are never actors and hide the names inside them.
func (s *state) findBlockers() {
	toks := s.toks
	n := int32(len(toks))
	e := s.e
	for _, i := range s.tz.caps {
		t := &toks[i]
		if !t.capLike() {
			continue
		}
		h := t.h
		first := t.lex&lxBlockFirst != 0
		for m := int32(1); first && m <= int32(e.blockMaxN) && i+m <= n; m++ {
			if m > 1 {
				if toks[i+m-1].is(fBarrier | fComma) {
					break
				}
				h = combine(h, toks[i+m-1].h)
			}
			if e.blockHashes.get(h) != 0 {
				s.addSpan(span{i: i, j: i + m, src: srcBlock, entry: -1})
			}
		}
		// "<Name> News", "<Name> Times": a capitalised chunk ending in an
		// outlet word.
		j := i + 1
		for j < n && toks[j].capLike() && s.weakGap(j) && !toks[j].is(fPossS) && j-i < 5 {
			j++
		}
		if j-i >= 2 && (toks[j-1].lex&lxOutletHead != 0) && (j == n || !toks[j].capLike() || toks[j].is(fBarrier)) &&
			!(toks[i].lex&lxStop != 0) {
			if j < n && toks[j].is(fPossS) {
				continue // "Taiwan News's" is still an outlet, but keep it simple
			}
			s.addSpan(span{i: i, j: j, src: srcBlock, entry: -1})
		}
	}
}

func (e *Extractor) buildBlockers() {
	names := map[uint64]uint64{}
	defer func() { e.blockHashes = newLexTab(names) }()
	for _, set := range []wordSet{outletNames, platformNames} {
		for k := range set {
			toks := strings.Split(k, " ")
			var h uint64
			for i, t := range toks {
				if i == 0 {
					h = hashString(t)
				} else {
					h = combine(h, hashString(t))
				}
			}
			names[h] = 1
			if len(toks) > e.blockMaxN {
				e.blockMaxN = len(toks)
			}
		}
	}
}

const (
	choiceNone = -1
)

type mention struct {
	tok int32
	key entKey
	typ int8
}

func (s *state) resolve() {
	cat := s.e.cat
	for k := range s.spans {
		sp := &s.spans[k]
		if sp.chosen != -2 {
			continue
		}
		if strings.HasSuffix(sp.id, ":") {
			sp.id = s.genID(sp.id, sp.name) // generated ids are built for kept spans only
		}
		switch sp.src {
		case srcBlock:
			sp.chosen = choiceNone
		case srcDict:
		default:
			sp.chosen = sp.typ
		}
	}
	// A. People found by rules: adopt a catalog person with the same surname
	// and given name; register surnames.
	for k := range s.spans {
		sp := &s.spans[k]
		if sp.chosen < 0 && sp.chosen != -2 {
			continue
		}
		switch sp.src {
		case srcPerson:
			if sp.entry < 0 {
				sp.entry = s.catalogPerson(sp)
			}
			if sp.n() >= 2 {
				s.registerPerson(sp.i, sp.j, s.keyOf(sp))
			}
		case srcDict:
			if sp.n() >= 2 {
				for _, c := range s.e.dict.cands[sp.cs : sp.cs+sp.cn] {
					if c.typ == tyActor && c.kind == kPerson {
						if ok, _ := s.caseOK(sp.i, sp.j, c); ok {
							s.registerPerson(sp.i, sp.j, entKey{entry: c.entry})
						}
						break
					}
				}
			}
		}
	}
	// Title + surname ("Mayor Taskay") names the person found in full.
	for k := range s.spans {
		sp := &s.spans[k]
		if sp.src != srcPerson || sp.chosen < 0 || sp.n() != 1 || sp.entry >= 0 {
			continue
		}
		if idx, ok := s.surnames[s.toks[sp.i].norm]; ok && idx >= 0 {
			p := s.persons[idx]
			sp.entry, sp.id = p.entry, p.id
		}
	}
	// B. Dictionary spans: choose a reading.
	for k := range s.spans {
		sp := &s.spans[k]
		if sp.chosen != -2 || sp.src != srcDict {
			continue
		}
		s.chooseDict(sp)
	}
	// C. Acronym definitions "Long Name (ABC)" and team nicknames.
	for k := range s.spans {
		sp := &s.spans[k]
		if sp.chosen != tActor {
			continue
		}
		if ai := s.definedAcronym(sp); ai >= 0 {
			a := &s.toks[ai]
			if sp.entry < 0 && sp.src != srcDict {
				sp.entry = s.acronymEntry(ai) // "Long Name (ABC)" with ABC in the catalog
			}
			s.acronyms[a.norm] = s.keyOf(sp)
			s.localNames.add(a.h)
		}
		if sp.alias != "" && sp.src == srcTeam {
			s.shortAlias[sp.alias] = s.keyOf(sp)
			s.localNames.add(hashString(sp.alias))
		}
		s.teamPlaceAlias(sp)
	}
	// D. Article-local names win over the catalog: acronyms, surnames,
	// nicknames, unique given names.
	extra := s.extra[:0]
	defer func() { s.extra = extra[:0] }()
	local := len(s.acronyms) + len(s.surnames) + len(s.shortAlias) + len(s.firstOnly)
	for _, i := range s.tz.caps {
		if local == 0 {
			break
		}
		t := &s.toks[i]
		if !t.capLike() || t.is(fPossS) || !s.localNames.has(t.h) {
			continue
		}
		own := s.owner[i]
		if own >= 0 {
			sp := &s.spans[own]
			if sp.src != srcDict || sp.n() != 1 {
				continue
			}
		}
		var key entKey
		found := false
		if k, ok := s.acronyms[t.norm]; ok && t.is(fAllCaps|fCap) {
			key, found = k, true
		} else if idx, ok := s.surnames[t.norm]; ok && idx >= 0 && t.is(fCap) {
			key, found = s.persons[idx], true
		} else if k, ok := s.shortAlias[t.norm]; ok && t.is(fCap) && !s.placeReading(i) {
			key, found = k, true
		} else if idx, ok := s.firstOnly[t.norm]; ok && idx >= 0 && own < 0 && t.is(fCap) && !(t.lex&lxCommon != 0) {
			if i+1 >= int32(len(s.toks)) || !s.toks[i+1].is(fCap) || !s.weakGap(i+1) {
				key, found = s.persons[idx], true
			}
		}
		if !found {
			continue
		}
		if own >= 0 {
			// the span names this entity already?
			if s.spans[own].chosen >= 0 && s.keyOf(&s.spans[own]) == key {
				continue
			}
			s.spans[own].chosen = choiceNone
		}
		extra = append(extra, mention{tok: i, key: key, typ: tActor})
	}
	// E. Location evidence, then locations: three passes over the catalog
	// places still to choose. A pass only settles or rejects the span in
	// hand, so the list of candidates is made once.
	s.collectEvidence()
	locs := s.locs[:0]
	for k := range s.spans {
		if sp := &s.spans[k]; sp.chosen == tLocation && sp.src == srcDict && sp.entry < 0 {
			locs = append(locs, int32(k))
		}
	}
	s.locs = locs
	for pass := 0; pass < 3; pass++ {
		for _, k := range locs {
			if sp := &s.spans[k]; sp.chosen == tLocation && sp.entry < 0 {
				s.chooseLocation(sp, pass)
			}
		}
	}
	// F. Weapons and ambiguous actors need a second, unambiguous mention or
	// local context.
	accepted := s.accepted[:0]
	pending := false
	for k := range s.spans {
		sp := &s.spans[k]
		if sp.chosen >= 0 && sp.entry >= 0 && sp.ev&evPending == 0 {
			accepted = append(accepted, sp.entry)
		}
		if sp.chosen >= 0 && sp.ev&evPending != 0 {
			pending = true
		}
	}
	if pending {
		slices.Sort(accepted)
	}
	s.accepted = accepted
	for k := range s.spans {
		sp := &s.spans[k]
		if sp.chosen < 0 || sp.ev&evPending == 0 {
			continue
		}
		if _, ok := slices.BinarySearch(accepted, sp.entry); ok || sp.chosen == tWeapon && sp.ev&evLocalMil != 0 || sp.chosen == tActor && s.actorContext(sp) {
			sp.ev &^= evPending
			continue
		}
		sp.chosen = choiceNone
	}
	// G. Emit.
	for k := range s.spans {
		sp := &s.spans[k]
		if sp.chosen == tLocation && sp.n() >= 2 {
			if noun := pluralAdminNouns[s.toks[sp.j-1].norm]; noun != "" && s.toks[sp.j-1].is(fLower) {
				s.listRegions(sp, noun)
			}
		}
	}
	for k := range s.spans {
		sp := &s.spans[k]
		if sp.chosen < 0 {
			continue
		}
		s.emit(sp)
	}
	for _, m := range extra {
		a := s.lookupAgg(m.key)
		if a != nil {
			s.add(a.typ, a.entry, a.id, a.name, a.kind, a.cc, a.category, m.tok, m.tok+1)
			continue
		}
		if m.key.entry >= 0 {
			en := cat.At(int(m.key.entry))
			s.add(tActor, m.key.entry, "", "", "", "", en.Category, m.tok, m.tok+1)
		}
	}
}

// evPending marks a reading that needs confirmation by another mention.
const evPending uint16 = 1 << 15

func (s *state) lookupAgg(k entKey) *agg { return s.aggOf(k) }

// keyOf returns the entity key of a resolved or generated span.
func (s *state) keyOf(sp *span) entKey {
	if sp.entry >= 0 {
		return entKey{entry: sp.entry}
	}
	return entKey{entry: -1, id: sp.id}
}

func (s *state) registerPerson(i, j int32, key entKey) {
	idx := -1
	for k, p := range s.persons {
		if p == key {
			idx = k
		}
	}
	if idx < 0 {
		s.persons = append(s.persons, key)
		idx = len(s.persons) - 1
	}
	// surname: last name token (skip suffixes); given name: first token.
	last := j - 1
	for last > i && ((s.toks[last].lex&lxSuffix != 0) || s.toks[last].is(fComma)) {
		last--
	}
	set := func(m map[string]int, t *token) {
		s.localNames.add(t.h)
		if old, ok := m[t.norm]; ok && old != idx {
			m[t.norm] = -1
			return
		}
		m[t.norm] = idx
	}
	set(s.surnames, &s.toks[last])
	if last > i && !s.isInitial(i) {
		set(s.firstOnly, &s.toks[i])
	}
	if key.entry >= 0 {
		for _, k := range s.e.people[key.entry].single {
			if old, ok := s.surnames[k]; !ok || old == idx {
				s.surnames[k] = idx
				s.localNames.add(hashString(k))
			}
		}
	}
}

// catalogPerson maps a rule-found person to a catalog person with the same
// surname whose given name agrees ("Volodymyr Zelensky" → the catalog's
// "Volodymyr Zelenskyy" listed under alias "Zelensky").
func (s *state) catalogPerson(sp *span) int32 {
	last := sp.j - 1
	for last > sp.i && (s.toks[last].lex&lxSuffix != 0) {
		last--
	}
	first := s.toks[sp.i].norm
	single := last == sp.i
	for _, c := range s.singleCands(last) {
		if c.typ != tyActor || c.kind != kPerson {
			continue
		}
		if single {
			return c.entry
		}
		if slices.Contains(s.e.people[c.entry].first, first) {
			return c.entry
		}
	}
	if idx := s.skeletonPerson(last, first, single); idx >= 0 {
		return idx // "Bashar al-Asad" is the catalog's "Bashar al-Assad"
	}
	// Given names only ("(Recep Tayyip) Erdogan"): the one catalog person
	// whose name starts so.
	if (s.toks[last].lex&lxFirst != 0) && !single {
		var found int32 = -1
		for _, en := range s.e.cat.Suggest(catalog.Actor, s.joinNormTmp(sp.i, sp.j)+" ", 3) {
			if en.Kind != "person" {
				continue
			}
			if found >= 0 {
				return -1
			}
			found = int32(s.e.cat.Index(en.ID))
		}
		return found
	}
	return -1
}
