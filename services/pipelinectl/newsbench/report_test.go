package main

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var testNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func TestParseGoBench(t *testing.T) {
	out := `goos: linux
cpu: AMD EPYC
BenchmarkExtract      	    1124	   1967033 ns/op	  25.11 MB/s	  288618 B/op	    1870 allocs/op
BenchmarkCeilingScan  	    6471	    436162 ns/op	 113.25 MB/s	        30.73 names/article	   52994 B/op	      26 allocs/op
BenchmarkCeilingScan  	    6471	    436162 ns/op	 118.50 MB/s	        30.73 names/article
BenchmarkClassifyStep-4 	    1071	   2345852 ns/op	  21.06 MB/s	        13.65 entities/article
PASS`
	got, err := parseGoBench(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	want := goBench{"BenchmarkExtract": 25.11, "BenchmarkCeilingScan": 118.5, "BenchmarkClassifyStep": 21.06}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, err := parseGoBench(strings.NewReader("PASS\n")); err == nil {
		t.Error("output without benchmarks: no error")
	}
}

func TestParseProducerPerf(t *testing.T) {
	out := `Reading payloads from: /tmp/payloads.txt
Number of messages read: 2000
5000 records sent, 999.8 records/sec (4.27 MB/sec), 1.2 ms avg latency, 9.0 ms max latency.
2000 records sent, 3929.3 records/sec (16.80 MB/sec), 33.26 ms avg latency, 390.00 ms max latency, 30 ms 50th, 63 ms 95th, 66 ms 99th, 70 ms 99.9th.
`
	got, err := parseProducerPerf(out)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(producerPerf{Records: 2000, RecordsPerSec: 3929.3, MiBPerSec: 16.8}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, err := parseProducerPerf("org.apache.kafka.common.errors.TimeoutException\n"); err == nil {
		t.Error("output without a summary: no error")
	}
}

func TestParseConsumerPerf(t *testing.T) {
	out := `WARN some log line
start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
2026-11-27 00:26:58:287, 2026-11-27 00:26:58:792, 8.6134, 17.0562, 2000, 3960.3960, 362, 143, 60.2336, 13986.0140
`
	got, err := parseConsumerPerf(out)
	if err != nil {
		t.Fatal(err)
	}
	want := consumerPerf{Records: 2000, MiB: 8.6134, FetchMiBPerSec: 60.2336, FetchMsgPerSec: 13986.014, FetchMillis: 143, RebalanceMs: 362}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, bad := range []string{"nothing\n", "fetch.MB.sec, x\n1, 2, 3\n"} {
		if _, err := parseConsumerPerf(bad); err == nil {
			t.Errorf("parseConsumerPerf(%q): no error", bad)
		}
	}
}

func TestPercentile(t *testing.T) {
	var v []float64
	for i := 1; i <= 200; i++ {
		v = append(v, float64(i))
	}
	tests := []struct {
		q    float64
		want float64
	}{{0.5, 100}, {0.95, 190}, {0.99, 198}, {1, 200}, {0, 1}}
	for _, tt := range tests {
		if got := percentile(v, tt.q); got != tt.want {
			t.Errorf("percentile(1..200, %v) = %v, want %v", tt.q, got, tt.want)
		}
	}
	if !math.IsNaN(percentile(nil, 0.5)) {
		t.Error("percentile of nothing is not NaN")
	}
	st := summarize([]float64{30, 10, 20})
	if diff := cmp.Diff(latencyStats{Samples: 3, P50: 20, P95: 30, P99: 30, Max: 30}, st); diff != "" {
		t.Errorf("summarize (-want +got):\n%s", diff)
	}
}

func TestRatiosAndTable(t *testing.T) {
	b := &bench{res: results{
		"e2e_articles_per_s": 800.0, "e2e_ceiling_articles_per_s": 1000.0, "e2e_ceiling_config": "1000x2",
		"index_docs_per_s": 950.0, "producer_mb_per_s": 30.0, "producer_ceiling_mb_per_s": 40.0,
		"latency_p99_ms": 1400.0, "latency_direct_p99_ms": 1200.0, "rss_peak_mb_classify": 160.0,
	}}
	b.ratios()
	for key, want := range map[string]float64{"e2e_ratio": 0.8, "index_ratio": 0.95, "producer_ratio": 0.75, "latency_p99_over_direct_ms": 200} {
		if got := b.res.num(key); got != want {
			t.Errorf("%s = %v, want %v", key, got, want)
		}
	}
	if !math.IsNaN(b.res.num("consumer_ratio")) {
		t.Errorf("consumer_ratio without figures = %v, want NaN", b.res.num("consumer_ratio"))
	}
	var out strings.Builder
	b.res.printTable(&out)
	for _, want := range []string{"1000 bulk 1000x2", "0.80", "+200 ms", "MISSED"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
	path := t.TempDir() + "/r.json"
	if err := b.res.writeJSON(path); err != nil {
		t.Fatalf("NaN figures must be written as null: %v", err)
	}
}

func TestParseCeiling(t *testing.T) {
	got, err := parseCeiling("250x1, 1000x2")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]loaderSetting{{250, 1}, {1000, 2}}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, bad := range []string{"", "250", "0x1", "ax2"} {
		if _, err := parseCeiling(bad); err == nil {
			t.Errorf("parseCeiling(%q): no error", bad)
		}
	}
}

func TestFmtSigned(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{{200, "+200"}, {0, "+0"}, {-94.4, "-94"}, {math.NaN(), "—"}} {
		if got := fmtSigned(tc.v, 0); got != tc.want {
			t.Errorf("fmtSigned(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}
