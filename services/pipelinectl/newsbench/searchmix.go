package main

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httputil"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The search figure's pure parts: its sizes, the publication dates of its
// documents, the desk-query mix built from what the loaded documents name,
// and the proxy that records the requests the API sends to Elasticsearch.

// searchFullN is the BENCH_N at which the search sizes apply as given; a
// smaller BENCH_N scales them down in proportion, for a quick run.
const searchFullN = 50000

// minSearchSize is the smallest index the figure measures.
const minSearchSize = 100

// searchSizes parses BENCH_SEARCH_SIZES (comma-separated document counts)
// and scales them by n/searchFullN when n is smaller; the result is sorted
// and without repeats, so one index grows through them.
func searchSizes(spec string, n int) ([]int, error) {
	var out []int
	for _, part := range strings.Split(spec, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || v < minSearchSize {
			return nil, fmt.Errorf("BENCH_SEARCH_SIZES: %q is not a document count of at least %d", part, minSearchSize)
		}
		if n < searchFullN {
			v = max(minSearchSize, int(math.Round(float64(v)*float64(n)/searchFullN)))
		}
		out = append(out, v)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// searchRequests scales the requests per size like the sizes, never below
// 200, so a quick run still gives a p99.
func searchRequests(requests, n int) int {
	if n >= searchFullN {
		return requests
	}
	return max(200, requests*n/searchFullN)
}

// Publication dates of the search figure's documents: spread evenly over
// two years, so that timelines and date sorts have something to order.
var (
	searchSpanStart = time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC)
	searchSpan      = 730 * 24 * time.Hour
)

// searchPublished is the publication time of document i: the same i gives
// the same time, and every prefix of the documents covers the whole span.
func searchPublished(i int) time.Time {
	rng := rand.New(rand.NewPCG(0x5ea6c4, uint64(i)))
	return searchSpanStart.Add(time.Duration(rng.Int64N(int64(searchSpan)))).Truncate(time.Second)
}

// named is an entity of the loaded documents with its article count.
type named struct {
	ID, Name string
	Count    int64
}

// place is a location of the loaded documents that has coordinates.
type place struct {
	named
	Lat, Lon float64
}

// dataStats are the most frequent values of the loaded documents, what
// the mix is made of.
type dataStats struct {
	Actors, Weapons       []named
	Categories, Countries []string
	Places                []place
}

// mixQuery is one desk query: an API path and query string. A cursor
// query is the first page of a search whose later page is measured.
type mixQuery struct {
	Kind   string
	Path   string
	Cursor bool
}

// mixKinds are the kinds of the mix in the order of the JSON and the log.
var mixKinds = []string{"facets", "two_filters", "text_or", "text_exclude", "timeline_split", "timeline",
	"entity", "near", "bbox", "cursor"}

// buildMix makes variants queries of each kind from st: variant v takes the
// v-th most frequent values (wrapping round when there are fewer), so that
// the mix is fixed for a dataset but does not repeat one request only.
func buildMix(st dataStats, variants int) ([]mixQuery, error) {
	if len(st.Actors) < 2 || len(st.Weapons) < 1 || len(st.Categories) < 1 || len(st.Countries) < 1 || len(st.Places) < 1 {
		return nil, fmt.Errorf("the loaded documents name too few entities for the mix: %d actors, %d weapons, %d categories, %d countries, %d places with coordinates",
			len(st.Actors), len(st.Weapons), len(st.Categories), len(st.Countries), len(st.Places))
	}
	pick := func(n, v int) int { return v % n }
	var out []mixQuery
	add := func(kind, path string, kv ...string) {
		q := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			q.Add(kv[i], kv[i+1])
		}
		p := path
		if len(q) > 0 {
			p += "?" + q.Encode()
		}
		out = append(out, mixQuery{Kind: kind, Path: p, Cursor: kind == "cursor"})
	}
	for v := 0; v < variants; v++ {
		a1 := st.Actors[pick(len(st.Actors), v)]
		a2 := st.Actors[pick(len(st.Actors), v+1)]
		w := st.Weapons[pick(len(st.Weapons), v)]
		cat := st.Categories[pick(len(st.Categories), v)]
		cc := st.Countries[pick(len(st.Countries), v)]
		pl := st.Places[pick(len(st.Places), v)]
		add("facets", "/v1/search", "actor", a1.Name+"|"+a2.Name)
		add("two_filters", "/v1/search", "country", cc, "category", cat, "not_actor", a1.Name)
		add("text_or", "/v1/search", "q", quote(a1.Name)+" OR "+quote(w.Name), "sort", "relevance")
		add("text_exclude", "/v1/search", "q", quote(pl.Name)+" -"+quote(a2.Name), "sort", "-date")
		add("timeline_split", "/v1/timeline", "actor", a1.Name+"|"+a2.Name, "interval", "week", "split", "weapon")
		add("timeline", "/v1/timeline", "category", cat, "interval", "month", "split", "country")
		add("entity", "/v1/entities/actor/"+url.PathEscape(a1.ID))
		add("near", "/v1/search", "near", fmt.Sprintf("%.4f,%.4f", pl.Lat, pl.Lon), "within", "100km")
		add("bbox", "/v1/search", "bbox", bbox(pl.Lat, pl.Lon, 3))
		add("cursor", "/v1/search", "actor", a1.Name, "sort", "-date")
	}
	return out, nil
}

