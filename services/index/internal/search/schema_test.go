package search

import (
	"strings"
	"testing"
	"time"

	"github.com/deskwire/newsroom/services/index/esindex"
)

// fieldRefs collects the document fields a request body names: keys of
// term, terms and range clauses, multi_match and highlight fields, facet
// and sort fields and the _source includes.
func fieldRefs(v any, parent string, out map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		if f, ok := x["field"].(string); ok { // an aggregation
			out[f] = true
			return
		}
		for k, e := range x {
			switch {
			case parent == "term" || parent == "terms" || parent == "range" || parent == "sort" || parent == "prefix":
				out[k] = true
			case parent == "highlight" && k == "fields":
				for f := range e.(map[string]any) {
					out[f] = true
				}
				continue
			case k == "fields" || k == "includes":
				for _, f := range e.([]string) {
					out[f] = true
				}
			}
			fieldRefs(e, k, out)
		}
	case []any:
		for _, e := range x {
			fieldRefs(e, parent, out)
		}
	}
}

// TestQueriesUseMappedFields fails when search names a field the index
// mapping does not have: a renamed or dropped field would otherwise match
// nothing without an error.
func TestQueriesUseMappedFields(t *testing.T) {
	from, to := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)
	p := Params{
		Actors: []string{"Putin"}, Weapons: []string{"Patriot"}, Locations: []string{"Kyiv"},
		Categories: []string{"drone"}, Countries: []string{"UA"}, Text: []string{"strike"},
		NotActors: []string{"x"}, Sources: []string{"s"}, Languages: []string{"en"},
		Near: &Near{Lat: 1, Lon: 2, Meters: 3}, BBox: &BBox{West: 1, South: 1, East: 2, North: 2},
		From: &from, To: &to, Size: 10, Page: 1, FacetSize: 10,
	}
	refs := map[string]bool{}
	fieldRefs(Resolve(p, testCatalog).Body(), "", refs)
	for _, want := range []string{"actors.id", "weapon_categories", "countries", "published_at", "title^2", "actors.key", "locations.point"} {
		if !refs[want] {
			t.Errorf("the walk did not find %q among the body's fields %v: the test no longer sees every clause", want, refs)
		}
	}
	// The look-up of values the catalog does not know (Handler.resolve).
	q := Resolve(Params{Actors: []string{"Nobody Atall"}, NotLocations: []string{"Nowhere"}, Size: 10, Page: 1}, testCatalog)
	_, body := lookupRequest(q)
	fieldRefs(body, "", refs)
	for _, want := range []string{"actors.lookup", "actors.key", "actors.name.keyword", "locations.lookup", "locations.id"} {
		if !refs[want] {
			t.Errorf("the walk did not find %q in the look-up body's fields %v", want, refs)
		}
	}
	for f := range refs {
		if f == "_score" || strings.HasPrefix(f, "_") {
			continue
		}
		if !esindex.HasField(f) {
			t.Errorf("the search body names %q, which the index mapping does not have (esindex.Mapping)", f)
		}
	}
}
