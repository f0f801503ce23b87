package catalog_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/deskwire/newsroom/services/pipeline/catalog"
	"github.com/deskwire/newsroom/services/pipeline/catalog/catalogtest"
)

func overlayFS(files map[string]string) fstest.MapFS {
	m := fstest.MapFS{}
	for name, text := range files {
		m[name] = &fstest.MapFile{Data: []byte(text)}
	}
	return m
}

func TestOverlayMerge(t *testing.T) {
	ov := overlayFS(map[string]string{
		"actors.tsv": "# id\tname\tkind\tcountry\taliases\tambiguous\trole\n" +
			"oleh-example\tOleh Example\tperson\tUA\tExample\t-\tmayor\n",
		"weapons.tsv":   "wx-1\tWX-1 Falcon\tdrone\tUA,RU\tWX1\t-\t-\n",
		"locations.tsv": "place:example-dam\tExample Dam\tplace\tUA\t47.5\t34.6\t0\tExample reservoir dam\t-\n",
		"aliases.tsv":   "actor\tvladimir-putin\tV. V. Putin\nlocation\tgeo:703448\tKyyiv\n",
		"block.tsv":     "# type\tname\nweapon\tLeopard\nactor\tWagner Group\nlocations\tMoskva\n",
	})
	c, err := catalog.LoadFSOverlay(catalogtest.FS(t), ov)
	if err != nil {
		t.Fatal(err)
	}
	base := catalogtest.Load(t)
	if c.Version() == base.Version() {
		t.Error("overlay did not change the catalog version")
	}
	tests := []struct {
		typ   catalog.Type
		value string
		want  []string
	}{
		{catalog.Actor, "Oleh Example", []string{"oleh-example"}},
		{catalog.Actor, "Example", []string{"oleh-example"}},
		{catalog.Weapon, "WX1", []string{"wx-1"}},
		{catalog.Location, "Example reservoir dam", []string{"place:example-dam"}},
		{catalog.Actor, "V. V. Putin", []string{"vladimir-putin"}},
		{catalog.Actor, "Putin", []string{"vladimir-putin"}}, // existing names stay
		{catalog.Location, "Kyyiv", []string{"geo:703448"}},
		{catalog.Weapon, "Leopard", []string{}},              // blocked alias
		{catalog.Weapon, "Leopard 2", []string{"leopard-2"}}, // the entry stays
		{catalog.Actor, "Wagner", []string{}},                // canonical name blocked: entry dropped
		{catalog.Location, "Moskva", []string{}},             // "locations" is accepted as a type
		{catalog.Location, "Moscow", []string{"geo:524901"}}, // other names stay
		{catalog.Location, "geo:703448", []string{"geo:703448"}},
	}
	for _, tt := range tests {
		got := names(c.Resolve(tt.typ, tt.value))
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Resolve(%s, %q) (-want +got):\n%s", tt.typ, tt.value, diff)
		}
	}
	if _, ok := c.Get("wagner-group"); ok {
		t.Error("entry with a blocked canonical name is still there")
	}
	if got, want := c.Len(catalog.Actor), base.Len(catalog.Actor); got != want {
		t.Errorf("Len(actor) = %d, want %d (one added, one blocked)", got, want)
	}
	if e, _ := c.Get("leopard-2"); e.IsAmbiguous("Leopard") || len(e.Ambiguous) != 0 {
		t.Errorf("blocked name still listed as ambiguous: %v", e.Ambiguous)
	}
	if !c.Blocked(catalog.Weapon, "LEOPARD") || c.Blocked(catalog.Actor, "Leopard") {
		t.Error("Blocked does not report per type")
	}
	if base.Blocked(catalog.Weapon, "Leopard") {
		t.Error("the overlay changed the base catalog")
	}
}

