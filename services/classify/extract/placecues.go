package extract

func (s *state) hasDictSpan(i, j int32, t uint8) bool {
	for k := range s.spans {
		sp := &s.spans[k]
		if sp.src != srcDict || sp.i != i || sp.j != j {
			continue
		}
		for _, c := range s.e.dict.cands[sp.cs : sp.cs+sp.cn] {
			if c.typ == t {
				return true
			}
		}
	}
	return false
}

func (s *state) tokEvSet(k int32, ev uint16) { s.tokEv[k] |= ev }

func (s *state) tokEvGet(k int32) uint16 {
	if int(k) >= len(s.tokEv) {
		return 0
	}
	return s.tokEv[k]
}

// findSettlements handles "the town of X", "kibbutzim of X and Y".
func (s *state) findSettlements() {
	toks := s.toks
	n := int32(len(toks))
	for _, k := range s.tz.marked(mSettle) {
		if k+2 >= n {
			continue
		}
		if !(toks[k].lex&lxSettle != 0) || toks[k+1].norm != "of" || toks[k+1].is(fBarrier) {
			continue
		}
		c := k + 2
		for c < n {
			if toks[c].is(fBarrier|fComma) || !toks[c].is(fCap) {
				break
			}
			a := c
			for c < n && (toks[c].is(fCap) || c > a && s.particleJoin(c)) && (c == a || s.weakGap(c)) && !toks[c-1].is(fPossS) && c-a < 5 &&
				!(toks[c].lex&lxCal != 0) {
				c++
				if toks[c-1].is(fPossS) {
					break
				}
			}
			if c == a {
				break
			}
			if (toks[a].lex&lxStop != 0) || c-a == 1 && toks[a].lex&lxCommon != 0 && !s.hasDictSpan(a, c, tyLocation) {
				break
			}
			for m := a; m < c; m++ {
				s.tokEvSet(m, evSettlement)
			}
			if !s.hasDictSpan(a, c, tyLocation) {
				name := s.cleanName(a, c)
				s.addSpan(span{i: a, j: c, src: srcPlace, typ: tLocation, kind: "city", name: name,
					id: "gen:place:", ev: evSettlement, entry: -1})
			}
			if c+1 < n && toks[c].norm == "and" && toks[c+1].is(fCap) && !toks[c+1].is(fBarrier) {
				c++
				continue
			}
			break
		}
	}
}

// findGeoHeads adds "<Name> County / Islands / Shoal / Stadium …".
func (s *state) findGeoHeads() {
	toks := s.toks
	for _, h := range s.tz.marked(mGeo) {
		if h < 1 {
			continue
		}
		t := &toks[h]
		if !t.is(fCap) || !(t.lex&lxGeoHead != 0) || !s.inBodyNoTitleCase(h) {
			continue
		}
		end := h + 1
		if end < int32(len(toks)) && toks[end].is(fCap) && s.lex2(h)&lxGeoHead != 0 && s.weakGap(end) {
			end++
		}
		a := h
		for a > 0 && s.weakGap(a) && toks[a-1].capLike() && !toks[a-1].is(fPossS) && a-h > -4 {
			p := toks[a-1].norm
			if p == "the" || toks[a-1].lex&(lxTitle|lxCal) != 0 {
				break
			}
			if d, ok := s.e.demonymTok(&toks[a-1]); ok && !d.nameForm {
				break
			}
			a--
		}
		for a < h && (toks[a].lex&lxStop != 0) && toks[a].is(fSentStart) {
			a++
		}
		if a == h {
			continue
		}
		// Generic: "Air Base", "Power Plant" alone.
		distinct := false
		for k := a; k < h; k++ {
			if !(toks[k].lex&lxCommon != 0) || toks[k].is(fAllCaps) {
				distinct = true
			}
		}
		if !distinct && h-a < 2 {
			continue
		}
		name := s.cleanName(a, end)
		kind := "place"
		if t.lex&lxAdmin != 0 {
			kind = "region"
		}
		s.addSpan(span{i: a, j: end, src: srcPlace, typ: tLocation, kind: kind, name: name,
			id: "gen:place:", entry: -1})
	}
}

