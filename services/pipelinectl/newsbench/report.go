package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// results are the figures of one run: flat keys for the figures and
// ratios, plus nested details (CPU per phase, every ceiling attempt).
type results map[string]any

func round(v float64, digits int) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	p := math.Pow(10, float64(digits))
	return math.Round(v*p) / p
}

// ratio returns a/b rounded, or NaN when b is not positive.
func ratio(a, b float64) float64 {
	if b <= 0 {
		return math.NaN()
	}
	return round(a/b, 3)
}

// num reads a number figure; NaN when it is missing.
func (r results) num(key string) float64 {
	switch v := r[key].(type) {
	case float64:
		return v
	case int:
		return float64(v)
	case int64:
		return float64(v)
	}
	return math.NaN()
}

// atLeast raises the figure key to v (the peak over several processes).
func (r results) atLeast(key string, v float64) {
	if old := r.num(key); math.IsNaN(old) || v > old {
		r[key] = v
	}
}

// writeJSON writes the results; NaN (a figure that failed) becomes null.
func (r results) writeJSON(path string) error {
	clean := map[string]any{}
	for k, v := range r {
		if f, ok := v.(float64); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
			clean[k] = nil
			continue
		}
		clean[k] = v
	}
	b, err := json.MarshalIndent(clean, "", "  ")
	if err != nil {
		return fmt.Errorf("encoding results: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

func fmtNum(v float64, digits int) string {
	if math.IsNaN(v) {
		return "—"
	}
	return strconv.FormatFloat(v, 'f', digits, 64)
}

// fmtSigned formats v with its sign, + included: a difference.
func fmtSigned(v float64, digits int) string {
	if v >= 0 {
		return "+" + fmtNum(v, digits)
	}
	return fmtNum(v, digits)
}

// verdict compares a figure with its target.
func verdict(v, target float64, atMost bool) string {
	switch {
	case math.IsNaN(v):
		return "n/a"
	case atMost && v <= target, !atMost && v >= target:
		return "ok"
	}
	return "MISSED"
}

// printTable prints the figures next to their ceilings.
func (r results) printTable(w io.Writer) {
	type row struct{ figure, measured, ceiling, ratio, target, verdict string }
	rows := []row{
		{"1 end to end, articles/s", fmtNum(r.num("e2e_articles_per_s"), 0),
			fmtNum(r.num("e2e_ceiling_articles_per_s"), 0) + " bulk " + fmt.Sprint(r["e2e_ceiling_config"]),
			fmtNum(r.num("e2e_ratio"), 2), "see 1p", "-"},
		{"2 index stage alone, docs/s", fmtNum(r.num("index_docs_per_s"), 0), fmtNum(r.num("e2e_ceiling_articles_per_s"), 0) + " (same ceiling)",
			fmtNum(r.num("index_ratio"), 2), "see 2p", "-"},
		{"3 producer, MB/s", fmtNum(r.num("producer_mb_per_s"), 1), fmtNum(r.num("producer_ceiling_mb_per_s"), 1) + " ProducerPerformance",
			fmtNum(r.num("producer_ratio"), 2), "≥ 0.9", verdict(r.num("producer_ratio"), 0.9, false)},
		{"3 consumer, MB/s", fmtNum(r.num("consumer_mb_per_s"), 1), fmtNum(r.num("consumer_ceiling_mb_per_s"), 1) + " ConsumerPerformance",
			fmtNum(r.num("consumer_ratio"), 2), "≥ 0.8", verdict(r.num("consumer_ratio"), 0.8, false)},
		{"4 classify, MB/s per core", fmtNum(r.num("classify_mb_per_s_per_core"), 1), fmtNum(r.num("classify_ceiling_mb_per_s_per_core"), 1) + " n-gram scan",
			fmtNum(r.num("classify_ratio"), 2), "≥ 0.5, ≥ 25 MB/s",
			worst(verdict(r.num("classify_ratio"), 0.5, false), verdict(r.num("classify_mb_per_s_per_core"), 25, false))},
		{"5 latency p50/p95/p99, ms",
			fmtNum(r.num("latency_p50_ms"), 0) + " / " + fmtNum(r.num("latency_p95_ms"), 0) + " / " + fmtNum(r.num("latency_p99_ms"), 0),
			fmtNum(r.num("latency_direct_p50_ms"), 0) + " / " + fmtNum(r.num("latency_direct_p95_ms"), 0) + " / " + fmtNum(r.num("latency_direct_p99_ms"), 0) + " direct",
			fmtSigned(r.num("latency_p99_over_direct_ms"), 0) + " ms", "≤ +250 ms", verdict(r.num("latency_p99_over_direct_ms"), 250, true)},
		{"5 to indexed (no refresh), ms",
			fmtNum(r.num("latency_indexed_p50_ms"), 0) + " / " + fmtNum(r.num("latency_indexed_p95_ms"), 0) + " / " + fmtNum(r.num("latency_indexed_p99_ms"), 0),
			"", "", "", ""},
		{"6 reindex, articles/s", fmtNum(r.num("reindex_articles_per_s"), 0), fmtNum(r.num("e2e_articles_per_s"), 0) + " (figure 1)",
			fmtNum(r.num("reindex_ratio"), 2), "≥ 1.0", verdict(r.num("reindex_ratio"), 1, false)},
	}
	for _, svc := range []string{"ingest", "classify", "index"} {
		rows = append(rows, row{"7 peak RSS " + svc + ", MB", fmtNum(r.num("rss_peak_mb_"+svc), 0), "", "", "≤ 150",
			verdict(r.num("rss_peak_mb_"+svc), 150, true)})
	}
	for _, x := range r.searchRows() {
		rows = append(rows, row(x))
	}
	all := [][]string{{"figure", "measured", "ceiling", "ratio", "target", ""}}
	for _, x := range rows {
		all = append(all, []string{x.figure, x.measured, x.ceiling, x.ratio, x.target, x.verdict})
	}
	printRows(w, all)
}

// printCPU prints where the CPU went in each phase: what limits each
// figure, and how much other work shared the machine.
func (r results) printCPU(w io.Writer) {
	cpu, ok := r["cpu"].(map[string]cpuUse)
	if !ok || len(cpu) == 0 {
		return
	}
	fmt.Fprintln(w, "\nCPU seconds per phase (2 cores = 2 CPU-s per second of wall time):")
	for _, phase := range append(allFigures, "e2e_pinned", "index_pinned", "escost") {
		if u, ok := cpu[phase]; ok {
			fmt.Fprintf(w, "  %-9s %s\n", phase, u)
		}
	}
}

func worst(a, b string) string {
	for _, v := range []string{"MISSED", "n/a"} {
		if a == v || b == v {
			return v
		}
	}
	return a
}

// goBench is the best MB/s of each benchmark in `go test -bench` output.
type goBench map[string]float64

// parseGoBench reads benchmark lines ("BenchmarkX[-P]  N  T ns/op  M MB/s
// …") and keeps the highest MB/s of each name (best of -count runs).
func parseGoBench(r io.Reader) (goBench, error) {
	out := goBench{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := f[0]
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i]
			}
		}
		for i := 2; i+1 < len(f); i++ {
			if f[i+1] != "MB/s" {
				continue
			}
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				return nil, fmt.Errorf("parsing %q: %w", sc.Text(), err)
			}
			out[name] = math.Max(out[name], v)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, errors.New("no benchmark with MB/s in the go test output")
	}
	return out, nil
}

// printRows prints rows as columns padded to their widest cell, the first
// row a heading underlined.
func printRows(w io.Writer, rows [][]string) {
	var widths []int
	for _, row := range rows {
		for i, s := range row {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], len([]rune(s)))
		}
	}
	line := 2 * (len(widths) - 1)
	for _, wd := range widths {
		line += wd
	}
	for i, row := range rows {
		var b strings.Builder
		for j, s := range row {
			b.WriteString(s)
			if j < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[j]-len([]rune(s))+2))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
		if i == 0 {
			fmt.Fprintln(w, strings.Repeat("-", line))
		}
	}
}
