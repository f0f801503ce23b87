package main

import (
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSearchSizes(t *testing.T) {
	tests := []struct {
		spec    string
		n       int
		want    []int
		wantErr bool
	}{
		{"10000,100000,300000", 50000, []int{10000, 100000, 300000}, false},
		{"300000, 10000,100000", 100000, []int{10000, 100000, 300000}, false},
		{"10000,100000,300000", 2000, []int{400, 4000, 12000}, false},
		{"1000,2000", 100, []int{100}, false}, // scaled below the minimum, then merged
		{"10000,x", 50000, nil, true},
		{"50", 50000, nil, true},
		{"", 50000, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			got, err := searchSizes(tt.spec, tt.n)
			if (err != nil) != tt.wantErr {
				t.Fatalf("searchSizes(%q, %d) error = %v, want error %v", tt.spec, tt.n, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("searchSizes(%q, %d) (-want +got):\n%s", tt.spec, tt.n, diff)
			}
		})
	}
}

func TestSearchRequests(t *testing.T) {
	for _, tt := range []struct{ requests, n, want int }{{2000, 50000, 2000}, {2000, 100000, 2000}, {2000, 25000, 1000}, {2000, 2000, 200}} {
		if got := searchRequests(tt.requests, tt.n); got != tt.want {
			t.Errorf("searchRequests(%d, %d) = %d, want %d", tt.requests, tt.n, got, tt.want)
		}
	}
}

func TestSearchPublishedSpreadsOverTheSpan(t *testing.T) {
	if a, b := searchPublished(7), searchPublished(7); !a.Equal(b) {
		t.Fatal("searchPublished is not deterministic")
	}
	months := map[string]bool{}
	for i := 0; i < 2000; i++ {
		p := searchPublished(i)
		if p.Before(searchSpanStart) || !p.Before(searchSpanStart.Add(searchSpan)) {
			t.Fatalf("searchPublished(%d) = %s, outside the span", i, p)
		}
		months[p.Format("2006-01")] = true
	}
	if len(months) != 24 {
		t.Errorf("2000 documents fall in %d months, want all 24 of the span", len(months))
	}
}

func testStats() dataStats {
	return dataStats{
		Actors:     []named{{ID: "a-one", Name: "Anna Example"}, {ID: "b-two", Name: "Bodo"}},
		Weapons:    []named{{ID: "w-one", Name: "Sample Rocket"}},
		Categories: []string{"artillery"},
		Countries:  []string{"XA", "XB"},
		Places:     []place{{named: named{ID: "p-one", Name: "Testville"}, Lat: 50.5, Lon: 30.25}},
	}
}

func TestBuildMix(t *testing.T) {
	mix, err := buildMix(testStats(), 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(mix) != 2*len(mixKinds) {
		t.Fatalf("%d queries, want %d", len(mix), 2*len(mixKinds))
	}
	var kinds []string
	for _, q := range mix[:len(mixKinds)] {
		kinds = append(kinds, q.Kind)
		if q.Cursor != (q.Kind == "cursor") {
			t.Errorf("%s: Cursor = %v", q.Kind, q.Cursor)
		}
	}
	if diff := cmp.Diff(mixKinds, kinds); diff != "" {
		t.Errorf("kinds of one variant (-want +got):\n%s", diff)
	}
	params := func(i int) url.Values {
		u, err := url.Parse(mix[i].Path)
		if err != nil {
			t.Fatal(err)
		}
		return u.Query()
	}
	want := map[int]url.Values{
		0: {"actor": {"Anna Example|Bodo"}},
		1: {"country": {"XA"}, "category": {"artillery"}, "not_actor": {"Anna Example"}},
		2: {"q": {`"Anna Example" OR "Sample Rocket"`}, "sort": {"relevance"}},
		3: {"q": {"Testville -Bodo"}, "sort": {"-date"}},
		7: {"near": {"50.5000,30.2500"}, "within": {"100km"}},
		8: {"bbox": {"27.2500,47.5000,33.2500,53.5000"}},
		// The second variant starts at the second values, wrapping round.
		len(mixKinds) + 0: {"actor": {"Bodo|Anna Example"}},
		len(mixKinds) + 1: {"country": {"XB"}, "category": {"artillery"}, "not_actor": {"Bodo"}},
	}
	for i, w := range want {
		if diff := cmp.Diff(w, params(i)); diff != "" {
			t.Errorf("%s (%s) (-want +got):\n%s", mix[i].Kind, mix[i].Path, diff)
		}
	}
	if got := mix[6].Path; got != "/v1/entities/actor/a-one" {
		t.Errorf("entity path = %q", got)
	}
}

func TestBuildMixNeedsValues(t *testing.T) {
	st := testStats()
	st.Places = nil
	if _, err := buildMix(st, 1); err == nil || !strings.Contains(err.Error(), "0 places") {
		t.Errorf("buildMix without places = %v, want an error naming the places", err)
	}
}

func TestBBoxStaysInTheWorld(t *testing.T) {
	if got, want := bbox(89, 179, 3), "176.0000,86.0000,180.0000,90.0000"; got != want {
		t.Errorf("bbox = %q, want %q", got, want)
	}
}

func TestParseSearchStats(t *testing.T) {
	raw := `{"aggregations":{
	  "actors":{"buckets":[{"key":"a-one|Anna Example","doc_count":9},{"key":"gen:x|X","doc_count":3}]},
	  "weapons":{"buckets":[{"key":"w-one|Sample Rocket","doc_count":4}]},
	  "categories":{"buckets":[{"key":"artillery","doc_count":4}]},
	  "countries":{"buckets":[{"key":"XA","doc_count":5}]},
	  "places":{"buckets":[
	    {"key":"p-none|Nowhere","doc_count":8,"doc":{"hits":{"hits":[{"_source":{"locations":[{"id":"p-none"}]}}]}}},
	    {"key":"p-one|Testville","doc_count":6,"doc":{"hits":{"hits":[{"_source":{"locations":[{"id":"other","point":{"lat":1,"lon":2}},{"id":"p-one","point":{"lat":50.5,"lon":30.25}}]}}]}}}
	  ]}}}`
	got, err := parseSearchStats([]byte(raw), 4)
	if err != nil {
		t.Fatal(err)
	}
	want := dataStats{
		Actors:     []named{{ID: "a-one", Name: "Anna Example", Count: 9}, {ID: "gen:x", Name: "X", Count: 3}},
		Weapons:    []named{{ID: "w-one", Name: "Sample Rocket", Count: 4}},
		Categories: []string{"artillery"},
		Countries:  []string{"XA"},
		Places:     []place{{named: named{ID: "p-one", Name: "Testville", Count: 6}, Lat: 50.5, Lon: 30.25}},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(place{})); diff != "" {
		t.Errorf("parseSearchStats (-want +got):\n%s", diff)
	}
}

func TestSummarizeSamples(t *testing.T) {
	var ss []sample
	for i := 1; i <= 100; i++ {
		ss = append(ss, sample{kind: "a", api: float64(i), direct: float64(i) / 2})
	}
	ss = append(ss, sample{kind: "b", api: 1000, direct: 10})
	api, direct, kinds := summarizeSamples(ss)
	if api.Samples != 101 || api.P50 != 51 || api.P99 != 100 || direct.P99 != 49.5 {
		t.Errorf("overall: api %+v direct %+v", api, direct)
	}
	if diff := cmp.Diff(map[string]kindStats{
		"a": {APIP50: 50, APIP99: 99, DirectP50: 25, DirectP99: 49.5, Samples: 100},
		"b": {APIP50: 1000, APIP99: 1000, DirectP50: 10, DirectP99: 10, Samples: 1},
	}, kinds); diff != "" {
		t.Errorf("per kind (-want +got):\n%s", diff)
	}
}

func TestCursorPIT(t *testing.T) {
	data := base64.RawURLEncoding.EncodeToString([]byte(`{"q":"actor=x","after":[1],"pit":"pit-id==","page":3}`))
	p := "/v1/search?cursor=" + url.QueryEscape(data+".c2ln")
	if got := cursorPIT(p); got != "pit-id==" {
		t.Errorf("cursorPIT = %q, want pit-id==", got)
	}
	if got := cursorPIT("/v1/search?cursor=%%%"); got != "" {
		t.Errorf("cursorPIT of a broken path = %q, want empty", got)
	}
}

// TestRecordingProxy checks that the proxy passes requests on and keeps
// only what it forwards while armed, health pings left out.
func TestRecordingProxy(t *testing.T) {
	var seen []string
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		seen = append(seen, r.Method+" "+r.URL.RequestURI()+" "+string(b))
		w.Write([]byte(`{"ok":true}`))
	}))
	defer backend.Close()
	u, _ := url.Parse(backend.URL)
	p := newRecordingProxy(u)
	front := httptest.NewServer(p)
	defer front.Close()
	send := func(method, path, body string) {
		req, _ := http.NewRequest(method, front.URL+path, strings.NewReader(body))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if string(b) != `{"ok":true}` {
			t.Fatalf("%s %s through the proxy: %q", method, path, b)
		}
	}
	send("POST", "/before/_search", "{}")
	p.arm()
	send("GET", "/", "")
	send("POST", "/idx/_search?timeout=10000ms", `{"query":{}}`)
	got := p.disarm()
	send("POST", "/after/_search", "{}")
	if diff := cmp.Diff([]esCall{{Method: "POST", Path: "/idx/_search?timeout=10000ms", Body: []byte(`{"query":{}}`)}}, got); diff != "" {
		t.Errorf("recorded (-want +got):\n%s", diff)
	}
	if len(seen) != 4 || seen[2] != `POST /idx/_search?timeout=10000ms {"query":{}}` {
		t.Errorf("the backend saw %q", seen)
	}
}

