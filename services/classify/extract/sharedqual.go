package extract

import (
	"strings"

	"github.com/deskwire/newsroom/services/pipeline/catalog"
)

// serviceHeads end the names of armed services and national bodies that a
// country qualifier can govern across a list.
var serviceHeads = newSet(`force,forces,navy,army,guard,corps,command,marines,service`)

// findSharedQualifier gives the later members of a list the country
// qualifier written once before the first: in "the Chinese Navy, Air Force
// and Coast Guard" the last two are China's. Each member is looked up in
// the catalog as "<adjective> <member>", "<country> <member>" and
// "<country>'s <member>"; a member no catalog lists gets a generated name
// with the adjective.
func (s *state) findSharedQualifier() {
	toks := s.toks
	n := int32(len(toks))
	for _, i := range s.tz.caps {
		if !toks[i].is(fCap) || i == 0 || !s.weakGap(i) {
			continue
		}
		end := s.serviceItemEnd(i)
		if end == i || end >= n || !(toks[end].is(fComma) || toks[end].norm == "and") {
			continue // no list follows
		}
		qa, cc, _ := s.qualifierBefore(i)
		if cc == "" {
			continue
		}
		prefix := s.servicePrefix(qa, i, end)
		// The list: ", X", ", and X", "and X".
		for c := end; c < n; {
			c = s.listNext(c)
			if c == end || c >= n {
				break
			}
			e := s.serviceItemEnd(c)
			if e == c {
				break
			}
			s.addSharedMember(c, e, cc, prefix)
			end, c = e, e
		}
	}
}

// serviceItemEnd returns the end of one to three capitalised words from
// token i whose last is a service head ("Rocket Force"), or i.
func (s *state) serviceItemEnd(i int32) int32 {
	toks := s.toks
	for j := i; j < int32(len(toks)) && j-i < 3; j++ {
		t := &toks[j]
		if !t.is(fCap) || t.is(fPossS) || j > i && !s.weakGap(j) {
			return i
		}
		if t.lex&lxServiceHead != 0 && (j+1 >= int32(len(toks)) || !toks[j+1].is(fCap) || !s.weakGap(j+1)) {
			return j + 1
		}
	}
	return i
}

// addSharedMember adds tokens [i, j), a list member qualified by country cc.
func (s *state) addSharedMember(i, j int32, cc, prefix string) {
	item := s.cleanName(i, j)
	country, dem := s.e.countryName(cc), s.e.demonymOf(cc)
	idx := s.e.resolveShared(cc, item, prefix, country, dem)
	name := item
	if dem != "" {
		name = titleCase(dem) + " " + item
	}
	s.addSpan(span{i: i, j: j, src: srcShared, typ: tActor, kind: "organization", name: name, cc: cc,
		id: "gen:org:", entry: idx})
}

// resolveShared looks a qualified list member up in the catalog, caching
// the answer per country and member.
func (e *Extractor) resolveShared(cc, item, prefix, country, dem string) int32 {
	key := cc + "|shared|" + prefix + "|" + catalog.Key(item)
	if v, ok := e.templates.Load(key); ok {
		return v.(int32)
	}
	var tries []string
	if prefix != "" {
		tries = append(tries, prefix+item)
	}
	if dem != "" {
		tries = append(tries, dem+" "+item)
	}
	tries = append(tries, country+" "+item, country+"'s "+item, item+" of "+country)
	idx := e.resolveActorTemplates(cc, tries)
	e.templates.Store(key, idx)
	return idx
}

// servicePrefix returns the prefix the catalog gives the first member of
// a list when its name ends with the member's words: "Chinese Navy" is the
// catalog's "PLA Navy", so the prefix is "PLA " and "Air Force" is tried
// as "PLA Air Force". qa is the qualifier's first token, [i, end) the
// member.
func (s *state) servicePrefix(qa, i, end int32) string {
	item := " " + catalog.Key(s.surface(i, end))
	for k := range s.spans {
		sp := &s.spans[k]
		if sp.src != srcDict || sp.i != qa || sp.j != end {
			continue
		}
		for _, c := range s.e.dict.cands[sp.cs : sp.cs+sp.cn] {
			if c.typ != tyActor {
				continue
			}
			name := s.e.cat.At(int(c.entry)).Name
			if key := catalog.Key(name); strings.HasSuffix(key, item) {
				if words := strings.Count(item, " "); words <= strings.Count(name, " ") {
					return strings.Join(strings.Fields(name)[:strings.Count(key, " ")+1-words], " ") + " "
				}
			}
		}
	}
	return ""
}

// countryBefore reports a country qualifier right before token i:
// "Ukraine's 47th Brigade", "the Russian 155th …".
func (s *state) countryBefore(i int32) bool {
	_, cc, _ := s.qualifierBefore(i)
	return cc != ""
}
