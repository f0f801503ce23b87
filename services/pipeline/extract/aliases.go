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
