package search

import (
	"strings"
	"time"
)

// Entity types the catalog knows, as used in the entity parameters.
const (
	TypeActor    = "actor"
	TypeWeapon   = "weapon"
	TypeLocation = "location"
)

// Entity is a catalog entry as search needs it.
type Entity struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Type     string `json:"type"`
	Kind     string `json:"kind,omitempty"`
	Category string `json:"category,omitempty"`
	// Country is an ISO 3166-1 alpha-2 code (weapons: origin codes).
	Country string   `json:"country,omitempty"`
	Aliases []string `json:"-"`
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
}

// Filter is one filter parameter value with what the catalog made of it.
type Filter struct {
	// Param is the parameter name: actor, weapon, location, category, country.
	Param string `json:"param"`
	// Value is the value as given.
	Value string `json:"value"`
	// IDs are the catalog ids the value resolved to (country: ISO codes).
	IDs []string `json:"ids"`
	// names are what the entity is called, for highlighting.
	names []string
}

// Query is a search request resolved against the catalog, ready to become
// Elasticsearch query DSL.
type Query struct {
	Params  Params
	Filters []Filter
}

// entityFields maps an entity parameter to the document field holding it.
var entityFields = map[string]string{TypeActor: "actors", TypeWeapon: "weapons", TypeLocation: "locations"}

// maxHighlightNames bounds the names of one entity used for highlighting.
const maxHighlightNames = 8

// Resolve looks the entity and country values up in cat.
func Resolve(p Params, cat Catalog) Query {
	q := Query{Params: p}
	add := func(param string, vals []string) {
		for _, v := range vals {
			f := Filter{Param: param, Value: v, IDs: []string{}, names: []string{v}}
			for _, e := range cat.Resolve(param, v) {
				f.IDs = appendNew(f.IDs, e.ID)
				f.names = appendNew(f.names, e.Name)
				for _, a := range e.Aliases {
					if len(f.names) < maxHighlightNames {
						f.names = appendNew(f.names, a)
					}
				}
			}
			q.Filters = append(q.Filters, f)
		}
	}
	add(TypeActor, p.Actors)
	add(TypeWeapon, p.Weapons)
	add(TypeLocation, p.Locations)
	for _, v := range p.Categories {
		q.Filters = append(q.Filters, Filter{Param: "category", Value: v, IDs: []string{strings.ToLower(v)}})
	}
	for _, v := range p.Countries {
		f := Filter{Param: "country", Value: v, IDs: []string{}}
		if isCountryCode(v) {
			f.IDs = append(f.IDs, strings.ToUpper(v))
		} else {
			for _, e := range cat.Resolve(TypeLocation, v) {
				if e.Kind == "country" && isCountryCode(e.Country) {
					f.IDs = appendNew(f.IDs, strings.ToUpper(e.Country))
				}
			}
		}
		q.Filters = append(q.Filters, f)
	}
	return q
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

// sourceFields are returned with each hit: everything but the body, which can
// be a megabyte; the snippet comes from the highlighter.
var sourceFields = []string{
	"id", "title", "url", "source", "published_at", "classifier_version", "weapon_categories",
	"actors.id", "actors.name", "actors.kind",
	"weapons.id", "weapons.name", "weapons.category",
	"locations.id", "locations.name", "locations.kind", "locations.country_code", "locations.point",
}

// facetFields names the terms aggregations returned with every search; the
// entity facets aggregate the "id|name" key fields.
var facetFields = map[string]string{
	"actors": "actors.key", "weapons": "weapons.key", "locations": "locations.key",
	"categories": "weapon_categories", "countries": "countries",
}

// FacetSize is how many values each facet lists.
const FacetSize = 10

// snippetChars is the length of a hit's snippet.
const snippetChars = 200

// Body returns the Elasticsearch search request body. Every value from the
// request travels as a JSON string inside the DSL; nothing is spliced
// into query syntax.
func (q Query) Body() map[string]any {
	var filter, must, highlight []any
	for _, f := range q.Filters {
		switch f.Param {
		case TypeActor, TypeWeapon, TypeLocation:
			filter = append(filter, entityClause(entityFields[f.Param], f))
			for _, n := range f.names {
				highlight = append(highlight, map[string]any{"multi_match": map[string]any{
					"query": n, "type": "phrase", "fields": []string{"title", "body"},
				}})
			}
		case "category":
			filter = append(filter, term("weapon_categories", f.Value))
		case "country":
			should := []any{term("countries", f.Value)}
			if len(f.IDs) > 0 {
				should = append(should, map[string]any{"terms": map[string]any{"countries": f.IDs}})
			}
			filter = append(filter, anyOf(should))
		}
	}
	for _, text := range q.Params.Text {
		mm := map[string]any{"multi_match": map[string]any{
			"query": text, "type": "cross_fields", "operator": "and", "fields": []string{"title^2", "body"},
		}}
		must = append(must, mm)
		highlight = append(highlight, mm)
	}
	if r := dateRange(q.Params); r != nil {
		filter = append(filter, r)
	}

	query := map[string]any{"match_all": map[string]any{}}
	if len(filter)+len(must) > 0 {
		b := map[string]any{}
		if len(filter) > 0 {
			b["filter"] = filter
		}
		if len(must) > 0 {
			b["must"] = must
		}
		query = map[string]any{"bool": b}
	}
	byDate := map[string]any{"published_at": map[string]any{"order": "desc", "missing": "_last"}}
	sort := []any{byDate, map[string]any{"id": "asc"}}
	if len(must) > 0 {
		sort = []any{"_score", byDate, map[string]any{"id": "asc"}}
	}
	aggs := map[string]any{}
	for name, field := range facetFields {
		aggs[name] = map[string]any{"terms": map[string]any{"field": field, "size": FacetSize}}
	}
	hl := map[string]any{
		"encoder":   "html", // the text is escaped; only the tags below are markup
		"pre_tags":  []string{"<em>"},
		"post_tags": []string{"</em>"},
		// Bodies can be longer than the highlighter's default limit; past
		// this offset it stops looking instead of failing the search.
		"max_analyzed_offset": 999_999,
		"fields": map[string]any{
			"body":  map[string]any{"fragment_size": snippetChars, "number_of_fragments": 1, "no_match_size": snippetChars},
			"title": map[string]any{"number_of_fragments": 0},
		},
	}
	if len(highlight) > 0 {
		hl["highlight_query"] = anyOf(highlight)
	}
	return map[string]any{
		"query":            query,
		"from":             q.Params.Offset(),
		"size":             q.Params.Size,
		"track_total_hits": true,
		"sort":             sort,
		"_source":          map[string]any{"includes": sourceFields},
		"aggs":             aggs,
		"highlight":        hl,
	}
}

// entityClause matches documents that name the entity: by the catalog ids
// the value resolved to, or — for names the catalog does not know, such as
// people found by rules with "gen:" ids — by the value as an id or as the
// exact name, case-insensitively.
func entityClause(field string, f Filter) map[string]any {
	should := []any{term(field+".id", f.Value), term(field+".name.keyword", f.Value)}
	if len(f.IDs) > 0 {
		should = append([]any{map[string]any{"terms": map[string]any{field + ".id": f.IDs}}}, should...)
	}
	return anyOf(should)
}

// term is a case-insensitive exact match on a keyword field.
func term(field, value string) map[string]any {
	return map[string]any{"term": map[string]any{field: map[string]any{"value": value, "case_insensitive": true}}}
}

func anyOf(clauses []any) map[string]any {
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
