package search

import (
	"fmt"
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
	// MaxWindow is the deepest result reachable with page and size
	// (Elasticsearch's index.max_result_window).
	MaxWindow = 10000
	// DefaultSize is the page size when size is not given.
	DefaultSize = 10
)

// Params is a parsed /v1/search request. Repeated filters are ANDed.
type Params struct {
	Actors     []string
	Weapons    []string
	Locations  []string
	Categories []string
	Countries  []string
	// Text holds the q values: full-text queries over title and body.
	Text []string
	// From and To bound published_at; nil when open.
	From, To *time.Time
	// ToExclusive is set when To is the day after a YYYY-MM-DD bound, so the
	// whole named day is included.
	ToExclusive bool
	Size        int
	Page        int
}

// Offset is the index of the first hit of the page.
func (p Params) Offset() int { return (p.Page - 1) * p.Size }

// ParamError is a malformed request; its message says what is wrong and is
// safe to show to the client.
type ParamError struct{ Msg string }

func (e *ParamError) Error() string { return e.Msg }

func bad(format string, args ...any) error { return &ParamError{Msg: fmt.Sprintf(format, args...)} }

// searchParams are the names /v1/search accepts.
var searchParams = []string{"actor", "weapon", "location", "category", "country", "q", "from", "to", "size", "page"}

// ParseQuery parses a raw query string the way ParseParams expects it,
// rejecting malformed escapes instead of dropping them.
func ParseQuery(raw string) (url.Values, error) {
	if len(raw) > MaxParams*(MaxValueLen*12+32) {
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
			if l := utf8.RuneCountInString(s); l > MaxValueLen {
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
	p := Params{
		Actors: values(v, "actor"), Weapons: values(v, "weapon"), Locations: values(v, "location"),
		Categories: values(v, "category"), Countries: values(v, "country"), Text: values(v, "q"),
		Size: min(DefaultSize, maxSize), Page: 1,
	}
	size, err := single(v, "size")
	if err == nil && size != "" {
		p.Size, err = number(size, "size")
		if err == nil && p.Size > maxSize {
			err = bad("size=%d is over the limit of %d", p.Size, maxSize)
		}
	}
	if err != nil {
		return Params{}, err
	}
	page, err := single(v, "page")
	if err == nil && page != "" {
		p.Page, err = number(page, "page")
		if err == nil && p.Page < 1 {
			err = bad("page=%d: pages count from 1", p.Page)
		}
	}
	if err != nil {
		return Params{}, err
	}
	if p.Page > MaxWindow || p.Offset()+p.Size > MaxWindow {
		return Params{}, bad("page=%d with size=%d reaches past result %d: narrow the search instead", p.Page, p.Size, MaxWindow)
	}
	from, err := single(v, "from")
	if err == nil && from != "" {
		var t time.Time
		if t, _, err = parseDate(from, "from"); err == nil {
			if err = inRange(t, "from", from, false); err == nil {
				p.From = &t
			}
		}
	}
	if err != nil {
		return Params{}, err
	}
	to, err := single(v, "to")
	if err == nil && to != "" {
		var t time.Time
		var dateOnly bool
		if t, dateOnly, err = parseDate(to, "to"); err == nil {
			if dateOnly {
				t = t.AddDate(0, 0, 1) // the whole named day
			}
			if err = inRange(t, "to", to, dateOnly); err == nil {
				p.To, p.ToExclusive = &t, dateOnly
			}
		}
	}
	if err != nil {
		return Params{}, err
	}
	if p.From != nil && p.To != nil && (p.To.Before(*p.From) || p.ToExclusive && !p.To.After(*p.From)) {
		return Params{}, bad("from=%s is after to=%s", truncate(from, 40), truncate(to, 40))
	}
	return p, nil
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
	return t.UTC(), false, nil
}

// Dates Elasticsearch takes in a range: years 0001 to 9999 in UTC.
var (
	minDate = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	maxDate = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) // exclusive
)

// inRange refuses a bound outside minDate..maxDate once in UTC (an offset
// can push 9999-12-31 into year 10000); a day-only to= bound is the day
// after, so its last value is 9999-12-30.
func inRange(t time.Time, name, raw string, dayAfter bool) error {
	if t.Before(minDate) || !t.Before(maxDate) {
		last := "9999-12-31T23:59:59Z"
		if dayAfter {
			last = "9999-12-30"
		}
		return bad("%s=%q is out of range: use a date from 0001-01-01 to %s (UTC)", name, truncate(raw, 40), last)
	}
	return nil
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
