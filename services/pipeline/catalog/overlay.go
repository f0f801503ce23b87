package catalog

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path"
	"slices"
	"strings"
)

// Overlay files: a newsroom's edits merged over the built catalog at load,
// so that adding or blocking a name needs no rebuild. Every file is
// optional; cells are tab-separated, "#" starts a comment line.
const (
	// OverlayAliases holds "type<TAB>entity-id<TAB>alias" rows.
	OverlayAliases = "aliases.tsv"
	// OverlayBlock holds "type<TAB>name" rows: names never extracted.
	OverlayBlock = "block.tsv"
)

// overlayAdds lists the overlay files that add entries, with the columns
// of the built file of the same type.
var overlayAdds = []struct {
	name string
	typ  Type
	cols []string
}{
	{"actors.tsv", Actor, []string{"id", "name", "kind", "country", "aliases", "ambiguous", "role"}},
	{"weapons.tsv", Weapon, []string{"id", "name", "category", "origin", "aliases", "ambiguous", "notes"}},
	{"locations.tsv", Location, []string{"id", "name", "kind", "cc", "lat", "lon", "population", "aliases", "admin1"}},
}

// WeaponCategories is the closed list of weapon categories.
var WeaponCategories = []string{
	"drone", "missile", "cruise missile", "ballistic missile", "hypersonic missile",
	"air defense", "artillery", "rocket", "tank", "armored vehicle", "fighter aircraft",
	"bomber", "helicopter", "warship", "submarine", "small arms", "mine", "nuclear weapon",
}

// maxOverlayErrors bounds how many problems one load reports.
const maxOverlayErrors = 20

// LoadOverlay loads the catalog like LoadDir(dir) and merges the overlay
// files of overlayDir over it (see LoadFSOverlay); an empty overlayDir
// loads no overlay.
func LoadOverlay(dir, overlayDir string) (*Catalog, error) {
	if overlayDir == "" {
		return LoadDir(dir)
	}
	if st, err := os.Stat(overlayDir); err != nil {
		return nil, fmt.Errorf("catalog overlay: %w", err)
	} else if !st.IsDir() {
		return nil, fmt.Errorf("catalog overlay %s: not a directory", overlayDir)
	}
	base := EmbeddedFS()
	if dir != "" {
		base = os.DirFS(dir)
	}
	c, err := LoadFSOverlay(base, os.DirFS(overlayDir))
	if err != nil {
		return nil, fmt.Errorf("loading catalog with overlay %s: %w", overlayDir, err)
	}
	return c, nil
}

// LoadFSOverlay loads the catalog files of fsys (see LoadFS) and merges the
// overlay files at the root of overlay:
//
//   - actors.tsv, weapons.tsv, locations.tsv: new entries, with the columns
//     of the built files (locations.tsv like places.tsv); an id may not
//     exist already.
//   - aliases.tsv: type, entity id, alias — one more name of an entry.
//   - block.tsv: type, name — the name is removed from every entry of that
//     type; an entry whose canonical name is blocked is removed.
//
// Types are actor, weapon and location. Every row is validated; the error
// lists each bad row as file:line: reason.
func LoadFSOverlay(fsys, overlay fs.FS) (*Catalog, error) {
	return loadFS(fsys, overlay)
}

// overlayReader parses the overlay files of one load into c.
type overlayReader struct {
	c       *Catalog
	errs    []error
	nErrs   int               // every problem, errs holds the first maxOverlayErrors
	added   map[string]string // id → "file:line" of the overlay row that added it
	blocked [3]map[string]bool
}

func (o *overlayReader) fail(file string, line int, format string, args ...any) {
	o.nErrs++
	if len(o.errs) < maxOverlayErrors {
		o.errs = append(o.errs, fmt.Errorf("%s:%d: %s", file, line, fmt.Sprintf(format, args...)))
	}
}

