package e2e

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/deskwire/newsroom/services/pipeline/catalog"
	"github.com/deskwire/newsroom/services/pipeline/evaltest"
)

// apiArticle is the part of GET /v1/articles/{id} the span tests read.
type apiArticle struct {
	Title, Body                string
	Actors, Weapons, Locations []apiEntity
}

type apiEntity struct {
	ID, Name string
	Aliases  []string
	Mentions struct {
		Count int
		Spans []struct {
			Field      string
			Start, End int
		}
	}
}

// minSurfaceShare is the share of spans whose text is the entity's name,
// alias or catalog variant up to case, diacritics and punctuation; the rest
// are inflections and short forms the extractor reads ("Leopards", "F-35s",
// "Defence Ministry").
const minSurfaceShare = 0.9

// checkArticleSpans reads every dev article back and holds each entity's
// spans to its names: within the field, in order, at most one per mention,
// at least one per entity named, and the text they cover a name of the
// entity for the great majority (catalog names verbatim up to case).
func checkArticleSpans(t *testing.T, s *stack) {
	t.Helper()
	cat, err := catalog.LoadDir("")
	if err != nil {
		t.Fatal(err)
	}
	var total, named, catalogSpans, verbatim int
	for _, art := range evaltest.Load(t) {
		var a apiArticle
		if code, body := s.getJSON("/v1/articles/"+url.PathEscape(art.ID), &a); code != 200 {
			t.Fatalf("article %s: %d %.300s", art.ID, code, body)
		}
		fields := map[string][]uint16{"title": utf16.Encode([]rune(a.Title)), "body": utf16.Encode([]rune(a.Body))}
		for _, e := range append(append(append([]apiEntity{}, a.Actors...), a.Weapons...), a.Locations...) {
			m := e.Mentions
			if m.Count > 0 && len(m.Spans) == 0 || len(m.Spans) > m.Count {
				t.Errorf("%s %s: %d spans for %d mentions", art.ID, e.ID, len(m.Spans), m.Count)
			}
			names := append([]string{e.Name}, e.Aliases...)
			idx := cat.Index(e.ID)
			if idx >= 0 {
				names = append(names, cat.At(idx).Names()...)
			}
			keys := map[string]bool{}
			for _, n := range names {
				keys[catalog.Key(n)] = true
			}
			prevField, prevEnd := "title", 0
			for _, sp := range m.Spans {
				f := fields[sp.Field]
				if f == nil || sp.Start < 0 || sp.Start >= sp.End || sp.End > len(f) ||
					sp.Field == prevField && sp.Start < prevEnd || sp.Field == "title" && prevField == "body" {
					t.Errorf("%s %s: span %+v outside its field or out of order", art.ID, e.ID, sp)
					continue
				}
				prevField, prevEnd = sp.Field, sp.End
				text := string(utf16.Decode(f[sp.Start:sp.End]))
				total++
				if keys[catalog.Key(text)] {
					named++
				} else {
					t.Logf("%s %s (%s): span text %q", art.ID, e.ID, e.Name, text)
				}
				if idx >= 0 {
					catalogSpans++
					for _, n := range names {
						if strings.EqualFold(text, n) {
							verbatim++
							break
						}
					}
				}
				if e.ID == "vladimir-putin" && !keys[catalog.Key(text)] {
					t.Errorf("%s: a span of Vladimir Putin reads %q", art.ID, text)
				}
			}
		}
	}
	t.Logf("%d spans: %d (%.1f%%) read a name, alias or variant of their entity; %d of %d catalog spans read one verbatim up to case",
		total, named, 100*float64(named)/float64(max(total, 1)), verbatim, catalogSpans)
	if total < 100 || float64(named) < minSurfaceShare*float64(total) {
		t.Errorf("%d of %d spans read a name of their entity: want at least %.0f%%", named, total, 100*minSurfaceShare)
	}
	if float64(verbatim) < minSurfaceShare*float64(catalogSpans) {
		t.Errorf("%d of %d catalog entities' spans read a catalog name up to case: want at least %.0f%%", verbatim, catalogSpans, 100*minSurfaceShare)
	}
}

// checkAliasResolution searches by the aliases of the generated entities
// of the dev articles: each alias that names no catalog actor resolves to
// the generated ids it names, among them the entity's, and finds its
// article; every hit names one of the ids listed in resolved.
func checkAliasResolution(t *testing.T, s *stack) {
	t.Helper()
	tried := 0
	for _, art := range evaltest.Load(t) {
		var a apiArticle
		s.getJSON("/v1/articles/"+url.PathEscape(art.ID), &a)
		for _, e := range a.Actors {
			if !strings.HasPrefix(e.ID, "gen:") || len(e.Aliases) == 0 || tried >= 8 {
				continue
			}
			alias := e.Aliases[0]
			var r struct {
				Hits []struct {
					ID     string
					Actors []struct{ ID string }
				}
				Resolved []struct {
					IDs        []string `json:"ids"`
					Unresolved []string `json:"unresolved"`
				}
			}
			if code, body := s.getJSON("/v1/search?size=100&facet_size=0&actor="+url.QueryEscape(alias), &r); code != 200 {
				t.Fatalf("actor=%s: %d %.300s", alias, code, body)
			}
			ids := r.Resolved[0].IDs
			if len(ids) > 0 && !strings.HasPrefix(ids[0], "gen:") {
				continue // the catalog knows an actor of that name: it wins
			}
			tried++
			used := map[string]bool{}
			for _, id := range ids {
				used[id] = true
			}
			if !used[e.ID] || len(r.Resolved[0].Unresolved) > 0 {
				t.Errorf("actor=%s (alias of %s in %s): resolved %+v", alias, e.ID, art.ID, r.Resolved)
			}
			found := false
			for _, h := range r.Hits {
				found = found || h.ID == art.ID
				names := false
				for _, x := range h.Actors {
					names = names || used[x.ID]
				}
				if !names {
					t.Errorf("actor=%s: hit %s names none of the resolved ids %v", alias, h.ID, ids)
				}
			}
			if !found {
				t.Errorf("actor=%s: %s (naming %s) not among the hits", alias, art.ID, e.ID)
			}
		}
	}
	if tried == 0 {
		t.Error("no generated actor with an alias that the catalog does not know in the dev articles")
	}
	t.Logf("%d aliases of generated actors resolved", tried)
}
