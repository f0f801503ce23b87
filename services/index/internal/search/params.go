package search

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits on a search request. Values past them give 400, so that no request
// can make Elasticsearch do unbounded work.
const (
	// MaxParams caps the number of parameter values in one request.
	MaxParams = 20
	// MaxValueLen caps one parameter value, in characters.
	MaxValueLen = 200
	// MaxAlternatives caps the |-separated alternatives of one filter value.
	MaxAlternatives = 10
	// MaxWindow is the deepest result reachable with page and size
	// (Elasticsearch's index.max_result_window); the cursor goes further.
	MaxWindow = 10000
	// DefaultSize is the page size when size is not given.
	DefaultSize = 10
	// DefaultFacetSize and MaxFacetSize bound facet_size.
	DefaultFacetSize = 10
	MaxFacetSize     = 50
	// DefaultWithin is the radius of near= when within= is not given.
	DefaultWithin = "50km"
	// maxWithinMeters is the largest within= (half the Earth's circumference).
	maxWithinMeters = 20_000_000
)

// Sort orders.
const (
	SortRelevance = "relevance"
	SortDate      = "date"
	SortDateDesc  = "-date"
)

// Params is a parsed request's filters and paging. Repeated filters are
// ANDed; within one value, |-separated alternatives are ORed.
type Params struct {
	Actors     []string
	Weapons    []string
	Locations  []string
	Categories []string
	Countries  []string
	// NotActors … NotCountries exclude documents matching any of them.
	NotActors, NotWeapons, NotLocations, NotCategories, NotCountries []string
	// Sources and Languages are exact values (case-insensitive); each value
	// may hold |-separated alternatives.
	Sources, Languages []string
	// Text holds the q values: full-text queries over title and body.
	Text []string
	// From and To bound published_at; nil when open.
	From, To *time.Time
	// ToExclusive is set when To is the day after a YYYY-MM-DD bound, so the
	// whole named day is included.
	ToExclusive bool
	// Near keeps articles naming a location within a distance of a point.
	Near *Near
	// BBox keeps articles naming a location inside a box.
	BBox *BBox
	// Sort is relevance, date or -date; "" is relevance with q, else -date.
	Sort      string
	FacetSize int
	Size      int
	Page      int
}

// Near is a point and a radius.
type Near struct {
	Lat, Lon float64
	// Distance is what within= said ("50km"); Meters its value.
	Distance string
	Meters   float64
}

// BBox is a box in degrees; West > East crosses the antimeridian.
type BBox struct{ West, South, East, North float64 }

// Offset is the index of the first hit of the page.
func (p Params) Offset() int { return (p.Page - 1) * p.Size }

// ParamError is a malformed request; its message says what is wrong and is
// safe to show to the client.
type ParamError struct{ Msg string }

func (e *ParamError) Error() string { return e.Msg }

func bad(format string, args ...any) error { return &ParamError{Msg: fmt.Sprintf(format, args...)} }

// filterParams are the filters every article endpoint (search, timeline,
// export) accepts.
var filterParams = []string{
	"actor", "weapon", "location", "category", "country",
	"not_actor", "not_weapon", "not_location", "not_category", "not_country",
	"source", "language", "q", "from", "to", "near", "within", "bbox",
}

// searchParams are the names /v1/search accepts.
var searchParams = append(slices.Clone(filterParams), "sort", "facet_size", "size", "page", "cursor")

// ParseQuery parses a raw query string the way ParseParams expects it,
// rejecting malformed escapes instead of dropping them.
func ParseQuery(raw string) (url.Values, error) {
	if len(raw) > MaxParams*(MaxValueLen*12+32)+maxCursorLen {
		// Even fully percent-encoded, a valid request is shorter.
		return nil, bad("query string is %d bytes long: too long", len(raw))
	}
	v, err := url.ParseQuery(raw)
	if err != nil {
		return nil, bad("malformed query string: %v", err)
	}
	return v, nil
}

// checkValues enforces the limits every endpoint shares: known names, at
// most MaxParams values, each valid UTF-8 and at most MaxValueLen long.
func checkValues(v url.Values, known []string) error {
	n := 0
	names := make([]string, 0, len(v))
	for k := range v {
		names = append(names, k)
	}
	slices.Sort(names) // report the same error for the same request
	for _, k := range names {
		if !slices.Contains(known, k) {
			return bad("unknown parameter %q: use one of %s", truncate(k, 40), strings.Join(known, ", "))
		}
		n += len(v[k])
		if n > MaxParams {
			return bad("too many parameters: at most %d values per request", MaxParams)
		}
		for _, s := range v[k] {
			if !utf8.ValidString(s) {
				return bad("parameter %s is not valid UTF-8", k)
			}
			if l := utf8.RuneCountInString(s); l > MaxValueLen && k != "cursor" {
				return bad("parameter %s is %d characters long: at most %d", k, l, MaxValueLen)
			}
		}
	}
	return nil
}

