package metrics

import (
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// series lists the series of the named counters in the registry as
// "name{label=value,...} value".
func series(t *testing.T, m *Metrics, names ...string) []string {
	t.Helper()
	fams, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range fams {
		if !contains(names, f.GetName()) {
			continue
		}
		for _, s := range f.GetMetric() {
			var labels []string
			for _, l := range s.GetLabel() {
				if l.GetName() != "service" {
					labels = append(labels, l.GetName()+"="+l.GetValue())
				}
			}
			v := "0"
			if s.GetCounter().GetValue() != 0 {
				v = "not zero"
			}
			out = append(out, f.GetName()+"{"+strings.Join(labels, ",")+"} "+v)
		}
	}
	sort.Strings(out)
	return out
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// TestBaseline: every counter an Init method names is exported at zero
// before anything happened; the others are not exported at all.
func TestBaseline(t *testing.T) {
	for _, tc := range []struct {
		name string
		init func(m *Metrics)
		want []string
	}{
		{"nothing", func(*Metrics) {}, nil},
		{"produced", func(m *Metrics) { m.InitProduced("raw") }, []string{
			"newsroom_messages_failed_total{topic=raw} 0", "newsroom_messages_produced_total{topic=raw} 0"}},
		{"dead letters", func(m *Metrics) { m.InitDeadLetters("raw", "decode", "invalid") }, []string{
			"newsroom_messages_deadlettered_total{reason=decode,topic=raw} 0",
			"newsroom_messages_deadlettered_total{reason=invalid,topic=raw} 0"}},
		{"bulk failures", func(m *Metrics) { m.InitBulkFailures(400, 429) }, []string{
			"newsroom_bulk_item_failures_total{status=400} 0", "newsroom_bulk_item_failures_total{status=429} 0"}},
		{"rejected", func(m *Metrics) { m.InitRejected("invalid", "too_large") }, []string{
			"newsroom_articles_rejected_total{reason=invalid} 0", "newsroom_articles_rejected_total{reason=too_large} 0"}},
		{"route", func(m *Metrics) { m.InitRoute("POST /v1/articles") }, []string{
			"newsroom_http_requests_total{code=500,route=POST /v1/articles} 0",
			"newsroom_http_requests_total{code=503,route=POST /v1/articles} 0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := New("test")
			tc.init(m)
			got := series(t, m, "newsroom_messages_failed_total", "newsroom_messages_produced_total",
				"newsroom_messages_deadlettered_total", "newsroom_bulk_item_failures_total",
				"newsroom_articles_rejected_total", "newsroom_http_requests_total")
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("series (-want +got):\n%s", diff)
			}
		})
	}
}
