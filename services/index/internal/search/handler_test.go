package search

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/zap/zaptest"

	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/pipeline/httpserver"
)

// serve mounts h like the service does and sends one GET.
func serve(t *testing.T, h *Handler, token, target string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	mux := http.NewServeMux()
	h.Register(Routes{
		Handle: func(p string, x http.Handler) { mux.Handle(p, x) },
		Stream: func(p string, x http.Handler) { mux.Handle(p, x) },
		Auth:   func(next http.Handler) http.Handler { return httpserver.RequireToken(token, next) },
	})
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	return rec
}

func errorOf(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var e struct {
		Error string `json:"error"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil {
		t.Fatalf("decoding %q: %v", rec.Body.String(), err)
	}
	return e.Error
}

func TestSearchBadRequests(t *testing.T) {
	// No Elasticsearch: a bad request never gets that far.
	h := &Handler{Catalog: testCatalog, Log: zaptest.NewLogger(t), MaxSize: 50}
	for target, want := range map[string]string{
		"/v1/search?size=abc":                          "size=\"abc\" is not a non-negative whole number",
		"/v1/search?size=51":                           "size=51 is over the limit of 50",
		"/v1/search?from=16.10.2025":                   "is not a date",
		"/v1/search?foo=bar":                           "unknown parameter \"foo\"",
		"/v1/search?q=%zz":                             "malformed query string",
		"/v1/search?actor=" + strings.Repeat("x", 201): "at most 200",
	} {
		rec := serve(t, h, "", target)
		if rec.Code != http.StatusBadRequest {
			t.Errorf("GET %.60s = %d, want 400", target, rec.Code)
			continue
		}
		if got := errorOf(t, rec); !strings.Contains(got, want) {
			t.Errorf("GET %.60s error = %q, want it to contain %q", target, got, want)
		}
	}
}

func TestSearchElasticsearchDown(t *testing.T) {
	cfg := esindex.Config{URL: "http://127.0.0.1:1", Alias: "articles", Version: 1}
	es, err := cfg.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	h := &Handler{ES: es, Index: "articles", Catalog: testCatalog, Log: zaptest.NewLogger(t), Timeout: 2 * time.Second}
	start := time.Now()
	rec := serve(t, h, "", "/v1/search?actor=Putin")
	if rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("status = %d (%s), want 503", rec.Code, rec.Body)
	}
	if rec.Header().Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
	if time.Since(start) > 3*time.Second {
		t.Errorf("503 took %s, want it within the search timeout", time.Since(start))
	}
}

func TestSearchRequiresToken(t *testing.T) {
	h := &Handler{Catalog: testCatalog, Log: zaptest.NewLogger(t)}
	if rec := serve(t, h, "s3cret", "/v1/search?size=x"); rec.Code != http.StatusUnauthorized {
		t.Errorf("without token: %d, want 401", rec.Code)
	}
	if rec := serve(t, h, "s3cret", "/v1/entities?type=actor&prefix=z", "Authorization", "Bearer wrong"); rec.Code != http.StatusForbidden {
		t.Errorf("wrong token: %d, want 403", rec.Code)
	}
	rec := serve(t, h, "s3cret", "/v1/entities?type=actor", "Authorization", "Bearer s3cret")
	if rec.Code != http.StatusOK {
		t.Errorf("right token: %d, want 200", rec.Code)
	}
	if strings.Contains(rec.Body.String(), "s3cret") {
		t.Error("response echoes the token")
	}
}

func TestEntitiesBadRequests(t *testing.T) {
	h := &Handler{Catalog: testCatalog, Log: zaptest.NewLogger(t)}
	if rec := serve(t, h, "", "/v1/entities?type=actor"); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"entities":[]`) {
		t.Errorf("empty prefix: %d %s, want 200 and no entities", rec.Code, rec.Body)
	}
	for target, want := range map[string]string{
		"/v1/entities?type=person&prefix=zel":                     `type="person"`,
		"/v1/entities?type=|&prefix=zel":                          "names no type",
		"/v1/entities?type=actor&prefix=z&limit=51":               "limit=51",
		"/v1/entities?type=actor&prefix=z&limit=zero":             "not a non-negative whole number",
		"/v1/entities?type=actor&q=z":                             `unknown parameter "q"`,
		"/v1/entities?prefix=z&has_articles=yes":                  `has_articles="yes"`,
		"/v1/entities/person/x":                                   `entity type "person"`,
		"/v1/entities/actor/x?interval=year":                      `interval="year"`,
		"/v1/entities/actor/x?tz=Mars/Olympus":                    `tz="Mars/Olympus"`,
		"/v1/entities/actor/x?facet_size=51":                      "facet_size=51",
		"/v1/timeline?split=person":                               `split="person"`,
		"/v1/timeline?split_size=21":                              "split_size=21",
		"/v1/timeline?interval=day&from=2000-01-01&to=2020-01-01": "at most 2000 intervals",
		"/v1/timeline?size=10":                                    `unknown parameter "size"`,
		"/v1/export?format=xml":                                   `format="xml"`,
		"/v1/export?sort=score":                                   `sort="score"`,
		"/v1/articles/a1?x=1":                                     "takes no parameters",
	} {
		rec := serve(t, h, "", target)
		if rec.Code != http.StatusBadRequest || !strings.Contains(errorOf(t, rec), want) {
			t.Errorf("GET %s = %d %s, want 400 mentioning %q", target, rec.Code, rec.Body, want)
		}
	}
}

