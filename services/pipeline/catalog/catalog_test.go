package catalog_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/deskwire/newsroom/services/pipeline/catalog"
	"github.com/deskwire/newsroom/services/pipeline/catalog/catalogtest"
)

func TestKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Kyiv", "kyiv"},
		{"U.S.", "u s"},
		{"Shahed-136", "shahed 136"},
		{"Erdoğan", "erdogan"},
		{"Błaszczak", "blaszczak"},
		{"Morąg", "morag"},
		{"Straße", "strasse"},
		{"People’s Liberation Army", "people s liberation army"},
		{"countryʼs", "country s"},
		{"  F/A-18  Super Hornet ", "f a 18 super hornet"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := catalog.Key(tt.in); got != tt.want {
			t.Errorf("Key(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func names(es []catalog.Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func TestResolve(t *testing.T) {
	c := catalogtest.Load(t)
	tests := []struct {
		typ   catalog.Type
		value string
		want  []string
	}{
		{catalog.Location, "Kiev", []string{"geo:703448"}},
		{catalog.Location, "KYIV", []string{"geo:703448"}},
		{catalog.Location, "kyiv city", []string{"geo:703448"}}, // alias from places.tsv
		{catalog.Location, "geo:703448", []string{"geo:703448"}},
		{catalog.Location, "Georgia", []string{"adm:US-GA", "iso:GE"}}, // population order
		{catalog.Weapon, "mim 104", []string{"patriot"}},
		{catalog.Weapon, "Shahed 136", []string{"shahed-136"}},
		{catalog.Actor, "zelenskyy", []string{"volodymyr-zelensky"}},
		{catalog.Actor, "Kiev", nil},
		{catalog.Location, "Atlantis", nil},
	}
	for _, tt := range tests {
		got := names(c.Resolve(tt.typ, tt.value))
		if diff := cmp.Diff(tt.want, got, cmp.Comparer(func(a, b []string) bool { return strings.Join(a, ",") == strings.Join(b, ",") })); diff != "" {
			t.Errorf("Resolve(%s, %q) mismatch (-want +got):\n%s", tt.typ, tt.value, diff)
		}
	}
}

func TestGetAndMerge(t *testing.T) {
	c := catalogtest.Load(t)
	e, ok := c.Get("geo:703448")
	if !ok {
		t.Fatal("Kyiv missing")
	}
	// places.tsv refines the generated row: new population, alias added.
	want := catalog.Entry{ID: "geo:703448", Name: "Kyiv", Type: catalog.Location, Kind: "city", Country: "UA",
		Lat: 50.45, Lon: 30.52, HasCoord: true, Population: 2950000, Aliases: []string{"Kiev", "Kyiv city"}, Admin1: "Kyiv"}
	if diff := cmp.Diff(want, e, cmpopts.IgnoreFields(catalog.Entry{}, "Variants")); diff != "" {
		t.Errorf("Get mismatch (-want +got):\n%s", diff)
	}
	w, _ := c.Get("patriot")
	if w.Category != "air defense" || w.Country != "US" || !w.IsAmbiguous("patriot") || w.IsAmbiguous("MIM-104") {
		t.Errorf("patriot = %+v", w)
	}
	if _, ok := c.Get("nope"); ok {
		t.Error("Get(nope) found something")
	}
}

func TestLenAndVersion(t *testing.T) {
	c := catalogtest.Load(t)
	if got := c.Len(catalog.Weapon); got != 9 {
		t.Errorf("Len(weapon) = %d, want 9", got)
	}
	if got := c.Len(catalog.Actor); got != 10 {
		t.Errorf("Len(actor) = %d, want 10", got)
	}
	if got := c.Len(catalog.Location); got != 20 {
		t.Errorf("Len(location) = %d, want 20", got)
	}
	v := c.Version()
	if len(v) != 8 {
		t.Fatalf("Version() = %q, want 8 hex digits", v)
	}
	if v2 := catalogtest.Load(t).Version(); v2 != v {
		t.Errorf("Version not stable: %q vs %q", v, v2)
	}
	fsys := catalogtest.FS(t)
	fsys["weapons.tsv"] = &fstest.MapFile{Data: append(append([]byte{}, fsys["weapons.tsv"].Data...), "x\tX-1\t-\t-\t\t\t\n"...)}
	c3, err := catalog.LoadFS(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if c3.Version() == v {
		t.Error("Version did not change with the data")
	}
}

func TestSuggest(t *testing.T) {
	c := catalogtest.Load(t)
	tests := []struct {
		typ    catalog.Type
		prefix string
		limit  int
		want   []string
	}{
		{catalog.Location, "k", 5, []string{"geo:703448", "adm:UA-65", "geo:706448", "place:kremlin"}},
		{catalog.Location, "k", 2, []string{"geo:703448", "adm:UA-65"}},
		{catalog.Location, "Ky", 5, []string{"geo:703448"}},
		{catalog.Location, "georgia", 1, []string{"adm:US-GA"}},
		{catalog.Weapon, "sha", 3, []string{"shahed-136"}},
		{catalog.Actor, "pat", 3, []string{"new-england-patriots"}},
		{catalog.Actor, "", 3, nil},
		{catalog.Actor, "v", 0, nil},
	}
	for _, tt := range tests {
		got := names(c.Suggest(tt.typ, tt.prefix, tt.limit))
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("Suggest(%s, %q, %d) = %v, want %v", tt.typ, tt.prefix, tt.limit, got, tt.want)
		}
	}
}

func TestLoadFSErrors(t *testing.T) {
	fsys := catalogtest.FS(t)
	delete(fsys, "actors.tsv")
	if _, err := catalog.LoadFS(fsys); err == nil || !strings.Contains(err.Error(), "actors.tsv") {
		t.Errorf("missing file: err = %v", err)
	}
	fsys = catalogtest.FS(t)
	fsys["places.tsv"] = &fstest.MapFile{Data: []byte("place:x\tX\tplace\t-\tnorth\teast\t0\t\t\n")}
	if _, err := catalog.LoadFS(fsys); err == nil || !strings.Contains(err.Error(), "places.tsv:1") {
		t.Errorf("bad coordinates: err = %v", err)
	}
	fsys = catalogtest.FS(t)
	fsys["locations.tsv.gz"] = &fstest.MapFile{Data: []byte("not gzip")}
	if _, err := catalog.LoadFS(fsys); err == nil {
		t.Error("bad gzip: no error")
	}
}

// The embedded catalog: every file present, broad coverage, well-known
// names resolvable.
func TestLoadEmbedded(t *testing.T) {
	c, err := catalog.Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	mins := map[catalog.Type]int{catalog.Actor: 1000, catalog.Weapon: 300, catalog.Location: 20000}
	for typ, min := range mins {
		if n := c.Len(typ); n < min {
			t.Errorf("Len(%s) = %d, want >= %d", typ, n, min)
		}
	}
	for _, q := range []struct {
		typ  catalog.Type
		name string
	}{
		{catalog.Location, "Kiev"}, {catalog.Location, "Ukraine"}, {catalog.Location, "U.S."},
		{catalog.Weapon, "MIM-104"}, {catalog.Weapon, "HIMARS"}, {catalog.Actor, "NATO"}, {catalog.Actor, "Putin"},
	} {
		if len(c.Resolve(q.typ, q.name)) == 0 {
			t.Errorf("Resolve(%s, %q) found nothing", q.typ, q.name)
		}
	}
	if again, _ := catalog.Load(); again != c {
		t.Error("Load is not cached")
	}
}

// TestLoadBudget checks the embedded catalog loads within the memory budget
// (300 MB allocated) and reports the time; the time limit here is loose so
// that a busy CI machine does not fail it (BenchmarkLoad measures it).
func TestLoadBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	sub := catalog.EmbeddedFS()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	c, err := catalog.LoadFS(sub)
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("load: %v, %.1f MB allocated, %d entries", took, float64(alloc)/1e6, len(c.Entries()))
	if alloc > 300<<20 {
		t.Errorf("load allocated %d MB, want < 300 MB", alloc>>20)
	}
	if took > 5*time.Second {
		t.Errorf("load took %v, want well under 1 s", took)
	}
}

// BenchmarkLoad parses and indexes the embedded catalog.
func BenchmarkLoad(b *testing.B) {
	sub := catalog.EmbeddedFS()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := catalog.LoadFS(sub); err != nil {
			b.Fatal(err)
		}
	}
}

