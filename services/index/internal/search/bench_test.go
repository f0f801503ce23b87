package search

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/elastic/go-elasticsearch/v8"
	"github.com/elastic/go-elasticsearch/v8/esapi"

	"github.com/deskwire/newsroom/services/index/estest"
)

// deskMix is a fixed mix of what a desk's search tool asks: entity filters
// with facets, full text, geo, a timeline and an entity page.
var deskMix = []string{
	"/v1/search?actor=putin|zelensky",
	"/v1/search?country=ua&category=drone|cruise+missile&not_actor=putin",
	"/v1/search?q=kiev+OR+summit&sort=relevance",
	"/v1/search?near=50.45,30.52&within=50km",
	"/v1/timeline?actor=putin|zelensky&interval=week&split=weapon",
	"/v1/entities/actor/vladimir-putin",
}

// recorder keeps the bodies of the _search requests a client sends.
type recorder struct {
	mu     sync.Mutex
	bodies [][]byte
	next   http.RoundTripper
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil && strings.HasSuffix(req.URL.Path, "/_search") {
		b, _ := io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(b))
		r.mu.Lock()
		r.bodies = append(r.bodies, b)
		r.mu.Unlock()
	}
	return r.next.RoundTrip(req)
}

// BenchmarkDeskMix runs each query of the mix through the API (in process,
// as the service serves it) and sends the body the API built straight to
// Elasticsearch, reporting p50 and p99 of both and the p99 difference: the
// API's overhead. Against the real cluster, on the API tests' fixture:
//
//	go test -run '^$' -bench DeskMix -benchtime 300x ./internal/search
func BenchmarkDeskMix(b *testing.B) {
	h, _, _ := apiServer(b)
	rec := &recorder{next: http.DefaultTransport}
	es, err := elasticsearch.NewClient(elasticsearch.Config{Addresses: []string{estest.URL(b)}, Transport: rec})
	if err != nil {
		b.Fatal(err)
	}
	h.ES = es
	mux := http.NewServeMux()
	h.Register(Routes{Handle: func(p string, x http.Handler) { mux.Handle(p, x) }, Stream: func(p string, x http.Handler) { mux.Handle(p, x) },
		Auth: func(x http.Handler) http.Handler { return x }})
	serve := func(target string) {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
		if w.Code != http.StatusOK {
			b.Fatalf("GET %s: %d %s", target, w.Code, w.Body)
		}
	}
	direct := func(body []byte) {
		res, err := esapi.SearchRequest{Index: []string{h.Index}, Body: bytes.NewReader(body), Timeout: h.timeout(),
			AllowPartialSearchResults: esapi.BoolPtr(true)}.Do(context.Background(), es)
		if err != nil || res.IsError() {
			b.Fatalf("direct search: %v %v", err, res)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	for _, target := range deskMix {
		rec.bodies = nil
		serve(target) // records the body the API sends
		if len(rec.bodies) != 1 {
			b.Fatalf("%s sent %d searches, want 1", target, len(rec.bodies))
		}
		body := rec.bodies[0]
		name := strings.NewReplacer("/v1/", "", "?", " ", "&", " ").Replace(target)
		b.Run(name, func(b *testing.B) {
			api, es := make([]time.Duration, 0, b.N), make([]time.Duration, 0, b.N)
			for range b.N {
				start := time.Now()
				serve(target)
				api = append(api, time.Since(start))
				start = time.Now()
				direct(body)
				es = append(es, time.Since(start))
			}
			p := func(d []time.Duration, q float64) float64 {
				slices.Sort(d)
				return float64(d[min(len(d)-1, int(q*float64(len(d))))].Microseconds()) / 1000
			}
			b.ReportMetric(p(api, 0.5), "api-p50-ms")
			b.ReportMetric(p(api, 0.99), "api-p99-ms")
			b.ReportMetric(p(es, 0.5), "es-p50-ms")
			b.ReportMetric(p(es, 0.99), "es-p99-ms")
			b.ReportMetric(p(api, 0.5)-p(es, 0.5), "overhead-p50-ms")
			b.ReportMetric(p(api, 0.99)-p(es, 0.99), "overhead-p99-ms")
			b.ReportMetric(0, "ns/op")
		})
	}
}
