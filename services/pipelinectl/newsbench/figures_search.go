package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/elastic/go-elasticsearch/v8/esapi"

	"github.com/deskwire/newsroom/services/classify/extract"
	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/pipeline/catalog"
	"github.com/deskwire/newsroom/services/pipelinectl/internal/progress"
)

// --- figure 8: search as the archive grows -------------------------------------

// Shape of the search figure's measurement.
const (
	// searchVariants is how many values of each query kind the mix holds.
	searchVariants = 4
	// searchWarmupRounds of the whole mix run before each size is measured.
	searchWarmupRounds = 3
	// searchChunk is the documents of one bulk request while loading.
	searchChunk = 500
	// searchSettleMax bounds the wait for merges after loading a size.
	searchSettleMax = 10 * time.Minute
)

// searchFigure grows one index through the sizes of BENCH_SEARCH_SIZES:
// generated articles, classified by the real extractor and encoded as the
// index service encodes them, bulk-loaded behind an alias. At each size,
// once the merges have settled, it runs a fixed mix of desk queries
// through the real index service and the very requests the service sent
// for them (recorded through a proxy by a second instance) straight to
// Elasticsearch, interleaved, and compares their p50 and p99.
func (b *bench) searchFigure(ctx context.Context) (cpuUse, error) {
	sizes, err := searchSizes(b.cfg.SearchSizes, b.cfg.N)
	if err != nil {
		return cpuUse{}, err
	}
	requests := searchRequests(b.cfg.SearchRequests, b.cfg.N)
	alias := b.index("search")
	admin := &esindex.Admin{ES: b.search.es, Cfg: &esindex.Config{Alias: alias, Version: 1, Shards: b.search.shards}}
	if _, err := admin.Setup(ctx); err != nil {
		return cpuUse{}, err
	}
	// The live index refreshes every second while articles arrive, which
	// empties the shard request cache; this one does not change while it is
	// measured and would answer repeated size-0 searches (timelines) from it.
	if _, _, err := b.search.do(ctx, esapi.IndicesPutSettingsRequest{Index: []string{alias},
		Body: strings.NewReader(`{"index":{"requests":{"cache":{"enable":false}}}}`)}, "turning off the request cache of "+alias); err != nil {
		return cpuUse{}, err
	}
	cat, err := catalog.Load()
	if err != nil {
		return cpuUse{}, fmt.Errorf("loading catalogs: %w", err)
	}
	ex := extract.New(cat)
	esURL, err := url.Parse(strings.TrimSpace(strings.Split(b.cfg.ES.URL, ",")[0]))
	if err != nil {
		return cpuUse{}, fmt.Errorf("ELASTICSEARCH_URL: %w", err)
	}
	proxy := newRecordingProxy(esURL)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return cpuUse{}, fmt.Errorf("starting the recording proxy: %w", err)
	}
	psrv := &http.Server{Handler: proxy, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = psrv.Serve(ln) }()
	defer psrv.Close()

	meter := newCPUMeter(b.servers)
	// Both instances sign cursors with one key, so that a cursor one
	// issued pages on the other.
	key := make([]byte, 16)
	_, _ = rand.Read(key)
	env := append(b.stackEnv("search"), "SEARCH_CURSOR_SECRET="+hex.EncodeToString(key))
	api, err := b.startService(ctx, "index", "search", env...)
	if err != nil {
		return meter.stop(), err
	}
	defer api.stop()
	meter.add(api)
	rec, err := b.startService(ctx, "index", "search-recorder", append(env, "INDEX_GROUP="+b.group("search.recorder"),
		"ELASTICSEARCH_URL="+esURL.Scheme+"://"+ln.Addr().String(), "PPROF_ADDR=")...)
	if err != nil {
		return meter.stop(), err
	}
	defer rec.stop()

	m := &mixRunner{
		hc:      &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16, DisableCompression: true}},
		esHC:    &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16, DisableCompression: true}},
		apiBase: "http://" + api.addr, esBase: strings.TrimRight(esURL.String(), "/"),
		user: b.cfg.ES.Username, password: b.cfg.ES.Password, apiKey: b.cfg.ES.APIKey,
	}
	b.res["search_sizes"] = sizes
	b.res["search_clients"] = b.cfg.SearchClients
	var mix []mixQuery
	loaded := 0
	var loadTime time.Duration
	for _, size := range sizes {
		b.say("  %d documents", size)
		start := time.Now()
		p := progress.New(b.status, fmt.Sprintf("search index from %d to %d documents, loaded", loaded, size), int64(size-loaded))
		err := b.loadSearchDocs(ctx, alias, ex, loaded, size, p)
		p.Stop()
		if err != nil {
			return meter.stop(), err
		}
		loadTime += time.Since(start)
		loaded = size
		if _, _, err := b.search.do(ctx, esapi.IndicesRefreshRequest{Index: []string{alias}}, "refreshing "+alias); err != nil {
			return meter.stop(), err
		}
		waited, err := b.settleMerges(ctx)
		if err != nil {
			return meter.stop(), err
		}
		b.res[fmt.Sprintf("search_settle_s_%d", size)] = round(waited.Seconds(), 1)
		if st, err := b.search.indexStats(ctx, alias); err == nil {
			mb, segs := float64(st.StoreBytes)/1e6, st.Segments
			b.res[fmt.Sprintf("search_index_mb_%d", size)] = round(mb, 0)
			b.res[fmt.Sprintf("search_segments_%d", size)] = segs
			b.say("  loaded in %s, merges settled after %s: %.0f MB in %d segments", time.Since(start).Round(time.Second),
				waited.Round(time.Second), mb, segs)
		}
		if mix == nil {
			st, err := b.search.searchStats(ctx, alias)
			if err != nil {
				return meter.stop(), err
			}
			if mix, err = buildMix(st, searchVariants); err != nil {
				return meter.stop(), err
			}
		}
		if err := b.measureSize(ctx, m, proxy, rec.addr, mix, size, requests); err != nil {
			return meter.stop(), err
		}
	}
	if loadTime > 0 {
		b.res["search_load_docs_per_s"] = round(float64(loaded)/loadTime.Seconds(), 0)
	}
	first, last := sizes[0], sizes[len(sizes)-1]
	b.res["search_p99_growth"] = ratio(b.res.num(fmt.Sprintf("search_p99_ms_%d", last)), b.res.num(fmt.Sprintf("search_p99_ms_%d", first)))
	b.res["rss_peak_mb_index_search"] = round(float64(api.PeakRSS())/1e6, 1)
	return meter.stop(), nil
}