func TestOverlayErrors(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		want  []string // substrings of the error
	}{
		{"wrong column count", map[string]string{"actors.tsv": "x\tX Y\tperson\tUA\n"},
			[]string{"actors.tsv:1:", "has 4 tab-separated cells, want 7"}},
		{"spaces instead of tabs", map[string]string{"aliases.tsv": "actor  putin  Vova\n"},
			[]string{"aliases.tsv:1:", "want 3 (type, entity id, alias)"}},
		{"unknown entity id", map[string]string{"aliases.tsv": "# c\nactor\tno-such-actor\tNobody\n"},
			[]string{"aliases.tsv:2:", `unknown actor id "no-such-actor"`}},
		{"id of another type", map[string]string{"aliases.tsv": "weapon\tvladimir-putin\tPutin\n"},
			[]string{"aliases.tsv:1:", `unknown weapon id "vladimir-putin"`}},
		{"unknown type in aliases", map[string]string{"aliases.tsv": "person\tvladimir-putin\tPutin\n"},
			[]string{"aliases.tsv:1:", `unknown type "person"`}},
		{"unknown type in block", map[string]string{"block.tsv": "place\tKremlin\n"},
			[]string{"block.tsv:1:", `unknown type "place"`}},
		{"block without name", map[string]string{"block.tsv": "actor\t--\n"},
			[]string{"block.tsv:1:", "no letters or digits"}},
		{"unknown actor kind", map[string]string{"actors.tsv": "x\tX Y\tgroup\tUA\t-\t-\t-\n"},
			[]string{`unknown kind "group" for an actor`}},
		{"unknown location kind", map[string]string{"locations.tsv": "place:x\tX\tvillage\tUA\t1\t2\t0\t-\t-\n"},
			[]string{`unknown kind "village" for a location`}},
		{"unknown category", map[string]string{"weapons.tsv": "x\tX-9\tlaser\tUS\t-\t-\t-\n"},
			[]string{`unknown category "laser"`}},
		{"unknown country", map[string]string{"actors.tsv": "x\tX Y\tperson\tZZ\t-\t-\t-\n"},
			[]string{`unknown country "ZZ"`}},
		{"unknown origin", map[string]string{"weapons.tsv": "x\tX-9\tdrone\tUS,zz\t-\t-\t-\n"},
			[]string{`unknown origin "zz"`}},
		{"coordinates out of range", map[string]string{"locations.tsv": "place:x\tX\tplace\tUA\t95\t30\t0\t-\t-\n"},
			[]string{"locations.tsv:1:", "bad coordinates 95 30"}},
		{"coordinates not numbers", map[string]string{"locations.tsv": "place:x\tX\tplace\tUA\tnorth\t30\t0\t-\t-\n"},
			[]string{"locations.tsv:1:", `bad coordinates "north" "30"`}},
		{"one coordinate", map[string]string{"locations.tsv": "place:x\tX\tplace\tUA\t45\t-\t0\t-\t-\n"},
			[]string{"give both latitude and longitude"}},
		{"negative population", map[string]string{"locations.tsv": "place:x\tX\tcity\tUA\t-\t-\t-5\t-\t-\n"},
			[]string{"bad population -5"}},
		{"duplicate id in the catalog", map[string]string{"actors.tsv": "nato\tNATO 2\torganization\t-\t-\t-\t-\n"},
			[]string{`duplicate id "nato": the catalog has it already`, "aliases.tsv"}},
		{"duplicate id in the overlay", map[string]string{"weapons.tsv": "x\tX-9\tdrone\tUS\t-\t-\t-\nx\tX-10\tdrone\tUS\t-\t-\t-\n"},
			[]string{"weapons.tsv:2:", `duplicate id "x" (already added at weapons.tsv:1)`}},
		{"id with a space", map[string]string{"actors.tsv": "my actor\tX Y\tperson\tUA\t-\t-\t-\n"},
			[]string{`id "my actor" contains a space`}},
		{"unknown file", map[string]string{"alias.tsv": "actor\tnato\tN\n"},
			[]string{"unknown file alias.tsv"}},
		{"every problem reported", map[string]string{"block.tsv": "x\ty\nactor\n"},
			[]string{"2 problem(s) (", "block.tsv:1:", "block.tsv:2:"}},
		{"many problems", map[string]string{"block.tsv": strings.Repeat("x\ty\n", 25)},
			[]string{"25 problem(s), the first 20 shown", "block.tsv:20:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := catalog.LoadFSOverlay(catalogtest.FS(t), overlayFS(tt.files))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestLoadOverlay(t *testing.T) {
	ov := t.TempDir()
	if err := os.WriteFile(filepath.Join(ov, "block.tsv"), []byte("actor\tPutin\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := catalog.LoadOverlay("", ov)
	if err != nil {
		t.Fatal(err)
	}
	emb, _ := catalog.Load()
	if len(c.Resolve(catalog.Actor, "Putin")) != 0 || len(emb.Resolve(catalog.Actor, "Putin")) == 0 {
		t.Error("block not applied to the embedded catalog, or applied to the shared one")
	}
	if _, err := catalog.LoadOverlay("", filepath.Join(ov, "missing")); err == nil {
		t.Error("missing overlay directory gave no error")
	}
	if same, err := catalog.LoadOverlay("", ""); err != nil || same != emb {
		t.Errorf("LoadOverlay without overlay = %p, %v; want the embedded catalog", same, err)
	}
}
