package catalog

import (
	"embed"
	"fmt"
	"io/fs"
	"sync"
)

// data holds the catalog files: weapons.tsv, actors.tsv, locations.tsv.gz
// (generated) and places.tsv (hand-curated).
//
//go:embed data
var data embed.FS

var (
	loadOnce sync.Once
	loaded   *Catalog
	loadErr  error
)

// EmbeddedFS returns the embedded data files, rooted at the data directory.
func EmbeddedFS() fs.FS {
	sub, err := fs.Sub(data, "data")
	if err != nil {
		panic("catalog: embedded data directory missing: " + err.Error())
	}
	return sub
}

// Load returns the catalog built from the embedded data. The data is parsed
// once per process; later calls return the same immutable catalog.
func Load() (*Catalog, error) {
	loadOnce.Do(func() {
		loaded, loadErr = LoadFS(EmbeddedFS())
		if loadErr != nil {
			loadErr = fmt.Errorf("loading embedded catalog: %w", loadErr)
		}
	})
	return loaded, loadErr
}
