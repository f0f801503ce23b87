package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/elastic/go-elasticsearch/v8/esapi"
)

// Settling: a phase that follows another one would otherwise pay for the
// merges Elasticsearch still runs on the previous phase's index, and the
// figure would depend on the order of the phases. Before each phase the
// benchmark waits until no merge runs and Kafka and Elasticsearch are idle.
const (
	settleMax     = 60 * time.Second
	settleIdleCPU = 0.15 // cores Kafka and Elasticsearch may use together when idle
)

// settle waits, at most settleMax, until Elasticsearch runs no merge and
// Kafka and Elasticsearch together used under settleIdleCPU cores over the
// last second. It returns how long it waited and whether they settled.
func (b *bench) settle(ctx context.Context) (time.Duration, bool, error) {
	start := time.Now()
	for time.Since(start) < settleMax {
		cpu0 := b.serverCPU()
		if err := sleep(ctx, time.Second); err != nil {
			return time.Since(start), false, err
		}
		busy := b.serverCPU() - cpu0
		merges, err := b.search.runningMerges(ctx)
		if err != nil {
			return time.Since(start), false, err
		}
		if merges == 0 && busy < settleIdleCPU {
			return time.Since(start), true, nil
		}
	}
	return time.Since(start), false, nil
}

// serverCPU is the CPU seconds Kafka and Elasticsearch used so far.
func (b *bench) serverCPU() float64 {
	total := 0.0
	for _, name := range []string{"kafka", "elasticsearch"} {
		if pid, ok := b.servers[name]; ok {
			if s, err := cpuSeconds(pid); err == nil {
				total += s
			}
		}
	}
	return total
}

// runningMerges is the number of merges running on the node(s).
func (s *search) runningMerges(ctx context.Context) (int64, error) {
	body, _, err := s.do(ctx, esapi.NodesStatsRequest{Metric: []string{"indices"}, IndexMetric: []string{"merge"},
		FilterPath: []string{"nodes.*.indices.merges.current"}}, "reading merge stats")
	if err != nil {
		return 0, err
	}
	return parseRunningMerges(body)
}

func parseRunningMerges(body []byte) (int64, error) {
	var r struct {
		Nodes map[string]struct {
			Indices struct {
				Merges struct {
					Current *int64 `json:"current"`
				} `json:"merges"`
			} `json:"indices"`
		} `json:"nodes"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return 0, fmt.Errorf("reading merge stats: %w", err)
	}
	if len(r.Nodes) == 0 {
		return 0, fmt.Errorf("reading merge stats: no node in %.200s", body)
	}
	var n int64
	for id, node := range r.Nodes {
		if node.Indices.Merges.Current == nil {
			return 0, fmt.Errorf("reading merge stats: node %s has no merges.current", id)
		}
		n += *node.Indices.Merges.Current
	}
	return n, nil
}
