package catalog

import (
	"fmt"
	"os"
)

// LoadDir loads the catalog from the files in dir (weapons.tsv, actors.tsv,
// locations.tsv.gz, places.tsv), or the embedded catalog when dir is empty.
// A directory lets an operator run an updated catalog — and reindex with
// it — without a new build. LoadOverlay also merges a newsroom's overlay.
func LoadDir(dir string) (*Catalog, error) {
	if dir == "" {
		return Load()
	}
	c, err := LoadFS(os.DirFS(dir))
	if err != nil {
		return nil, fmt.Errorf("loading catalog from %s: %w", dir, err)
	}
	return c, nil
}
