package extract

import "strings"

// maxAliases bounds the aliases of one generated entity.
const maxAliases = 3

// aliasesOf returns the other forms of a generated entity's name, in buf:
// a person's surname; an organization's shorter name and acronyms defined
// in the article ("… Administration (KCMA)").
func (s *state) aliasesOf(a *agg, buf *[maxAliases]string) []string {
	out := buf[:0]
	if a.entry >= 0 || a.typ != tActor {
		return out
	}
	switch a.kind {
	case "person":
		if sn := surnameOf(a.name); sn != "" {
			out = append(out, sn)
		}
	case "organization":
		if a.short != "" {
			out = append(out, a.short)
		}
		// One acronym, the same on every call (map order is random).
		best := ""
		for acr, k := range s.acronyms {
			if k.entry < 0 && k.id == a.id && (best == "" || acr < best) {
				best = acr
			}
		}
		if best != "" {
			out = append(out, strings.ToUpper(best))
		}
	}
	return out
}

// surnameOf returns the last word of a person's name before any suffix
// ("Jr."), or "" for a one-word name.
func surnameOf(name string) string {
	end := len(name)
	for {
		sp := strings.LastIndexByte(name[:end], ' ')
		if sp < 0 {
			return ""
		}
		w := strings.TrimSuffix(name[sp+1:end], ".")
		if !isNameSuffix(w) {
			return name[sp+1 : end]
		}
		end = sp
	}
}

// isNameSuffix reports "Jr", "Sr", "II", "III", "IV" in any case.
func isNameSuffix(w string) bool {
	for _, x := range [...]string{"jr", "sr", "ii", "iii", "iv"} {
		if strings.EqualFold(w, x) {
			return true
		}
	}
	return false
}

// definedAcronym returns the token of an acronym defined in parentheses
// right after span sp ("Long Name (ABC)", "Long Name (Spanish abbr: ABC)"),
// or -1.
func (s *state) definedAcronym(sp *span) int32 {
	toks := s.toks
	n := int32(len(toks))
	k := sp.j
	if k+1 >= n || !toks[k].is(fOpenParen) {
		return -1
	}
	if a := &toks[k]; (a.is(fAllCaps) || a.is(fCap) && len(a.norm) >= 3) && toks[k+1].is(fCloseParen|fBarrier) {
		return k
	}
	// A short label and a colon before the acronym.
	for m := k + 1; m < n && m-k <= 3; m++ {
		if toks[m].is(fColonBefore) {
			if toks[m].is(fAllCaps) && (m+1 >= n || toks[m+1].is(fCloseParen)) {
				return m
			}
			return -1
		}
		if toks[m].is(fBarrier) {
			return -1
		}
	}
	return -1
}

// acronymEntry returns the catalog organization that the acronym at token
// k names unambiguously, or -1.
func (s *state) acronymEntry(k int32) int32 {
	found := int32(-1)
	for _, c := range s.singleCands(k) {
		if c.typ != tyActor || c.kind == kPerson || c.flags&aAmbig != 0 {
			continue
		}
		if ok, _ := s.caseOK(k, k+1, c); !ok {
			continue
		}
		if found >= 0 && found != c.entry {
			return -1
		}
		found = c.entry
	}
	return found
}