// headFirstGeo are nouns that start a geographic name: "Cape of Good Hope",
// "Gulf of Aden", "Sea of Azov".
var headFirstGeo = map[string]bool{"cape": true, "gulf": true, "bay": true, "strait": true, "straits": true,
	"sea": true, "isle": true, "isles": true, "lake": true, "mount": true, "port": true, "bight": true,
	"horn": true, "mouth": true, "gate": true}

// findHeadFirstGeo adds "Cape of Good Hope"-style names so that their
// parts ("Good Hope") are not matched on their own.
func (s *state) findHeadFirstGeo() {
	toks := s.toks
	n := int32(len(toks))
	for _, h := range s.tz.caps { // both readings need fCap
		if h+2 >= n {
			break
		}
		if toks[h].is(fCap) && (toks[h].norm == "lake" || toks[h].norm == "mount") && toks[h+1].is(fCap) && s.weakGap(h+1) && toks[h+1].lex&lxStop == 0 {
			// "Lake Tanganyika", "Mount Sinjar": not the province or the
			// town of the bare name.
			e := h + 1
			for e < n && toks[e].is(fCap) && !toks[e].is(fBarrier|fComma) && e-h < 4 && (e == h+1 || s.weakGap(e)) && toks[e].lex&lxGeoHead == 0 {
				if e > h+1 && toks[e-1].is(fPossS) {
					break
				}
				e++
				if toks[e-1].is(fPossS) {
					break
				}
			}
			if !s.hasDictSpan(h, e, tyLocation) {
				s.addSpan(span{i: h, j: e, src: srcPlace, typ: tLocation, kind: "place", name: s.cleanName(h, e),
					id: "gen:place:", entry: -1})
			}
			continue
		}
		if !toks[h].is(fCap) || toks[h+1].norm != "of" || toks[h+1].is(fBarrier) || !headFirstGeo[toks[h].norm] {
			continue
		}
		e := h + 2
		for e < n && toks[e].is(fCap) && !toks[e].is(fBarrier|fComma) && e-h < 6 {
			e++
		}
		if e == h+2 || s.hasDictSpan(h, e, tyLocation) {
			continue
		}
		name := s.cleanName(h, e)
		s.addSpan(span{i: h, j: e, src: srcPlace, typ: tLocation, kind: "place", name: name,
			id: "gen:place:", entry: -1})
	}
}

// findAdminNouns handles "the Kherson region", "Khojavend district".
func (s *state) findAdminNouns() {
	toks := s.toks
	for _, h := range s.tz.marked(mAdmin) {
		if h < 1 {
			continue
		}
		t := &toks[h]
		if !t.is(fLower) || !(t.lex&lxAdmin != 0) || t.is(fBarrier) {
			continue
		}
		a := h
		for a > 0 && h-a < 3 && toks[a-1].is(fCap) && s.weakGap(a) && !toks[a-1].is(fPossS) {
			if toks[a-1].lex&(lxStop|lxTitle|lxCal) != 0 {
				if a < h && placeQualifiers.has(toks[a-1].norm) && !s.capUncertain(a-1) {
					a-- // "Lower Shabelle region", "North Kivu province"
				}
				break
			}
			if _, ok := s.e.demonymTok(&toks[a-1]); ok {
				break
			}
			a--
		}
		if a == h || s.capUncertain(a) && (toks[a].lex&lxCommon != 0) {
			continue
		}
		// "the Jewish state", "the Islamic State": an adjective, not a state.
		if t.norm == "state" && a > 0 && toks[a-1].norm == "the" {
			continue
		}
		noun := t.norm
		if sg, ok := pluralAdminNouns[noun]; ok {
			noun = sg
		}
		name := s.cleanName(a, h+1)
		s.addSpan(span{i: a, j: h + 1, src: srcPlace, typ: tLocation, kind: "region", name: name,
			id: "gen:place:", alias: noun, cs: a, cn: h, entry: -1})
	}
}

// placePrepBefore reports a preposition of place right before token i that
// rarely stands before a person: "near", "outside", "in".
func (s *state) placePrepBefore(i int32) bool {
	if i == 0 || s.toks[i].is(fBarrier) || !s.toks[i-1].is(fLower) && !s.toks[i-1].is(fSentStart) {
		return false // "near X", or "Near X" opening a sentence
	}
	switch s.toks[i-1].norm {
	case "near", "outside", "in", "inside", "around", "across", "towards", "toward", "into", "throughout", "nearby":
		return true
	}
	return false
}
