// Package catalog holds the reference lists the classifier matches news text
// against: actors (people and organizations), weapon systems and locations,
// each with a canonical name, aliases and attributes. The data is embedded in
// the binary (see Load), may be replaced by a directory (LoadDir) and edited
// by an overlay directory (LoadOverlay), and is indexed for lookup by id, by
// name or alias (case- and diacritics-insensitive, Cyrillic romanized, with
// spelling variants) and by prefix.
package catalog

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Type is the kind of catalog list an entry belongs to.
type Type string

// The three catalog lists.
const (
	Actor    Type = "actor"
	Weapon   Type = "weapon"
	Location Type = "location"
)

// Types lists every Type in a stable order.
var Types = []Type{Actor, Weapon, Location}

func typeIndex(t Type) int {
	switch t {
	case Actor:
		return 0
	case Weapon:
		return 1
	case Location:
		return 2
	}
	return -1
}

// Entry is one catalog record.
type Entry struct {
	// ID is the stable identifier: "iso:UA", "geo:703448", "place:kremlin",
	// or the id column of actors.tsv / weapons.tsv.
	ID string
	// Name is the canonical display name.
	Name string
	// Type says which list the entry comes from.
	Type Type
	// Kind is person|organization for actors and
	// country|region|city|place for locations; empty for weapons.
	Kind string
	// Category is the weapon category from the closed list, empty when unknown.
	Category string
	// Country is the ISO 3166-1 alpha-2 code of an actor or location; for
	// weapons the comma-separated origin codes.
	Country string
	// Lat and Lon are the coordinates of a location when HasCoord is set.
	Lat, Lon float64
	// HasCoord reports whether Lat and Lon are known.
	HasCoord bool
	// Population of a location, 0 when unknown.
	Population int64
	// Aliases are other names the entry is reported under.
	Aliases []string
	// Variants are spellings generated at load from Name and Aliases
	// (transliteration, abbreviation and punctuation variants): matched
	// like aliases but not shown as names of their own.
	Variants []string
	// Ambiguous is the subset of Name and Aliases that need context
	// (military context for weapons, the full name first for people).
	Ambiguous []string
	// Admin1 is the first-level administrative unit of a location as given
	// by the data (a code such as "US.WI" or a name).
	Admin1 string
	// Role is the free-text role column of actors.tsv.
	Role string
}

// Names returns the canonical name followed by the aliases and the
// generated variants.
func (e *Entry) Names() []string {
	out := make([]string, 0, 1+len(e.Aliases)+len(e.Variants))
	out = append(out, e.Name)
	out = append(out, e.Aliases...)
	return append(out, e.Variants...)
}

// IsAmbiguous reports whether the name or alias s is listed as ambiguous.
func (e *Entry) IsAmbiguous(s string) bool {
	if len(e.Ambiguous) == 0 {
		return false
	}
	k := Key(s)
	for _, a := range e.Ambiguous {
		if Key(a) == k {
			return true
		}
	}
	return false
}

// Catalog is an immutable, indexed set of entries. It is safe for
// concurrent use.
type Catalog struct {
	// entries live in an arena once loaded (freeze.go).
	entries []Entry
	// While loading: byID maps ids to entries; keys maps a folded name or
	// alias per type to a posting, a non-negative entry index or -(i+1)
	// for multi[i]. Loading ends by freezing them into ids and names.
	byID  map[string]int32
	keys  [3]map[string]int32
	multi [][]int32
	ids   strIndex
	names [3]nameIndex
	count [3]int
	// blocked holds the folded names an overlay blocks, per type.
	blocked [3]map[string]bool
	version string

	suggestOnce [3]sync.Once
	suggest     [3][]suggestKey

	// variants maps the VariantKey of every name per type to entry
	// indices; built on the first Resolve that needs it.
	variantOnce [3]sync.Once
	variants    [3]nameIndex
}

// suggestKey is a name key of names[ti] (by its record) and one entry it
// names.
type suggestKey struct {
	rec uint32
	idx int32
}

// Version returns a short content hash (8 hex digits) of the data the
// catalog was loaded from.
func (c *Catalog) Version() string { return c.version }

