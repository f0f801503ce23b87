package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestMetricSum(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `# HELP newsroom_bulk_seconds Elasticsearch bulk request latency.
# TYPE newsroom_bulk_seconds histogram
newsroom_bulk_seconds_bucket{service="index",le="0.002"} 0
newsroom_bulk_seconds_sum{service="index"} 12.5
newsroom_bulk_seconds_count{service="index"} 100
newsroom_bulk_seconds_count_other 7
newsroom_messages_consumed_total{service="index",topic="a"} 3
newsroom_messages_consumed_total{service="index",topic="b"} 4.5e+06
newsroom_messages_consumed_totally 9
`)
	}))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	for _, tc := range []struct {
		name string
		want float64
	}{
		{"newsroom_bulk_seconds_count", 100},
		{"newsroom_bulk_seconds_sum", 12.5},
		{"newsroom_messages_consumed_total", 4500003},
		{"newsroom_missing", 0},
	} {
		got, err := metricSum(addr, tc.name)
		if err != nil || got != tc.want {
			t.Errorf("metricSum(%s) = %v, %v; want %v", tc.name, got, err, tc.want)
		}
	}
}
