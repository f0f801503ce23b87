package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"sort"
	"sync"
	"time"

	"github.com/deskwire/newsroom/services/pipelinectl/internal/progress"
)

// latencyStats summarizes the time from acknowledgement to searchable.
type latencyStats struct {
	Samples       int
	P50, P95, P99 float64 // milliseconds
	Max           float64
	Failed        int
	NotFound      int
}

// percentile returns the nearest-rank percentile q (0–1) of sorted values.
func percentile(sorted []float64, q float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	k := int(math.Ceil(q*float64(len(sorted)))) - 1
	k = max(0, min(k, len(sorted)-1))
	return sorted[k]
}

func summarize(ms []float64) latencyStats {
	s := append([]float64(nil), ms...)
	sort.Float64s(s)
	st := latencyStats{Samples: len(s), P50: percentile(s, 0.50), P95: percentile(s, 0.95), P99: percentile(s, 0.99)}
	if len(s) > 0 {
		st.Max = s[len(s)-1]
	}
	return st
}

// probe asks Elasticsearch which articles have arrived in some sense
// (searchable, or indexed) and times each from its acknowledgement.
type probe struct {
	name string
	// found returns which of ids have arrived.
	found func(ctx context.Context, ids []string) ([]string, error)

	pending map[string]bool
	seen    map[string]time.Time
	lat     []float64
}

// latencyRun sends articles at a steady rate through send (which returns
// once the article is acknowledged) and polls its probes: open loop, so a
// slow answer never delays the next article.
type latencyRun struct {
	name   string
	rate   float64
	count  int
	send   func(ctx context.Context, i int) (id string, err error)
	idOf   func(i int) string
	probes []*probe
	poll   time.Duration
	// progress counts the articles sent, when set.
	progress *progress.Meter

	mu       sync.Mutex
	acked    map[string]time.Time
	failed   int
	firstErr error
}

// run sends the articles and returns the statistics of each probe, in
// order.
func (r *latencyRun) run(ctx context.Context, out io.Writer) ([]latencyStats, error) {
	r.acked = map[string]time.Time{}
	for _, p := range r.probes {
		p.pending, p.seen, p.lat = map[string]bool{}, map[string]time.Time{}, nil
	}
	pollCtx, stopPoll := context.WithCancel(ctx)
	defer stopPoll()
	var pollWG sync.WaitGroup
	for _, p := range r.probes {
		pollWG.Add(1)
		go func() { defer pollWG.Done(); r.pollLoop(pollCtx, p) }()
	}

	interval := time.Duration(float64(time.Second) / r.rate)
	var sendWG sync.WaitGroup
	start := time.Now()
	for i := 0; i < r.count; i++ {
		if err := sleep(ctx, time.Until(start.Add(time.Duration(i)*interval))); err != nil {
			return nil, err
		}
		id := r.idOf(i)
		r.mu.Lock()
		for _, p := range r.probes {
			p.pending[id] = true
		}
		r.mu.Unlock()
		if r.progress != nil {
			r.progress.Add(1)
		}
		sendWG.Add(1)
		go func(i int) {
			defer sendWG.Done()
			id, err := r.send(ctx, i)
			now := time.Now()
			r.mu.Lock()
			defer r.mu.Unlock()
			if err != nil {
				r.failed++
				if r.firstErr == nil {
					r.firstErr = err
				}
				for _, p := range r.probes {
					delete(p.pending, id)
				}
				return
			}
			r.acked[id] = now
			for _, p := range r.probes {
				if t, ok := p.seen[id]; ok {
					p.lat = append(p.lat, math.Max(0, t.Sub(now).Seconds()*1000))
				}
			}
		}(i)
	}
	sendWG.Wait()
	// Wait for the last articles.
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		r.mu.Lock()
		left := 0
		for _, p := range r.probes {
			left += len(p.pending)
		}
		r.mu.Unlock()
		if left == 0 {
			break
		}
		if err := sleep(ctx, 50*time.Millisecond); err != nil {
			return nil, err
		}
	}
	stopPoll()
	pollWG.Wait()
	r.mu.Lock()
	defer r.mu.Unlock()
	var stats []latencyStats
	var err error
	for _, p := range r.probes {
		st := summarize(p.lat)
		st.Failed, st.NotFound = r.failed, len(p.pending)
		stats = append(stats, st)
		fmt.Fprintf(out, "  %s, %s: %d articles, p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms\n",
			r.name, p.name, st.Samples, st.P50, st.P95, st.P99, st.Max)
		if st.NotFound > 0 && err == nil {
			err = fmt.Errorf("%s: %d articles not %s 60 s after the last was sent", r.name, st.NotFound, p.name)
		}
	}
	if r.failed > 0 {
		return stats, fmt.Errorf("%s: %d of %d articles not acknowledged, first error: %w", r.name, r.failed, r.count, r.firstErr)
	}
	return stats, err
}

// pollLoop asks which pending articles have arrived; an article arrived
// between the previous question and this one, so it is stamped with the
// middle of this question's round trip.
func (r *latencyRun) pollLoop(ctx context.Context, p *probe) {
	for ctx.Err() == nil {
		r.mu.Lock()
		ids := make([]string, 0, len(p.pending))
		for id := range p.pending {
			ids = append(ids, id)
			if len(ids) == 1000 {
				break
			}
		}
		r.mu.Unlock()
		if len(ids) > 0 {
			sent := time.Now()
			got, err := p.found(ctx, ids)
			at := sent.Add(time.Since(sent) / 2)
			if err == nil {
				r.mu.Lock()
				for _, id := range got {
					if !p.pending[id] {
						continue
					}
					delete(p.pending, id)
					p.seen[id] = at
					if ack, ok := r.acked[id]; ok {
						p.lat = append(p.lat, math.Max(0, at.Sub(ack).Seconds()*1000))
					}
				}
				r.mu.Unlock()
			}
		}
		_ = sleep(ctx, r.poll)
	}
}