// applyOverlay reads every overlay file into c and hashes it into the
// catalog version. Unknown .tsv files are an error (a misspelt name would
// otherwise be ignored silently).
func (c *Catalog) applyOverlay(ov fs.FS, hash func(name string, data []byte)) error {
	o := &overlayReader{c: c, added: map[string]string{}}
	for i := range o.blocked {
		o.blocked[i] = map[string]bool{}
	}
	if err := checkOverlayNames(ov); err != nil {
		return err
	}
	for _, f := range overlayAdds {
		err := eachOverlayRow(ov, f.name, hash, func(line int, cells []string) {
			o.addRow(f.name, line, f.typ, f.cols, cells)
		})
		if err != nil {
			return err
		}
	}
	err := eachOverlayRow(ov, OverlayAliases, hash, func(line int, cells []string) {
		o.aliasRow(line, cells)
	})
	if err != nil {
		return err
	}
	err = eachOverlayRow(ov, OverlayBlock, hash, func(line int, cells []string) {
		o.blockRow(line, cells)
	})
	if err != nil {
		return err
	}
	if o.nErrs > 0 {
		shown := ""
		if o.nErrs > len(o.errs) {
			shown = fmt.Sprintf(", the first %d shown", len(o.errs))
		}
		return fmt.Errorf("catalog overlay has %d problem(s)%s (fix the rows and load again):\n%w", o.nErrs, shown, errors.Join(o.errs...))
	}
	c.blocked = o.blocked
	return nil
}

func checkOverlayNames(ov fs.FS) error {
	ents, err := fs.ReadDir(ov, ".")
	if err != nil {
		return fmt.Errorf("reading catalog overlay: %w", err)
	}
	known := []string{OverlayAliases, OverlayBlock}
	for _, f := range overlayAdds {
		known = append(known, f.name)
	}
	for _, e := range ents {
		if !e.IsDir() && path.Ext(e.Name()) == ".tsv" && !slices.Contains(known, e.Name()) {
			return fmt.Errorf("catalog overlay: unknown file %s (want %s)", e.Name(), strings.Join(known, ", "))
		}
	}
	return nil
}

// eachOverlayRow calls fn with the trimmed cells of every data row of name,
// if the file exists.
func eachOverlayRow(ov fs.FS, name string, hash func(string, []byte), fn func(line int, cells []string)) error {
	data, err := fs.ReadFile(ov, name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading catalog overlay: %w", err)
	}
	hash("overlay/"+name, data)
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
			continue
		}
		cells := strings.Split(line, "\t")
		for j := range cells {
			cells[j] = strings.TrimSpace(cells[j])
		}
		fn(i+1, cells)
	}
	return nil
}

func parseType(s string) (Type, bool) {
	t := Type(strings.TrimSuffix(strings.ToLower(s), "s"))
	return t, typeIndex(t) >= 0
}

// addRow validates one new entry and adds it.
func (o *overlayReader) addRow(file string, line int, t Type, cols, cells []string) {
	if len(cells) != len(cols) {
		o.fail(file, line, "has %d tab-separated cells, want %d (%s); write - for an empty cell and use tabs, not spaces",
			len(cells), len(cols), strings.Join(cols, ", "))
		return
	}
	if cells[0] == "id" {
		return // header row
	}
	e, err := parseRow(t, cells)
	if err != nil {
		o.fail(file, line, "%v", err)
		return
	}
	if t == Location && (cell(cells, 4) == "") != (cell(cells, 5) == "") {
		o.fail(file, line, "bad coordinates %q %q: give both latitude and longitude, or - for both", cells[4], cells[5])
		return
	}
	if strings.ContainsAny(e.ID, " \t") {
		o.fail(file, line, "id %q contains a space; ids are one word such as place:my-town", e.ID)
		return
	}
	if where, ok := o.added[e.ID]; ok {
		o.fail(file, line, "duplicate id %q (already added at %s); give each new entry its own id", e.ID, where)
		return
	}
	if _, ok := o.c.byID[e.ID]; ok {
		o.fail(file, line, "duplicate id %q: the catalog has it already; to add a name to it use %s", e.ID, OverlayAliases)
		return
	}
	if msg := o.c.checkEntry(&e); msg != "" {
		o.fail(file, line, "%s", msg)
		return
	}
	o.added[e.ID] = fmt.Sprintf("%s:%d", file, line)
	o.c.add(e)
}

// checkEntry returns why e is not a valid entry of its type, or "".
func (c *Catalog) checkEntry(e *Entry) string {
	if Key(e.Name) == "" {
		return fmt.Sprintf("name %q has no letters or digits", e.Name)
	}
	switch e.Type {
	case Actor:
		if e.Kind != "person" && e.Kind != "organization" {
			return fmt.Sprintf("unknown kind %q for an actor: want person or organization", e.Kind)
		}
		return c.checkCountries(e.Country, "country")
	case Weapon:
		if e.Category != "" && !slices.Contains(WeaponCategories, e.Category) {
			return fmt.Sprintf("unknown category %q: want - or one of %s", e.Category, strings.Join(WeaponCategories, ", "))
		}
		return c.checkCountries(e.Country, "origin")
	case Location:
		switch e.Kind {
		case "country", "region", "city", "place":
		default:
			return fmt.Sprintf("unknown kind %q for a location: want country, region, city or place", e.Kind)
		}
		if msg := c.checkCountries(e.Country, "cc"); msg != "" {
			return msg
		}
		return checkCoord(e)
	}
	return ""
}

