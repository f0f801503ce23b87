package main

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/deskwire/newsroom/services/index/esindex"
)

func TestParseVariant(t *testing.T) {
	cases := []struct {
		in   string
		want loadVariant
		err  bool
	}{
		{in: "1000x2", want: loadVariant{Docs: 1000, Conc: 2}},
		{in: " 500x3+service+paced ", want: loadVariant{Docs: 500, Conc: 3, Service: true, Paced: true}},
		{in: "1000x2+ext+alias", want: loadVariant{Docs: 1000, Conc: 2, External: true, Alias: true}},
		{in: "1000x2+refresh=30s+async+busy", want: loadVariant{Docs: 1000, Conc: 2, Refresh: "30s", AsyncTranslog: true, Busy: true}},
		{in: "1000x2+refresh=-1", want: loadVariant{Docs: 1000, Conc: 2, Refresh: "-1"}},
		{in: "1000x2+refresh=soon", err: true},
		{in: "1000x2+turbo", err: true},
		{in: "ext+1000x2", err: true},
		{in: "0x2", err: true},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseVariant(tc.in)
			if (err != nil) != tc.err {
				t.Fatalf("error %v, want error %v", err, tc.err)
			}
			if diff := cmp.Diff(tc.want, got, cmpopts.IgnoreUnexported(loadVariant{})); !tc.err && diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	if _, err := parseVariants(defaultESCost); err != nil {
		t.Errorf("the default variants do not parse: %v", err)
	}
}

func TestVariantBodies(t *testing.T) {
	ops := []esindex.Op{{ID: "a", Version: 7, Doc: []byte(`{"x":1}`)}, {ID: "b", Version: 8, Doc: []byte(`{"x":2}`)}, {ID: "c", Version: 9, Doc: []byte(`{"x":3}`)}}
	plain := variantBodies(ops, loadVariant{Docs: 2, Conc: 1})
	if len(plain) != 2 || bytes.Contains(plain[0], []byte("version")) {
		t.Errorf("plain bodies: %q", plain)
	}
	ext := variantBodies(ops, loadVariant{Docs: 2, Conc: 1, External: true})
	want := `{"index":{"_id":"a","version":7,"version_type":"external_gte"}}` + "\n" + `{"x":1}` + "\n" +
		`{"index":{"_id":"b","version":8,"version_type":"external_gte"}}` + "\n" + `{"x":2}` + "\n"
	if len(ext) != 2 || string(ext[0]) != want {
		t.Errorf("versioned body:\n%s\nwant:\n%s", ext[0], want)
	}
}

func TestParseIndexStats(t *testing.T) {
	body := `{"_all":{"primaries":{"indexing":{"index_total":1000,"index_time_in_millis":900},
		"refresh":{"total":12,"total_time_in_millis":300},
		"merges":{"current":1,"total":3,"total_time_in_millis":4500,"total_docs":2500,"total_throttled_time_in_millis":10},
		"flush":{"total":2},"segments":{"count":9},"search":{"query_total":44}}}}`
	got, err := parseIndexStats([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	want := indexStats{Indexed: 1000, IndexMillis: 900, Refreshes: 12, RefreshMillis: 300, Merges: 3, MergeMillis: 4500, MergedDocs: 2500,
		MergesRunning: 1, Flushes: 2, Segments: 9, Queries: 44, ThrottleMillis: 10}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for _, bad := range []string{`{}`, `not json`} {
		if _, err := parseIndexStats([]byte(bad)); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}

func TestCostRatios(t *testing.T) {
	b := &bench{cfg: &config{N: 1000}, res: results{
		"es_ms_per_doc_ceiling": 0.4, "es_ms_per_doc_e2e": 0.5, "es_ms_per_doc_index": 0.42,
		"e2e_pinned_articles_per_s": 900.0, "e2e_pinned_ceiling_articles_per_s": 1000.0, "index_pinned_docs_per_s": 960.0,
		"cpu": map[string]cpuUse{"e2e": {Seconds: map[string]float64{"ingest-load": 0.05, "classify": 0.1, "index": 0.03, "kafka": 1, "elasticsearch": 9}}},
	}}
	b.costRatios()
	got := map[string]float64{}
	for _, k := range []string{"es_cpu_over_ceiling_e2e", "es_cpu_over_ceiling_index", "pipeline_cpu_s_e2e", "pipeline_cpu_over_es",
		"e2e_pinned_ratio", "index_pinned_ratio"} {
		got[k] = b.res.num(k)
	}
	// 0.18 CPU-s for 1000 articles is 0.18 ms each, against 0.4 ms.
	want := map[string]float64{"es_cpu_over_ceiling_e2e": 1.25, "es_cpu_over_ceiling_index": 1.05, "pipeline_cpu_s_e2e": 0.18,
		"pipeline_cpu_over_es": 0.45, "e2e_pinned_ratio": 0.9, "index_pinned_ratio": 0.96}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	empty := &bench{cfg: &config{N: 1000}, res: results{}}
	empty.costRatios()
	if v := empty.res.num("es_cpu_over_ceiling_e2e"); !math.IsNaN(v) {
		t.Errorf("no ceiling cost: ratio %v, want NaN", v)
	}
}

func TestESCostPerDoc(t *testing.T) {
	if got := (esCost{Docs: 2000, CPU: 1}).MsPerDoc(); got != 0.5 {
		t.Errorf("MsPerDoc = %v, want 0.5", got)
	}
	if got := (esCost{}).MsPerDoc(); !math.IsNaN(got) {
		t.Errorf("MsPerDoc of nothing = %v, want NaN", got)
	}
}

func TestCostRows(t *testing.T) {
	r := results{"n": 1000, "es_ms_per_doc_ceiling": 0.4, "es_ms_per_doc_e2e": 0.5, "es_cpu_over_ceiling_e2e": 1.25,
		"pipeline_cpu_s_e2e": 0.18, "pipeline_cpu_over_es": 0.45,
		"e2e_pinned_articles_per_s": 900.0, "e2e_pinned_ceiling_articles_per_s": 1000.0, "e2e_pinned_ceiling_config": "1000x1",
		"e2e_pinned_ratio": 0.9, "index_pinned_docs_per_s": 930.0, "index_pinned_ratio": 0.93}
	rows := r.costRows()
	want := [][]string{
		{"1 Elasticsearch CPU, ms/doc", "0.500", "0.400 minimal loader", "1.25", "≤ 1.15", "MISSED"},
		{"2 Elasticsearch CPU, ms/doc", "—", "0.400 minimal loader", "—", "≤ 1.15", "n/a"},
		{"1 pipeline CPU, ms/article", "0.180", "0.400 ES in ceiling", "0.45", "≤ 0.5", "ok"},
		{"1 end to end pinned, articles/s", "900", "1000 bulk 1000x1", "0.90", "≥ 0.9", "ok"},
		{"2 index stage pinned, docs/s", "930", "1000 bulk 1000x1", "0.93", "≥ 0.95", "MISSED"},
	}
	if diff := cmp.Diff(want, rows); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	r["pinned"] = "not pinned: no taskset on this machine"
	rows = r.costRows()
	if last := rows[len(rows)-1]; last[1] != "not pinned: no taskset on this machine" || last[5] != "n/a" {
		t.Errorf("unpinned row %q: want the reason and n/a", last)
	}
	var out strings.Builder
	r.printCostTable(&out)
	if !strings.Contains(out.String(), "not pinned: no taskset") {
		t.Errorf("table lacks the reason:\n%s", out.String())
	}
}
