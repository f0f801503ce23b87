package extract

import (
	"strings"

	"github.com/deskwire/newsroom/services/pipeline/catalog"
)

// findForces adds "<country adjective> army / armed forces / air force / navy".
func (s *state) findForces() {
	toks := s.toks
	next := int32(0) // tokens before next are consumed
	for _, i := range s.tz.marked(mForce) {
		if i < next {
			continue
		}
		var kind string
		end := i + 1
		if l2 := s.lex2(i); l2&lxForce != 0 {
			kind, end = forceNouns[toks[i].norm+" "+toks[i+1].norm], i+2
		} else if toks[i].lex&lxForce != 0 {
			kind = forceNouns[toks[i].norm]
		}
		if kind == "" || i == 0 || !(toks[i-1].capLike() || toks[i-1].is(fPossS)) {
			continue
		}
		if toks[i].norm == "military" && end == i+1 && !s.militaryAsNoun(i) {
			continue
		}
		a, cc, _ := s.qualifierBefore(i)
		if a < 0 {
			continue
		}
		name := s.cleanName(a, end)
		sp := s.addSpan(span{i: a, j: end, src: srcForces, typ: tActor, kind: "organization", name: name,
			cc: cc, id: "gen:org:" + strings.ToLower(cc) + "-" + kind, entry: -1})
		sp.entry = s.e.resolveForces(cc, kind)
		next = end
	}
}

func (e *Extractor) resolveForces(cc, kind string) int32 {
	if v, ok := e.templates.Load(cc + "|" + kind); ok {
		return v.(int32)
	}
	idx := e.resolveForcesSlow(cc, kind)
	e.templates.Store(cc+"|"+kind, idx)
	return idx
}

func (e *Extractor) resolveForcesSlow(cc, kind string) int32 {
	country := e.countryName(cc)
	dem := e.demonymOf(cc)
	var tries []string
	switch kind {
	case "armed-forces":
		tries = []string{"Armed Forces of " + country, dem + " Armed Forces", country + " Armed Forces", dem + " Army", country + " Army"}
	case "air-force":
		tries = []string{dem + " Air Force", country + " Air Force", "Air Force of " + country}
	case "navy":
		tries = []string{dem + " Navy", country + " Navy", "Navy of " + country}
	}
	return e.resolveActorTemplates(cc, tries)
}

func (e *Extractor) resolveActorTemplates(cc string, tries []string) int32 {
	for _, t := range tries {
		for _, idx := range e.cat.ResolveIndex(catalog.Actor, catalog.Key(t)) {
			en := e.cat.At(int(idx))
			if en.Country == "" || en.Country == cc {
				return idx
			}
		}
	}
	return -1
}

