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
	{ID: "iso:UA", Name: "Ukraine", Type: TypeLocation, Kind: "country", Country: "UA"},
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
		{"unknown actor keeps no ids", Params{Actors: []string{"Nobody Atall"}},
			[]Filter{{Param: "actor", Value: "Nobody Atall", IDs: []string{}}}},
		{"ambiguous location resolves to every entry", Params{Locations: []string{"georgia"}},
			[]Filter{{Param: "location", Value: "georgia", IDs: []string{"iso:GE", "geo:4197000"}}}},
		{"weapon alias", Params{Weapons: []string{"bgm-109"}},
			[]Filter{{Param: "weapon", Value: "bgm-109", IDs: []string{"tomahawk"}}}},
		{"countries by code or by name, never a region", Params{Countries: []string{"ua", "Georgia", "Narnia"}},
			[]Filter{
				{Param: "country", Value: "ua", IDs: []string{"UA"}},
				{Param: "country", Value: "Georgia", IDs: []string{"GE"}},
				{Param: "country", Value: "Narnia", IDs: []string{}},
			}},
		{"category", Params{Categories: []string{"Cruise Missile"}},
			[]Filter{{Param: "category", Value: "Cruise Missile", IDs: []string{"cruise missile"}}}},
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
	tests := []struct {
		name string
		p    Params
		want any
	}{
		{"no filter matches all", Params{Size: 10, Page: 1}, map[string]any{"match_all": map[string]any{}}},
		{"resolved actors are ANDed, each by ids or exact name",
			Params{Actors: []string{"Putin", "Zelensky"}, Size: 10, Page: 1},
			map[string]any{"bool": map[string]any{"filter": []any{
				should(map[string]any{"terms": map[string]any{"actors.id": []string{"vladimir-putin"}}}, ci("actors.id", "Putin"), ci("actors.name.keyword", "Putin")),
				should(map[string]any{"terms": map[string]any{"actors.id": []string{"volodymyr-zelensky"}}}, ci("actors.id", "Zelensky"), ci("actors.name.keyword", "Zelensky")),
			}}}},
		{"unknown names fall back to the id or exact name",
			Params{Actors: []string{"gen:person:jane-doe"}, Weapons: []string{"Zircon"}, Size: 10, Page: 1},
			map[string]any{"bool": map[string]any{"filter": []any{
				should(ci("actors.id", "gen:person:jane-doe"), ci("actors.name.keyword", "gen:person:jane-doe")),
				should(ci("weapons.id", "Zircon"), ci("weapons.name.keyword", "Zircon")),
			}}}},
		{"location, category, country, text and dates",
			Params{Locations: []string{"Budapest"}, Categories: []string{"cruise missile"}, Countries: []string{"ua"},
				Text: []string{"summit talks"}, From: date("2025-10-16T00:00:00Z"), To: date("2025-10-18T00:00:00Z"), ToExclusive: true, Size: 10, Page: 1},
			map[string]any{"bool": map[string]any{
				"filter": []any{
					should(map[string]any{"terms": map[string]any{"locations.id": []string{"geo:3054643"}}}, ci("locations.id", "Budapest"), ci("locations.name.keyword", "Budapest")),
					ci("weapon_categories", "cruise missile"),
					should(ci("countries", "ua"), map[string]any{"terms": map[string]any{"countries": []string{"UA"}}}),
					map[string]any{"range": map[string]any{"published_at": map[string]any{
						"format": "strict_date_optional_time", "gte": "2025-10-16T00:00:00Z", "lt": "2025-10-18T00:00:00Z"}}},
				},
				"must": []any{map[string]any{"multi_match": map[string]any{
					"query": "summit talks", "type": "cross_fields", "operator": "and", "fields": []string{"title^2", "body"}}}},
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

func TestBodyPagingSortFacetsHighlight(t *testing.T) {
	body := asJSON(t, Resolve(Params{Actors: []string{"Putin"}, Size: 20, Page: 3}, testCatalog).Body()).(map[string]any)
	if body["from"] != 40.0 || body["size"] != 20.0 || body["track_total_hits"] != true {
		t.Errorf("from/size/track_total_hits = %v/%v/%v, want 40/20/true", body["from"], body["size"], body["track_total_hits"])
	}
	wantSort := []any{map[string]any{"published_at": map[string]any{"order": "desc", "missing": "_last"}}, map[string]any{"id": "asc"}}
	if diff := cmp.Diff(wantSort, body["sort"]); diff != "" {
		t.Errorf("sort without text (-want +got):\n%s", diff)
	}
	aggs := body["aggs"].(map[string]any)
	for name, field := range map[string]string{"actors": "actors.key", "weapons": "weapons.key", "locations": "locations.key",
		"categories": "weapon_categories", "countries": "countries"} {
		want := map[string]any{"terms": map[string]any{"field": field, "size": float64(FacetSize)}}
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

	withText := asJSON(t, Resolve(Params{Text: []string{"x"}, Size: 10, Page: 1}, testCatalog).Body()).(map[string]any)
	if s := withText["sort"].([]any); s[0] != "_score" {
		t.Errorf("sort with text starts with %v, want _score", s[0])
	}
}

// TestBodyCarriesValuesAsData checks that characters meaningful to query
// syntax or JSON reach Elasticsearch as the literal value.
func TestBodyCarriesValuesAsData(t *testing.T) {
	nasty := `x"}},{"match_all":{}}]} OR * ~ \ (`
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
	mm := q["must"].([]any)[0].(map[string]any)["multi_match"].(map[string]any)
	if mm["query"] != nasty {
		t.Errorf("multi_match query = %q, want %q", mm["query"], nasty)
	}
	if len(q["filter"].([]any)) != 1 {
		t.Errorf("filter has %d clauses, want exactly the actor's", len(q["filter"].([]any)))
	}
}
