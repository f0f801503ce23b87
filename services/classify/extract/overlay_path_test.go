package extract_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/deskwire/newsroom/services/classify/extract"
	"github.com/deskwire/newsroom/services/pipeline/catalog"
)

// TestOverlayPath follows an overlay edit through what reindex and search
// do: the extractor finds the added name, search resolves the query to the
// same id, and a blocked name is no longer extracted.
func TestOverlayPath(t *testing.T) {
	ov := t.TempDir()
	files := map[string]string{
		"locations.tsv": "place:example-bridge\tExample Bridge\tplace\tUA\t46.63\t32.62\t0\t-\t-\n",
		"aliases.tsv":   "weapon\thimars\tExampleRocket launcher\n",
		"block.tsv":     "actor\tWagner\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(ov, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	base, err := catalog.Load()
	if err != nil {
		t.Fatal(err)
	}
	edited, err := catalog.LoadOverlay("", ov)
	if err != nil {
		t.Fatal(err)
	}
	const body = "Russian artillery and drones struck the Example Bridge near Kherson overnight, " +
		"the Ukrainian army said. Ukrainian forces fired an ExampleRocket launcher at Russian positions. " +
		"Wagner fighters were seen in the area, officials said."
	tests := []struct {
		name     string
		typ      catalog.Type
		id       string
		query    string
		inBase   bool
		inEdited bool
	}{
		{"added location", catalog.Location, "place:example-bridge", "example bridge", false, true},
		{"added alias", catalog.Weapon, "himars", "ExampleRocket launcher", false, true},
		{"blocked name", catalog.Actor, "wagner-group", "Wagner", true, false},
	}
	found := func(c *catalog.Catalog, typ catalog.Type, id string) bool {
		r := extract.New(c).Extract("Strike on a bridge", body)
		list := map[catalog.Type][]extract.Entity{catalog.Actor: r.Actors, catalog.Weapon: r.Weapons, catalog.Location: r.Locations}[typ]
		return slices.ContainsFunc(list, func(e extract.Entity) bool { return e.ID == id })
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := found(base, tt.typ, tt.id); got != tt.inBase {
				t.Errorf("embedded catalog: extracted %s = %v, want %v", tt.id, got, tt.inBase)
			}
			if got := found(edited, tt.typ, tt.id); got != tt.inEdited {
				t.Errorf("with overlay: extracted %s = %v, want %v", tt.id, got, tt.inEdited)
			}
			res := edited.Resolve(tt.typ, tt.query)
			if got := slices.ContainsFunc(res, func(e catalog.Entry) bool { return e.ID == tt.id }); got != tt.inEdited {
				t.Errorf("with overlay: Resolve(%q) has %s = %v, want %v", tt.query, tt.id, got, tt.inEdited)
			}
		})
	}
}