// findMinistries adds "Russia's Defence Ministry", "Ministry of Defense of
// Azerbaijan", "Chinese foreign ministry" and bare "Ministry of X".
func (s *state) findMinistries() {
	toks := s.toks
	next := int32(0) // tokens before next are consumed
	for _, m := range s.tz.marked(mMinistry) {
		if m < next {
			continue
		}
		if toks[m].norm != "ministry" {
			continue
		}
		capM := toks[m].is(fCap)
		a, b := m, m+1
		typ := ""
		// "<type> ministry"
		for n := int32(2); n >= 1 && typ == ""; n-- {
			s0 := m - n
			if s0 < 0 || toks[m].is(fBarrier) {
				continue
			}
			ok := true
			for k := s0 + 1; k <= m; k++ {
				if toks[k].is(fBarrier | fComma) {
					ok = false
				}
			}
			if !ok {
				continue
			}
			if t, found := ministryTypes[s.joinNormTmp(s0, m)]; found {
				typ, a = t, s0
			}
		}
		// "ministry of <type>"
		if typ == "" && m+2 < int32(len(toks)) && toks[m+1].norm == "of" && !toks[m+1].is(fBarrier) {
			for n := int32(3); n >= 1 && typ == ""; n-- {
				e := m + 2 + n
				if e > int32(len(toks)) {
					continue
				}
				ok := true
				for k := m + 2; k < e; k++ {
					if toks[k].is(fBarrier|fComma) && k > m+2 || toks[k].is(fComma) {
						ok = false
					}
				}
				if !ok || toks[m+2].is(fBarrier) {
					continue
				}
				if t, found := ministryTypes[s.joinNormTmp(m+2, e)]; found {
					typ, b = t, e
				}
			}
			if typ == "" && capM {
				// Unknown capitalised type: "Ministry of Digital Transformation".
				e := m + 2
				for e < int32(len(toks)) && toks[e].capLike() && !toks[e].is(fBarrier|fComma) && e-m < 6 {
					e++
				}
				if e > m+2 {
					typ, b = s.joinNorm(m+2, e), e
				}
			}
		}
		if typ == "" {
			continue
		}
		// "Ministry of Trade and Industry": a second portfolio.
		if b > m+1 && b+1 < int32(len(toks)) && toks[b].norm == "and" && toks[b].is(fLower) && !toks[b].is(fBarrier) &&
			toks[b+1].is(fCap) && !toks[b+1].is(fBarrier) && toks[b+1].lex&lxCommon != 0 {
			b += 2
		}
		// Qualifier: before ("Russia's", "Russian") or after ("of Russia").
		q, cc, locTok := s.qualifierBefore(a)
		if q >= 0 {
			a = q
		} else if b+1 < int32(len(toks)) && toks[b].norm == "of" && !toks[b].is(fBarrier) {
			for n := int32(3); n >= 1; n-- {
				e := b + 1 + n
				if e > int32(len(toks)) {
					continue
				}
				key := s.joinNormTmp(b+1, e)
				if key == "the" {
					continue
				}
				key = strings.TrimPrefix(key, "the ")
				if c2, ok := s.e.countries[key]; ok {
					cc, locTok, b = c2, b+1, e
					break
				}
				found := false
				for _, idx := range s.e.cat.ResolveIndex(catalog.Location, key) {
					if en := s.e.cat.At(int(idx)); en.Kind == "country" {
						cc, locTok, b, found = en.Country, b+1, e, true
						break
					}
				}
				if found {
					break
				}
			}
		}
		name := s.cleanName(a, b)
		sp := span{i: a, j: b, src: srcForces, typ: tActor, kind: "organization", name: name, cc: cc, entry: -1}
		if cc != "" {
			sp.id = "gen:org:" + strings.ToLower(cc) + "-ministry-of-" + strings.ReplaceAll(typ, " ", "-")
			sp.entry = s.e.resolveMinistry(cc, typ)
			sp.alias = "ministry:" + typ
		} else {
			if !capM {
				continue // "an interior ministry statement"
			}
			sp.alias = "bare-ministry:" + typ
			sp.id = s.genID("gen:org:", name)
		}
		if locTok >= 0 {
			sp.ev |= evAdminAfter // carries a country name: also a location mention
			sp.cs = locTok
		} else {
			sp.cs = -1
		}
		s.addSpan(sp)
		next = b
	}
}

func (e *Extractor) resolveMinistry(cc, typ string) int32 {
	if v, ok := e.templates.Load(cc + "|ministry|" + typ); ok {
		return v.(int32)
	}
	idx := e.resolveMinistrySlow(cc, typ)
	e.templates.Store(cc+"|ministry|"+typ, idx)
	return idx
}

func (e *Extractor) resolveMinistrySlow(cc, typ string) int32 {
	country := e.countryName(cc)
	dem := e.demonymOf(cc)
	var names []string
	switch typ {
	case "defense":
		names = []string{"Defense", "Defence"}
	case "foreign":
		names = []string{"Foreign Affairs", "Foreign"}
	case "interior":
		names = []string{"Interior", "Internal Affairs"}
	default:
		names = []string{typ}
	}
	var tries []string
	for _, n := range names {
		tries = append(tries, dem+" "+n+" Ministry", "Ministry of "+n+" of "+country, dem+" Ministry of "+n,
			country+" Ministry of "+n, "Ministry of "+n+" ("+country+")", "Ministry of National "+n+" ("+country+")",
			"Ministry of National "+n+" of "+country)
	}
	return e.resolveActorTemplates(cc, tries)
}
