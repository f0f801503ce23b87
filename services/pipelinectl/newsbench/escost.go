package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"time"

	"github.com/elastic/go-elasticsearch/v8/esapi"
)

// What Elasticsearch pays for a phase's writes. The throughput figures stop
// at "all searchable", but Elasticsearch keeps merging the segments a phase
// left behind; a phase that writes fast leaves that debt for later, one that
// trickles pays it as it goes. So each writing phase is charged its
// Elasticsearch CPU up to searchable plus the tail until the index's merges
// are done and Elasticsearch is idle, and the index's own stats say where
// the work went.

const (
	tailMax     = 90 * time.Second
	tailIdleCPU = 0.10 // cores Elasticsearch may use when idle
)

// indexStats are the counters of one index (its primaries) that explain
// Elasticsearch's CPU: documents indexed, refreshes, merges, flushes,
// segments left, searches served.
type indexStats struct {
	Indexed        int64 `json:"indexed"`
	IndexMillis    int64 `json:"index_ms"`
	Refreshes      int64 `json:"refreshes"`
	RefreshMillis  int64 `json:"refresh_ms"`
	Merges         int64 `json:"merges"`
	MergeMillis    int64 `json:"merge_ms"`
	MergedDocs     int64 `json:"merged_docs"`
	MergesRunning  int64 `json:"-"`
	Flushes        int64 `json:"flushes"`
	Segments       int64 `json:"segments"`
	Queries        int64 `json:"queries"`
	ThrottleMillis int64 `json:"merge_throttled_ms"`
	StoreBytes     int64 `json:"store_bytes"`
}

