package main

import (
	"net/http"
	"slices"
	"strings"

	"github.com/deskwire/newsroom/services/index/internal/cors"
	"github.com/deskwire/newsroom/services/index/internal/search"
	"github.com/deskwire/newsroom/services/index/internal/web"
	"github.com/deskwire/newsroom/services/pipeline/catalog"
	"github.com/deskwire/newsroom/services/pipeline/httpserver"
)

// mountSearch mounts the search API on srv: bearer token on /v1, CORS
// headers for the allowed origins on every answer (401s included, so a page
// can read them), preflight answered without a token.
func mountSearch(srv *httpserver.Server, h *search.Handler, token string, policy *cors.Policy) {
	h.Register(search.Routes{
		Handle: func(p string, x http.Handler) { srv.Handle(p, policy.Wrap(x)) },
		// The shared server's metrics wrapper hides Flush and
		// SetWriteDeadline, which a streamed export needs.
		Stream: func(p string, x http.Handler) { srv.Mux.Handle(p, policy.Wrap(x)) },
		Auth:   func(next http.Handler) http.Handler { return httpserver.RequireToken(token, next) },
	})
	srv.Handle("OPTIONS /", policy.Preflight())
}

// mountPage serves the desk's search page at / (same origin as the API, so
// it needs no CORS; it sends the bearer token itself).
func mountPage(srv *httpserver.Server, page *web.Page) {
	page.Register(srv.Handle)
}

// catalogAdapter lets search resolve names through the classifier's catalog.
type catalogAdapter struct {
	c          *catalog.Catalog
	categories []string
}

func newCatalogAdapter(c *catalog.Catalog) catalogAdapter {
	var cats []string
	for _, e := range c.Entries() {
		if e.Type == catalog.Weapon && e.Category != "" {
			cats = append(cats, e.Category)
		}
	}
	slices.Sort(cats)
	return catalogAdapter{c: c, categories: slices.Compact(cats)}
}

func (a catalogAdapter) Resolve(typ, value string) []search.Entity {
	return entities(a.c.Resolve(catalog.Type(typ), value))
}

func (a catalogAdapter) Suggest(typ, prefix string, limit int) []search.Entity {
	return entities(a.c.Suggest(catalog.Type(typ), prefix, limit))
}

func (a catalogAdapter) Lookup(id string) (search.Entity, bool) {
	e, ok := a.c.Get(id)
	if !ok {
		return search.Entity{}, false
	}
	return entity(&e), true
}

// Country finds a country by its ISO code: the catalog's "iso:XX" entry.
func (a catalogAdapter) Country(code string) (search.Entity, bool) {
	e, ok := a.Lookup("iso:" + strings.ToUpper(code))
	if !ok || e.Kind != "country" {
		return search.Entity{}, false
	}
	return e, true
}

func (a catalogAdapter) Categories() []string { return a.categories }

func entities(in []catalog.Entry) []search.Entity {
	out := make([]search.Entity, len(in))
	for i := range in {
		out[i] = entity(&in[i])
	}
	return out
}

func entity(e *catalog.Entry) search.Entity {
	out := search.Entity{ID: e.ID, Name: e.Name, Type: string(e.Type), Kind: e.Kind, Category: e.Category,
		Country: e.Country, Aliases: e.Aliases}
	if e.HasCoord {
		out.Point = &search.GeoPoint{Lat: e.Lat, Lon: e.Lon}
	}
	return out
}
