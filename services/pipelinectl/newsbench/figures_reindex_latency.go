package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/pipelinectl/internal/progress"
)

// --- figure 6: reindex ---------------------------------------------------------

var reindexDoneRE = regexp.MustCompile(`(\d+) documents, (\d+) records replayed in`)

// reindex runs `pipelinectl reindex` of the figure 1 topic into version 2
// of its alias. The rate counts from the command's first line (catalogs
// loaded, index created) to its exit: the replay, the alias swap and the
// final catch-up.
func (b *bench) reindex(ctx context.Context) (cpuUse, error) {
	env := b.env(b.stackEnv("e2e")...)
	meter := newCPUMeter(b.servers)
	var began time.Time
	var mu sync.Mutex
	var summary string
	onLine := func(line string) {
		mu.Lock()
		defer mu.Unlock()
		if strings.HasPrefix(line, "reindexing ") && began.IsZero() {
			began = time.Now()
		}
		if reindexDoneRE.MatchString(line) {
			summary = line
		}
	}
	start := time.Now()
	c, err := startChildLines("pipelinectl", filepath.Join(b.cfg.Bin, "pipelinectl"),
		[]string{"reindex", "--version", "2", "--group", b.group("reindex")}, env, filepath.Join(b.dir, "reindex.log"), onLine)
	if err != nil {
		return meter.stop(), err
	}
	b.track(c)
	meter.add(c)
	p := progress.New(b.status, "reindex, searchable in the new index", int64(b.cfg.N))
	go func() {
		for !c.exited() {
			if n, err := b.search.count(ctx, b.index("e2e")+"-v2"); err == nil {
				p.Set(n)
			}
			_ = sleep(ctx, time.Second)
		}
	}()
	err = c.wait(ctx)
	end := time.Now()
	p.Stop()
	use := meter.stop()
	if err != nil {
		return use, fmt.Errorf("pipelinectl reindex: %w\n%s", err, c.tail(20))
	}
	mu.Lock()
	defer mu.Unlock()
	m := reindexDoneRE.FindStringSubmatch(summary)
	if m == nil || began.IsZero() {
		return use, fmt.Errorf("pipelinectl reindex printed no summary:\n%s", c.tail(10))
	}
	if docs, _ := strconv.Atoi(m[1]); docs != b.cfg.N {
		return use, fmt.Errorf("reindex: %s: want %d documents", summary, b.cfg.N)
	}
	rate := float64(b.cfg.N) / end.Sub(began).Seconds()
	b.res["reindex_articles_per_s"] = round(rate, 1)
	b.res["reindex_seconds"] = round(end.Sub(began).Seconds(), 2)
	b.res["reindex_command_seconds"] = round(end.Sub(start).Seconds(), 2)
	b.res["rss_peak_mb_pipelinectl_reindex"] = round(float64(c.PeakRSS())/1e6, 1)
	b.say("  %s; %.0f articles/s (command %s in all, with loading the catalogs)", summary, rate, end.Sub(start).Round(time.Millisecond))
	return use, nil
}

// --- figure 5: latency ---------------------------------------------------------