// ParseParams validates a /v1/search request. maxSize caps size. Empty
// values are ignored, like an empty search box.
func ParseParams(v url.Values, maxSize int) (Params, error) {
	if err := checkValues(v, searchParams); err != nil {
		return Params{}, err
	}
	p, err := parseFilters(v)
	if err != nil {
		return Params{}, err
	}
	p.Size, p.Page = min(DefaultSize, maxSize), 1
	if p.Size, err = optNumber(v, "size", p.Size, 0, maxSize); err != nil {
		return Params{}, err
	}
	if p.Page, err = optNumber(v, "page", 1, 1, math.MaxInt); err != nil {
		return Params{}, err
	}
	if p.Page > MaxWindow || p.Offset()+p.Size > MaxWindow {
		return Params{}, bad("page=%d with size=%d reaches past result %d: follow the response's next cursor to go deeper", p.Page, p.Size, MaxWindow)
	}
	if p.FacetSize, err = optNumber(v, "facet_size", DefaultFacetSize, 0, MaxFacetSize); err != nil {
		return Params{}, err
	}
	s, err := single(v, "sort")
	if err != nil {
		return Params{}, err
	}
	switch s {
	case "", SortRelevance, SortDate, SortDateDesc:
		p.Sort = s
	default:
		return Params{}, bad("sort=%q: want relevance, date (oldest first) or -date (newest first)", truncate(s, 40))
	}
	return p, nil
}

// parseFilters reads the filter parameters every article endpoint shares.
func parseFilters(v url.Values) (Params, error) {
	p := Params{
		Actors: values(v, "actor"), Weapons: values(v, "weapon"), Locations: values(v, "location"),
		Categories: values(v, "category"), Countries: values(v, "country"),
		NotActors: values(v, "not_actor"), NotWeapons: values(v, "not_weapon"), NotLocations: values(v, "not_location"),
		NotCategories: values(v, "not_category"), NotCountries: values(v, "not_country"),
		Sources: values(v, "source"), Languages: values(v, "language"), Text: values(v, "q"),
	}
	for _, name := range filterParams {
		for _, s := range values(v, name) {
			if name != "q" && strings.Contains(s, "|") {
				switch n := len(Alternatives(s)); {
				case n == 0:
					return Params{}, bad("%s=%q has no value between its | separators", name, truncate(s, 40))
				case n > MaxAlternatives:
					return Params{}, bad("%s=%q has %d alternatives: at most %d", name, truncate(s, 40), n, MaxAlternatives)
				}
			}
		}
	}
	var err error
	if p.From, p.To, p.ToExclusive, err = parseDates(v); err != nil {
		return Params{}, err
	}
	if p.Near, err = parseNear(v); err != nil {
		return Params{}, err
	}
	if p.BBox, err = parseBBox(v); err != nil {
		return Params{}, err
	}
	return p, nil
}

// Alternatives splits a filter value at "|" into its trimmed, non-empty
// alternatives.
func Alternatives(s string) []string {
	var out []string
	for _, a := range strings.Split(s, "|") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

func parseDates(v url.Values) (from, to *time.Time, toExclusive bool, err error) {
	fs, err := single(v, "from")
	if err == nil && fs != "" {
		var t time.Time
		if t, _, err = parseDate(fs, "from"); err == nil {
			from = &t
		}
	}
	if err != nil {
		return nil, nil, false, err
	}
	ts, err := single(v, "to")
	if err == nil && ts != "" {
		var t time.Time
		var dateOnly bool
		if t, dateOnly, err = parseDate(ts, "to"); err == nil {
			if dateOnly {
				t = t.AddDate(0, 0, 1) // the whole named day
			}
			to, toExclusive = &t, dateOnly
		}
	}
	if err != nil {
		return nil, nil, false, err
	}
	if from != nil && to != nil && (to.Before(*from) || toExclusive && !to.After(*from)) {
		return nil, nil, false, bad("from=%s is after to=%s", truncate(fs, 40), truncate(ts, 40))
	}
	return from, to, toExclusive, nil
}

// parseNear reads near=lat,lon and within=<number><unit>.
func parseNear(v url.Values) (*Near, error) {
	ns, err := single(v, "near")
	if err != nil {
		return nil, err
	}
	ws, err := single(v, "within")
	if err != nil {
		return nil, err
	}
	if ns == "" {
		if ws != "" {
			return nil, bad("within=%q needs near=lat,lon", truncate(ws, 40))
		}
		return nil, nil
	}
	c, err := floats(ns, "near", 2)
	if err != nil {
		return nil, bad("near=%q: want lat,lon in degrees (near=50.45,30.52)", truncate(ns, 40))
	}
	if err := checkLatLon(c[0], c[1], "near"); err != nil {
		return nil, err
	}
	if ws == "" {
		ws = DefaultWithin
	}
	m, err := parseDistance(ws)
	if err != nil {
		return nil, err
	}
	return &Near{Lat: c[0], Lon: c[1], Distance: ws, Meters: m}, nil
}

// parseDistance reads 50km, 500m or 30mi.
func parseDistance(s string) (float64, error) {
	units := []struct {
		suffix string
		meters float64
	}{{"km", 1000}, {"mi", 1609.344}, {"m", 1}}
	for _, u := range units {
		if num, ok := strings.CutSuffix(s, u.suffix); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
			if err != nil || f <= 0 || f*u.meters > maxWithinMeters || f != f {
				break
			}
			return f * u.meters, nil
		}
	}
	return 0, bad("within=%q: want a positive distance up to 20000km with a unit km, m or mi (within=50km)", truncate(s, 40))
}

