// Package search serves the search API over the articles index:
// GET /v1/search filters by actor, weapon system, location, weapon
// category, country, full text and dates, and returns hits with snippets
// and facets; GET /v1/entities suggests catalog entities for a search box.
// Parameters are validated before anything reaches Elasticsearch, and the
// query DSL is built as data, never as spliced strings.
package search

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/elastic/go-elasticsearch/v8"
	"github.com/elastic/go-elasticsearch/v8/esapi"
	"go.uber.org/zap"

	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/pipeline/httpserver"
)

// Handler serves the search endpoints.
type Handler struct {
	ES *elasticsearch.Client
	// Index is the index or alias searched (the "articles" alias).
	Index   string
	Catalog Catalog
	Log     *zap.Logger
	// MaxSize caps size= (default 100; 400 above it).
	MaxSize int
	// Timeout bounds one search in Elasticsearch (default 10s); past it the
	// answer is 503.
	Timeout time.Duration
	// RetryAfter is the Retry-After of a 503 (default 5s).
	RetryAfter time.Duration
}

// Register mounts the routes; wrap adds authentication.
func (h *Handler) Register(handle func(pattern string, h http.Handler), wrap func(http.Handler) http.Handler) {
	handle("GET /v1/search", wrap(http.HandlerFunc(h.ServeSearch)))
	handle("GET /v1/entities", wrap(http.HandlerFunc(h.ServeEntities)))
}

func (h *Handler) maxSize() int {
	if h.MaxSize > 0 {
		return h.MaxSize
	}
	return 100
}

// Response is the body of a /v1/search answer.
type Response struct {
	Total int64 `json:"total"`
	Page  int   `json:"page"`
	Size  int   `json:"size"`
	Hits  []Hit `json:"hits"`
	// Facets count the matching documents per value, top values first.
	Facets Facets `json:"facets"`
	// Resolved says what each filter value was matched as.
	Resolved []Filter `json:"resolved,omitempty"`
	// TimedOut is set when Elasticsearch returned partial results.
	TimedOut bool `json:"timed_out,omitempty"`
}

// Hit is one matching article.
type Hit struct {
	ID               string      `json:"id"`
	Title            string      `json:"title"`
	URL              string      `json:"url,omitempty"`
	Source           string      `json:"source,omitempty"`
	PublishedAt      *time.Time  `json:"published_at,omitempty"`
	Actors           []HitEntity `json:"actors"`
	Weapons          []HitEntity `json:"weapons"`
	Locations        []HitEntity `json:"locations"`
	WeaponCategories []string    `json:"weapon_categories"`
	// Snippet is a passage of the body, HTML-escaped, with the matched
	// words in <em>; the start of the body when nothing in it matched.
	Snippet string `json:"snippet"`
	// TitleHighlight is the HTML-escaped title with matches in <em>, when
	// the title matched.
	TitleHighlight    string `json:"title_highlight,omitempty"`
	ClassifierVersion string `json:"classifier_version,omitempty"`
}

// HitEntity is an entity named in a hit.
type HitEntity struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Kind        string    `json:"kind,omitempty"`
	Category    string    `json:"category,omitempty"`
	CountryCode string    `json:"country_code,omitempty"`
	Point       *GeoPoint `json:"point,omitempty"`
}

// GeoPoint is a coordinate.
type GeoPoint struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
}

// Facets are the top values among the matching documents.
type Facets struct {
	Actors     []EntityFacet `json:"actors"`
	Weapons    []EntityFacet `json:"weapons"`
	Locations  []EntityFacet `json:"locations"`
	Categories []ValueFacet  `json:"categories"`
	Countries  []ValueFacet  `json:"countries"`
}

// EntityFacet is an entity with the number of matching documents naming it.
type EntityFacet struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Count int64  `json:"count"`
}

// ValueFacet is a keyword value with its number of matching documents.
type ValueFacet struct {
	Value string `json:"value"`
	Count int64  `json:"count"`
}

