package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"go.uber.org/zap"

	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/pipeline/stream"
	"github.com/deskwire/newsroom/services/pipelinectl/internal/admin"
)

// bench is one run.
type bench struct {
	cfg    *config
	log    *zap.Logger
	out    io.Writer // the table
	status io.Writer // progress
	runID  string
	dir    string

	kafka  *stream.Client
	ka     admin.Kafka
	search *search
	corpus *corpus
	data   dataset
	res    results

	// servers are Kafka, Elasticsearch and the benchmark itself, for the
	// CPU share of each phase.
	servers map[string]int

	warmed bool // Elasticsearch was warmed up (warmup.go)

	mu       sync.Mutex
	children []*child
	ops      []esindex.Op // the final documents, read from the classified topic
}

func newBench(cfg *config, log *zap.Logger, out, status io.Writer) (*bench, error) {
	kc, err := stream.NewClient(&cfg.Kafka)
	if err != nil {
		return nil, err
	}
	es, err := cfg.ES.NewClient()
	if err != nil {
		return nil, err
	}
	b := &bench{cfg: cfg, log: log, out: out, status: status, kafka: kc, ka: admin.Kafka{C: kc.Kafka()},
		search: &search{es: es, shards: cfg.ES.Shards, poll: cfg.Poll}, res: results{}, servers: map[string]int{"newsbench": os.Getpid()}}
	if pid := readPID(filepath.Join(cfg.ITestDir, "kafka", "kafka.pid")); pid > 0 {
		b.servers["kafka"] = pid
	}
	if pid := readPID(filepath.Join(cfg.ITestDir, "elasticsearch", "run", "es.pid")); pid > 0 {
		b.servers["elasticsearch"] = pid
	}
	return b, nil
}

// freshAdmin returns an admin client with empty metadata: a client caches
// the topics it knows for a while and would not see those a service just
// created.
func (b *bench) freshAdmin() (admin.Kafka, error) {
	kc, err := stream.NewClient(&b.cfg.Kafka)
	if err != nil {
		return admin.Kafka{}, err
	}
	return admin.Kafka{C: kc.Kafka()}, nil
}

// Names of the run's topics, groups and indices: everything starts with
// the run id, so cleanup finds it.
func (b *bench) topic(s string) string { return b.runID + "." + s }
func (b *bench) group(s string) string { return b.runID + "." + s }
func (b *bench) index(s string) string { return b.runID + "-" + s }

func (b *bench) say(format string, args ...any) { fmt.Fprintf(b.status, format+"\n", args...) }

// phaseTimeout bounds a throughput phase: generous, so a slow machine
// finishes, but a stuck pipeline fails.
func (b *bench) phaseTimeout() time.Duration {
	return 5*time.Minute + time.Duration(b.cfg.N/20)*time.Second
}

