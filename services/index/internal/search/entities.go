package search

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/deskwire/newsroom/services/pipeline/catalog"
	"github.com/deskwire/newsroom/services/pipeline/httpserver"
)

// Suggest limits.
const (
	DefaultSuggest = 10
	MaxSuggest     = 50
	// suggestPool is how many catalog candidates has_articles=true looks
	// through for each one it returns.
	suggestPool = 20
)

var entityParams = []string{"type", "prefix", "limit", "has_articles"}

// entityTypes are the types suggestions and entity pages take.
var entityTypes = []string{TypeActor, TypeWeapon, TypeLocation, TypeCategory, TypeCountry}

// Suggestion is an entity for a search box with its number of articles.
type Suggestion struct {
	Entity
	ArticleCount int64 `json:"article_count"`
}

// ServeEntities answers GET /v1/entities?type=actor&prefix=zel&limit=10
// with catalog entries (and weapon categories and countries) whose name or
// alias starts with prefix, each with its number of articles.
func (h *Handler) ServeEntities(w http.ResponseWriter, r *http.Request) {
	vals, err := ParseQuery(r.URL.RawQuery)
	if err == nil {
		err = checkValues(vals, entityParams)
	}
	var typ, prefix, hasArticles string
	if err == nil {
		typ, err = single(vals, "type")
	}
	if err == nil {
		prefix, err = single(vals, "prefix")
	}
	if err == nil {
		hasArticles, err = single(vals, "has_articles")
	}
	n := DefaultSuggest
	if err == nil {
		n, err = optNumber(vals, "limit", DefaultSuggest, 1, MaxSuggest)
	}
	types := entityTypes
	if err == nil && typ != "" {
		types, err = parseTypes(typ)
	}
	onlyWithArticles := false
	if err == nil {
		switch hasArticles {
		case "", "false":
		case "true":
			onlyWithArticles = true
		default:
			err = bad("has_articles=%q: want true or false", truncate(hasArticles, 40))
		}
	}
	if err != nil {
		httpserver.Error(w, http.StatusBadRequest, err.Error())
		return
	}
	out := []Suggestion{}
	if prefix != "" {
		pool := n
		if onlyWithArticles {
			pool = n * suggestPool
		}
		var cands []Entity
		for _, t := range types {
			cands = append(cands, h.candidates(t, prefix, pool)...)
		}
		if out, err = h.withCounts(r.Context(), cands); err != nil {
			h.fail(w, err)
			return
		}
		out = rankSuggestions(out, prefix, onlyWithArticles, n)
	}
	httpserver.WriteJSON(w, http.StatusOK, map[string]any{"entities": out})
}

// parseTypes reads type=actor or type=actor|weapon.
func parseTypes(s string) ([]string, error) {
	var out []string
	for _, t := range Alternatives(s) {
		if !slices.Contains(entityTypes, t) {
			return nil, bad("type=%q: want actor, weapon, location, category or country (several separated by |)", truncate(s, 40))
		}
		out = appendNew(out, t)
	}
	if len(out) == 0 {
		return nil, bad("type=%q names no type: want actor, weapon, location, category or country", truncate(s, 40))
	}
	return out, nil
}

// candidates are up to n entities of typ whose name starts with prefix.
func (h *Handler) candidates(typ, prefix string, n int) []Entity {
	switch typ {
	case TypeCategory:
		var out []Entity
		p := catalog.Key(prefix)
		for _, c := range h.Catalog.Categories() {
			if strings.HasPrefix(catalog.Key(c), p) && len(out) < n {
				out = append(out, Entity{ID: c, Name: c, Type: TypeCategory})
			}
		}
		return out
	case TypeCountry:
		var out []Entity
		// Countries are a few of the locations a prefix finds.
		for _, e := range h.Catalog.Suggest(TypeLocation, prefix, n*suggestPool) {
			if e.Kind == "country" && isCountryCode(e.Country) && len(out) < n {
				out = append(out, Entity{ID: strings.ToUpper(e.Country), Name: e.Name, Type: TypeCountry, Country: e.Country})
			}
		}
		return out
	}
	return h.Catalog.Suggest(typ, prefix, n)
}

// withCounts adds every candidate's number of articles, in one request.
func (h *Handler) withCounts(ctx context.Context, cands []Entity) ([]Suggestion, error) {
	out := make([]Suggestion, len(cands))
	ids := map[string][]string{}
	for i, c := range cands {
		out[i] = Suggestion{Entity: c}
		ids[c.Type] = appendNew(ids[c.Type], c.ID)
	}
	if len(cands) == 0 {
		return out, nil
	}
	aggs := map[string]any{}
	for typ, list := range ids {
		aggs[typ] = map[string]any{"terms": map[string]any{"field": idField(typ), "include": list, "size": len(list)}}
	}
	raw, err := h.search(ctx, searchRequest{body: map[string]any{"size": 0, "track_total_hits": false, "aggs": aggs}})
	if err != nil {
		return nil, err
	}
	var es esResponse
	if err := json.Unmarshal(raw, &es); err != nil {
		return nil, err
	}
	counts := map[[2]string]int64{}
	for typ := range ids {
		for _, b := range es.Aggregations[typ].Buckets {
			counts[[2]string{typ, b.key()}] = b.DocCount
		}
	}
	for i := range out {
		out[i].ArticleCount = counts[[2]string{out[i].Type, out[i].ID}]
	}
	return out, nil
}

// idField is the document field holding the ids of an entity type.
func idField(typ string) string {
	switch typ {
	case TypeCategory:
		return "weapon_categories"
	case TypeCountry:
		return "countries"
	}
	return entityFields[typ] + ".id"
}

// rankSuggestions puts names equal to the prefix first, then more articles
// first, keeping the catalog's order (larger places first) among equals.
func rankSuggestions(list []Suggestion, prefix string, onlyWithArticles bool, n int) []Suggestion {
	if onlyWithArticles {
		list = slices.DeleteFunc(list, func(s Suggestion) bool { return s.ArticleCount == 0 })
	}
	p := catalog.Key(prefix)
	exact := func(s Suggestion) int {
		if catalog.Key(s.Name) == p {
			return 0
		}
		return 1
	}
	slices.SortStableFunc(list, func(a, b Suggestion) int {
		if d := exact(a) - exact(b); d != 0 {
			return d
		}
		switch {
		case a.ArticleCount > b.ArticleCount:
			return -1
		case a.ArticleCount < b.ArticleCount:
			return 1
		}
		return 0
	})
	return list[:min(n, len(list))]
}
