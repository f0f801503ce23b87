package search

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestRankSuggestions(t *testing.T) {
	s := func(id, name string, n int64) Suggestion {
		return Suggestion{Entity: Entity{ID: id, Name: name}, ArticleCount: n}
	}
	in := []Suggestion{s("geo:1", "Georgetown", 0), s("geo:2", "Georgia", 2), s("iso:GE", "Georgia", 1), s("a", "George Bush", 5), s("b", "Georgiou", 5)}
	tests := []struct {
		name             string
		prefix           string
		onlyWithArticles bool
		n                int
		want             []string
	}{
		{"exact names first, then most articles, catalog order among equals", "georgia", false, 10, []string{"geo:2", "iso:GE", "a", "b", "geo:1"}},
		{"cut to n", "geo", false, 2, []string{"a", "b"}},
		{"only with articles", "geo", true, 10, []string{"a", "b", "geo:2", "iso:GE"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, x := range rankSuggestions(append([]Suggestion(nil), in...), tt.prefix, tt.onlyWithArticles, tt.n) {
				got = append(got, x.ID)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestWithoutSelf(t *testing.T) {
	f := Facets{
		Actors:     []EntityFacet{{ID: "a", Count: 3}, {ID: "b", Count: 2}, {ID: "c", Count: 1}},
		Weapons:    []EntityFacet{{ID: "w", Count: 1}},
		Locations:  []EntityFacet{},
		Categories: []ValueFacet{{Value: "drone", Count: 2}, {Value: "missile", Count: 1}},
		Countries:  []ValueFacet{{Value: "UA", Count: 2}, {Value: "RU", Count: 1}},
	}
	got := withoutSelf(f, TypeActor, "a", 2)
	want := Facets{
		Actors: []EntityFacet{{ID: "b", Count: 2}, {ID: "c", Count: 1}}, Weapons: []EntityFacet{{ID: "w", Count: 1}}, Locations: []EntityFacet{},
		Categories: []ValueFacet{{Value: "drone", Count: 2}, {Value: "missile", Count: 1}}, Countries: []ValueFacet{{Value: "UA", Count: 2}, {Value: "RU", Count: 1}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
