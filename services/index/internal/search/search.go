package search

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/pipeline/httpserver"
)

// Response is the body of a /v1/search answer.
type Response struct {
	Total int64 `json:"total"`
	Page  int   `json:"page"`
	Size  int   `json:"size"`
	Hits  []Hit `json:"hits"`
	// Facets count the matching documents per value, top values first.
	Facets Facets `json:"facets"`
	// Resolved says what each filter value was matched as.
	Resolved []Filter `json:"resolved"`
	// Next is the cursor of the following page (GET /v1/search?cursor=…),
	// empty on the last page.
	Next string `json:"next,omitempty"`
	// TimedOut is set when Elasticsearch returned partial results.
	TimedOut bool `json:"timed_out,omitempty"`
}

// Hit is one matching article.
type Hit struct {
	ID               string      `json:"id"`
	Title            string      `json:"title"`
	URL              string      `json:"url,omitempty"`
	Source           string      `json:"source,omitempty"`
	Language         string      `json:"language,omitempty"`
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

// ValueFacet is a keyword value with its number of matching documents;
// countries carry their name too.
type ValueFacet struct {
	Value string `json:"value"`
	Name  string `json:"name,omitempty"`
	Count int64  `json:"count"`
}

// bucket is one terms or histogram bucket.
type bucket struct {
	Key         json.RawMessage `json:"key"`
	KeyAsString string          `json:"key_as_string"`
	DocCount    int64           `json:"doc_count"`
	Split       *termsAgg       `json:"split"`
}

// key is the bucket's key as a string.
func (b bucket) key() string {
	var s string
	if json.Unmarshal(b.Key, &s) == nil {
		return s
	}
	return string(b.Key)
}

// termsAgg is an aggregation's answer: buckets, a missing aggregation's
// DocCount, or a min or max aggregation's value.
type termsAgg struct {
	Buckets       []bucket `json:"buckets"`
	SumOther      int64    `json:"sum_other_doc_count"`
	DocCount      int64    `json:"doc_count"`
	ValueAsString string   `json:"value_as_string"`
}

type esHit struct {
	ID        string              `json:"_id"`
	Source    esindex.Document    `json:"_source"`
	Highlight map[string][]string `json:"highlight"`
	Sort      json.RawMessage     `json:"sort"`
}

type esResponse struct {
	TimedOut bool   `json:"timed_out"`
	PITID    string `json:"pit_id"`
	Hits     struct {
		Total struct {
			Value int64 `json:"value"`
		} `json:"total"`
		Hits []esHit `json:"hits"`
	} `json:"hits"`
	Aggregations map[string]termsAgg `json:"aggregations"`
}

// ServeSearch answers GET /v1/search.
func (h *Handler) ServeSearch(w http.ResponseWriter, r *http.Request) {
	vals, err := ParseQuery(r.URL.RawQuery)
	if err != nil {
		httpserver.Error(w, http.StatusBadRequest, err.Error())
		return
	}
	var cur *cursor
	if len(vals["cursor"]) > 0 {
		if cur, vals, err = h.decodeCursor(vals); err != nil {
			httpserver.Error(w, http.StatusBadRequest, err.Error())
			return
		}
	}
	p, err := ParseParams(vals, h.maxSize())
	if err != nil {
		httpserver.Error(w, http.StatusBadRequest, err.Error())
		return
	}
	q, err := h.resolve(r.Context(), p)
	if err != nil {
		h.fail(w, err)
		return
	}
	req := searchRequest{body: q.Body()}
	if cur != nil {
		q.Params.Page = cur.Page
		if req, err = h.cursorRequest(r.Context(), q, cur); err != nil {
			h.fail(w, err)
			return
		}
	}
	raw, err := h.search(r.Context(), req)
	if err != nil {
		if cur != nil && h.cursorFailed(w, err) {
			return
		}
		h.fail(w, err)
		return
	}
	var es esResponse
	if !h.decode(w, raw, &es) {
		return
	}
	out := h.response(q, &es)
	out.Next = h.nextCursor(vals, q, &es)
	httpserver.WriteJSON(w, http.StatusOK, out)
}

// response shapes Elasticsearch's answer.
func (h *Handler) response(q Query, es *esResponse) Response {
	out := Response{
		Total: es.Hits.Total.Value, Page: q.Params.Page, Size: q.Params.Size,
		Hits: []Hit{}, Resolved: nonNil(q.Filters), TimedOut: es.TimedOut,
	}
	for _, x := range es.Hits.Hits {
		s := x.Source
		hit := Hit{
			ID: x.ID, Title: s.Title, URL: s.URL, Source: s.Source, Language: s.Language, PublishedAt: s.PublishedAt,
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
	out.Facets = Facets{
		Actors: entityFacets(es.Aggregations["actors"].Buckets), Weapons: entityFacets(es.Aggregations["weapons"].Buckets),
		Locations:  entityFacets(es.Aggregations["locations"].Buckets),
		Categories: valueFacets(es.Aggregations["categories"].Buckets, nil),
		Countries:  valueFacets(es.Aggregations["countries"].Buckets, h.countryName),
	}
	return out
}

// countryName is the catalog's name of an ISO code, "" when unknown.
func (h *Handler) countryName(code string) string {
	if e, ok := h.Catalog.Country(code); ok {
		return e.Name
	}
	return ""
}

// entityFacets reads "id|name" buckets; never nil.
func entityFacets(buckets []bucket) []EntityFacet {
	list := []EntityFacet{}
	for _, b := range buckets {
		id, label, _ := strings.Cut(b.key(), "|")
		list = append(list, EntityFacet{ID: id, Name: label, Count: b.DocCount})
	}
	return list
}

// valueFacets reads keyword buckets, named by name when given; never nil.
func valueFacets(buckets []bucket, name func(string) string) []ValueFacet {
	list := []ValueFacet{}
	for _, b := range buckets {
		f := ValueFacet{Value: b.key(), Count: b.DocCount}
		if name != nil {
			f.Name = name(f.Value)
		}
		list = append(list, f)
	}
	return list
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

// jsonNumber reads a JSON number into an int64.
func jsonNumber(raw json.RawMessage, n *int64) error { return json.Unmarshal(raw, n) }
