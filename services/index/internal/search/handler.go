// Package search serves the search API over the articles index:
// GET /v1/search filters by entities (any of several, or none of them),
// weapon category, country, source, language, place (near a point or in a
// box), full text and dates, and returns hits with snippets, facets and a
// cursor to page on; GET /v1/articles/{id} returns one article with its
// entities; GET /v1/entities suggests entities and GET
// /v1/entities/{type}/{id} describes one; GET /v1/timeline counts articles
// per interval; GET /v1/export streams every match; GET /openapi.json is
// the contract. Parameters are validated before anything reaches
// Elasticsearch, and the query DSL is built as data, never as spliced
// strings.
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
	"time"

	"github.com/elastic/go-elasticsearch/v8"
	"github.com/elastic/go-elasticsearch/v8/esapi"
	"go.uber.org/zap"

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
	// CursorKeepAlive is how long a cursor stays valid after its page was
	// served (default 5m): the life of its point in time.
	CursorKeepAlive time.Duration
	// CursorKey signs cursors; every replica behind one address needs the
	// same key.
	CursorKey []byte
	// ExportBatch is the articles an export fetches per request (default
	// DefaultExportBatch).
	ExportBatch int
}

// Routes is where Register mounts the endpoints.
type Routes struct {
	// Handle mounts a handler (with request metrics).
	Handle func(pattern string, h http.Handler)
	// Stream mounts a streaming handler: its ResponseWriter must reach the
	// connection's (http.ResponseController: Flush, SetWriteDeadline).
	Stream func(pattern string, h http.Handler)
	// Auth wraps the /v1 endpoints with authentication.
	Auth func(http.Handler) http.Handler
}

// Register mounts the routes.
func (h *Handler) Register(r Routes) {
	v1 := func(f http.HandlerFunc) http.Handler { return r.Auth(f) }
	r.Handle("GET /v1/search", v1(h.ServeSearch))
	r.Handle("GET /v1/articles/{id}", v1(h.ServeArticle))
	r.Handle("GET /v1/entities", v1(h.ServeEntities))
	r.Handle("GET /v1/entities/{type}/{id}", v1(h.ServeEntity))
	r.Handle("GET /v1/timeline", v1(h.ServeTimeline))
	r.Stream("GET /v1/export", v1(h.ServeExport))
	r.Handle("GET /openapi.json", http.HandlerFunc(ServeOpenAPI))
}

func (h *Handler) maxSize() int {
	if h.MaxSize > 0 {
		return h.MaxSize
	}
	return 100
}

func (h *Handler) timeout() time.Duration {
	if h.Timeout > 0 {
		return h.Timeout
	}
	return 10 * time.Second
}

// unavailableError is a failure of Elasticsearch rather than of the
// request: the answer is 503 and the client may retry.
type unavailableError struct{ err error }

func (e unavailableError) Error() string { return e.err.Error() }
func (e unavailableError) Unwrap() error { return e.err }

// statusError is an Elasticsearch answer with a 4xx status other than 429.
type statusError struct {
	Status int
	Body   string
	what   string
}

func (e *statusError) Error() string { return fmt.Sprintf("%s: %d: %s", e.what, e.Status, e.Body) }

// searchRequest is one _search call: on Index, or on a point in time when
// the body names one.
type searchRequest struct {
	body  map[string]any
	onPIT bool
}

// search runs one search and returns the raw answer.
func (h *Handler) search(ctx context.Context, s searchRequest) ([]byte, error) {
	b, err := json.Marshal(s.body)
	if err != nil {
		return nil, fmt.Errorf("encoding search request: %w", err)
	}
	req := esapi.SearchRequest{Body: bytes.NewReader(b), Timeout: h.timeout(), AllowPartialSearchResults: esapi.BoolPtr(true)}
	if !s.onPIT {
		req.Index = []string{h.Index}
	}
	return h.call(ctx, req, "searching "+h.Index)
}

// call sends one request within the search timeout and classifies the
// answer: unavailableError for what a retry may fix, statusError for the
// other 4xx answers.
func (h *Handler) call(ctx context.Context, req esapi.Request, what string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, h.timeout())
	defer cancel()
	res, err := req.Do(ctx, h.ES)
	if err != nil {
		return nil, unavailableError{fmt.Errorf("%s: %w", what, err)}
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, unavailableError{fmt.Errorf("%s: reading the answer: %w", what, err)}
	}
	switch {
	case res.StatusCode == http.StatusTooManyRequests || res.StatusCode >= 500:
		return nil, unavailableError{fmt.Errorf("%s: %s: %s", what, res.Status(), clip(raw, 300))}
	case res.IsError():
		return nil, &statusError{Status: res.StatusCode, Body: clip(raw, 1000), what: what}
	}
	return raw, nil
}

// notFound reports whether err is Elasticsearch's 404.
func notFound(err error) bool {
	var se *statusError
	return errors.As(err, &se) && se.Status == http.StatusNotFound
}

// fail answers for an error of search or call.
func (h *Handler) fail(w http.ResponseWriter, err error) {
	var ue unavailableError
	var pe *ParamError
	switch {
	case errors.As(err, &pe):
		httpserver.Error(w, http.StatusBadRequest, pe.Msg)
	case errors.As(err, &ue) || notFound(err):
		// A missing index is a pipeline still starting.
		h.Log.Warn("search unavailable", zap.Error(err))
		after := h.RetryAfter
		if after <= 0 {
			after = 5 * time.Second
		}
		w.Header().Set("Retry-After", strconv.Itoa(int(max(after, time.Second)/time.Second)))
		httpserver.Error(w, http.StatusServiceUnavailable, "search is unavailable: Elasticsearch did not answer; retry later")
	default:
		// Parameters are validated before the query is built, so this is a
		// defect in the query, not in the request.
		h.Log.Error("search failed", zap.Error(err))
		httpserver.Error(w, http.StatusInternalServerError, "search failed")
	}
}

// decode reads Elasticsearch's answer into v; a failure is a 502.
func (h *Handler) decode(w http.ResponseWriter, raw []byte, v any) bool {
	if err := json.Unmarshal(raw, v); err != nil {
		h.Log.Error("decoding search response", zap.Error(err))
		httpserver.Error(w, http.StatusBadGateway, "search failed: unexpected answer from Elasticsearch")
		return false
	}
	return true
}

func clip(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

func asStatus(err error, se **statusError) bool { return errors.As(err, se) }
