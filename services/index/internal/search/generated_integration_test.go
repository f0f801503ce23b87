package search

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/elastic/go-elasticsearch/v8/esapi"
	"github.com/google/go-cmp/cmp"
)

// Values the catalog does not know resolve, against the real cluster, to
// the entities of the articles that they name: a generated person by
// surname or full name in any case and accents, by id; an entity of a
// document indexed before lookup values existed by its exact name. The
// ids a filter used are listed in resolved, and nothing else.
func TestAPIResolveGenerated(t *testing.T) {
	h, _, _ := apiServer(t)
	// A document as written before entities carried lookup values.
	old := `{"id":"o1","title":"Old","body":"An old body spoke.","actors":[{"id":"gen:org:old-body","name":"Old Body",` +
		`"key":"gen:org:old-body|Old Body"}],"weapons":[],"locations":[],"weapon_categories":[],"countries":[]}`
	res, err := esapi.IndexRequest{Index: h.Index, DocumentID: "o1", Body: strings.NewReader(old), Refresh: "true"}.Do(context.Background(), h.ES)
	if err != nil || res.IsError() {
		t.Fatalf("indexing an old document: %v %v", err, res)
	}
	res.Body.Close()

	tests := []struct {
		query      string
		hits       []string
		ids        []string
		unresolved []string
	}{
		{"actor=Doe", []string{"m1"}, []string{"gen:person:jane-doe"}, nil},
		{"actor=J%C3%81NE+DOE", []string{"m1"}, []string{"gen:person:jane-doe"}, nil},
		{"actor=gen:person:jane-doe", []string{"m1"}, []string{"gen:person:jane-doe"}, nil},
		{"actor=zelensky|doe", []string{"k1", "k2", "m1"}, []string{"volodymyr-zelensky", "gen:person:jane-doe"}, nil},
		{"actor=putin&not_actor=doe", []string{"b1", "k2"}, []string{"gen:person:jane-doe"}, nil},
		{"actor=old+body", []string{"o1"}, []string{"gen:org:old-body"}, nil},
		{"actor=Nobody+Atall|doe", []string{"m1"}, []string{"gen:person:jane-doe"}, []string{"Nobody Atall"}},
		{"actor=Nobody+Atall", nil, []string{}, []string{"Nobody Atall"}},
		// "Doe" names an actor, not a place.
		{"location=doe", nil, []string{}, []string{"doe"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var r Response
			if rec := call(t, h, "/v1/search?facet_size=0&"+tt.query, &r); rec.Code != http.StatusOK {
				t.Fatalf("%d %s", rec.Code, rec.Body)
			}
			if diff := cmp.Diff(tt.hits, hitIDs(r)); diff != "" {
				t.Errorf("hits (-want +got):\n%s", diff)
			}
			last := r.Resolved[len(r.Resolved)-1]
			if diff := cmp.Diff(tt.ids, last.IDs); diff != "" {
				t.Errorf("resolved %+v: ids (-want +got):\n%s", r.Resolved, diff)
			}
			if diff := cmp.Diff(tt.unresolved, last.Unresolved); diff != "" {
				t.Errorf("resolved %+v: unresolved (-want +got):\n%s", r.Resolved, diff)
			}
		})
	}

	t.Run("timeline and export resolve alike", func(t *testing.T) {
		var tl TimelineResponse
		call(t, h, "/v1/timeline?actor=doe&interval=month", &tl)
		var n int64
		for _, b := range tl.Buckets {
			n += b.Count
		}
		if n != 1 {
			t.Errorf("timeline of actor=doe counts %d articles, want 1: %+v", n, tl)
		}
		rec := call(t, h, "/v1/export?actor=doe&format=ndjson", nil)
		if got := strings.Count(strings.TrimSpace(rec.Body.String()), "\n") + 1; rec.Code != 200 || got != 1 || !strings.Contains(rec.Body.String(), `"m1"`) {
			t.Errorf("export of actor=doe: %d, %d lines: %.300s", rec.Code, got, rec.Body)
		}
	})

	t.Run("entity page of a generated entity shows its aliases", func(t *testing.T) {
		var p EntityPage
		call(t, h, "/v1/entities/actor/gen:person:jane-doe", &p)
		if p.InCatalog || p.Name != "Jane Doe" || !cmp.Equal(p.Aliases, []string{"Doe"}) {
			t.Errorf("page = %+v", p)
		}
	})
}

func TestFoldedRegexp(t *testing.T) {
	for in, want := range map[string]string{
		"Doe":         "[dD][oO][eE]",
		"a.b|c":       `[aA]\.[bB]\|[cC]`,
		"Ærø 7":       `[æÆ][rR][øØ]\ 7`,
		"gen:x-1":     `[gG][eE][nN]\:[xX]\-1`,
		"Дмитро":      "[дД][мМ][иИ][тТ][рР][оО]",
		"日本":          "日本",
		`"q"~@#&<>\*`: `\"[qQ]\"\~\@\#\&\<\>\\\*`,
	} {
		if got := foldedRegexp(in); got != want {
			t.Errorf("foldedRegexp(%q) = %q, want %q", in, got, want)
		}
	}
	if got := regexpQuote("jane doe"); got != `jane\ doe` {
		t.Errorf("regexpQuote = %q", got)
	}
}