// measureSize records what the API sends for each query of the mix, warms
// up, measures and stores the figures of one size.
func (b *bench) measureSize(ctx context.Context, m *mixRunner, proxy *recordingProxy, recAddr string, mix []mixQuery, size, requests int) error {
	paths, pits, err := m.resolveCursors(ctx, mix)
	defer func() {
		for _, pit := range pits {
			_, _, _ = b.search.do(context.WithoutCancel(ctx), esapi.ClosePointInTimeRequest{Body: strings.NewReader(`{"id":` + jsonString(pit) + `}`)}, "closing a point in time")
		}
	}()
	if err != nil {
		return err
	}
	rm := *m
	rm.apiBase = "http://" + recAddr
	calls := make([][]esCall, len(mix))
	for i, p := range paths {
		proxy.arm()
		_, err := rm.api(ctx, p)
		calls[i] = proxy.disarm()
		if err != nil {
			return fmt.Errorf("recording %s: %w", p, err)
		}
		if len(calls[i]) == 0 {
			return fmt.Errorf("recording %s: the API sent nothing to Elasticsearch", p)
		}
	}
	if err := writeRecorded(filepath.Join(b.dir, fmt.Sprintf("search-requests-%d.ndjson", size)), mix, paths, calls); err != nil {
		return err
	}
	clients := b.cfg.SearchClients
	if _, err := m.run(ctx, mix, paths, calls, searchWarmupRounds*len(mix), clients); err != nil {
		return fmt.Errorf("warming up: %w", err)
	}
	start := time.Now()
	ss, err := m.run(ctx, mix, paths, calls, requests, clients)
	if err != nil {
		return err
	}
	api, direct, kinds := summarizeSamples(ss)
	for i, q := range mix {
		k := kinds[q.Kind]
		k.ESCalls = max(k.ESCalls, len(calls[i]))
		kinds[q.Kind] = k
	}
	key := func(s string) string { return fmt.Sprintf("search_%s_%d", s, size) }
	b.res[key("p50_ms")] = round(api.P50, 1)
	b.res[key("p99_ms")] = round(api.P99, 1)
	b.res[key("direct_p50_ms")] = round(direct.P50, 1)
	b.res[key("direct_p99_ms")] = round(direct.P99, 1)
	b.res[key("overhead_p50_ms")] = round(api.P50-direct.P50, 1)
	b.res[key("overhead_p99_ms")] = round(api.P99-direct.P99, 1)
	b.res[key("requests")] = api.Samples
	b.res[key("kinds")] = kinds
	// Where Elasticsearch spends each kind, after the timing so that
	// profiling does not disturb it.
	prof, err := m.profileMix(ctx, mix, calls)
	if err != nil {
		return err
	}
	b.res[key("es_profile")] = prof
	b.say("  %d queries each way in %s: API p50 %.1f p99 %.1f ms, direct p50 %.1f p99 %.1f ms, overhead at p99 %+.1f ms",
		api.Samples, time.Since(start).Round(time.Second), api.P50, api.P99, direct.P50, direct.P99, api.P99-direct.P99)
	for _, k := range mixKinds {
		if s, ok := kinds[k]; ok {
			p := prof[k]
			b.say("    %-15s API %6.1f / %6.1f ms, direct %6.1f / %6.1f ms (p50 / p99); profiled: query %.0f, aggregations %.0f, fetch %.0f (highlight %.0f) ms",
				k, s.APIP50, s.APIP99, s.DirectP50, s.DirectP99, p.QueryMS, p.AggsMS, p.FetchMS, p.HighlightMS)
		}
	}
	return nil
}

