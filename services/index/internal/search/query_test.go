package search

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fakeCatalog resolves like the real catalog: by id, or by name or alias
// ignoring case. The real one is tested in the catalog package and wired in
// the service's main test.
type fakeCatalog []Entity

func (c fakeCatalog) Resolve(typ, value string) []Entity {
	var out []Entity
	for _, e := range c {
		if e.Type != typ {
			continue
		}
		if e.ID == value || strings.EqualFold(e.Name, value) || containsFold(e.Aliases, value) {
			out = append(out, e)
		}
	}
	return out
}

func (c fakeCatalog) Suggest(typ, prefix string, limit int) []Entity {
	var out []Entity
	for _, e := range c {
		if e.Type != typ || len(out) == limit {
			continue
		}
		for _, n := range append([]string{e.Name}, e.Aliases...) {
			if strings.HasPrefix(strings.ToLower(n), strings.ToLower(prefix)) {
				out = append(out, e)
				break
			}
		}
	}
	return out
}

func (c fakeCatalog) Lookup(id string) (Entity, bool) {
	for _, e := range c {
		if e.ID == id {
			return e, true
		}
	}
	return Entity{}, false
}

func (c fakeCatalog) Country(code string) (Entity, bool) {
	return c.Lookup("iso:" + strings.ToUpper(code))
}

func (c fakeCatalog) Categories() []string {
	return []string{"air defense", "cruise missile", "drone"}
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}

var testCatalog = fakeCatalog{
	{ID: "vladimir-putin", Name: "Vladimir Putin", Type: TypeActor, Kind: "person", Country: "RU", Aliases: []string{"Putin"}},
	{ID: "volodymyr-zelensky", Name: "Volodymyr Zelensky", Type: TypeActor, Kind: "person", Country: "UA", Aliases: []string{"Zelensky", "Zelenskyy"}},
	{ID: "tomahawk", Name: "Tomahawk", Type: TypeWeapon, Category: "cruise missile", Aliases: []string{"BGM-109"}},
	{ID: "patriot", Name: "Patriot", Type: TypeWeapon, Category: "air defense", Aliases: []string{"MIM-104"}},
	{ID: "geo:3054643", Name: "Budapest", Type: TypeLocation, Kind: "city", Country: "HU"},
	{ID: "iso:UA", Name: "Ukraine", Type: TypeLocation, Kind: "country", Country: "UA", Point: &GeoPoint{49, 32}},
	{ID: "iso:HU", Name: "Hungary", Type: TypeLocation, Kind: "country", Country: "HU"},
	{ID: "iso:RU", Name: "Russia", Type: TypeLocation, Kind: "country", Country: "RU"},
	{ID: "geo:703448", Name: "Kyiv", Type: TypeLocation, Kind: "city", Country: "UA", Aliases: []string{"Kiev"}, Point: &GeoPoint{50.45, 30.52}},
	{ID: "iso:GE", Name: "Georgia", Type: TypeLocation, Kind: "country", Country: "GE"},
	{ID: "geo:4197000", Name: "Georgia", Type: TypeLocation, Kind: "region", Country: "US"},
}