// latency sends articles at a steady rate to ingest's HTTP API of a fresh
// pipeline (its own topics and alias, so both indices start empty) and, at
// the same time and rate, indexes documents directly into an index with the
// same settings (refresh every second), and compares the time from the
// acknowledgement (202, or Elasticsearch's answer) to searchable. The time
// to indexed (a realtime get finds it, before any refresh) shows the
// pipeline's own delay without the refresh.
func (b *bench) latency(ctx context.Context) (cpuUse, error) {
	ops, err := b.finalOps(ctx)
	if err != nil {
		return cpuUse{}, err
	}
	env := b.stackEnv("lat")
	meter := newCPUMeter(b.servers)
	var svcs []*child
	for _, name := range []string{"classify", "index", "ingest"} {
		c, err := b.startService(ctx, name, "latency", env...)
		if err != nil {
			return meter.stop(), err
		}
		defer c.stop()
		svcs = append(svcs, c)
		meter.add(c)
	}
	for _, g := range []string{b.group("lat.classify"), b.group("lat.index")} {
		if err := waitGroupStable(ctx, b.ka, g, 1, alive(svcs...)); err != nil {
			return meter.stop(), err
		}
	}
	direct := b.index("direct")
	if err := b.search.createIndex(ctx, direct); err != nil {
		return meter.stop(), err
	}
	count := int(b.cfg.LatencyDuration.Seconds() * float64(b.cfg.LatencyRate))
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	ingestURL := "http://" + svcs[2].addr + "/v1/articles"
	pipeID := func(i int) string { return fmt.Sprintf("%s-lat-%d", b.runID, i) }
	directID := func(i int) string { return fmt.Sprintf("%s-dir-%d", b.runID, i) }
	alias := b.index("lat")
	pipe := &latencyRun{name: "pipeline", rate: float64(b.cfg.LatencyRate), count: count, poll: 20 * time.Millisecond, idOf: pipeID,
		send: func(ctx context.Context, i int) (string, error) {
			id := pipeID(i)
			body, _ := json.Marshal(b.corpus.article(b.cfg.N+i, id))
			res, err := hc.Post(ingestURL, "application/json", bytes.NewReader(body))
			if err != nil {
				return id, err
			}
			defer res.Body.Close()
			rb, _ := io.ReadAll(res.Body)
			if res.StatusCode != http.StatusAccepted {
				return id, fmt.Errorf("ingest answered %s: %.200s", res.Status, rb)
			}
			return id, nil
		},
		probes: []*probe{
			{name: "searchable", found: func(ctx context.Context, ids []string) ([]string, error) { return b.search.visible(ctx, alias, ids) }},
			{name: "indexed", found: func(ctx context.Context, ids []string) ([]string, error) { return b.search.indexed(ctx, alias, ids) }},
		},
	}
	dir := &latencyRun{name: "direct indexing", rate: float64(b.cfg.LatencyRate), count: count, poll: 20 * time.Millisecond, idOf: directID,
		send: func(ctx context.Context, i int) (string, error) {
			id := directID(i)
			var d esindex.Document
			if err := json.Unmarshal(ops[i%len(ops)].Doc, &d); err != nil {
				return id, err
			}
			d.ID = id
			doc, _ := json.Marshal(d)
			return id, b.search.indexDoc(ctx, direct, id, doc)
		},
		probes: []*probe{{name: "searchable", found: func(ctx context.Context, ids []string) ([]string, error) { return b.search.visible(ctx, direct, ids) }}},
	}
	b.say("  %d articles at %d/s through ingest and, at the same time, straight into %s", count, b.cfg.LatencyRate, direct)
	pipe.progress = progress.New(b.status, "latency, articles sent to ingest", int64(count))
	defer pipe.progress.Stop()
	var wg sync.WaitGroup
	var pst, dst []latencyStats
	var perr, derr error
	wg.Add(2)
	go func() { defer wg.Done(); pst, perr = pipe.run(ctx, b.status) }()
	go func() { defer wg.Done(); dst, derr = dir.run(ctx, b.status) }()
	wg.Wait()
	pipe.progress.Stop()
	use := meter.stop()
	if err := errors.Join(perr, derr); err != nil {
		return use, err
	}
	for k, v := range map[string]float64{"latency_p50_ms": pst[0].P50, "latency_p95_ms": pst[0].P95, "latency_p99_ms": pst[0].P99, "latency_max_ms": pst[0].Max,
		"latency_indexed_p50_ms": pst[1].P50, "latency_indexed_p95_ms": pst[1].P95, "latency_indexed_p99_ms": pst[1].P99,
		"latency_direct_p50_ms": dst[0].P50, "latency_direct_p95_ms": dst[0].P95, "latency_direct_p99_ms": dst[0].P99, "latency_direct_max_ms": dst[0].Max} {
		b.res[k] = round(v, 1)
	}
	b.res["latency_samples"] = pst[0].Samples
	b.res["latency_rate_per_s"] = b.cfg.LatencyRate
	b.res["rss_peak_mb_ingest_serve"] = round(float64(svcs[2].PeakRSS())/1e6, 1)
	return use, nil
}