// quote makes a multi-word name one phrase of a q value.
func quote(s string) string {
	if strings.ContainsAny(s, " \t-") {
		return `"` + s + `"`
	}
	return s
}

// bbox is a box of d degrees each side of a point, within the world.
func bbox(lat, lon, d float64) string {
	clamp := func(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }
	return fmt.Sprintf("%.4f,%.4f,%.4f,%.4f", clamp(lon-d, -180, 180), clamp(lat-d, -90, 90), clamp(lon+d, -180, 180), clamp(lat+d, -90, 90))
}

// parseFacetKey splits an "id|name" facet key.
func parseFacetKey(key string, count int64) named {
	id, name, ok := strings.Cut(key, "|")
	if !ok || name == "" {
		name = id
	}
	return named{ID: id, Name: name, Count: count}
}

// esCall is one request the API sent to Elasticsearch.
type esCall struct {
	Method string
	// Path is the path and query string.
	Path string
	Body []byte
}

// recordingProxy forwards to Elasticsearch and, while armed, keeps every
// request it forwards: what the API sent for one query.
type recordingProxy struct {
	next http.Handler

	mu    sync.Mutex
	armed bool
	calls []esCall
}

func newRecordingProxy(target *url.URL) *recordingProxy {
	return &recordingProxy{next: httputil.NewSingleHostReverseProxy(target)}
}

func (p *recordingProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	armed := p.armed
	p.mu.Unlock()
	// The client's health pings (GET /) are not part of a query.
	if armed && !(r.URL.Path == "/" && (r.Method == http.MethodGet || r.Method == http.MethodHead)) {
		var body []byte
		if r.Body != nil {
			body, _ = io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		c := esCall{Method: r.Method, Path: r.URL.RequestURI(), Body: body}
		p.mu.Lock()
		p.calls = append(p.calls, c)
		p.mu.Unlock()
	}
	p.next.ServeHTTP(w, r)
}

// arm starts recording afresh.
func (p *recordingProxy) arm() {
	p.mu.Lock()
	p.armed, p.calls = true, nil
	p.mu.Unlock()
}

// disarm stops recording and returns what was recorded.
func (p *recordingProxy) disarm() []esCall {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.armed = false
	calls := p.calls
	p.calls = nil
	return calls
}

// kindStats are the API and direct latencies of one query kind.
type kindStats struct {
	APIP50    float64 `json:"api_p50_ms"`
	APIP99    float64 `json:"api_p99_ms"`
	DirectP50 float64 `json:"direct_p50_ms"`
	DirectP99 float64 `json:"direct_p99_ms"`
	Samples   int     `json:"samples"`
	// ESCalls is the Elasticsearch requests one query of the kind makes.
	ESCalls int `json:"es_calls"`
}

// sample is one query timed through the API and straight to Elasticsearch.
type sample struct {
	kind        string
	api, direct float64 // milliseconds
}

// summarizeSamples returns the overall API and direct statistics and those
// of each kind.
func summarizeSamples(ss []sample) (api, direct latencyStats, kinds map[string]kindStats) {
	var all, allDirect []float64
	perAPI, perDirect := map[string][]float64{}, map[string][]float64{}
	for _, s := range ss {
		all, allDirect = append(all, s.api), append(allDirect, s.direct)
		perAPI[s.kind] = append(perAPI[s.kind], s.api)
		perDirect[s.kind] = append(perDirect[s.kind], s.direct)
	}
	kinds = map[string]kindStats{}
	for k := range perAPI {
		a, d := summarize(perAPI[k]), summarize(perDirect[k])
		kinds[k] = kindStats{APIP50: round(a.P50, 2), APIP99: round(a.P99, 2), DirectP50: round(d.P50, 2), DirectP99: round(d.P99, 2), Samples: a.Samples}
	}
	return summarize(all), summarize(allDirect), kinds
}