// parseIndexStats reads the _all.primaries of an index _stats answer.
func parseIndexStats(body []byte) (indexStats, error) {
	var r struct {
		All *struct {
			Primaries struct {
				Indexing struct {
					Total  int64 `json:"index_total"`
					Millis int64 `json:"index_time_in_millis"`
				} `json:"indexing"`
				Refresh struct {
					Total  int64 `json:"total"`
					Millis int64 `json:"total_time_in_millis"`
				} `json:"refresh"`
				Merges struct {
					Current   int64 `json:"current"`
					Total     int64 `json:"total"`
					Millis    int64 `json:"total_time_in_millis"`
					Docs      int64 `json:"total_docs"`
					Throttled int64 `json:"total_throttled_time_in_millis"`
				} `json:"merges"`
				Flush struct {
					Total int64 `json:"total"`
				} `json:"flush"`
				Segments struct {
					Count int64 `json:"count"`
				} `json:"segments"`
				Store struct {
					Bytes int64 `json:"size_in_bytes"`
				} `json:"store"`
				Search struct {
					Queries int64 `json:"query_total"`
				} `json:"search"`
			} `json:"primaries"`
		} `json:"_all"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return indexStats{}, fmt.Errorf("reading index stats: %w", err)
	}
	if r.All == nil {
		return indexStats{}, fmt.Errorf("reading index stats: no _all in %.200s", body)
	}
	p := r.All.Primaries
	return indexStats{Indexed: p.Indexing.Total, IndexMillis: p.Indexing.Millis, Refreshes: p.Refresh.Total, RefreshMillis: p.Refresh.Millis,
		Merges: p.Merges.Total, MergeMillis: p.Merges.Millis, MergedDocs: p.Merges.Docs, MergesRunning: p.Merges.Current,
		Flushes: p.Flush.Total, Segments: p.Segments.Count, Queries: p.Search.Queries, ThrottleMillis: p.Merges.Throttled, StoreBytes: p.Store.Bytes}, nil
}

// indexStats reads the stats of index (or of the index behind an alias).
func (s *search) indexStats(ctx context.Context, index string) (indexStats, error) {
	b, _, err := s.do(ctx, esapi.IndicesStatsRequest{Index: []string{index},
		Metric: []string{"indexing", "refresh", "merge", "flush", "segments", "search", "store"}}, "reading stats of "+index)
	if err != nil {
		return indexStats{}, err
	}
	return parseIndexStats(b)
}

// esCost is what one phase cost Elasticsearch.
type esCost struct {
	Docs int `json:"docs"`
	// CPUPhase is Elasticsearch's CPU up to all searchable, CPUTail after
	// that until its merges were done; CPU is their sum.
	CPUPhase float64 `json:"cpu_phase_s"`
	CPUTail  float64 `json:"cpu_tail_s"`
	CPU      float64 `json:"cpu_s"`
	// TailSeconds is how long the merges ran on after searchable.
	TailSeconds float64 `json:"tail_s"`
	Stats       indexStats
}

// MsPerDoc is Elasticsearch's CPU milliseconds per document.
func (c esCost) MsPerDoc() float64 {
	if c.Docs <= 0 {
		return math.NaN()
	}
	return 1000 * c.CPU / float64(c.Docs)
}

func (c esCost) String() string {
	st := c.Stats
	return fmt.Sprintf("%.1f CPU-s (%.1f after searchable, %.0fs) = %.2f ms/doc; %d refreshes, %d merges of %d docs in %.1fs, %d flushes, %d segments left, %d queries",
		c.CPU, c.CPUTail, c.TailSeconds, c.MsPerDoc(), st.Refreshes, st.Merges, st.MergedDocs, float64(st.MergeMillis)/1000, st.Flushes, st.Segments, st.Queries)
}

// esCPU is Elasticsearch's CPU seconds so far (NaN when its pid is unknown).
func (b *bench) esCPU() float64 {
	pid, ok := b.servers["elasticsearch"]
	if !ok {
		return math.NaN()
	}
	s, err := cpuSeconds(pid)
	if err != nil {
		return math.NaN()
	}
	return s
}

// esTail waits until index runs no merge and Elasticsearch is idle (at most
// tailMax), then reads the index's stats: phaseCPU (Elasticsearch's CPU up
// to searchable) plus the tail is the phase's cost for docs documents.
func (b *bench) esTail(ctx context.Context, index string, docs int, phaseCPU float64) (esCost, error) {
	start, cpu0 := time.Now(), b.esCPU()
	var st indexStats
	for {
		c0 := b.esCPU()
		if err := sleep(ctx, time.Second); err != nil {
			return esCost{}, err
		}
		busy := b.esCPU() - c0
		var err error
		if st, err = b.search.indexStats(ctx, index); err != nil {
			return esCost{}, err
		}
		if (st.MergesRunning == 0 && busy < tailIdleCPU) || time.Since(start) > tailMax {
			break
		}
	}
	tail := b.esCPU() - cpu0
	c := esCost{Docs: docs, CPUPhase: round(phaseCPU, 2), CPUTail: round(tail, 2), CPU: round(phaseCPU+tail, 2),
		TailSeconds: round(time.Since(start).Seconds(), 1), Stats: st}
	return c, nil
}

// recordESCost keeps a phase's Elasticsearch cost under es[phase] and
// prints it.
func (b *bench) recordESCost(phase string, c esCost) {
	m, ok := b.res["es"].(map[string]esCost)
	if !ok {
		m = map[string]esCost{}
		b.res["es"] = m
	}
	m[phase] = c
	b.res["es_cpu_s_"+phase] = c.CPU
	b.res["es_ms_per_doc_"+phase] = round(c.MsPerDoc(), 3)
	b.say("  Elasticsearch: %s", c)
}

// chargeES measures the tail of a writing phase and records its cost;
// a failure only loses the cost figure, not the phase.
func (b *bench) chargeES(ctx context.Context, phase, index string, docs int, use cpuUse) {
	c, err := b.esTail(ctx, index, docs, use.Seconds["elasticsearch"])
	if err != nil {
		b.say("  measuring Elasticsearch's cost of %s: %v", phase, err)
		return
	}
	b.recordESCost(phase, c)
}

// costRatios are the figures of issue 19 that divide by Elasticsearch's
// cost per document in the ceiling: what our writes cost it more than the
// minimal loader's, and what the pipeline's own processes cost per article
// next to it.
func (b *bench) costRatios() {
	r := b.res
	ceil := r.num("es_ms_per_doc_ceiling")
	r["es_cpu_over_ceiling_e2e"] = ratio(r.num("es_ms_per_doc_e2e"), ceil)
	r["es_cpu_over_ceiling_index"] = ratio(r.num("es_ms_per_doc_index"), ceil)
	b.pinnedRatios()
	if cpu, ok := r["cpu"].(map[string]cpuUse); ok {
		if u, ok := cpu["e2e"]; ok {
			p := pipelineCPU(u)
			r["pipeline_cpu_s_e2e"] = round(p, 2)
			r["pipeline_cpu_over_es"] = ratio(1000*p/float64(b.cfg.N), ceil)
		}
	}
}

// pipelineCPU is the CPU of ingest, classify and index in a phase.
func pipelineCPU(u cpuUse) float64 {
	var s float64
	for _, k := range []string{"ingest", "ingest-load", "classify", "index"} {
		s += u.Seconds[k]
	}
	return s
}