// parseBBox reads bbox=west,south,east,north (GeoJSON order).
func parseBBox(v url.Values) (*BBox, error) {
	s, err := single(v, "bbox")
	if err != nil || s == "" {
		return nil, err
	}
	c, err := floats(s, "bbox", 4)
	if err != nil {
		return nil, bad("bbox=%q: want west,south,east,north in degrees (bbox=22,44,40,52)", truncate(s, 40))
	}
	b := &BBox{West: c[0], South: c[1], East: c[2], North: c[3]}
	if err := checkLatLon(b.South, b.West, "bbox"); err != nil {
		return nil, err
	}
	if err := checkLatLon(b.North, b.East, "bbox"); err != nil {
		return nil, err
	}
	if b.South > b.North {
		return nil, bad("bbox=%q: south %g is above north %g", truncate(s, 40), b.South, b.North)
	}
	return b, nil
}

func floats(s, name string, n int) ([]float64, error) {
	parts := strings.Split(s, ",")
	if len(parts) != n {
		return nil, bad("%s: want %d numbers", name, n)
	}
	out := make([]float64, n)
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || f != f {
			return nil, bad("%s: %q is not a number", name, truncate(p, 20))
		}
		out[i] = f
	}
	return out, nil
}

func checkLatLon(lat, lon float64, name string) error {
	if lat < -90 || lat > 90 || lon < -180 || lon > 180 {
		return bad("%s: latitude %g or longitude %g out of range (-90 to 90, -180 to 180)", name, lat, lon)
	}
	return nil
}

// values returns the non-blank values of name, trimmed.
func values(v url.Values, name string) []string {
	var out []string
	for _, s := range v[name] {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// single returns the one value of name, "" when absent; repeating it is an
// error.
func single(v url.Values, name string) (string, error) {
	vals := values(v, name)
	switch len(vals) {
	case 0:
		return "", nil
	case 1:
		return vals[0], nil
	}
	return "", bad("parameter %s is given %d times: give it once", name, len(vals))
}

// optNumber reads the single whole number name in [lo, hi], def when absent.
func optNumber(v url.Values, name string, def, lo, hi int) (int, error) {
	s, err := single(v, name)
	if err != nil || s == "" {
		return def, err
	}
	n, err := number(s, name)
	if err != nil {
		return 0, err
	}
	switch {
	case name == "size" && n > hi:
		return 0, bad("size=%d is over the limit of %d", n, hi)
	case name == "page" && n < 1:
		return 0, bad("page=%d: pages count from 1", n)
	case n < lo || n > hi:
		return 0, bad("%s=%d: want %d to %d", name, n, lo, hi)
	}
	return n, nil
}

func number(s, name string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0, bad("%s=%q is not a non-negative whole number", name, truncate(s, 40))
	}
	return n, nil
}

// parseDate accepts RFC 3339 or YYYY-MM-DD (midnight UTC); dateOnly tells
// which.
func parseDate(s, name string) (t time.Time, dateOnly bool, err error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, true, nil
	}
	t, err = time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false, bad("%s=%q is not a date: use YYYY-MM-DD or RFC 3339 (2025-10-16T08:00:00Z)", name, truncate(s, 40))
	}
	if y := t.Year(); y < 1 || y > 9999 {
		return time.Time{}, false, bad("%s=%q is out of range", name, truncate(s, 40))
	}
	return t.UTC(), false, nil
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
