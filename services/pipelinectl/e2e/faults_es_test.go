//go:build faults

package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/elastic/go-elasticsearch/v8"
	"github.com/elastic/go-elasticsearch/v8/esapi"

	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/index/estest"
)

// watermarks sets the disk watermarks (minimum free bytes) and how often the
// node checks its disk; "" resets a setting to its default.
func watermarks(t *testing.T, es *elasticsearch.Client, free, every string) {
	t.Helper()
	v, interval := any(nil), any(nil)
	if free != "" {
		v = free
	}
	if every != "" {
		interval = every
	}
	body, _ := json.Marshal(map[string]any{"persistent": map[string]any{
		"cluster.routing.allocation.disk.watermark.low":         v,
		"cluster.routing.allocation.disk.watermark.high":        v,
		"cluster.routing.allocation.disk.watermark.flood_stage": v,
		"cluster.info.update.interval":                          interval,
	}})
	esDo(t, es, esapi.ClusterPutSettingsRequest{Body: strings.NewReader(string(body))}, nil)
}

// readOnly reports whether the index behind alias carries the flood-stage
// block.
func readOnly(t *testing.T, es *elasticsearch.Client, alias string) bool {
	t.Helper()
	var out map[string]struct {
		Settings struct {
			Index struct {
				Blocks struct {
					ReadOnlyAllowDelete string `json:"read_only_allow_delete"`
				} `json:"blocks"`
			} `json:"index"`
		} `json:"settings"`
	}
	esDo(t, es, esapi.IndicesGetSettingsRequest{Index: []string{alias}}, &out)
	for _, idx := range out {
		return idx.Settings.Index.Blocks.ReadOnlyAllowDelete == "true"
	}
	return false
}

// waitReadOnly waits until the block is as wanted.
func waitReadOnly(t *testing.T, es *elasticsearch.Client, alias string, want bool, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for readOnly(t, es, alias) != want {
		if time.Now().After(deadline) {
			t.Fatalf("index behind %s: read-only block still %v after %s", alias, !want, timeout)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// TestFaultElasticsearchReadOnly: the disk flood-stage watermark puts the
// index into a read-only block (Elasticsearch answers 429 to every write)
// mid-load, then the disk "frees up" and Elasticsearch lifts the block. The
// index stage backs off meanwhile; nothing is dead-lettered or lost.
func TestFaultElasticsearchReadOnly(t *testing.T) {
	cfg := &esindex.Config{URL: estest.URL(t)}
	es, err := cfg.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { watermarks(t, es, "", "") })
	runFault(t, "fro", func(t *testing.T, s *stack) {
		var stats struct {
			Nodes map[string]struct {
				FS struct {
					Total struct {
						Available int64 `json:"available_in_bytes"`
					} `json:"total"`
				} `json:"fs"`
			} `json:"nodes"`
		}
		esDo(t, es, esapi.NodesStatsRequest{Metric: []string{"fs"}}, &stats)
		var free int64
		for _, n := range stats.Nodes {
			free = n.FS.Total.Available
		}
		if free == 0 {
			t.Fatal("Elasticsearch reported no free disk space")
		}
		// Demand more free space than the disk has: the node is past flood stage.
		watermarks(t, es, fmt.Sprintf("%db", free+(10<<30)), "10s")
		waitReadOnly(t, es, s.alias, true, 60*time.Second)
		time.Sleep(10 * time.Second) // writes refused while the load goes on
		watermarks(t, es, "", "10s") // Elasticsearch lifts the block at its next disk check
		waitReadOnly(t, es, s.alias, false, 60*time.Second)
	})
}
