package search

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func date(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return &t
}

func TestParseParams(t *testing.T) {
	long := strings.Repeat("é", MaxValueLen)
	tests := []struct {
		name  string
		query string
		want  Params
	}{
		{"defaults", "", Params{FacetSize: 10, Size: 10, Page: 1}},
		{"repeated filters kept in order", "actor=Putin&actor=+Zelensky+&weapon=Tomahawk&location=Budapest",
			Params{Actors: []string{"Putin", "Zelensky"}, Weapons: []string{"Tomahawk"}, Locations: []string{"Budapest"}, FacetSize: 10, Size: 10, Page: 1}},
		{"blank values ignored", "actor=&q=+&weapon=%20", Params{FacetSize: 10, Size: 10, Page: 1}},
		{"category country text", "category=cruise+missile&country=UA&q=air+defence&q=strike",
			Params{Categories: []string{"cruise missile"}, Countries: []string{"UA"}, Text: []string{"air defence", "strike"}, FacetSize: 10, Size: 10, Page: 1}},
		{"size and page", "size=5&page=3", Params{FacetSize: 10, Size: 5, Page: 3}},
		{"size zero gives only totals and facets", "size=0", Params{FacetSize: 10, Size: 0, Page: 1}},
		{"size at the cap", "size=100", Params{FacetSize: 10, Size: 100, Page: 1}},
		{"deepest page", "size=100&page=100", Params{FacetSize: 10, Size: 100, Page: 100}},
		{"value of the longest length", "q=" + url.QueryEscape(long), Params{Text: []string{long}, FacetSize: 10, Size: 10, Page: 1}},
		{"date-only bounds include the whole day", "from=2025-10-16&to=2025-10-16",
			Params{From: date("2025-10-16T00:00:00Z"), To: date("2025-10-17T00:00:00Z"), ToExclusive: true, FacetSize: 10, Size: 10, Page: 1}},
		{"alternatives, exclusions, source, language", "actor=putin|zelensky&not_weapon=patriot&not_country=ru|by&source=bbc.com&language=en|uk",
			Params{Actors: []string{"putin|zelensky"}, NotWeapons: []string{"patriot"}, NotCountries: []string{"ru|by"}, Sources: []string{"bbc.com"},
				Languages: []string{"en|uk"}, FacetSize: 10, Size: 10, Page: 1}},
		{"near with the default radius", "near=50.45,+30.52", Params{Near: &Near{Lat: 50.45, Lon: 30.52, Distance: "50km", Meters: 50000}, FacetSize: 10, Size: 10, Page: 1}},
		{"near in metres", "near=-33.9,18.4&within=500m", Params{Near: &Near{Lat: -33.9, Lon: 18.4, Distance: "500m", Meters: 500}, FacetSize: 10, Size: 10, Page: 1}},
		{"near in miles", "near=0,0&within=2.5mi", Params{Near: &Near{Distance: "2.5mi", Meters: 2.5 * 1609.344}, FacetSize: 10, Size: 10, Page: 1}},
		{"bbox across the antimeridian", "bbox=170,-20,-170,10", Params{BBox: &BBox{West: 170, South: -20, East: -170, North: 10}, FacetSize: 10, Size: 10, Page: 1}},
		{"sort and facet size", "sort=-date&facet_size=0", Params{Sort: SortDateDesc, FacetSize: 0, Size: 10, Page: 1}},
		{"RFC 3339 bounds in UTC", "from=2025-10-16T08:00:00%2B02:00&to=2025-10-16T12:30:00Z",
			Params{From: date("2025-10-16T06:00:00Z"), To: date("2025-10-16T12:30:00Z"), FacetSize: 10, Size: 10, Page: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseParams(v, 100)
			if err != nil {
				t.Fatalf("ParseParams(%q): %v", tt.query, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseParams(%q) mismatch (-want +got):\n%s", tt.query, diff)
			}
		})
	}
}

func TestParseParamsRejects(t *testing.T) {
	many := strings.Repeat("actor=x&", MaxParams) + "weapon=y"
	tests := []struct {
		name, query, wantMsg string
	}{
		{"unknown parameter", "actors=Putin", `unknown parameter "actors"`},
		{"too many values", many, "too many parameters"},
		{"value too long", "q=" + strings.Repeat("a", MaxValueLen+1), "q is 201 characters long"},
		{"invalid UTF-8", "q=%ff", "not valid UTF-8"},
		{"size not a number", "size=ten", `size="ten" is not a non-negative whole number`},
		{"negative size", "size=-1", "not a non-negative whole number"},
		{"size over the cap", "size=101", "size=101 is over the limit of 100"},
		{"size repeated", "size=1&size=2", "size is given 2 times"},
		{"page zero", "page=0", "pages count from 1"},
		{"page past the window", "size=100&page=101", "reaches past result 10000"},
		{"huge page", "page=99999999999999999", "reaches past result"},
		{"page overflowing int", "page=999999999999999999999", "not a non-negative whole number"},
		{"bad date", "from=yesterday", `from="yesterday" is not a date`},
		{"bad calendar date", "to=2025-02-30", "is not a date"},
		{"from after to", "from=2025-10-17&to=2025-10-16", "is after"},
		{"from after to, exact times", "from=2025-10-16T10:00:00Z&to=2025-10-16T09:00:00Z", "is after"},
		{"date repeated", "from=2025-10-16&from=2025-10-17", "from is given 2 times"},
		{"only separators", "actor=+|+", "has no value between its | separators"},
		{"too many alternatives", "weapon=" + strings.Repeat("a|", MaxAlternatives) + "b", "at most 10"},
		{"unknown exclusion", "not_q=x", `unknown parameter "not_q"`},
		{"near not a pair", "near=50.45", "want lat,lon"},
		{"near not numbers", "near=north,east", "want lat,lon"},
		{"near NaN", "near=NaN,1", "want lat,lon"},
		{"latitude out of range", "near=91,0", "out of range"},
		{"within without near", "within=5km", "needs near"},
		{"within without unit", "near=1,2&within=5", "with a unit km, m or mi"},
		{"within negative", "near=1,2&within=-5km", "positive distance"},
		{"within too far", "near=1,2&within=20001km", "up to 20000km"},
		{"bbox three numbers", "bbox=1,2,3", "west,south,east,north"},
		{"bbox upside down", "bbox=0,10,1,5", "south 10 is above north 5"},
		{"bbox longitude out of range", "bbox=-181,0,1,1", "out of range"},
		{"unknown sort", "sort=score", `sort="score": want relevance, date`},
		{"facet size too large", "facet_size=51", "facet_size=51: want 0 to 50"},
		{"cursor value too long for a filter", "cursor=x&actor=" + strings.Repeat("a", 201), "actor is 201 characters long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := ParseQuery(tt.query)
			if err == nil {
				_, err = ParseParams(v, 100)
			}
			var pe *ParamError
			if !errors.As(err, &pe) {
				t.Fatalf("ParseParams(%q) error = %v, want a ParamError", tt.query, err)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("ParseParams(%q) error = %q, want it to contain %q", tt.query, err, tt.wantMsg)
			}
		})
	}
}

func TestParseQueryRejectsMalformedEscapes(t *testing.T) {
	for _, raw := range []string{"q=%zz", "actor=a;weapon=b", strings.Repeat("q=aaaaaaaaaa&", 8000)} {
		if _, err := ParseQuery(raw); err == nil {
			t.Errorf("ParseQuery(%.40q) = nil error, want one", raw)
		}
	}
}