// Len returns the number of entries of type t.
func (c *Catalog) Len(t Type) int {
	i := typeIndex(t)
	if i < 0 {
		return 0
	}
	return c.count[i]
}

// Entries returns every entry in catalog order. The slice must not be
// modified.
func (c *Catalog) Entries() []Entry { return c.entries }

// At returns the entry at index i of Entries.
func (c *Catalog) At(i int) *Entry { return &c.entries[i] }

// Get returns the entry with the given id.
func (c *Catalog) Get(id string) (Entry, bool) {
	i, ok := c.ids.get(id)
	if !ok {
		return Entry{}, false
	}
	return c.entries[i], true
}

// Index returns the position in Entries of the entry with the given id, or -1.
func (c *Catalog) Index(id string) int {
	if i, ok := c.ids.get(id); ok {
		return int(i)
	}
	return -1
}

// Resolve returns the entries of type t whose id, canonical name or alias
// equals value, compared case- and diacritics-insensitively; Cyrillic is
// romanized by the Russian and the Ukrainian table, and when nothing
// matches, spelling variants are tried (see VariantKey). Entries are
// ordered by population (largest first), then catalog order.
func (c *Catalog) Resolve(t Type, value string) []Entry {
	ti := typeIndex(t)
	if ti < 0 {
		return nil
	}
	if i, ok := c.ids.get(value); ok && c.entries[i].Type == t {
		return []Entry{c.entries[i]}
	}
	idx := c.lookup(ti, Key(value))
	if len(idx) == 0 {
		idx = c.lookupVariant(ti, value)
	}
	out := make([]Entry, len(idx))
	for j, i := range idx {
		out[j] = c.entries[i]
	}
	return out
}

// ResolveIndex is Resolve returning positions in Entries without copying.
// The returned slice must not be modified.
func (c *Catalog) ResolveIndex(t Type, key string) []int32 {
	ti := typeIndex(t)
	if ti < 0 {
		return nil
	}
	return c.lookup(ti, key)
}

func (c *Catalog) lookup(ti int, key string) []int32 {
	return c.names[ti].find(key)
}

// Suggest returns up to limit entries of type t that have a name or alias
// starting with prefix (case- and diacritics-insensitive), most populous
// first, then in catalog order. An exact name match ranks first.
func (c *Catalog) Suggest(t Type, prefix string, limit int) []Entry {
	ti := typeIndex(t)
	if ti < 0 || limit <= 0 {
		return nil
	}
	p := Key(prefix)
	if p == "" {
		return nil
	}
	if HasCyrillic(prefix) {
		if out := c.Suggest(t, RomanizeUkrainian(prefix), limit); len(out) > 0 {
			return out
		}
	}
	if strings.HasSuffix(prefix, " ") {
		p += " "
	}
	c.suggestOnce[ti].Do(func() { c.buildSuggest(ti) })
	keys, names := c.suggest[ti], &c.names[ti]
	key := func(i int) string { return names.key(&names.recs[keys[i].rec]) }
	lo := sort.Search(len(keys), func(i int) bool { return key(i) >= p })
	seen := make(map[int32]bool)
	var exact, rest []int32
	for i := lo; i < len(keys) && strings.HasPrefix(key(i), p); i++ {
		k := keys[i]
		if seen[k.idx] {
			continue
		}
		seen[k.idx] = true
		if key(i) == p {
			exact = append(exact, k.idx)
		} else {
			rest = append(rest, k.idx)
		}
	}
	byRank := func(a, b int32) int {
		ea, eb := &c.entries[a], &c.entries[b]
		if ea.Population != eb.Population {
			return cmp.Compare(eb.Population, ea.Population)
		}
		return cmp.Compare(a, b)
	}
	slices.SortFunc(exact, byRank)
	slices.SortFunc(rest, byRank)
	out := make([]Entry, 0, min(limit, len(exact)+len(rest)))
	for _, list := range [][]int32{exact, rest} {
		for _, i := range list {
			if len(out) == limit {
				return out
			}
			out = append(out, c.entries[i])
		}
	}
	return out
}

