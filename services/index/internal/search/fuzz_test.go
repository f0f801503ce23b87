package search

import (
	"encoding/json"
	"errors"
	"testing"
	"unicode/utf8"
)

// FuzzParseParams feeds arbitrary query strings through the parser and the
// query builder: either a ParamError (a 400) or a request within every
// limit whose query encodes as JSON — never a panic. The seed corpus is in
// testdata/fuzz/FuzzParseParams; run longer with
// go test -run=^$ -fuzz=FuzzParseParams -fuzztime=1m ./internal/search
func FuzzParseParams(f *testing.F) {
	for _, s := range []string{"", "actor=Putin&weapon=Tomahawk", "size=100&page=100", "from=2025-10-16&to=2025-10-17",
		"actor=a|b&not_country=ua&near=1,2&within=3km&bbox=1,2,3,4&sort=date&q=%22a+b%22+OR+-c"} {
		f.Add(s)
	}
	const maxSize = 100
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := ParseQuery(raw)
		if err == nil {
			var p Params
			p, err = ParseParams(v, maxSize)
			if err == nil {
				checkParams(t, raw, p, maxSize)
				return
			}
		}
		var pe *ParamError
		if !errors.As(err, &pe) || pe.Msg == "" {
			t.Fatalf("%q: error %v is not a ParamError with a message", raw, err)
		}
		if !utf8.ValidString(pe.Msg) && utf8.ValidString(raw) {
			t.Fatalf("%q: error message is not valid UTF-8: %q", raw, pe.Msg)
		}
	})
}

func checkParams(t *testing.T, raw string, p Params, maxSize int) {
	t.Helper()
	if p.Size < 0 || p.Size > maxSize || p.Page < 1 || p.Offset()+p.Size > MaxWindow {
		t.Fatalf("%q: size %d page %d out of bounds", raw, p.Size, p.Page)
	}
	n := 0
	for _, list := range [][]string{p.Actors, p.Weapons, p.Locations, p.Categories, p.Countries, p.Text,
		p.NotActors, p.NotWeapons, p.NotLocations, p.NotCategories, p.NotCountries, p.Sources, p.Languages} {
		for _, s := range list {
			n++
			if s == "" || !utf8.ValidString(s) || utf8.RuneCountInString(s) > MaxValueLen {
				t.Fatalf("%q: value %q passed the checks", raw, s)
			}
		}
	}
	if n > MaxParams {
		t.Fatalf("%q: %d values passed the checks", raw, n)
	}
	if p.FacetSize < 0 || p.FacetSize > MaxFacetSize || p.Near != nil && (p.Near.Meters <= 0 || p.Near.Meters > maxWithinMeters) ||
		p.BBox != nil && p.BBox.South > p.BBox.North {
		t.Fatalf("%q: facet size, near or bbox out of bounds: %+v", raw, p)
	}
	if p.From != nil && p.To != nil && p.To.Before(*p.From) {
		t.Fatalf("%q: from %s after to %s passed the checks", raw, p.From, p.To)
	}
	body, err := json.Marshal(Resolve(p, testCatalog).Body())
	if err != nil {
		t.Fatalf("%q: encoding the query: %v", raw, err)
	}
	if !json.Valid(body) {
		t.Fatalf("%q: query is not valid JSON", raw)
	}
}