type esResponse struct {
	TimedOut bool `json:"timed_out"`
	Hits     struct {
		Total struct {
			Value int64 `json:"value"`
		} `json:"total"`
		Hits []struct {
			ID        string              `json:"_id"`
			Source    esindex.Document    `json:"_source"`
			Highlight map[string][]string `json:"highlight"`
		} `json:"hits"`
	} `json:"hits"`
	Aggregations map[string]struct {
		Buckets []struct {
			Key      string `json:"key"`
			DocCount int64  `json:"doc_count"`
		} `json:"buckets"`
	} `json:"aggregations"`
}

// ServeSearch answers GET /v1/search.
func (h *Handler) ServeSearch(w http.ResponseWriter, r *http.Request) {
	vals, err := ParseQuery(r.URL.RawQuery)
	if err != nil {
		httpserver.Error(w, http.StatusBadRequest, err.Error())
		return
	}
	p, err := ParseParams(vals, h.maxSize())
	if err != nil {
		httpserver.Error(w, http.StatusBadRequest, err.Error())
		return
	}
	q := Resolve(p, h.Catalog)
	raw, err := h.do(r.Context(), q.Body())
	if err != nil {
		h.fail(w, err)
		return
	}
	var es esResponse
	if err := json.Unmarshal(raw, &es); err != nil {
		h.Log.Error("decoding search response", zap.Error(err))
		httpserver.Error(w, http.StatusBadGateway, "search failed: unexpected answer from Elasticsearch")
		return
	}
	httpserver.WriteJSON(w, http.StatusOK, response(q, &es))
}

// response shapes Elasticsearch's answer.
func response(q Query, es *esResponse) Response {
	out := Response{
		Total: es.Hits.Total.Value, Page: q.Params.Page, Size: q.Params.Size,
		Hits: []Hit{}, Resolved: q.Filters, TimedOut: es.TimedOut,
	}
	for _, x := range es.Hits.Hits {
		s := x.Source
		hit := Hit{
			ID: x.ID, Title: s.Title, URL: s.URL, Source: s.Source, PublishedAt: s.PublishedAt,
			Actors: hitEntities(s.Actors), Weapons: hitEntities(s.Weapons), Locations: hitEntities(s.Locations),
			WeaponCategories: nonNil(s.WeaponCategories), ClassifierVersion: s.ClassifierVersion,
		}
		if f := x.Highlight["body"]; len(f) > 0 {
			hit.Snippet = f[0]
		}
		if f := x.Highlight["title"]; len(f) > 0 && strings.Contains(f[0], "<em>") {
			hit.TitleHighlight = f[0]
		}
		out.Hits = append(out.Hits, hit)
	}
	entityFacet := func(name string) []EntityFacet {
		list := []EntityFacet{}
		for _, b := range es.Aggregations[name].Buckets {
			id, label, _ := strings.Cut(b.Key, "|")
			list = append(list, EntityFacet{ID: id, Name: label, Count: b.DocCount})
		}
		return list
	}
	valueFacet := func(name string) []ValueFacet {
		list := []ValueFacet{}
		for _, b := range es.Aggregations[name].Buckets {
			list = append(list, ValueFacet{Value: b.Key, Count: b.DocCount})
		}
		return list
	}
	out.Facets = Facets{
		Actors: entityFacet("actors"), Weapons: entityFacet("weapons"), Locations: entityFacet("locations"),
		Categories: valueFacet("categories"), Countries: valueFacet("countries"),
	}
	return out
}

