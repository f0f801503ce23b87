package catalog

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"
)

// readFile reads name from fsys, gunzipping it when the name ends in ".gz".
func readFile(fsys fs.FS, name string) ([]byte, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, err
	}
	if !strings.HasSuffix(name, ".gz") {
		return data, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	defer zr.Close()
	out, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	return out, nil
}

// parse reads the TSV rows of one data file. Lines starting with "#" and
// blank lines are skipped, and so is a header row whose first cell is "id".
func (c *Catalog) parse(file string, t Type, data string) error {
	lineNo := 0
	for len(data) > 0 {
		var line string
		line, data, _ = strings.Cut(data, "\n")
		lineNo++
		line = strings.TrimSuffix(line, "\r")
		if line == "" || line[0] == '#' || strings.TrimSpace(line) == "" {
			continue
		}
		cells := strings.Split(line, "\t")
		for i := range cells {
			cells[i] = strings.TrimSpace(cells[i])
		}
		if cells[0] == "id" {
			continue
		}
		e, err := parseRow(t, cells)
		if err != nil {
			return fmt.Errorf("%s:%d: %w", file, lineNo, err)
		}
		c.add(e)
	}
	return nil
}

func cell(cells []string, i int) string {
	if i < len(cells) {
		v := cells[i]
		if v == "-" {
			return ""
		}
		return v
	}
	return ""
}

// list splits a "|"-separated cell.
func list(s string) []string {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, "|")
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func parseRow(t Type, cells []string) (Entry, error) {
	e := Entry{ID: cell(cells, 0), Name: cell(cells, 1), Type: t}
	if e.ID == "" || e.Name == "" {
		return e, fmt.Errorf("row without id or name")
	}
	switch t {
	case Weapon:
		// id, name, category, origin, aliases, ambiguous, notes
		e.Category = cell(cells, 2)
		e.Country = cell(cells, 3)
		e.Aliases = list(cell(cells, 4))
		e.Ambiguous = list(cell(cells, 5))
	case Actor:
		// id, name, kind, country, aliases, ambiguous, role
		e.Kind = cell(cells, 2)
		e.Country = cell(cells, 3)
		e.Aliases = list(cell(cells, 4))
		e.Ambiguous = list(cell(cells, 5))
		e.Role = cell(cells, 6)
	case Location:
		// id, name, kind, cc, lat, lon, population, aliases, admin1
		e.Kind = cell(cells, 2)
		e.Country = cell(cells, 3)
		lat, lon := cell(cells, 4), cell(cells, 5)
		if lat != "" && lon != "" {
			la, err1 := strconv.ParseFloat(lat, 64)
			lo, err2 := strconv.ParseFloat(lon, 64)
			if err1 != nil || err2 != nil {
				return e, fmt.Errorf("bad coordinates %q %q", lat, lon)
			}
			e.Lat, e.Lon, e.HasCoord = la, lo, true
		}
		if p := cell(cells, 6); p != "" {
			n, err := strconv.ParseInt(p, 10, 64)
			if err != nil {
				f, ferr := strconv.ParseFloat(p, 64)
				if ferr != nil {
					return e, fmt.Errorf("bad population %q", p)
				}
				n = int64(f)
			}
			e.Population = n
		}
		e.Aliases = list(cell(cells, 7))
		e.Admin1 = cell(cells, 8)
	}
	return e, nil
}
