package search

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Entity types the catalog knows, as used in the entity parameters, and
// the two value types that filters and entity pages also take.
const (
	TypeActor    = "actor"
	TypeWeapon   = "weapon"
	TypeLocation = "location"
	TypeCategory = "category"
	TypeCountry  = "country"
)

// Entity is a catalog entry as search needs it.
type Entity struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Type     string `json:"type"`
	Kind     string `json:"kind,omitempty"`
	Category string `json:"category,omitempty"`
	// Country is an ISO 3166-1 alpha-2 code (weapons: origin codes).
	Country string    `json:"country,omitempty"`
	Aliases []string  `json:"-"`
	Point   *GeoPoint `json:"-"`
}

// Catalog resolves what a user types to catalog entries: the same catalog
// the classifier uses, so that a name, an alias or an id finds the
// entity's documents.
type Catalog interface {
	// Resolve returns the entries of type typ whose id, name or alias equals
	// value, case- and diacritics-insensitively.
	Resolve(typ, value string) []Entity
	// Suggest returns up to limit entries of type typ with a name or alias
	// starting with prefix.
	Suggest(typ, prefix string, limit int) []Entity
	// Lookup returns the entry with this id.
	Lookup(id string) (Entity, bool)
	// Country returns the country with this ISO 3166-1 alpha-2 code.
	Country(code string) (Entity, bool)
	// Categories lists the weapon categories, sorted.
	Categories() []string
}

// Filter is one filter parameter value with what the catalog made of it.
type Filter struct {
	// Param is the parameter name: actor, not_actor, weapon, … or q for a
	// word of the full-text query that names catalog entities.
	Param string `json:"param"`
	// Value is the value as given.
	Value string `json:"value"`
	// IDs are exactly the ids the filter matches documents by: catalog ids
	// and generated ("gen:…") ones (countries: ISO codes; categories: the
	// category).
	IDs []string `json:"ids"`
	// Unresolved lists the alternatives of Value that name nothing: neither
	// a catalog entry nor (entity types) a generated entity of an article,
	// by id, name or alias. They match nothing.
	Unresolved []string `json:"unresolved,omitempty"`
	// names are what the entity is called, for highlighting.
	names []string
}

// Query is a request resolved against the catalog, ready to become
// Elasticsearch query DSL.
type Query struct {
	Params  Params
	Filters []Filter
	// Text are the parsed q values.
	Text []TextQuery
	// expand maps a q term to the filter of entities it names.
	expand map[string]Filter
}

// entityFields maps an entity parameter to the document field holding it.
var entityFields = map[string]string{TypeActor: "actors", TypeWeapon: "weapons", TypeLocation: "locations"}

// maxHighlightNames bounds the names of one entity used for highlighting.
const maxHighlightNames = 8

// maxTextEntities bounds the entities one q term may expand to.
const maxTextEntities = 5

// Resolve looks the filter values and the words of q up in cat.
func Resolve(p Params, cat Catalog) Query {
	q := Query{Params: p}
	for _, f := range []struct {
		param, typ string
		vals       []string
	}{
		{"actor", TypeActor, p.Actors}, {"weapon", TypeWeapon, p.Weapons}, {"location", TypeLocation, p.Locations},
		{"category", TypeCategory, p.Categories}, {"country", TypeCountry, p.Countries},
		{"not_actor", TypeActor, p.NotActors}, {"not_weapon", TypeWeapon, p.NotWeapons}, {"not_location", TypeLocation, p.NotLocations},
		{"not_category", TypeCategory, p.NotCategories}, {"not_country", TypeCountry, p.NotCountries},
	} {
		for _, v := range f.vals {
			q.Filters = append(q.Filters, resolveValue(cat, f.param, f.typ, v))
		}
	}
	for _, s := range p.Text {
		tq := ParseText(s)
		q.Text = append(q.Text, tq)
		for _, t := range tq.Positive() {
			q.expandTerm(cat, t)
		}
	}
	return q
}

