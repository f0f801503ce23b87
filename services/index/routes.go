package main

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/deskwire/newsroom/services/classify/extract"
	"github.com/deskwire/newsroom/services/index/internal/cors"
	"github.com/deskwire/newsroom/services/index/internal/search"
	"github.com/deskwire/newsroom/services/index/internal/web"
	"github.com/deskwire/newsroom/services/pipeline/catalog"
	"github.com/deskwire/newsroom/services/pipeline/httpserver"
	"github.com/deskwire/newsroom/services/pipeline/metrics"
)

// mountSearch mounts the search API on srv: bearer token on /v1, CORS
// headers for the allowed origins on every answer (401s included, so a page
// can read them), preflight answered without a token.
func mountSearch(srv *httpserver.Server, m *metrics.Metrics, h *search.Handler, token string, policy *cors.Policy) {
	h.Register(search.Routes{
		Handle: func(p string, x http.Handler) { srv.Handle(p, policy.Wrap(x)) },
		// The shared server's metrics wrapper hides Flush and
		// SetWriteDeadline, which a streamed export needs.
		Stream: func(p string, x http.Handler) { srv.Mux.Handle(p, measured(m, p, policy.Wrap(x))) },
		Auth:   func(next http.Handler) http.Handler { return httpserver.RequireToken(token, next) },
	})
	srv.Handle("OPTIONS /", policy.Preflight())
}

// measured counts requests as httpserver.Server.Handle does, through a
// writer that leaves the connection's Flush and SetWriteDeadline reachable
// (http.ResponseController unwraps it).
func measured(m *metrics.Metrics, route string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		cw := &codeWriter{ResponseWriter: w, code: http.StatusOK}
		defer func() {
			if m != nil {
				m.HTTPRequests.WithLabelValues(route, strconv.Itoa(cw.code)).Inc()
				m.HTTPLatency.WithLabelValues(route).Observe(time.Since(start).Seconds())
			}
		}()
		h.ServeHTTP(cw, r)
	})
}

type codeWriter struct {
	http.ResponseWriter
	code int
}

func (w *codeWriter) WriteHeader(code int)        { w.code = code; w.ResponseWriter.WriteHeader(code) }
func (w *codeWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

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

// newCatalogAdapter also lists the classifier's closed list of weapon
// categories: an article can name a category no catalog weapon has.
func newCatalogAdapter(c *catalog.Catalog) catalogAdapter {
	cats := slices.Clone(extract.Categories)
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