func (c *Catalog) buildSuggest(ti int) {
	names := &c.names[ti]
	var keys []suggestKey
	for r := range names.recs {
		for _, i := range names.lists.list(names.recs[r].val) {
			keys = append(keys, suggestKey{uint32(r), i})
		}
	}
	slices.SortFunc(keys, func(a, b suggestKey) int {
		if c := strings.Compare(names.key(&names.recs[a.rec]), names.key(&names.recs[b.rec])); c != 0 {
			return c
		}
		return cmp.Compare(a.idx, b.idx)
	})
	c.suggest[ti] = keys
}

// dataFiles lists the files LoadFS reads, in load order. places.tsv comes
// after locations so that its hand-curated rows refine generated ones.
var dataFiles = []struct {
	name     string
	typ      Type
	optional bool
}{
	{"weapons.tsv", Weapon, false},
	{"actors.tsv", Actor, false},
	{"locations.tsv.gz", Location, false},
	{"places.tsv", Location, false},
}

// LoadFS loads a catalog from fsys, which must hold at its root:
//
//   - weapons.tsv: id, name, category, origin, aliases, ambiguous, notes
//   - actors.tsv: id, name, kind, country, aliases, ambiguous, role
//   - locations.tsv.gz (generated, gzipped) and places.tsv (hand-curated):
//     id, name, kind, cc, lat, lon, population, aliases, admin1
//
// Cells are tab-separated, lists inside a cell "|"-separated, "-" or an
// empty cell means unknown; lines starting with "#" are comments. A row of
// places.tsv whose id already exists refines that entry (non-empty cells
// win, aliases are united).
func LoadFS(fsys fs.FS) (*Catalog, error) {
	return loadFS(fsys, nil)
}

// loadFS parses the files of fsys, merges the overlay files of ov (when
// not nil) and indexes the result.
func loadFS(fsys, ov fs.FS) (*Catalog, error) {
	files := make([][]byte, len(dataFiles))
	var lines [3]int
	for i, f := range dataFiles {
		data, err := readFile(fsys, f.name)
		if err != nil {
			if f.optional {
				continue
			}
			return nil, fmt.Errorf("loading catalog: %w", err)
		}
		files[i] = data
		lines[typeIndex(f.typ)] += bytes.Count(data, []byte{'\n'}) + 1
	}
	// Sized from the line counts, so that the entries and maps are not
	// grown (and copied) while parsing.
	n := lines[0] + lines[1] + lines[2]
	c := &Catalog{entries: make([]Entry, 0, n), byID: make(map[string]int32, n)}
	for i := range c.keys {
		c.keys[i] = make(map[string]int32, 2*lines[i])
	}
	h := sha256.New()
	hash := func(name string, data []byte) {
		fmt.Fprintf(h, "%s\x00%d\x00", name, len(data))
		h.Write(data)
	}
	for i, f := range dataFiles {
		if files[i] == nil {
			continue
		}
		hash(f.name, files[i])
		if err := c.parse(f.name, f.typ, string(files[i])); err != nil {
			return nil, fmt.Errorf("loading catalog: %w", err)
		}
	}
	if ov != nil {
		if err := c.applyOverlay(ov, hash); err != nil {
			return nil, err
		}
	}
	c.applyBlocks()
	c.addVariants()
	c.applyBlocks()
	c.index()
	c.freeze()
	c.version = hex.EncodeToString(h.Sum(nil))[:8]
	return c, nil
}

// freeze moves the loaded entries and the id and name maps where the
// garbage collector does not trace them (freeze.go, strindex.go).
func (c *Catalog) freeze() {
	c.entries = freeze(c.entries)
	c.ids = newStrIndex(c.byID)
	for ti := range c.keys {
		c.names[ti] = newNameIndex(c.keys[ti], c.multi)
	}
	c.byID, c.keys, c.multi = nil, [3]map[string]int32{}, nil
}