// resolveValue resolves each |-separated alternative of v.
func resolveValue(cat Catalog, param, typ, v string) Filter {
	f := Filter{Param: param, Value: v, IDs: []string{}}
	for _, alt := range Alternatives(v) {
		n := len(f.IDs)
		switch typ {
		case TypeCategory:
			for _, c := range cat.Categories() {
				if strings.EqualFold(c, alt) {
					f.IDs = appendNew(f.IDs, c)
				}
			}
		case TypeCountry:
			if isCountryCode(alt) {
				if _, ok := cat.Country(strings.ToUpper(alt)); ok {
					f.IDs = appendNew(f.IDs, strings.ToUpper(alt))
				}
				break
			}
			for _, e := range cat.Resolve(TypeLocation, alt) {
				if e.Kind == "country" && isCountryCode(e.Country) {
					f.IDs = appendNew(f.IDs, strings.ToUpper(e.Country))
				}
			}
		default:
			f.names = appendNew(f.names, alt)
			for _, e := range cat.Resolve(typ, alt) {
				f.IDs = appendNew(f.IDs, e.ID)
				f.names = appendNames(f.names, e)
			}
		}
		if len(f.IDs) == n {
			f.Unresolved = append(f.Unresolved, alt)
		}
	}
	return f
}

// expandTerm records the catalog entities a q term names, so that q=kiev
// also finds the articles that call Kyiv "Kyiv".
func (q *Query) expandTerm(cat Catalog, t TextTerm) {
	key := strings.ToLower(t.Text)
	if _, done := q.expand[key]; done || utf8.RuneCountInString(t.Text) < 3 {
		return
	}
	f := Filter{Param: "q", Value: t.Text, IDs: []string{}}
	for _, typ := range []string{TypeActor, TypeWeapon, TypeLocation} {
		for _, e := range cat.Resolve(typ, t.Text) {
			if len(f.IDs) < maxTextEntities {
				f.IDs = appendNew(f.IDs, e.ID)
				f.names = appendNames(f.names, e)
			}
		}
	}
	if q.expand == nil {
		q.expand = map[string]Filter{}
	}
	q.expand[key] = f
	if len(f.IDs) > 0 {
		q.Filters = append(q.Filters, f)
	}
}

func appendNames(names []string, e Entity) []string {
	names = appendNew(names, e.Name)
	for _, a := range e.Aliases {
		if len(names) < maxHighlightNames {
			names = appendNew(names, a)
		}
	}
	return names
}

func isCountryCode(s string) bool {
	return len(s) == 2 && isLetter(s[0]) && isLetter(s[1])
}

func isLetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// textFields are the full-text fields, the title weighted double.
var textFields = []string{"title^2", "body"}

// Clauses returns the bool query of the filters and q, and the queries that
// highlight what matched. Every value from the request travels as a JSON
// string inside the DSL; nothing is spliced into query syntax.
func (q Query) Clauses() (query map[string]any, highlight []any) {
	var filter, must, mustNot []any
	for _, f := range q.Filters {
		param, negated := strings.CutPrefix(f.Param, "not_")
		var c map[string]any
		switch param {
		case TypeActor, TypeWeapon, TypeLocation:
			c = entityClause(entityFields[param], f)
			if !negated {
				for _, n := range f.names {
					highlight = append(highlight, phrase(n))
				}
			}
		case TypeCategory:
			c = terms("weapon_categories", f.IDs)
		case TypeCountry:
			c = terms("countries", f.IDs)
		default: // q expansions are part of the text clauses
			continue
		}
		if negated {
			mustNot = append(mustNot, c)
		} else {
			filter = append(filter, c)
		}
	}
	for _, kv := range []struct {
		name string
		vals []string
	}{{"source", q.Params.Sources}, {"language", q.Params.Languages}} {
		name := kv.name
		for _, v := range kv.vals {
			var should []any
			for _, alt := range Alternatives(v) {
				should = append(should, term(name, alt))
			}
			filter = append(filter, anyOf(should))
		}
	}
	for _, tq := range q.Text {
		for _, g := range tq.Groups {
			var should []any
			for _, t := range g {
				should = append(should, q.textClause(t)...)
				highlight = append(highlight, textMatch(t))
				for _, n := range q.expand[strings.ToLower(t.Text)].names {
					highlight = append(highlight, phrase(n))
				}
			}
			must = append(must, anyOf(should))
		}
		for _, t := range tq.Excluded {
			mustNot = append(mustNot, textMatch(t))
		}
	}
	if r := dateRange(q.Params); r != nil {
		filter = append(filter, r)
	}
	if n := q.Params.Near; n != nil {
		filter = append(filter, map[string]any{"geo_distance": map[string]any{
			"distance": n.Meters, "locations.point": map[string]any{"lat": n.Lat, "lon": n.Lon}}})
	}
	if b := q.Params.BBox; b != nil {
		filter = append(filter, map[string]any{"geo_bounding_box": map[string]any{"locations.point": map[string]any{
			"top_left": map[string]any{"lat": b.North, "lon": b.West}, "bottom_right": map[string]any{"lat": b.South, "lon": b.East}}}})
	}
	if len(filter)+len(must)+len(mustNot) == 0 {
		return map[string]any{"match_all": map[string]any{}}, highlight
	}
	b := map[string]any{}
	if len(filter) > 0 {
		b["filter"] = filter
	}
	if len(must) > 0 {
		b["must"] = must
	}
	if len(mustNot) > 0 {
		b["must_not"] = mustNot
	}
	return map[string]any{"bool": b}, highlight
}