func (b *bench) run(ctx context.Context) error {
	b.runID = fmt.Sprintf("newsbench-%d", time.Now().Unix())
	var err error
	if b.dir, err = workDir(b.cfg.WorkDir, b.runID); err != nil {
		return err
	}
	b.res["run_id"] = b.runID
	b.res["n"] = b.cfg.N
	b.res["date"] = time.Now().UTC().Format(time.RFC3339)
	b.environment(ctx)
	b.say("newsbench %s: N=%d, work dir %s", b.runID, b.cfg.N, b.dir)

	if err := esindex.Ping(ctx, b.search.es); err != nil {
		return err
	}
	if err := b.kafka.Ping(ctx); err != nil {
		return err
	}
	if b.corpus, err = loadCorpus(b.cfg.Source, 7); err != nil {
		return err
	}
	// The search figure makes its own documents.
	if strings.TrimSpace(b.cfg.Figures) != "search" {
		start := time.Now()
		b.data, err = writeDataset(b.corpus, b.cfg.N, b.runID, filepath.Join(b.dir, "articles.ndjson"), filepath.Join(b.dir, "payloads.txt"),
			func(done int) { b.say("  generating articles: %d of %d", done, b.cfg.N) })
		if err != nil {
			return err
		}
		b.res["article_body_bytes_avg"] = round(float64(b.data.BodyBytes)/float64(b.data.N), 0)
		b.res["record_value_bytes_avg"] = round(float64(b.data.ValueBytes)/float64(b.data.N), 0)
		b.say("generated %d articles in %s: %.0f bytes of text, %.0f-byte records on average", b.data.N,
			time.Since(start).Round(time.Millisecond), float64(b.data.BodyBytes)/float64(b.data.N), float64(b.data.ValueBytes)/float64(b.data.N))
	}

	failures := map[string]string{}
	cpu := map[string]cpuUse{}
	b.res["cpu"] = cpu
	want := map[string]bool{}
	for _, f := range strings.Split(b.cfg.Figures, ",") {
		want[strings.TrimSpace(f)] = true
	}
	phases := []struct {
		name  string
		needs string
		fn    func(context.Context) (cpuUse, error)
	}{
		{"producer", "", b.producer},
		{"consumer", "producer", b.consumer},
		{"e2e", "", b.e2e},
		{"index", "e2e", b.indexAlone},
		{"ceiling", "e2e", b.ceiling},
		{"reindex", "e2e", b.reindex},
		{"latency", "e2e", b.latency},
		{"pinned", "", b.pinned},
		{"search", "", b.searchFigure},
		{"escost", "e2e", b.escost},
	}
	for _, p := range phases {
		if !want[p.name] {
			continue
		}
		if p.needs != "" && (!want[p.needs] || failures[p.needs] != "") {
			failures[p.name] = "skipped: needs " + p.needs
			continue
		}
		b.say("\n== %s", p.name)
		if p.name != "producer" && p.name != "consumer" {
			if err := b.warmES(ctx); err != nil {
				b.say("  %v", err)
			}
			waited, ok, err := b.settle(ctx)
			switch {
			case err != nil:
				b.say("  settling: %v", err)
			case !ok:
				b.say("  Kafka and Elasticsearch still busy after %s; measuring anyway", waited.Round(time.Second))
			case waited > 2*time.Second:
				b.say("  waited %s for Elasticsearch's merges and Kafka to finish", waited.Round(time.Second))
			}
			b.res["settle_s_"+p.name] = round(waited.Seconds(), 1)
		}
		use, err := p.fn(ctx)
		if use.WallSeconds > 0 {
			cpu[p.name] = use
			b.say("  CPU: %s", use)
		}
		if err != nil {
			failures[p.name] = err.Error()
			b.say("  %s FAILED: %v", p.name, err)
		}
		if ctx.Err() != nil {
			break
		}
	}
	if err := b.classifyCPU(); err != nil {
		failures["classify"] = err.Error()
	}
	b.stopChildren()
	if !b.cfg.Keep {
		if err := b.cleanup(b.runID); err != nil {
			b.say("cleanup: %v", err)
		}
		_ = os.Remove(b.data.File)
		_ = os.Remove(b.data.PayloadFile)
	}
	b.ratios()
	b.costRatios()
	if len(failures) > 0 {
		b.res["errors"] = failures
	}
	fmt.Fprintln(b.out)
	b.res.printTable(b.out)
	b.res.printCostTable(b.out)
	b.res.printCPU(b.out)
	if err := b.res.writeJSON(b.cfg.Out); err != nil {
		return err
	}
	fmt.Fprintf(b.out, "\nfigures written to %s; logs in %s\n", b.cfg.Out, b.dir)
	if len(failures) > 0 {
		for k, v := range failures {
			fmt.Fprintf(b.out, "%s: %s\n", k, v)
		}
		return fmt.Errorf("%d phases failed or were skipped", len(failures))
	}
	return ctx.Err()
}

func (u cpuUse) String() string {
	var parts []string
	for _, k := range []string{"ingest", "ingest-load", "classify", "index", "pipelinectl", "kafka", "elasticsearch", "newsbench", "other"} {
		if v, ok := u.Seconds[k]; ok && v > 0 {
			parts = append(parts, fmt.Sprintf("%s %.1fs", k, v))
		}
	}
	return fmt.Sprintf("machine %.0f%% busy over %.1fs; %s", u.MachineBusyPct, u.WallSeconds, strings.Join(parts, ", "))
}

// ratios puts every figure next to its ceiling.
func (b *bench) ratios() {
	r := b.res
	r["e2e_ratio"] = ratio(r.num("e2e_articles_per_s"), r.num("e2e_ceiling_articles_per_s"))
	r["index_ratio"] = ratio(r.num("index_docs_per_s"), r.num("e2e_ceiling_articles_per_s"))
	r["producer_ratio"] = ratio(r.num("producer_mb_per_s"), r.num("producer_ceiling_mb_per_s"))
	r["consumer_ratio"] = ratio(r.num("consumer_mb_per_s"), r.num("consumer_ceiling_mb_per_s"))
	r["classify_ratio"] = ratio(r.num("classify_mb_per_s_per_core"), r.num("classify_ceiling_mb_per_s_per_core"))
	r["reindex_ratio"] = ratio(r.num("reindex_articles_per_s"), r.num("e2e_articles_per_s"))
	r["latency_p99_over_direct_ms"] = round(r.num("latency_p99_ms")-r.num("latency_direct_p99_ms"), 0)
}

// --- children -----------------------------------------------------------------

func (b *bench) track(c *child) *child {
	b.mu.Lock()
	b.children = append(b.children, c)
	b.mu.Unlock()
	return c
}

func (b *bench) stopChildren() {
	b.mu.Lock()
	cs := b.children
	b.children = nil
	b.mu.Unlock()
	for _, c := range cs {
		c.stop()
	}
}

// env is the environment of a child: the benchmark's own, then overrides.
func (b *bench) env(kv ...string) []string {
	return append(os.Environ(), kv...)
}