// checkCountries checks a comma-separated list of ISO 3166-1 alpha-2 codes
// against the catalog's countries.
func (c *Catalog) checkCountries(list, column string) string {
	if list == "" {
		return ""
	}
	for _, cc := range strings.Split(list, ",") {
		cc = strings.TrimSpace(cc)
		if _, ok := c.byID["iso:"+cc]; !ok && cc != "XK" {
			return fmt.Sprintf("unknown %s %q: want - or ISO 3166-1 alpha-2 codes in capitals such as UA or US,GB", column, cc)
		}
	}
	return ""
}

func checkCoord(e *Entry) string {
	if e.Population < 0 {
		return fmt.Sprintf("bad population %d: want 0 (unknown) or more", e.Population)
	}
	if !e.HasCoord {
		return ""
	}
	if math.IsNaN(e.Lat) || math.IsNaN(e.Lon) || e.Lat < -90 || e.Lat > 90 || e.Lon < -180 || e.Lon > 180 {
		return fmt.Sprintf("bad coordinates %v %v: want latitude -90..90 then longitude -180..180 in decimal degrees", e.Lat, e.Lon)
	}
	return ""
}

// typedRow checks that a row has the cells columns names (comma-separated)
// and returns the type in its first; it reports what is wrong otherwise.
func (o *overlayReader) typedRow(file string, line int, cells []string, columns string) (Type, bool) {
	if want := strings.Count(columns, ",") + 1; len(cells) != want {
		o.fail(file, line, "has %d tab-separated cells, want %d (%s)", len(cells), want, columns)
		return "", false
	}
	t, ok := parseType(cells[0])
	if !ok {
		o.fail(file, line, "unknown type %q: want actor, weapon or location", cells[0])
	}
	return t, ok
}

// aliasRow adds one alias to an existing entry.
func (o *overlayReader) aliasRow(line int, cells []string) {
	const file = OverlayAliases
	t, ok := o.typedRow(file, line, cells, "type, entity id, alias")
	if !ok {
		return
	}
	i, ok := o.c.byID[cells[1]]
	if !ok || o.c.entries[i].Type != t {
		o.fail(file, line, "unknown %s id %q: use the id column of the catalog (GET /v1/entities shows it), or add the entry first", t, cells[1])
		return
	}
	if Key(cells[2]) == "" {
		o.fail(file, line, "alias %q has no letters or digits", cells[2])
		return
	}
	o.c.entries[i].Aliases = append(o.c.entries[i].Aliases, cells[2])
}

// blockRow records one blocked name.
func (o *overlayReader) blockRow(line int, cells []string) {
	const file = OverlayBlock
	t, ok := o.typedRow(file, line, cells, "type, name")
	if !ok {
		return
	}
	k := Key(cells[1])
	if k == "" {
		o.fail(file, line, "name %q has no letters or digits", cells[1])
		return
	}
	o.blocked[typeIndex(t)][k] = true
}

// applyBlocks removes blocked names from the aliases of their type and
// drops entries whose canonical name is blocked.
func (c *Catalog) applyBlocks() {
	if c.blocked[0] == nil {
		return
	}
	keep := c.entries[:0]
	for _, e := range c.entries {
		bl := c.blocked[typeIndex(e.Type)]
		if len(bl) > 0 {
			if bl[Key(e.Name)] {
				continue
			}
			e.Aliases = slices.DeleteFunc(e.Aliases, func(a string) bool { return bl[Key(a)] })
			e.Variants = slices.DeleteFunc(e.Variants, func(a string) bool { return bl[Key(a)] })
			e.Ambiguous = slices.DeleteFunc(e.Ambiguous, func(a string) bool { return bl[Key(a)] })
		}
		keep = append(keep, e)
	}
	if len(keep) == len(c.entries) {
		return
	}
	c.entries = keep
	c.byID = make(map[string]int32, len(keep))
	c.count = [3]int{}
	for i, e := range keep {
		c.byID[e.ID] = int32(i)
		c.count[typeIndex(e.Type)]++
	}
}

// Blocked reports whether the overlay blocks name for type t.
func (c *Catalog) Blocked(t Type, name string) bool {
	ti := typeIndex(t)
	return ti >= 0 && c.blocked[ti][Key(name)]
}
