// Command newsbench measures the pipeline on the real Kafka and
// Elasticsearch, each figure next to a ceiling measured in the same run on
// the same machine, prints a table and writes the figures as JSON.
//
//	newsbench [run]   every figure; `make bench` runs it through scripts/bench.sh
//	newsbench clean   delete what earlier runs left behind (topics, groups,
//	                  indices and templates named newsbench-*)
//
// Every run uses its own topics, consumer groups, alias and ports, and
// deletes them at the end, so it never touches the demo's data. Settings
// come from environment variables, flags override them (newsbench run -h).
package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/pipeline/cli"
	"github.com/deskwire/newsroom/services/pipeline/envflag"
	"github.com/deskwire/newsroom/services/pipeline/stream"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(cli.Exit("newsbench", err))
}

// config is the benchmark's configuration.
type config struct {
	Kafka stream.Config
	ES    esindex.Config
	// N is the number of articles of the throughput figures (default 50000).
	N int
	// Bin holds ingest, classify, index and pipelinectl (default bin).
	Bin string
	// Infra is scripts/infra.sh, which runs Kafka's performance tools.
	Infra string
	// Source is the NDJSON whose text the articles are made of.
	Source string
	// Out is the JSON results file (default bench-results.json).
	Out string
	// GoBench is the output of the classify micro-benchmarks (go test -bench).
	GoBench string
	// WorkDir holds the generated articles and the logs of one run.
	WorkDir string
	// ITestDir is where scripts/infra.sh keeps the servers' pid files.
	ITestDir string
	// Figures selects the phases to run (default all).
	Figures string
	// Ceiling lists the bulk sizes and concurrencies of the minimal loader.
	Ceiling string
	// LatencyDuration and LatencyRate shape the latency figure (30s, 50/s).
	LatencyDuration time.Duration
	LatencyRate     int
	// ClassifyMaxBatch and ClassifyBatchWait are classify's consume-loop
	// settings, used by the consume-path measure.
	ClassifyMaxBatch  int
	ClassifyBatchWait time.Duration
	// ClassifyConcurrency is classify's batches in hand, for the same measure.
	ClassifyConcurrency int
	// IndexInstances is how many index services run on one group in
	// figures 1 and 2 (default 1).
	IndexInstances int
	// SearchSizes, SearchRequests and SearchClients shape the search figure
	// (10000,100000,300000 documents; 2000 queries each way per size; 1 client).
	SearchSizes    string
	SearchRequests int
	SearchClients  int
	// Keep leaves the run's topics, groups and indices in place.
	Keep bool
	// Poll is how often the figures ask Elasticsearch for the searchable
	// count (default 50ms): their time resolution, and load on Elasticsearch.
	Poll time.Duration
	// ESWarmup is how many articles warm Elasticsearch up before the first
	// phase that writes to it (default 20000; 0 turns it off; warmup.go).
	ESWarmup int
	// PinnedCeiling lists the minimal loader settings of the pinned
	// ceiling (default 1000x1,1000x2).
	PinnedCeiling string
	// ESCost lists the minimal-loader variants of the escost phase
	// (figures_escost.go).
	ESCost string
}

// allFigures are the phases in the order they run.
var allFigures = []string{"producer", "consumer", "e2e", "index", "ceiling", "reindex", "latency", "pinned", "search"}

// optionalFigures run only when BENCH_FIGURES names them.
var optionalFigures = []string{"escost"}

func (c *config) bind(s *envflag.Set) {
	c.Kafka.Bind(s)
	c.ES.Bind(s)
	s.Int(&c.N, "n", "BENCH_N", 50000, "articles in the throughput figures")
	s.String(&c.Bin, "bin", "NEWSROOM_BIN", "bin", "directory with ingest, classify, index and pipelinectl")
	s.String(&c.Infra, "infra", "BENCH_INFRA", "scripts/infra.sh", "scripts/infra.sh, which runs Kafka's performance tools")
	s.String(&c.Source, "source", "BENCH_SOURCE", "../shared/eval/dev/articles.jsonl", "NDJSON articles whose text the benchmark articles re-use")
	s.String(&c.Out, "out", "BENCH_OUT", "bench-results.json", "JSON results file")
	s.String(&c.GoBench, "gobench", "BENCH_GOBENCH", "", "output of go test -bench 'ClassifyStep|CeilingScan' (figure 4)")
	s.String(&c.WorkDir, "work-dir", "BENCH_WORK_DIR", ".cache/bench", "generated articles and logs (one sub-directory per run)")
	s.String(&c.ITestDir, "itest-dir", "ITEST_DIR", "/var/tmp/itest", "scripts/infra.sh state directory (pid files of Kafka and Elasticsearch)")
	s.String(&c.Figures, "figures", "BENCH_FIGURES", strings.Join(allFigures, ","), "phases to run")
	s.String(&c.Ceiling, "ceiling", "BENCH_CEILING", "250x1,1000x1,500x2,1000x2,500x4", "minimal loader settings, docs-per-bulk x requests-in-flight")
	s.Duration(&c.LatencyDuration, "latency-duration", "BENCH_LATENCY_DURATION", 30*time.Second, "how long the latency figure sends articles")
	s.Int(&c.LatencyRate, "latency-rate", "BENCH_LATENCY_RATE", 50, "articles per second in the latency figure")
	s.Int(&c.ClassifyMaxBatch, "classify-max-batch", "CLASSIFY_MAX_BATCH", 500, "classify's records per batch, for the consume-path measure")
	s.Duration(&c.ClassifyBatchWait, "classify-batch-wait", "CLASSIFY_BATCH_WAIT", 10*time.Millisecond, "classify's batch wait, for the consume-path measure")
	s.Int(&c.ClassifyConcurrency, "classify-concurrency", "CLASSIFY_CONCURRENCY", 2, "classify's batches in hand, for the consume-path measure")
	s.Int(&c.IndexInstances, "index-instances", "BENCH_INDEX_INSTANCES", 1, "index services on one consumer group in figures 1 and 2")
	s.String(&c.SearchSizes, "search-sizes", "BENCH_SEARCH_SIZES", "10000,100000,300000", "documents of the search figure's index, growing (scaled by BENCH_N/50000 when BENCH_N is smaller)")
	s.Int(&c.SearchRequests, "search-requests", "BENCH_SEARCH_REQUESTS", 2000, "queries each way (API and direct) per size in the search figure")
	s.Int(&c.SearchClients, "search-clients", "BENCH_SEARCH_CLIENTS", 1, "concurrent clients of the search figure")
	s.Bool(&c.Keep, "keep", "BENCH_KEEP", false, "keep the run's topics, groups and indices")
	s.Duration(&c.Poll, "poll", "BENCH_POLL", 50*time.Millisecond, "how often the figures poll _count until all documents are searchable")
	s.Int(&c.ESWarmup, "es-warmup", "BENCH_ES_WARMUP", 20000, "articles indexed into a throwaway index before the first phase that writes to Elasticsearch (0: none)")
	s.String(&c.PinnedCeiling, "pinned-ceiling", "BENCH_PINNED_CEILING", "1000x1,1000x2", "minimal loader settings of the pinned ceiling, docs-per-bulk x requests-in-flight")
	s.String(&c.ESCost, "escost", "BENCH_ESCOST", defaultESCost, "minimal-loader variants of the escost phase, DOCSxCONC[+service|ext|alias|paced|refresh=D|async|busy]")
}