// hitEntities turns the stored entities into the response's; never nil.
func hitEntities(list []esindex.Entity) []HitEntity {
	out := make([]HitEntity, 0, len(list))
	for _, e := range list {
		h := HitEntity{ID: e.ID, Name: e.Name, Kind: e.Kind, Category: e.Category, CountryCode: e.CountryCode}
		if e.Point != nil {
			h.Point = &GeoPoint{Lat: e.Point.Lat, Lon: e.Point.Lon}
		}
		out = append(out, h)
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// unavailableError is a failure of Elasticsearch rather than of the
// request: the answer is 503 and the client may retry.
type unavailableError struct{ err error }

func (e unavailableError) Error() string { return e.err.Error() }
func (e unavailableError) Unwrap() error { return e.err }

// do runs one search and returns the raw answer.
func (h *Handler) do(ctx context.Context, body map[string]any) ([]byte, error) {
	timeout := h.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	b, err := json.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("encoding search request: %w", err)
	}
	res, err := esapi.SearchRequest{
		Index: []string{h.Index}, Body: bytes.NewReader(b),
		Timeout: timeout, AllowPartialSearchResults: esapi.BoolPtr(true),
	}.Do(ctx, h.ES)
	if err != nil {
		return nil, unavailableError{fmt.Errorf("searching %s: %w", h.Index, err)}
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, unavailableError{fmt.Errorf("reading search response: %w", err)}
	}
	switch {
	case res.StatusCode == http.StatusNotFound:
		return nil, unavailableError{fmt.Errorf("searching %s: the index does not exist yet", h.Index)}
	case res.StatusCode == http.StatusTooManyRequests || res.StatusCode >= 500:
		return nil, unavailableError{fmt.Errorf("searching %s: %s: %s", h.Index, res.Status(), clip(raw, 300))}
	case res.IsError():
		return nil, fmt.Errorf("searching %s: %s: %s", h.Index, res.Status(), clip(raw, 1000))
	}
	return raw, nil
}

func (h *Handler) fail(w http.ResponseWriter, err error) {
	var ue unavailableError
	if errors.As(err, &ue) {
		h.Log.Warn("search unavailable", zap.Error(err))
		after := h.RetryAfter
		if after <= 0 {
			after = 5 * time.Second
		}
		w.Header().Set("Retry-After", strconv.Itoa(int(max(after, time.Second)/time.Second)))
		httpserver.Error(w, http.StatusServiceUnavailable, "search is unavailable: Elasticsearch did not answer; retry later")
		return
	}
	// Parameters are validated before the query is built, so this is a
	// defect in the query, not in the request.
	h.Log.Error("search failed", zap.Error(err))
	httpserver.Error(w, http.StatusInternalServerError, "search failed")
}

func clip(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

// Suggest limits.
const (
	DefaultSuggest = 10
	MaxSuggest     = 50
)

var entityParams = []string{"type", "prefix", "limit"}

// ServeEntities answers GET /v1/entities?type=actor&prefix=zel&limit=10
// with catalog entries for a search box.
func (h *Handler) ServeEntities(w http.ResponseWriter, r *http.Request) {
	vals, err := ParseQuery(r.URL.RawQuery)
	if err == nil {
		err = checkValues(vals, entityParams)
	}
	var typ, prefix, limit string
	if err == nil {
		typ, err = single(vals, "type")
	}
	if err == nil {
		prefix, err = single(vals, "prefix")
	}
	if err == nil {
		limit, err = single(vals, "limit")
	}
	n := DefaultSuggest
	if err == nil && limit != "" {
		n, err = number(limit, "limit")
		if err == nil && (n < 1 || n > MaxSuggest) {
			err = bad("limit=%d: want 1 to %d", n, MaxSuggest)
		}
	}
	if err == nil {
		switch typ {
		case TypeActor, TypeWeapon, TypeLocation:
		case "":
			err = bad("type is required: actor, weapon or location")
		default:
			err = bad("type=%q: want actor, weapon or location", truncate(typ, 40))
		}
	}
	if err != nil {
		httpserver.Error(w, http.StatusBadRequest, err.Error())
		return
	}
	out := []Entity{}
	if prefix != "" {
		out = append(out, h.Catalog.Suggest(typ, prefix, n)...)
	}
	httpserver.WriteJSON(w, http.StatusOK, map[string]any{"entities": out})
}
