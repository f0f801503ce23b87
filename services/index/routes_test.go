package main

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/deskwire/newsroom/services/classify/extract"
	"github.com/deskwire/newsroom/services/pipeline/catalog"
)

// TestCatalogAdapter holds the adapter to the real catalog: countries by
// code, entries with coordinates, and every category the classifier can
// write.
func TestCatalogAdapter(t *testing.T) {
	cat, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	a := newCatalogAdapter(cat)
	ua, ok := a.Country("ua")
	if !ok || ua.Name != "Ukraine" || ua.Kind != "country" {
		t.Errorf("Country(ua) = %+v, %v", ua, ok)
	}
	if _, ok := a.Country("XX"); ok {
		t.Error("Country(XX) found something")
	}
	kyiv := a.Resolve("location", "Kiev")
	if len(kyiv) == 0 || kyiv[0].Name != "Kyiv" || kyiv[0].Point == nil {
		t.Errorf("Resolve(location, Kiev) = %+v, want Kyiv with coordinates", kyiv)
	}
	if got, ok := a.Lookup(kyiv[0].ID); !ok || got.Name != "Kyiv" {
		t.Errorf("Lookup(%s) = %+v, %v", kyiv[0].ID, got, ok)
	}
	cats := a.Categories()
	if !slices.IsSorted(cats) || len(slices.Compact(slices.Clone(cats))) != len(cats) {
		t.Errorf("categories not sorted and distinct: %v", cats)
	}
	var missing []string
	for _, c := range extract.Categories {
		if !slices.Contains(cats, c) {
			missing = append(missing, c)
		}
	}
	if diff := cmp.Diff([]string(nil), missing); diff != "" {
		t.Errorf("categories the classifier writes but search does not know (-want +got):\n%s", diff)
	}
}
