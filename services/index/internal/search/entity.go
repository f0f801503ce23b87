package search

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/pipeline/httpserver"
)

var entityPageParams = []string{"interval", "tz", "facet_size"}

// EntityPage is the body of GET /v1/entities/{type}/{id}.
type EntityPage struct {
	Type string `json:"type"`
	ID   string `json:"id"`
	Name string `json:"name"`
	// InCatalog is false for entities found by rules (gen: ids), known only
	// from the articles naming them.
	InCatalog bool     `json:"in_catalog"`
	Aliases   []string `json:"aliases"`
	Kind      string   `json:"kind,omitempty"`
	Category  string   `json:"category,omitempty"`
	// Country is an ISO code (weapons: comma-separated origin codes).
	Country     string    `json:"country,omitempty"`
	CountryName string    `json:"country_name,omitempty"`
	Point       *GeoPoint `json:"point,omitempty"`
	// ArticleCount counts the articles naming the entity; FirstSeen and
	// LastSeen are the earliest and latest of their publication times.
	ArticleCount int64      `json:"article_count"`
	FirstSeen    *time.Time `json:"first_seen,omitempty"`
	LastSeen     *time.Time `json:"last_seen,omitempty"`
	// Timeline counts the articles per interval.
	Timeline Timeline `json:"timeline"`
	// Related are the entities most often named in the same articles.
	Related Facets `json:"related"`
}

// ServeEntity answers GET /v1/entities/{type}/{id}.
func (h *Handler) ServeEntity(w http.ResponseWriter, r *http.Request) {
	typ, id := r.PathValue("type"), strings.TrimSpace(r.PathValue("id"))
	vals, err := ParseQuery(r.URL.RawQuery)
	if err == nil {
		err = checkValues(vals, entityPageParams)
	}
	if err == nil && !slices.Contains(entityTypes, typ) {
		err = bad("entity type %q: want actor, weapon, location, category or country", truncate(typ, 40))
	}
	if err == nil && (id == "" || len(id) > MaxValueLen) {
		err = bad("entity id: want 1 to %d characters", MaxValueLen)
	}
	var hist histogram
	if err == nil {
		hist, err = parseHistogram(vals, "month")
	}
	facetSize := DefaultFacetSize
	if err == nil {
		facetSize, err = optNumber(vals, "facet_size", DefaultFacetSize, 0, MaxFacetSize)
	}
	if err != nil {
		httpserver.Error(w, http.StatusBadRequest, err.Error())
		return
	}
	page := h.catalogEntity(typ, id)
	aggs := map[string]any{
		"first_seen": map[string]any{"min": map[string]any{"field": "published_at"}},
		"last_seen":  map[string]any{"max": map[string]any{"field": "published_at"}},
		"timeline":   hist.agg(nil),
		"undated":    undatedAgg,
	}
	if facetSize > 0 {
		for name, a := range facetAggs(facetSize + 1) { // one more: the entity itself is among them
			aggs[name] = a
		}
	}
	body := map[string]any{
		"query": terms(idField(typ), []string{page.ID}), "size": 1, "track_total_hits": true, "aggs": aggs,
		"_source": map[string]any{"includes": []string{entityFields[typ] + ".id", entityFields[typ] + ".name", entityFields[typ] + ".aliases"}},
	}
	if typ == TypeCategory || typ == TypeCountry {
		delete(body, "_source")
		body["size"] = 0
	}
	raw, err := h.search(r.Context(), searchRequest{body: body})
	if err != nil {
		h.fail(w, err)
		return
	}
	var es esResponse
	if !h.decode(w, raw, &es) {
		return
	}
	page.ArticleCount = es.Hits.Total.Value
	if !page.InCatalog {
		if page.ArticleCount == 0 {
			httpserver.Error(w, http.StatusNotFound, "no "+typ+" "+truncate(id, 80)+" in the catalog or in any article")
			return
		}
		page.Name, page.Aliases = nameIn(es.Hits.Hits, typ, page.ID)
	}
	page.FirstSeen = parseTime(es.Aggregations["first_seen"].ValueAsString)
	page.LastSeen = parseTime(es.Aggregations["last_seen"].ValueAsString)
	page.Timeline = hist.timeline(&es, "")
	rel := h.response(Query{}, &es).Facets
	page.Related = withoutSelf(rel, typ, page.ID, facetSize)
	httpserver.WriteJSON(w, http.StatusOK, page)
}

// catalogEntity describes what the catalog knows of the entity; InCatalog
// is false when it knows nothing.
func (h *Handler) catalogEntity(typ, id string) EntityPage {
	p := EntityPage{Type: typ, ID: id, Name: id, Aliases: []string{}}
	switch typ {
	case TypeCategory:
		for _, c := range h.Catalog.Categories() {
			if strings.EqualFold(c, id) {
				p.ID, p.Name, p.InCatalog = c, c, true
			}
		}
		return p
	case TypeCountry:
		if e, ok := h.Catalog.Country(strings.ToUpper(id)); ok {
			p.ID, p.Name, p.InCatalog, p.Country, p.CountryName, p.Point = strings.ToUpper(id), e.Name, true, e.Country, e.Name, e.Point
			p.Aliases = nonNil(e.Aliases)
		}
		return p
	}
	e, ok := h.Catalog.Lookup(id)
	if !ok || e.Type != typ {
		return p
	}
	p.Name, p.InCatalog, p.Kind, p.Category, p.Country, p.Point = e.Name, true, e.Kind, e.Category, e.Country, e.Point
	p.Aliases = nonNil(e.Aliases)
	if isCountryCode(e.Country) {
		p.CountryName = h.countryName(strings.ToUpper(e.Country))
	}
	return p
}

// nameIn finds the entity's name and aliases in the hits' entity lists.
func nameIn(hits []esHit, typ, id string) (string, []string) {
	for _, x := range hits {
		for _, e := range storedEntities(x, typ) {
			if e.ID == id {
				return e.Name, nonNil(e.Aliases)
			}
		}
	}
	return id, []string{}
}

func storedEntities(x esHit, typ string) []esindex.Entity {
	switch typ {
	case TypeActor:
		return x.Source.Actors
	case TypeWeapon:
		return x.Source.Weapons
	}
	return x.Source.Locations
}

// withoutSelf drops the entity from its own type's facet and cuts every
// facet to n.
func withoutSelf(f Facets, typ, id string, n int) Facets {
	cutE := func(l []EntityFacet, self bool) []EntityFacet {
		if self {
			l = slices.DeleteFunc(l, func(e EntityFacet) bool { return e.ID == id })
		}
		return l[:min(n, len(l))]
	}
	cutV := func(l []ValueFacet, self bool) []ValueFacet {
		if self {
			l = slices.DeleteFunc(l, func(e ValueFacet) bool { return e.Value == id })
		}
		return l[:min(n, len(l))]
	}
	return Facets{
		Actors: cutE(f.Actors, typ == TypeActor), Weapons: cutE(f.Weapons, typ == TypeWeapon),
		Locations: cutE(f.Locations, typ == TypeLocation), Categories: cutV(f.Categories, typ == TypeCategory),
		Countries: cutV(f.Countries, typ == TypeCountry),
	}
}

func parseTime(s string) *time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return nil
	}
	t = t.UTC()
	return &t
}