func (c *config) validate() error {
	var errs []string
	if c.N < 100 {
		errs = append(errs, fmt.Sprintf("BENCH_N=%d: want at least 100", c.N))
	}
	if c.Poll < 10*time.Millisecond || c.Poll > time.Second {
		errs = append(errs, "BENCH_POLL must be 10ms to 1s")
	}
	if c.IndexInstances < 1 {
		errs = append(errs, "BENCH_INDEX_INSTANCES must be ≥ 1")
	}
	if c.LatencyRate < 1 || c.LatencyDuration < time.Second {
		errs = append(errs, "BENCH_LATENCY_RATE must be ≥ 1 and BENCH_LATENCY_DURATION ≥ 1s")
	}
	if _, err := searchSizes(c.SearchSizes, c.N); err != nil {
		errs = append(errs, err.Error())
	}
	if c.SearchRequests < 1 || c.SearchClients < 1 {
		errs = append(errs, "BENCH_SEARCH_REQUESTS and BENCH_SEARCH_CLIENTS must be ≥ 1")
	}
	if _, err := parseVariants(c.ESCost); err != nil {
		errs = append(errs, err.Error())
	}
	if _, err := parseCeiling(c.Ceiling); err != nil {
		errs = append(errs, err.Error())
	}
	if _, err := parseCeiling(c.PinnedCeiling); err != nil {
		errs = append(errs, "BENCH_PINNED_CEILING: "+err.Error())
	}
	for _, f := range strings.Split(c.Figures, ",") {
		if f := strings.TrimSpace(f); !contains(allFigures, f) && !contains(optionalFigures, f) {
			errs = append(errs, fmt.Sprintf("BENCH_FIGURES: unknown phase %q (want %s)", f, strings.Join(append(allFigures, optionalFigures...), ",")))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// loaderSetting is one configuration of the minimal bulk loader.
type loaderSetting struct{ Docs, Conc int }

func (l loaderSetting) String() string { return fmt.Sprintf("%dx%d", l.Docs, l.Conc) }

func parseCeiling(s string) ([]loaderSetting, error) {
	var out []loaderSetting
	for _, part := range strings.Split(s, ",") {
		d, c, ok := strings.Cut(strings.TrimSpace(part), "x")
		docs, err1 := strconv.Atoi(d)
		conc, err2 := strconv.Atoi(c)
		if !ok || err1 != nil || err2 != nil || docs < 1 || conc < 1 {
			return nil, fmt.Errorf("BENCH_CEILING: %q is not DOCSxCONCURRENCY", part)
		}
		out = append(out, loaderSetting{docs, conc})
	}
	return out, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	// GOMEMLIMIT in the environment is for the services under test; the
	// benchmark holds every document of a run in memory.
	debug.SetMemoryLimit(math.MaxInt64)
	cmd, args := cli.Subcommand(args, "run")
	if cmd != "run" && cmd != "clean" {
		return cli.UsageError{Msg: fmt.Sprintf("unknown command %q: want run or clean", cmd)}
	}
	var cfg config
	log, _, err := cli.Parse("newsbench "+cmd, args, stderr, cfg.bind)
	if err != nil {
		return err
	}
	defer log.Sync()
	if err := cfg.Kafka.Validate(); err != nil {
		return err
	}
	if err := cfg.validate(); err != nil {
		return cli.UsageError{Msg: err.Error()}
	}
	b, err := newBench(&cfg, log, stdout, stderr)
	if err != nil {
		return err
	}
	if cmd == "clean" {
		return b.cleanup("newsbench-")
	}
	return b.run(ctx)
}

// workDir makes the run's directory.
func workDir(base, runID string) (string, error) {
	dir := filepath.Join(base, runID)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("creating %s: %w", dir, err)
	}
	return dir, nil
}