var _ fs.FS = catalog.EmbeddedFS()

func TestLoadDir(t *testing.T) {
	dir := t.TempDir()
	for name, f := range catalogtest.FS(t) {
		if err := os.WriteFile(filepath.Join(dir, name), f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c, err := catalog.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if c.Len(catalog.Weapon) != 9 {
		t.Errorf("Len(weapon) = %d", c.Len(catalog.Weapon))
	}
	if _, err := catalog.LoadDir(filepath.Join(dir, "missing")); err == nil {
		t.Error("LoadDir(missing) returned no error")
	}
	emb, err := catalog.LoadDir("")
	if err != nil || emb.Len(catalog.Actor) < 1000 {
		t.Errorf("LoadDir(\"\") = %v, %v", emb, err)
	}
}

// BenchmarkCollect reports what a loaded catalog costs each garbage
// collection of a service that holds it: the collector's CPU per cycle
// (gc-cpu-ms/cycle) with the embedded catalog loaded and its lazily built
// suggestion and variant indexes in place.
func BenchmarkCollect(b *testing.B) {
	c, err := catalog.Load()
	if err != nil {
		b.Fatal(err)
	}
	for _, typ := range []catalog.Type{catalog.Actor, catalog.Weapon, catalog.Location} {
		c.Suggest(typ, "ka", 3)
		c.Resolve(typ, "Kyjiw")
	}
	cpu := []metrics.Sample{{Name: "/cpu/classes/gc/total:cpu-seconds"}}
	runtime.GC()
	metrics.Read(cpu)
	before := cpu[0].Value.Float64()
	b.ResetTimer()
	for range b.N {
		runtime.GC()
	}
	metrics.Read(cpu)
	b.ReportMetric((cpu[0].Value.Float64()-before)*1e3/float64(b.N), "gc-cpu-ms/cycle")
	runtime.KeepAlive(c)
}