// writeRecorded keeps the recorded requests of each query in the run's
// directory, to replay or profile them by hand.
func writeRecorded(file string, mix []mixQuery, paths []string, calls [][]esCall) error {
	var out []byte
	for i, q := range mix {
		for _, c := range calls[i] {
			var body json.RawMessage
			if len(c.Body) > 0 {
				body = c.Body
			}
			line, err := json.Marshal(map[string]any{"kind": q.Kind, "api": paths[i], "method": c.Method, "path": c.Path, "body": body})
			if err != nil {
				return fmt.Errorf("writing the recorded requests: %w", err)
			}
			out = append(append(out, line...), '\n')
		}
	}
	if err := os.WriteFile(file, out, 0o644); err != nil {
		return fmt.Errorf("writing the recorded requests: %w", err)
	}
	return nil
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// loadSearchDocs generates documents from to to (exclusive), classifies
// them and bulk-loads them into index, one bulk request per worker in
// flight and the rest of the workers classifying meanwhile.
func (b *bench) loadSearchDocs(ctx context.Context, index string, ex *extract.Extractor, from, to int, p *progress.Meter) error {
	chunks := make(chan int)
	errc := make(chan error, 1)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for w := 0; w < runtime.GOMAXPROCS(0)+1; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var body []byte
			for start := range chunks {
				end := min(start+searchChunk, to)
				var err error
				if body, err = b.searchBulkBody(body[:0], ex, start, end); err == nil {
					err = b.search.bulk(ctx, index, body)
				}
				if err != nil {
					select {
					case errc <- err:
					default:
					}
					cancel()
					return
				}
				p.Add(int64(end - start))
			}
		}()
	}
feed:
	for start := from; start < to; start += searchChunk {
		select {
		case chunks <- start:
		case <-ctx.Done():
			break feed
		}
	}
	close(chunks)
	wg.Wait()
	select {
	case err := <-errc:
		return err
	default:
		return ctx.Err()
	}
}

// searchBulkBody appends the _bulk body of documents start to end: each
// article generated, built as ingest builds it, classified by the extractor
// and encoded as the index service encodes it.
func (b *bench) searchBulkBody(dst []byte, ex *extract.Extractor, start, end int) ([]byte, error) {
	for i := start; i < end; i++ {
		id := fmt.Sprintf("search-%d", i)
		in := b.corpus.article(i, id)
		published := searchPublished(i)
		in.PublishedAt = published.Format(time.RFC3339)
		dst = append(dst, `{"index":{"_id":`...)
		dst = append(dst, jsonString(id)...)
		dst = append(dst, "}}\n"...)
		var err error
		if dst, _, err = appendClassified(dst, ex, in, published.Add(10*time.Minute)); err != nil {
			return dst, fmt.Errorf("generated article %d: %w", i, err)
		}
		dst = append(dst, '\n')
	}
	return dst, nil
}

// settleMerges waits until Elasticsearch has finished the merges of the
// load (no merge running, Kafka and Elasticsearch idle), at most
// searchSettleMax.
func (b *bench) settleMerges(ctx context.Context) (time.Duration, error) {
	start := time.Now()
	for time.Since(start) < searchSettleMax {
		_, ok, err := b.settle(ctx)
		if err != nil || ok {
			return time.Since(start), err
		}
	}
	b.say("  merges still running after %s; measuring anyway", searchSettleMax)
	return time.Since(start), nil
}

