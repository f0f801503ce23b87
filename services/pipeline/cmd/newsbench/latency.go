package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"sort"
	"sync"
	"time"
)

// latencyStats summarizes the time from acknowledgement to searchable.
type latencyStats struct {
	Samples       int
	P50, P95, P99 float64 // milliseconds
	Max           float64
	Failed        int
	NotSearchable int
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

// latencyRun sends articles at a steady rate through send (which returns
// once the article is acknowledged) and finds when each becomes
// searchable by polling visible: open loop, so a slow answer never delays
// the next article.
type latencyRun struct {
	name    string
	rate    float64
	count   int
	send    func(ctx context.Context, i int) (id string, err error)
	idOf    func(i int) string
	visible func(ctx context.Context, ids []string) ([]string, error)
	poll    time.Duration

	mu       sync.Mutex
	acked    map[string]time.Time
	seen     map[string]time.Time
	pending  map[string]bool
	lat      []float64
	failed   int
	firstErr error
}

func (r *latencyRun) run(ctx context.Context, out io.Writer) (latencyStats, error) {
	r.acked, r.seen, r.pending = map[string]time.Time{}, map[string]time.Time{}, map[string]bool{}
	pollCtx, stopPoll := context.WithCancel(ctx)
	defer stopPoll()
	var pollWG sync.WaitGroup
	pollWG.Add(1)
	go func() { defer pollWG.Done(); r.pollLoop(pollCtx) }()

	interval := time.Duration(float64(time.Second) / r.rate)
	var sendWG sync.WaitGroup
	start := time.Now()
	for i := 0; i < r.count; i++ {
		if err := sleep(ctx, time.Until(start.Add(time.Duration(i)*interval))); err != nil {
			return latencyStats{}, err
		}
		id := r.idOf(i)
		r.mu.Lock()
		r.pending[id] = true
		r.mu.Unlock()
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
				delete(r.pending, id)
				return
			}
			r.acked[id] = now
			if t, ok := r.seen[id]; ok {
				r.lat = append(r.lat, math.Max(0, t.Sub(now).Seconds()*1000))
			}
		}(i)
	}
	sendWG.Wait()
	// Wait for the last articles to become searchable.
	deadline := time.Now().Add(60 * time.Second)
	for {
		r.mu.Lock()
		left := len(r.pending)
		r.mu.Unlock()
		if left == 0 || time.Now().After(deadline) {
			break
		}
		if err := sleep(ctx, 50*time.Millisecond); err != nil {
			return latencyStats{}, err
		}
	}
	stopPoll()
	pollWG.Wait()
	r.mu.Lock()
	defer r.mu.Unlock()
	st := summarize(r.lat)
	st.Failed, st.NotSearchable = r.failed, len(r.pending)
	fmt.Fprintf(out, "  %s: %d articles, p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms\n", r.name, st.Samples, st.P50, st.P95, st.P99, st.Max)
	if r.failed > 0 {
		return st, fmt.Errorf("%s: %d of %d articles not acknowledged, first error: %w", r.name, r.failed, r.count, r.firstErr)
	}
	if st.NotSearchable > 0 {
		return st, fmt.Errorf("%s: %d articles not searchable 60 s after the last was sent", r.name, st.NotSearchable)
	}
	return st, nil
}

// pollLoop asks which pending articles are searchable; an article became
// searchable between the previous search and this one, so it is stamped
// with the middle of this search's round trip.
func (r *latencyRun) pollLoop(ctx context.Context) {
	for ctx.Err() == nil {
		r.mu.Lock()
		ids := make([]string, 0, len(r.pending))
		for id := range r.pending {
			ids = append(ids, id)
			if len(ids) == 1000 {
				break
			}
		}
		r.mu.Unlock()
		if len(ids) > 0 {
			sent := time.Now()
			vis, err := r.visible(ctx, ids)
			got := time.Now()
			at := sent.Add(got.Sub(sent) / 2)
			if err == nil {
				r.mu.Lock()
				for _, id := range vis {
					if !r.pending[id] {
						continue
					}
					delete(r.pending, id)
					r.seen[id] = at
					if ack, ok := r.acked[id]; ok {
						r.lat = append(r.lat, math.Max(0, at.Sub(ack).Seconds()*1000))
					}
				}
				r.mu.Unlock()
			}
		}
		_ = sleep(ctx, r.poll)
	}
}