func TestResponseShape(t *testing.T) {
	raw := `{"timed_out":false,"hits":{"total":{"value":42},"hits":[{"_id":"a1",
	  "_source":{"title":"T","url":"u","source":"s","published_at":"2025-10-16T08:00:00Z",
	    "actors":[{"id":"vladimir-putin","name":"Vladimir Putin","kind":"person"}],
	    "locations":[{"id":"geo:1","name":"Budapest","kind":"city","country_code":"HU","point":{"lat":47.5,"lon":19.04}}]},
	  "highlight":{"body":["met <em>Putin</em> in Budapest"],"title":["T"]}}]},
	  "aggregations":{"actors":{"buckets":[{"key":"vladimir-putin|Vladimir Putin","doc_count":7},{"key":"gen:org:a|A|B","doc_count":1}]},
	    "categories":{"buckets":[{"key":"cruise missile","doc_count":3}]},
	    "countries":{"buckets":[{"key":"UA","doc_count":2},{"key":"XK","doc_count":1}]}}}`
	var es esResponse
	if err := json.Unmarshal([]byte(raw), &es); err != nil {
		t.Fatal(err)
	}
	q := Resolve(Params{Actors: []string{"Putin"}, Size: 10, Page: 2}, testCatalog)
	h := &Handler{Catalog: testCatalog}
	got := h.response(q, &es)
	want := Response{
		Total: 42, Page: 2, Size: 10, Resolved: q.Filters,
		Hits: []Hit{{
			ID: "a1", Title: "T", URL: "u", Source: "s", PublishedAt: date("2025-10-16T08:00:00Z"),
			Actors:           []HitEntity{{ID: "vladimir-putin", Name: "Vladimir Putin", Kind: "person"}},
			Weapons:          []HitEntity{},
			Locations:        []HitEntity{{ID: "geo:1", Name: "Budapest", Kind: "city", CountryCode: "HU", Point: &GeoPoint{47.5, 19.04}}},
			WeaponCategories: []string{}, Snippet: "met <em>Putin</em> in Budapest",
		}},
		Facets: Facets{
			Actors:  []EntityFacet{{ID: "vladimir-putin", Name: "Vladimir Putin", Count: 7}, {ID: "gen:org:a", Name: "A|B", Count: 1}},
			Weapons: []EntityFacet{}, Locations: []EntityFacet{},
			Categories: []ValueFacet{{Value: "cruise missile", Count: 3}},
			Countries:  []ValueFacet{{Value: "UA", Name: "Ukraine", Count: 2}, {Value: "XK", Count: 1}},
		},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(Filter{})); diff != "" {
		t.Errorf("response (-want +got):\n%s", diff)
	}
}