// searchStats reads the most frequent entities of the loaded documents and
// the coordinates of the most named places: the values of the mix.
func (s *search) searchStats(ctx context.Context, index string) (dataStats, error) {
	terms := func(field string, n int) map[string]any {
		return map[string]any{"terms": map[string]any{"field": field, "size": n}}
	}
	places := terms("locations.key", 40)
	places["aggs"] = map[string]any{"doc": map[string]any{"top_hits": map[string]any{"size": 1,
		"_source": map[string]any{"includes": []string{"locations.id", "locations.point"}}}}}
	q, _ := json.Marshal(map[string]any{"size": 0, "aggs": map[string]any{
		"actors": terms("actors.key", 2*searchVariants), "weapons": terms("weapons.key", searchVariants),
		"categories": terms("weapon_categories", searchVariants), "countries": terms("countries", searchVariants),
		"places": places,
	}})
	raw, _, err := s.do(ctx, esapi.SearchRequest{Index: []string{index}, Body: bytes.NewReader(q)}, "reading the entities of "+index)
	if err != nil {
		return dataStats{}, err
	}
	return parseSearchStats(raw, searchVariants)
}

// parseSearchStats reads searchStats' answer; places keep only those with
// coordinates, at most n.
func parseSearchStats(raw []byte, n int) (dataStats, error) {
	type bucket struct {
		Key      string `json:"key"`
		DocCount int64  `json:"doc_count"`
		Doc      struct {
			Hits struct {
				Hits []struct {
					Source esindex.Document `json:"_source"`
				} `json:"hits"`
			} `json:"hits"`
		} `json:"doc"`
	}
	var r struct {
		Aggregations map[string]struct {
			Buckets []bucket `json:"buckets"`
		} `json:"aggregations"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		return dataStats{}, fmt.Errorf("reading the entities of the search index: %w", err)
	}
	var st dataStats
	for _, x := range r.Aggregations["actors"].Buckets {
		st.Actors = append(st.Actors, parseFacetKey(x.Key, x.DocCount))
	}
	for _, x := range r.Aggregations["weapons"].Buckets {
		st.Weapons = append(st.Weapons, parseFacetKey(x.Key, x.DocCount))
	}
	for _, x := range r.Aggregations["categories"].Buckets {
		st.Categories = append(st.Categories, x.Key)
	}
	for _, x := range r.Aggregations["countries"].Buckets {
		st.Countries = append(st.Countries, x.Key)
	}
	for _, x := range r.Aggregations["places"].Buckets {
		nm := parseFacetKey(x.Key, x.DocCount)
		for _, h := range x.Doc.Hits.Hits {
			for _, l := range h.Source.Locations {
				if l.ID == nm.ID && l.Point != nil && len(st.Places) < n {
					st.Places = append(st.Places, place{named: nm, Lat: l.Point.Lat, Lon: l.Point.Lon})
					break
				}
			}
		}
	}
	return st, nil
}

// mixRunner sends the mix through the API and straight to Elasticsearch,
// from HTTP clients with the same settings (keep-alive, no compression).
type mixRunner struct {
	hc, esHC               *http.Client
	apiBase, esBase        string
	user, password, apiKey string
}

// api GETs path from the API and returns the body; anything but 200 fails.
func (m *mixRunner) api(ctx context.Context, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.apiBase+path, nil)
	if err != nil {
		return nil, err
	}
	res, err := m.hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, fmt.Errorf("GET %s: reading the answer: %w", path, err)
	}
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s: %.300s", path, res.Status, b)
	}
	return b, nil
}

// direct sends the recorded requests to Elasticsearch one after another.
func (m *mixRunner) direct(ctx context.Context, calls []esCall) error {
	for _, c := range calls {
		if _, err := m.directBody(ctx, c); err != nil {
			return err
		}
	}
	return nil
}

// directBody sends one request to Elasticsearch and returns the answer;
// a status of 300 or more fails.
func (m *mixRunner) directBody(ctx context.Context, c esCall) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, c.Method, m.esBase+c.Path, bytes.NewReader(c.Body))
	if err != nil {
		return nil, err
	}
	if len(c.Body) > 0 {
		req.Header.Set("Content-Type", "application/json")
	}
	switch {
	case m.apiKey != "":
		req.Header.Set("Authorization", "ApiKey "+m.apiKey)
	case m.user != "":
		req.SetBasicAuth(m.user, m.password)
	}
	res, err := m.esHC.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, fmt.Errorf("%s %s: reading the answer: %w", c.Method, c.Path, err)
	}
	if res.StatusCode >= 300 {
		return nil, fmt.Errorf("%s %s: %s: %.300s", c.Method, c.Path, res.Status, b)
	}
	return b, nil
}

// resolveCursors returns the path of each query as measured: a cursor
// query becomes the cursor of its third page, which carries the point in
// time the second page opened (what paging on costs), listed in pits.
func (m *mixRunner) resolveCursors(ctx context.Context, mix []mixQuery) (paths, pits []string, err error) {
	next := func(path string) (string, error) {
		b, err := m.api(ctx, path)
		if err != nil {
			return "", err
		}
		var r struct {
			Next string `json:"next"`
		}
		if err := json.Unmarshal(b, &r); err != nil || r.Next == "" {
			return "", fmt.Errorf("GET %s: no next cursor (%v)", path, err)
		}
		return "/v1/search?cursor=" + url.QueryEscape(r.Next), nil
	}
	for _, q := range mix {
		p := q.Path
		if q.Cursor {
			if p, err = next(p); err == nil {
				p, err = next(p)
			}
			if err != nil {
				return paths, pits, fmt.Errorf("following the cursor of %s: %w", q.Path, err)
			}
			if pit := cursorPIT(p); pit != "" {
				pits = append(pits, pit)
			}
		}
		paths = append(paths, p)
	}
	return paths, pits, nil
}

// cursorPIT reads the point in time id from a cursor path (the cursor's
// data part is base64 JSON; the signature is the API's business).
func cursorPIT(path string) string {
	u, err := url.Parse(path)
	if err != nil {
		return ""
	}
	data, _, _ := strings.Cut(u.Query().Get("cursor"), ".")
	b, err := base64.RawURLEncoding.DecodeString(data)
	if err != nil {
		return ""
	}
	var c struct {
		PIT string `json:"pit"`
	}
	_ = json.Unmarshal(b, &c)
	return c.PIT
}

// run sends at least requests queries each way from clients concurrent
// clients: each takes whole rounds of the mix in a shuffled order and
// sends every query through the API and straight to Elasticsearch,
// alternating which goes first.
func (m *mixRunner) run(ctx context.Context, mix []mixQuery, paths []string, calls [][]esCall, requests, clients int) ([]sample, error) {
	rounds := int64(math.Ceil(float64(requests) / float64(len(mix))))
	var taken atomic.Int64
	var mu sync.Mutex
	var all []sample
	var errs []error
	var wg sync.WaitGroup
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []sample
			var err error
			for err == nil && ctx.Err() == nil {
				r := taken.Add(1) - 1
				if r >= rounds {
					break
				}
				rng := mrand.New(mrand.NewPCG(uint64(r), 0x5ea6c4))
				for j, i := range rng.Perm(len(mix)) {
					s := sample{kind: mix[i].Kind}
					timeAPI := func() error {
						t := time.Now()
						_, err := m.api(ctx, paths[i])
						s.api = float64(time.Since(t).Microseconds()) / 1000
						return err
					}
					timeDirect := func() error {
						t := time.Now()
						err := m.direct(ctx, calls[i])
						s.direct = float64(time.Since(t).Microseconds()) / 1000
						return err
					}
					if (int(r)+j)%2 == 0 {
						err = errors.Join(timeAPI(), timeDirect())
					} else {
						err = errors.Join(timeDirect(), timeAPI())
					}
					if err != nil {
						break
					}
					mine = append(mine, s)
				}
			}
			mu.Lock()
			all = append(all, mine...)
			errs = append(errs, err)
			mu.Unlock()
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return all, ctx.Err()
}

// searchRows are the table rows of the search figure, one per size.
func (r results) searchRows() []tableRow {
	sizes, _ := r["search_sizes"].([]int)
	var rows []tableRow
	for _, n := range sizes {
		k := func(s string) float64 { return r.num(fmt.Sprintf("search_%s_%d", s, n)) }
		target, v := "≤ +10 ms", verdict(k("overhead_p99_ms"), 10, true)
		if n >= 300000 {
			target += ", p99 ≤ 150"
			v = worst(v, verdict(k("p99_ms"), 150, true))
		}
		label := fmt.Sprint(n)
		if n%1000 == 0 {
			label = fmt.Sprintf("%dk", n/1000)
		}
		rows = append(rows, tableRow{"8 search " + label + " docs p50/p99, ms",
			fmtNum(k("p50_ms"), 1) + " / " + fmtNum(k("p99_ms"), 1),
			fmtNum(k("direct_p50_ms"), 1) + " / " + fmtNum(k("direct_p99_ms"), 1) + " direct",
			fmtSigned(k("overhead_p99_ms"), 1) + " ms", target, v})
	}
	return rows
}

// tableRow is one row of the printed table.
type tableRow struct{ figure, measured, ceiling, ratio, target, verdict string }