// add inserts e, or merges it into an existing entry with the same id:
// non-empty fields of e win and aliases are united.
func (c *Catalog) add(e Entry) {
	if i, ok := c.byID[e.ID]; ok {
		old := &c.entries[i]
		if old.Type != e.Type {
			return
		}
		if e.Name != "" && e.Name != old.Name {
			old.Aliases = append(old.Aliases, old.Name)
			old.Name = e.Name
		}
		setIf(&old.Kind, e.Kind)
		setIf(&old.Category, e.Category)
		setIf(&old.Country, e.Country)
		setIf(&old.Admin1, e.Admin1)
		setIf(&old.Role, e.Role)
		if e.HasCoord {
			old.Lat, old.Lon, old.HasCoord = e.Lat, e.Lon, true
		}
		if e.Population > 0 {
			old.Population = e.Population
		}
		old.Aliases = append(old.Aliases, e.Aliases...)
		old.Ambiguous = append(old.Ambiguous, e.Ambiguous...)
		return
	}
	c.byID[e.ID] = int32(len(c.entries))
	c.entries = append(c.entries, e)
	c.count[typeIndex(e.Type)]++
}

func setIf(dst *string, v string) {
	if v != "" {
		*dst = v
	}
}

// index builds the name/alias maps. Postings are ordered by population,
// then catalog order.
func (c *Catalog) index() {
	var keys []string
	for i := range c.entries {
		e := &c.entries[i]
		keys = e.dedupAliases(keys[:0])
		m := c.keys[typeIndex(e.Type)]
		for _, k := range keys {
			c.addKey(m, k, int32(i))
		}
	}
	var fromVariant [3]map[string]bool
	for i := range fromVariant {
		fromVariant[i] = map[string]bool{}
	}
	for i := range c.entries {
		c.indexVariants(int32(i), fromVariant[typeIndex(c.entries[i].Type)])
	}
	for _, list := range c.multi {
		c.sortPostings(list)
	}
}

// sortPostings orders entry indices by population, then catalog order.
func (c *Catalog) sortPostings(list []int32) {
	slices.SortStableFunc(list, func(a, b int32) int {
		ea, eb := &c.entries[a], &c.entries[b]
		if ea.Population != eb.Population {
			return cmp.Compare(eb.Population, ea.Population)
		}
		return cmp.Compare(a, b)
	})
}

// indexVariants keeps the variants of entry i that are not the name or
// alias of another entry of its type, and indexes them; fromVariant holds
// the keys that only variants have added so far.
func (c *Catalog) indexVariants(i int32, fromVariant map[string]bool) {
	e := &c.entries[i]
	if len(e.Variants) == 0 {
		return
	}
	m := c.keys[typeIndex(e.Type)]
	seen := map[string]bool{}
	for _, n := range e.Names()[:1+len(e.Aliases)] {
		seen[Key(n)] = true
	}
	keep := e.Variants[:0]
	for _, v := range e.Variants {
		k := Key(v)
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		if p, ok := m[k]; ok && p != i && !fromVariant[k] {
			continue // another entry's own name
		} else if !ok {
			fromVariant[k] = true
		}
		keep = append(keep, v)
		c.addKey(m, k, i)
	}
	e.Variants = slices.Clip(keep)
	if len(keep) == 0 {
		e.Variants = nil
	}
}

func (c *Catalog) addKey(m map[string]int32, k string, i int32) {
	if k == "" {
		return
	}
	p, ok := m[k]
	switch {
	case !ok:
		m[k] = i
	case p >= 0:
		if p != i {
			c.multi = append(c.multi, []int32{p, i})
			m[k] = -int32(len(c.multi))
		}
	default:
		l := c.multi[-p-1]
		if !slices.Contains(l, i) {
			c.multi[-p-1] = append(l, i)
		}
	}
}

// dedupAliases drops empty aliases and aliases equal (after folding) to the
// name or an earlier alias, and appends the keys of the name and the kept
// aliases to keys.
func (e *Entry) dedupAliases(keys []string) []string {
	start := len(keys)
	keys = append(keys, Key(e.Name))
	out := e.Aliases[:0]
	for _, a := range e.Aliases {
		k := Key(a)
		if k == "" || slices.Contains(keys[start:], k) {
			continue
		}
		keys = append(keys, k)
		out = append(out, a)
	}
	e.Aliases = out
	if len(out) == 0 {
		e.Aliases = nil
	}
	return keys
}