// asJSON round-trips v through JSON so maps built with different Go types
// compare equal when they encode the same.
func asJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestResolve(t *testing.T) {
	tests := []struct {
		name string
		p    Params
		want []Filter
	}{
		{"name, alias and id find the same entity",
			Params{Actors: []string{"vladimir putin", "PUTIN", "vladimir-putin"}},
			[]Filter{
				{Param: "actor", Value: "vladimir putin", IDs: []string{"vladimir-putin"}},
				{Param: "actor", Value: "PUTIN", IDs: []string{"vladimir-putin"}},
				{Param: "actor", Value: "vladimir-putin", IDs: []string{"vladimir-putin"}},
			}},
		{"unknown actor says so", Params{Actors: []string{"Nobody Atall"}},
			[]Filter{{Param: "actor", Value: "Nobody Atall", IDs: []string{}, Unresolved: []string{"Nobody Atall"}}}},
		{"any of several, one unknown", Params{Actors: []string{"putin| zelensky |Nobody"}},
			[]Filter{{Param: "actor", Value: "putin| zelensky |Nobody", IDs: []string{"vladimir-putin", "volodymyr-zelensky"}, Unresolved: []string{"Nobody"}}}},
		{"ambiguous location resolves to every entry", Params{Locations: []string{"georgia"}},
			[]Filter{{Param: "location", Value: "georgia", IDs: []string{"iso:GE", "geo:4197000"}}}},
		{"weapon alias", Params{Weapons: []string{"bgm-109"}},
			[]Filter{{Param: "weapon", Value: "bgm-109", IDs: []string{"tomahawk"}}}},
		{"countries by code or by name, never a region; unknown codes say so", Params{Countries: []string{"ua", "Georgia", "Narnia", "XX"}},
			[]Filter{
				{Param: "country", Value: "ua", IDs: []string{"UA"}},
				{Param: "country", Value: "Georgia", IDs: []string{"GE"}},
				{Param: "country", Value: "Narnia", IDs: []string{}, Unresolved: []string{"Narnia"}},
				{Param: "country", Value: "XX", IDs: []string{}, Unresolved: []string{"XX"}},
			}},
		{"category from the closed list", Params{Categories: []string{"Cruise Missile|Drone|laser"}},
			[]Filter{{Param: "category", Value: "Cruise Missile|Drone|laser", IDs: []string{"cruise missile", "drone"}, Unresolved: []string{"laser"}}}},
		{"exclusions", Params{NotActors: []string{"Putin"}, NotCountries: []string{"ru"}},
			[]Filter{{Param: "not_actor", Value: "Putin", IDs: []string{"vladimir-putin"}}, {Param: "not_country", Value: "ru", IDs: []string{"RU"}}}},
		{"words of q that name entities", Params{Text: []string{`kiev "air defence" -putin`}},
			[]Filter{{Param: "q", Value: "kiev", IDs: []string{"geo:703448"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Resolve(tt.p, testCatalog)
			if diff := cmp.Diff(tt.want, got.Filters, cmp.AllowUnexported(Filter{}), cmp.FilterPath(func(p cmp.Path) bool {
				return p.Last().String() == ".names"
			}, cmp.Ignore())); diff != "" {
				t.Errorf("Resolve mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBodyQuery(t *testing.T) {
	ci := func(field, v string) map[string]any {
		return map[string]any{"term": map[string]any{field: map[string]any{"value": v, "case_insensitive": true}}}
	}
	should := func(c ...any) map[string]any {
		return map[string]any{"bool": map[string]any{"should": c, "minimum_should_match": 1}}
	}
	ids := func(field string, v ...string) map[string]any {
		return map[string]any{"terms": map[string]any{field: v}}
	}
	word := func(w string) map[string]any {
		return map[string]any{"multi_match": map[string]any{"query": w, "type": "cross_fields", "operator": "and",
			"fields": []string{"title^2", "body"}, "zero_terms_query": "all"}}
	}
	phrase := func(w string) map[string]any {
		return map[string]any{"multi_match": map[string]any{"query": w, "type": "phrase", "fields": []string{"title^2", "body"}, "zero_terms_query": "all"}}
	}
	tests := []struct {
		name string
		p    Params
		want any
	}{
		{"no filter matches all", Params{Size: 10, Page: 1}, map[string]any{"match_all": map[string]any{}}},
		{"resolved actors are ANDed, each by exactly its ids",
			Params{Actors: []string{"Putin", "Zelensky"}, Size: 10, Page: 1},
			map[string]any{"bool": map[string]any{"filter": []any{
				should(ids("actors.id", "vladimir-putin")),
				should(ids("actors.id", "volodymyr-zelensky")),
			}}}},
		{"alternatives are ORed in one clause",
			Params{Actors: []string{"Putin|Zelensky"}, Size: 10, Page: 1},
			map[string]any{"bool": map[string]any{"filter": []any{should(ids("actors.id", "vladimir-putin", "volodymyr-zelensky"))}}}},
		{"names the catalog does not know match nothing until resolved (Handler.resolve)",
			Params{Actors: []string{"gen:person:jane-doe"}, Weapons: []string{"Zircon"}, Size: 10, Page: 1},
			map[string]any{"bool": map[string]any{"filter": []any{matchNone, matchNone}}}},
		{"an unknown country matches nothing",
			Params{Countries: []string{"Narnia"}, Size: 10, Page: 1},
			map[string]any{"bool": map[string]any{"filter": []any{matchNone}}}},
		{"exclusions, source and language",
			Params{NotActors: []string{"Putin"}, NotCategories: []string{"drone"}, Sources: []string{"bbc|Reuters"}, Size: 10, Page: 1},
			map[string]any{"bool": map[string]any{
				"filter":   []any{should(ci("source", "bbc"), ci("source", "Reuters"))},
				"must_not": []any{should(ids("actors.id", "vladimir-putin")), ids("weapon_categories", "drone")},
			}}},
		{"geo",
			Params{Near: &Near{Lat: 50.45, Lon: 30.52, Distance: "50km", Meters: 50000}, BBox: &BBox{West: 22, South: 44, East: 40, North: 52}, Size: 10, Page: 1},
			map[string]any{"bool": map[string]any{"filter": []any{
				map[string]any{"geo_distance": map[string]any{"distance": 50000.0, "locations.point": map[string]any{"lat": 50.45, "lon": 30.52}}},
				map[string]any{"geo_bounding_box": map[string]any{"locations.point": map[string]any{
					"top_left": map[string]any{"lat": 52.0, "lon": 22.0}, "bottom_right": map[string]any{"lat": 44.0, "lon": 40.0}}}},
			}}}},
		{"text: words, OR, phrases, exclusions, and names the catalog knows",
			Params{Text: []string{`summit OR talks "air defence" -rumour kiev`}, Size: 10, Page: 1},
			map[string]any{"bool": map[string]any{
				"must": []any{
					should(word("summit"), word("talks")),
					should(phrase("air defence")),
					should(word("kiev"), ids("actors.id", "geo:703448"), ids("weapons.id", "geo:703448"), ids("locations.id", "geo:703448")),
				},
				"must_not": []any{word("rumour")},
			}}},
		{"location, category, country and dates",
			Params{Locations: []string{"Budapest"}, Categories: []string{"cruise missile"}, Countries: []string{"ua"},
				From: date("2025-10-16T00:00:00Z"), To: date("2025-10-18T00:00:00Z"), ToExclusive: true, Size: 10, Page: 1},
			map[string]any{"bool": map[string]any{
				"filter": []any{
					should(ids("locations.id", "geo:3054643")),
					ids("weapon_categories", "cruise missile"),
					ids("countries", "UA"),
					map[string]any{"range": map[string]any{"published_at": map[string]any{
						"format": "strict_date_optional_time", "gte": "2025-10-16T00:00:00Z", "lt": "2025-10-18T00:00:00Z"}}},
				},
			}}},
		{"inclusive upper bound for a timestamp",
			Params{To: date("2025-10-18T12:00:00Z"), Size: 10, Page: 1},
			map[string]any{"bool": map[string]any{"filter": []any{map[string]any{"range": map[string]any{"published_at": map[string]any{
				"format": "strict_date_optional_time", "lte": "2025-10-18T12:00:00Z"}}}}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := Resolve(tt.p, testCatalog).Body()
			if diff := cmp.Diff(asJSON(t, tt.want), asJSON(t, body["query"])); diff != "" {
				t.Errorf("query mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSortOrder(t *testing.T) {
	byDate := func(order string) map[string]any {
		return map[string]any{"published_at": map[string]any{"order": order, "missing": "_last"}}
	}
	id := map[string]any{"id": "asc"}
	tests := []struct {
		name string
		p    Params
		want []any
	}{
		{"newest first by default", Params{}, []any{byDate("desc"), id}},
		{"relevance without text is newest first", Params{Sort: SortRelevance}, []any{byDate("desc"), id}},
		{"relevance with text", Params{Text: []string{"x"}}, []any{"_score", byDate("desc"), id}},
		{"oldest first", Params{Sort: SortDate, Text: []string{"x"}}, []any{byDate("asc"), id}},
		{"newest first with text", Params{Sort: SortDateDesc, Text: []string{"x"}}, []any{byDate("desc"), id}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, Resolve(tt.p, testCatalog).SortOrder()); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestBodyPagingFacetsHighlight(t *testing.T) {
	body := asJSON(t, Resolve(Params{Actors: []string{"Putin"}, Size: 20, Page: 3, FacetSize: 7}, testCatalog).Body()).(map[string]any)
	if body["from"] != 40.0 || body["size"] != 20.0 || body["track_total_hits"] != true {
		t.Errorf("from/size/track_total_hits = %v/%v/%v, want 40/20/true", body["from"], body["size"], body["track_total_hits"])
	}
	aggs := body["aggs"].(map[string]any)
	for name, field := range map[string]string{"actors": "actors.key", "weapons": "weapons.key", "locations": "locations.key",
		"categories": "weapon_categories", "countries": "countries"} {
		want := map[string]any{"terms": map[string]any{"field": field, "size": 7.0}}
		if diff := cmp.Diff(want, aggs[name]); diff != "" {
			t.Errorf("facet %s (-want +got):\n%s", name, diff)
		}
	}
	// The entity's names are highlighted in the snippet, as phrases.
	hq := body["highlight"].(map[string]any)["highlight_query"]
	var phrases []string
	for _, c := range hq.(map[string]any)["bool"].(map[string]any)["should"].([]any) {
		phrases = append(phrases, c.(map[string]any)["multi_match"].(map[string]any)["query"].(string))
	}
	if diff := cmp.Diff([]string{"Putin", "Vladimir Putin"}, phrases); diff != "" {
		t.Errorf("highlight phrases (-want +got):\n%s", diff)
	}
	if _, ok := asJSON(t, Resolve(Params{Size: 10, Page: 1}, testCatalog).Body()).(map[string]any)["aggs"]; ok {
		t.Error("facet_size=0 still asks for facets")
	}
}

// TestBodyCarriesValuesAsData checks that characters meaningful to query
// syntax or JSON reach Elasticsearch as the literal value.
func TestBodyCarriesValuesAsData(t *testing.T) {
	nasty := `x"}},{"match_all":{}}]} title:x OR * ~ \ (`
	body := Resolve(Params{Actors: []string{nasty}, Text: []string{nasty}, Size: 10, Page: 1}, testCatalog).Body()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	q := back["query"].(map[string]any)["bool"].(map[string]any)
	var words []string
	for _, g := range q["must"].([]any) {
		for _, c := range g.(map[string]any)["bool"].(map[string]any)["should"].([]any) {
			words = append(words, c.(map[string]any)["multi_match"].(map[string]any)["query"].(string))
		}
	}
	want := []string{"x", "}},{", "match_all", `:{}}]} title:x OR * ~ \ (`}
	if diff := cmp.Diff(want, words); diff != "" {
		t.Errorf("text terms (-want +got):\n%s", diff)
	}
	if len(q["filter"].([]any)) != 1 {
		t.Errorf("filter has %d clauses, want exactly the actor's", len(q["filter"].([]any)))
	}
}
