// Package batch classifies a file of articles offline: it reads
// newline-delimited JSON articles, runs the extractor on each and writes one
// JSON result per line, in input order. It is the classify service's
// "batch" mode and the way evaluation sets are scored.
package batch

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/deskwire/newsroom/services/classify/extract"
)

// Article is one input line. Unknown fields (such as "gold" or "trap" in
// evaluation files) are ignored.
type Article struct {
	ID          string `json:"id"`
	URL         string `json:"url,omitempty"`
	Title       string `json:"title"`
	Body        string `json:"body"`
	PublishedAt string `json:"published_at,omitempty"`
	Source      string `json:"source,omitempty"`
	Language    string `json:"language,omitempty"`
}

// Actor is an actor in the output.
type Actor struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	Mentions int    `json:"mentions"`
	Offset   int    `json:"offset"`
	// Aliases are other forms of a generated actor's name (surname,
	// acronym); catalog actors carry theirs in the catalog.
	Aliases []string `json:"aliases,omitempty"`
}

// Weapon is a named weapon system in the output.
type Weapon struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Category string `json:"category,omitempty"`
	Mentions int    `json:"mentions"`
	Offset   int    `json:"offset"`
}

// Location is a place in the output; Lat and Lon are omitted when unknown.
type Location struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Kind        string   `json:"kind"`
	CountryCode string   `json:"country_code,omitempty"`
	Lat         *float64 `json:"lat,omitempty"`
	Lon         *float64 `json:"lon,omitempty"`
	Mentions    int      `json:"mentions"`
	Offset      int      `json:"offset"`
}

// Output is one result line.
type Output struct {
	ID               string     `json:"id"`
	Actors           []Actor    `json:"actors"`
	Weapons          []Weapon   `json:"weapons"`
	WeaponCategories []string   `json:"weapon_categories"`
	Locations        []Location `json:"locations"`
}

// LineError describes an input line that could not be classified.
type LineError struct {
	Line int
	Err  error
}

func (e LineError) Error() string { return fmt.Sprintf("line %d: %v", e.Line, e.Err) }

// Unwrap returns the underlying error.
func (e LineError) Unwrap() error { return e.Err }

// MarshalJSON writes {"line": n, "error": "..."} so that logged Stats
// show the reason.
func (e LineError) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Line  int    `json:"line"`
		Error string `json:"error"`
	}{e.Line, e.Err.Error()})
}

// Stats summarises a run.
type Stats struct {
	// Lines is the number of non-blank input lines read.
	Lines int
	// Written is the number of result lines written.
	Written int
	// Skipped counts malformed lines (bad JSON, missing id).
	Skipped int
	// Errors lists the skipped lines, at most MaxLineErrors of them.
	Errors []LineError
}

// MaxLineErrors caps the number of LineErrors kept in Stats.
const MaxLineErrors = 100

// maxLine is the longest accepted input line (16 MiB).
const maxLine = 16 << 20

// Run classifies every article read from r and writes the results to w.
// Malformed lines are skipped and counted in Stats, never fatal; Run
// returns an error only when reading or writing fails or ctx is done.
func Run(ctx context.Context, ex *extract.Extractor, r io.Reader, w io.Writer) (Stats, error) {
	var st Stats
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), maxLine)
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	line := 0
	for sc.Scan() {
		line++
		if err := ctx.Err(); err != nil {
			return st, fmt.Errorf("classifying batch at line %d: %w", line, err)
		}
		raw := strings.TrimSpace(sc.Text())
		if raw == "" {
			continue
		}
		st.Lines++
		var a Article
		if err := json.Unmarshal([]byte(raw), &a); err != nil {
			st.skip(line, fmt.Errorf("decoding article: %w", err))
			continue
		}
		if a.ID == "" {
			st.skip(line, errors.New("article without id"))
			continue
		}
		out := Convert(a.ID, ex.Extract(a.Title, a.Body))
		if err := enc.Encode(out); err != nil {
			return st, fmt.Errorf("writing result for %s: %w", a.ID, err)
		}
		st.Written++
	}
	if err := sc.Err(); err != nil {
		return st, fmt.Errorf("reading articles after line %d: %w", line, err)
	}
	if err := bw.Flush(); err != nil {
		return st, fmt.Errorf("writing results: %w", err)
	}
	return st, nil
}

func (st *Stats) skip(line int, err error) {
	st.Skipped++
	if len(st.Errors) < MaxLineErrors {
		st.Errors = append(st.Errors, LineError{Line: line, Err: err})
	}
}

// Convert turns an extraction result into the output line of article id.
func Convert(id string, r extract.Result) Output {
	out := Output{
		ID:               id,
		Actors:           make([]Actor, 0, len(r.Actors)),
		Weapons:          make([]Weapon, 0, len(r.Weapons)),
		WeaponCategories: r.WeaponCategories,
		Locations:        make([]Location, 0, len(r.Locations)),
	}
	if out.WeaponCategories == nil {
		out.WeaponCategories = []string{}
	}
	for _, e := range r.Actors {
		out.Actors = append(out.Actors, Actor{ID: e.ID, Name: e.Name, Kind: e.Kind, Mentions: e.Mentions, Offset: e.Offset, Aliases: e.Aliases})
	}
	for _, e := range r.Weapons {
		out.Weapons = append(out.Weapons, Weapon{ID: e.ID, Name: e.Name, Category: e.Category, Mentions: e.Mentions, Offset: e.Offset})
	}
	for _, e := range r.Locations {
		l := Location{ID: e.ID, Name: e.Name, Kind: e.Kind, CountryCode: e.Country, Mentions: e.Mentions, Offset: e.Offset}
		if e.HasCoord {
			lat, lon := e.Lat, e.Lon
			l.Lat, l.Lon = &lat, &lon
		}
		out.Locations = append(out.Locations, l)
	}
	return out
}
