package search

// sourceFields are returned with each hit: everything but the body, which can
// be a megabyte; the snippet comes from the highlighter.
var sourceFields = []string{
	"id", "title", "url", "source", "language", "published_at", "classifier_version", "weapon_categories",
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

// splitFields maps a split= or entity type to the field that facets it.
var splitFields = map[string]string{
	TypeActor: "actors.key", TypeWeapon: "weapons.key", TypeLocation: "locations.key",
	TypeCategory: "weapon_categories", TypeCountry: "countries",
}

// snippetChars is the length of a hit's snippet.
const snippetChars = 200

// Sorted says whether the order is by relevance.
func (q Query) byRelevance() bool {
	switch q.Params.Sort {
	case SortRelevance, "":
		return len(q.Text) > 0
	}
	return false
}

// SortOrder is the order of hits; its last key (the unique id) makes it
// total, as search_after needs.
func (q Query) SortOrder() []any {
	order := "desc"
	if q.Params.Sort == SortDate {
		order = "asc"
	}
	byDate := map[string]any{"published_at": map[string]any{"order": order, "missing": "_last"}}
	sort := []any{byDate, map[string]any{"id": "asc"}}
	if q.byRelevance() {
		sort = append([]any{"_score"}, sort...)
	}
	return sort
}

// facetAggs are the facet aggregations of size n each.
func facetAggs(n int) map[string]any {
	aggs := map[string]any{}
	for name, field := range facetFields {
		aggs[name] = map[string]any{"terms": map[string]any{"field": field, "size": n}}
	}
	return aggs
}

// Body returns the /v1/search request body for the page in Params.
func (q Query) Body() map[string]any {
	query, highlight := q.Clauses()
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
	body := map[string]any{
		"query":            query,
		"from":             q.Params.Offset(),
		"size":             q.Params.Size,
		"track_total_hits": true,
		"sort":             q.SortOrder(),
		"_source":          map[string]any{"includes": sourceFields},
		"highlight":        hl,
	}
	if q.Params.FacetSize > 0 {
		body["aggs"] = facetAggs(q.Params.FacetSize)
	}
	return body
}
