package main

import (
	"fmt"
	"io"
	"strings"
)

// costRows are the rows of issue 19's figures: Elasticsearch's CPU per
// document under our writes against the minimal loader's, the pipeline's
// own CPU per article against it, and the pinned figures (or why they are
// missing). Each row is figure, measured, ceiling, ratio, target, verdict.
func (r results) costRows() [][]string {
	ceilMs := r.num("es_ms_per_doc_ceiling")
	rows := [][]string{
		{"1 Elasticsearch CPU, ms/doc", fmtNum(r.num("es_ms_per_doc_e2e"), 3), fmtNum(ceilMs, 3) + " minimal loader",
			fmtNum(r.num("es_cpu_over_ceiling_e2e"), 2), "≤ 1.15", verdict(r.num("es_cpu_over_ceiling_e2e"), 1.15, true)},
		{"2 Elasticsearch CPU, ms/doc", fmtNum(r.num("es_ms_per_doc_index"), 3), fmtNum(ceilMs, 3) + " minimal loader",
			fmtNum(r.num("es_cpu_over_ceiling_index"), 2), "≤ 1.15", verdict(r.num("es_cpu_over_ceiling_index"), 1.15, true)},
		{"1 pipeline CPU, ms/article", fmtNum(1000*r.num("pipeline_cpu_s_e2e")/r.num("n"), 3), fmtNum(ceilMs, 3) + " ES in ceiling",
			fmtNum(r.num("pipeline_cpu_over_es"), 2), "≤ 0.5", verdict(r.num("pipeline_cpu_over_es"), 0.5, true)},
	}
	if why, ok := r["pinned"].(string); ok && strings.HasPrefix(why, "not pinned") {
		return append(rows,
			[]string{"1 end to end pinned", why, "", "", "≥ 0.9", "n/a"},
			[]string{"2 index stage pinned", why, "", "", "≥ 0.95", "n/a"})
	}
	ceil := fmtNum(r.num("e2e_pinned_ceiling_articles_per_s"), 0) + " bulk " + fmt.Sprint(r["e2e_pinned_ceiling_config"])
	return append(rows,
		[]string{"1 end to end pinned, articles/s", fmtNum(r.num("e2e_pinned_articles_per_s"), 0), ceil,
			fmtNum(r.num("e2e_pinned_ratio"), 2), "≥ 0.9", verdict(r.num("e2e_pinned_ratio"), 0.9, false)},
		[]string{"2 index stage pinned, docs/s", fmtNum(r.num("index_pinned_docs_per_s"), 0), ceil,
			fmtNum(r.num("index_pinned_ratio"), 2), "≥ 0.95", verdict(r.num("index_pinned_ratio"), 0.95, false)})
}

// printCostTable prints costRows as a table, then what Elasticsearch did
// in each writing phase.
func (r results) printCostTable(w io.Writer) {
	rows := append([][]string{{"cost and pinned", "measured", "ceiling", "ratio", "target", ""}}, r.costRows()...)
	fmt.Fprintln(w)
	printRows(w, rows)
	es, ok := r["es"].(map[string]esCost)
	if !ok || len(es) == 0 {
		return
	}
	fmt.Fprintln(w, "\nElasticsearch per writing phase, up to searchable and through the merges after:")
	for _, phase := range []string{"e2e", "index", "ceiling", "e2e_pinned", "index_pinned", "ceiling_pinned"} {
		if c, ok := es[phase]; ok {
			fmt.Fprintf(w, "  %-14s %s\n", phase, c)
		}
	}
}