// stackEnv points the services at the topics, groups and alias of stack.
func (b *bench) stackEnv(stack string) []string {
	return []string{
		"TOPIC_RAW=" + b.topic(stack+".raw"), "TOPIC_CLASSIFIED=" + b.topic(stack+".classified"), "TOPIC_DLQ=" + b.topic(stack+".dlq"),
		"CLASSIFY_GROUP=" + b.group(stack+".classify"), "INDEX_GROUP=" + b.group(stack+".index"), "INDEX_ALIAS=" + b.index(stack),
	}
}

// startService starts bin/name serve on a free port and waits for /healthz.
func (b *bench) startService(ctx context.Context, name, phase string, env ...string) (*child, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	c, err := startChild(name, filepath.Join(b.cfg.Bin, name), []string{"serve"},
		b.env(append(env, "HTTP_ADDR="+addr)...), filepath.Join(b.dir, phase+"-"+name+".log"))
	if err != nil {
		return nil, err
	}
	c.addr = addr
	b.track(c)
	if err := c.waitHealthy(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

// alive fails when one of the services stopped.
func alive(cs ...*child) func() error {
	return func() error {
		for _, c := range cs {
			if c.exited() && (c.err != nil || c.name != "ingest-load") {
				return fmt.Errorf("%s exited (%v):\n%s", c.name, c.err, c.tail(20))
			}
		}
		return nil
	}
}

// --- figure 4: classify CPU ----------------------------------------------------

// classifyCPU reads the micro-benchmarks bench.sh ran: the full classify
// step and the plain multi-pattern scan, each on one core.
func (b *bench) classifyCPU() error {
	if b.cfg.GoBench == "" {
		return errors.New("no go test -bench output given (--gobench)")
	}
	f, err := os.Open(b.cfg.GoBench)
	if err != nil {
		return fmt.Errorf("reading the classify benchmarks: %w", err)
	}
	defer f.Close()
	gb, err := parseGoBench(f)
	if err != nil {
		return err
	}
	step, ok1 := gb["BenchmarkClassifyStep"]
	scan, ok2 := gb["BenchmarkCeilingScan"]
	if !ok1 || !ok2 {
		return fmt.Errorf("the go test output lacks BenchmarkClassifyStep or BenchmarkCeilingScan (has %v)", gb)
	}
	b.res["classify_mb_per_s_per_core"] = round(step, 2)
	b.res["classify_ceiling_mb_per_s_per_core"] = round(scan, 2)
	if v, ok := gb["BenchmarkExtractOnly"]; ok {
		b.res["classify_extract_only_mb_per_s_per_core"] = round(v, 2)
	}
	return nil
}

// --- environment and cleanup ---------------------------------------------------

// environment records the machine and the versions.
func (b *bench) environment(ctx context.Context) {
	b.res["nproc"] = runtime.NumCPU()
	b.res["index_shards"] = b.cfg.ES.Shards
	if mi, err := os.ReadFile("/proc/meminfo"); err == nil {
		if v, err := parseStatusKB(mi, "MemTotal"); err == nil {
			b.res["memory_gb"] = round(float64(v)/(1<<30), 1)
		}
	}
	if ci, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(ci), "\n") {
			if k, v, ok := strings.Cut(l, ":"); ok && strings.TrimSpace(k) == "model name" {
				b.res["cpu_model"] = strings.TrimSpace(v)
				break
			}
		}
	}
	b.res["go_version"] = runtime.Version()
	if v, err := os.ReadFile(filepath.Join(b.cfg.ITestDir, "kafka", "version")); err == nil {
		b.res["kafka_version"] = strings.TrimSpace(string(v))
	}
	if v, err := os.ReadFile(filepath.Join(b.cfg.ITestDir, "elasticsearch", "version")); err == nil {
		b.res["elasticsearch_version"] = strings.TrimSpace(string(v))
	} else if res, err := b.search.es.Info(b.search.es.Info.WithContext(ctx)); err == nil {
		var info struct {
			Version struct {
				Number string `json:"number"`
			} `json:"version"`
		}
		_ = json.NewDecoder(res.Body).Decode(&info)
		res.Body.Close()
		b.res["elasticsearch_version"] = info.Version.Number
	}
	java := "java"
	if h, err := os.ReadFile(filepath.Join(b.cfg.ITestDir, "elasticsearch", "java.home")); err == nil {
		java = filepath.Join(strings.TrimSpace(string(h)), "bin", "java")
	}
	if out, err := exec.CommandContext(ctx, java, "-version").CombinedOutput(); err == nil {
		b.res["jdk"] = strings.SplitN(strings.TrimSpace(string(out)), "\n", 2)[0]
	}
}

// cleanup deletes the topics, consumer groups, indices and templates whose
// names start with prefix.
func (b *bench) cleanup(prefix string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var errs []error
	groups, err := deleteGroups(ctx, b.kafka.Kafka(), prefix)
	errs = append(errs, err)
	topics, err := deleteTopics(ctx, b.kafka.Kafka(), prefix)
	errs = append(errs, err)
	idx, err := b.search.deleteByPrefix(ctx, prefix)
	errs = append(errs, err)
	b.say("cleanup: deleted %d topics, %d consumer groups, %d indices and templates named %s*", len(topics), len(groups), len(idx), prefix)
	return errors.Join(errs...)
}