// textClause matches a q term in the text and, when it names catalog
// entities, the documents naming them by any of their names.
func (q Query) textClause(t TextTerm) []any {
	out := []any{textMatch(t)}
	f := q.expand[strings.ToLower(t.Text)]
	if len(f.IDs) == 0 {
		return out
	}
	for _, field := range []string{"actors.id", "weapons.id", "locations.id"} {
		out = append(out, map[string]any{"terms": map[string]any{field: f.IDs}})
	}
	return out
}

// textMatch is a word (all its tokens, in title or body) or a phrase.
func textMatch(t TextTerm) map[string]any {
	if t.Phrase {
		return map[string]any{"multi_match": map[string]any{"query": t.Text, "type": "phrase", "fields": textFields, "zero_terms_query": "all"}}
	}
	return map[string]any{"multi_match": map[string]any{
		"query": t.Text, "type": "cross_fields", "operator": "and", "fields": textFields,
		// A term the analyzer drops entirely (punctuation) matches all.
		"zero_terms_query": "all",
	}}
}

func phrase(s string) map[string]any {
	return map[string]any{"multi_match": map[string]any{"query": s, "type": "phrase", "fields": []string{"title", "body"}}}
}

// entityClause matches documents that name the entity by exactly the ids
// the value resolved to: catalog ids and, once Handler.resolve looked them
// up, generated ones. A value that resolved to nothing matches nothing.
func entityClause(field string, f Filter) map[string]any {
	var should []any
	if len(f.IDs) > 0 {
		should = append(should, map[string]any{"terms": map[string]any{field + ".id": f.IDs}})
	}
	return anyOf(should)
}

// terms matches any of the values; none matches nothing.
func terms(field string, vals []string) map[string]any {
	if len(vals) == 0 {
		return matchNone
	}
	return map[string]any{"terms": map[string]any{field: vals}}
}

// matchNone matches no document (a bool without clauses would match all).
var matchNone = map[string]any{"bool": map[string]any{"must_not": []any{map[string]any{"match_all": map[string]any{}}}}}

// term is a case-insensitive exact match on a keyword field.
func term(field, value string) map[string]any {
	return map[string]any{"term": map[string]any{field: map[string]any{"value": value, "case_insensitive": true}}}
}

func anyOf(clauses []any) map[string]any {
	if len(clauses) == 0 {
		return matchNone
	}
	return map[string]any{"bool": map[string]any{"should": clauses, "minimum_should_match": 1}}
}

func dateRange(p Params) map[string]any {
	if p.From == nil && p.To == nil {
		return nil
	}
	r := map[string]any{"format": "strict_date_optional_time"}
	if p.From != nil {
		r["gte"] = p.From.UTC().Format(time.RFC3339Nano)
	}
	if p.To != nil {
		op := "lte"
		if p.ToExclusive {
			op = "lt"
		}
		r[op] = p.To.UTC().Format(time.RFC3339Nano)
	}
	return map[string]any{"range": map[string]any{"published_at": r}}
}
