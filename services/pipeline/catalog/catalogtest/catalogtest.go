// Package catalogtest provides a small, fixed catalog for tests of the
// packages that match text against the catalog.
package catalogtest

import (
	"bytes"
	"compress/gzip"
	"embed"
	"io/fs"
	"testing"
	"testing/fstest"

	"github.com/deskwire/newsroom/services/pipeline/catalog"
)

//go:embed testdata/*.tsv
var files embed.FS

// FS returns the fixture files in the layout catalog.LoadFS expects:
// weapons.tsv, actors.tsv, locations.tsv.gz (gzipped here from
// testdata/locations.tsv) and places.tsv.
func FS(tb testing.TB) fstest.MapFS {
	tb.Helper()
	m := fstest.MapFS{}
	for _, name := range []string{"weapons.tsv", "actors.tsv", "places.tsv", "locations.tsv"} {
		b, err := fs.ReadFile(files, "testdata/"+name)
		if err != nil {
			tb.Fatalf("reading fixture %s: %v", name, err)
		}
		if name == "locations.tsv" {
			var buf bytes.Buffer
			zw := gzip.NewWriter(&buf)
			if _, err := zw.Write(b); err != nil {
				tb.Fatal(err)
			}
			if err := zw.Close(); err != nil {
				tb.Fatal(err)
			}
			m["locations.tsv.gz"] = &fstest.MapFile{Data: buf.Bytes()}
			continue
		}
		m[name] = &fstest.MapFile{Data: b}
	}
	return m
}

// Load returns the fixture catalog.
func Load(tb testing.TB) *catalog.Catalog {
	tb.Helper()
	c, err := catalog.LoadFS(FS(tb))
	if err != nil {
		tb.Fatalf("loading fixture catalog: %v", err)
	}
	return c
}