func TestParseProfile(t *testing.T) {
	raw := `{"took":12,"profile":{"shards":[{"searches":[{"query":[{"type":"BooleanQuery","time_in_nanos":3000000,
	  "children":[{"type":"TermQuery","time_in_nanos":1000000}]}],"rewrite_time":500000}],
	  "aggregations":[{"type":"GlobalOrdinalsStringTermsAggregator","time_in_nanos":4000000},{"type":"X","time_in_nanos":1000000}],
	  "fetch":{"type":"fetch","time_in_nanos":2000000,"children":[{"type":"FetchSourcePhase","time_in_nanos":300000},{"type":"HighlightPhase","time_in_nanos":1200000}]}}]}}`
	got, err := parseProfile([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(esProfile{TookMS: 12, QueryMS: 3.5, AggsMS: 5, FetchMS: 2, HighlightMS: 1.2}, got); diff != "" {
		t.Errorf("parseProfile (-want +got):\n%s", diff)
	}
	if _, err := parseProfile([]byte(`{"took":1}`)); err == nil {
		t.Error("parseProfile without shards: no error")
	}
}

func TestSearchRows(t *testing.T) {
	r := results{"search_sizes": []int{400, 300000},
		"search_p50_ms_400": 5.0, "search_p99_ms_400": 20.0, "search_direct_p50_ms_400": 4.0, "search_direct_p99_ms_400": 8.0, "search_overhead_p99_ms_400": 12.0,
		"search_p50_ms_300000": 60.0, "search_p99_ms_300000": 160.0, "search_direct_p50_ms_300000": 58.0, "search_direct_p99_ms_300000": 155.0, "search_overhead_p99_ms_300000": 5.0,
	}
	want := []tableRow{
		{"8 search 400 docs p50/p99, ms", "5.0 / 20.0", "4.0 / 8.0 direct", "+12.0 ms", "≤ +10 ms", "MISSED"},
		{"8 search 300k docs p50/p99, ms", "60.0 / 160.0", "58.0 / 155.0 direct", "+5.0 ms", "≤ +10 ms, p99 ≤ 150", "MISSED"},
	}
	if diff := cmp.Diff(want, r.searchRows(), cmp.AllowUnexported(tableRow{})); diff != "" {
		t.Errorf("searchRows (-want +got):\n%s", diff)
	}
	if rows := (results{}).searchRows(); len(rows) != 0 {
		t.Errorf("searchRows without the figure = %v, want none", rows)
	}
}
