package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
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
		search: &search{es: es}, res: results{}, servers: map[string]int{"newsbench": os.Getpid()}}
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
	if len(failures) > 0 {
		b.res["errors"] = failures
	}
	fmt.Fprintln(b.out)
	b.res.printTable(b.out)
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

// --- figure 3: producer and consumer ------------------------------------------

var loadedRE = regexp.MustCompile(`loaded (\d+) articles in (\S+) \(`)

// producer measures `ingest load` into a topic no one reads (best of two
// runs, as the ceiling is the best of two settings), then Kafka's
// ProducerPerformance with the same record sizes (a payload file of real
// text as long as each record), acks=all and the codec of ingest's writer
// (KAFKA_COMPRESSION).
func (b *bench) producer(ctx context.Context) (cpuUse, error) {
	meter := newCPUMeter(b.servers)
	best := 0.0
	var ours []map[string]any
	for i, topic := range []string{b.topic("produce.raw"), b.topic("produce.raw2")} {
		n, el, err := b.loadOnce(ctx, topic, fmt.Sprintf("producer-ingest-load-%d.log", i), meter)
		if err != nil {
			return meter.stop(), err
		}
		mbs := float64(b.data.ValueBytes) / el.Seconds() / 1e6
		b.say("  ingest load: %d articles in %s: %.1f MB/s of record values", n, el, mbs)
		ours = append(ours, map[string]any{"mb_per_s": round(mbs, 2), "articles_per_s": round(float64(n)/el.Seconds(), 0)})
		if mbs > best {
			best = mbs
			b.res["producer_mb_per_s"] = round(mbs, 2)
			b.res["producer_articles_per_s"] = round(float64(n)/el.Seconds(), 0)
		}
	}
	b.res["producer_runs"] = ours
	use := meter.stop()

	// The ceiling: Kafka's tool on a topic with the same partitions.
	perf := b.topic("produce.perf")
	if err := b.kafka.EnsureTopics(ctx, stream.TopicSpec{Name: perf}); err != nil {
		return use, err
	}
	logf, err := os.Create(filepath.Join(b.dir, "producer-perf.log"))
	if err != nil {
		return use, err
	}
	defer logf.Close()
	codec := "compression.type=" + b.cfg.Kafka.CodecName()
	variants := [][]string{
		{"acks=all", codec},
		{"acks=all", codec, "batch.size=1048576", "linger.ms=5"},
	}
	best = 0.0
	var runs []map[string]any
	for _, props := range variants {
		out, cpu, err := kafkaTool(ctx, b.cfg.Infra, logf, "org.apache.kafka.tools.ProducerPerformance",
			append([]string{"--topic", perf, "--num-records", strconv.Itoa(b.cfg.N), "--throughput", "-1",
				"--payload-file", b.data.PayloadFile, "--producer-props", "bootstrap.servers=" + b.cfg.Kafka.Brokers}, props...)...)
		if err != nil {
			return use, err
		}
		pp, err := parseProducerPerf(out)
		if err != nil {
			return use, err
		}
		mbs := pp.MiBPerSec * (1 << 20) / 1e6
		b.say("  ProducerPerformance %s: %.0f records/s, %.1f MB/s", strings.Join(props, " "), pp.RecordsPerSec, mbs)
		runs = append(runs, map[string]any{"props": strings.Join(props, " "), "mb_per_s": round(mbs, 2), "records_per_s": round(pp.RecordsPerSec, 0),
			"tool_cpu_s": round(cpu, 2)})
		best = math.Max(best, mbs)
	}
	b.res["producer_ceiling_mb_per_s"] = round(best, 2)
	b.res["producer_ceiling_runs"] = runs
	return use, nil
}

// whenFull reports how long after start topic held n records.
func (b *bench) whenFull(ctx context.Context, topic string, n int64, start time.Time, out chan<- time.Duration) {
	ka, err := b.freshAdmin()
	if err != nil {
		return
	}
	for ctx.Err() == nil && time.Since(start) < b.phaseTimeout() {
		if offs, err := ka.Offsets(ctx, topic); err == nil {
			var got int64
			for _, o := range offs {
				got += o.End - o.First
			}
			if got >= n {
				out <- time.Since(start)
				return
			}
		}
		_ = sleep(ctx, 100*time.Millisecond)
	}
}

// loadOnce runs `ingest load` of the articles into topic and returns what
// it reports: the articles and the time from its start to the last ack.
func (b *bench) loadOnce(ctx context.Context, topic, logName string, meter *cpuMeter) (int, time.Duration, error) {
	env := b.env("TOPIC_RAW="+topic, "TOPIC_DLQ="+b.topic("produce.dlq"))
	load, err := startChild("ingest-load", filepath.Join(b.cfg.Bin, "ingest"), []string{"load", b.data.File}, env,
		filepath.Join(b.dir, logName))
	if err != nil {
		return 0, 0, err
	}
	b.track(load)
	meter.add(load)
	p := newProgress(b.status, "ingest load, articles acknowledged", int64(b.cfg.N))
	go b.followOffsets(ctx, p, topic, load.done)
	err = load.wait(ctx)
	p.stop()
	if err != nil {
		return 0, 0, fmt.Errorf("ingest load: %w\n%s", err, load.tail(20))
	}
	m := loadedRE.FindAllStringSubmatch(load.tail(5), -1)
	if len(m) == 0 {
		return 0, 0, fmt.Errorf("ingest load printed no summary:\n%s", load.tail(10))
	}
	last := m[len(m)-1]
	n, _ := strconv.Atoi(last[1])
	el, err := time.ParseDuration(last[2])
	if err != nil || n != b.cfg.N || el <= 0 {
		return 0, 0, fmt.Errorf("ingest load summary %q: want %d articles", last[0], b.cfg.N)
	}
	return n, el, nil
}

// followOffsets shows how many records a topic holds while a load runs.
func (b *bench) followOffsets(ctx context.Context, p *progress, topic string, done <-chan struct{}) {
	ka, err := b.freshAdmin()
	if err != nil {
		return
	}
	for {
		select {
		case <-done:
			return
		case <-ctx.Done():
			return
		case <-time.After(500 * time.Millisecond):
		}
		offs, err := ka.Offsets(ctx, topic)
		if err != nil {
			continue
		}
		var n int64
		for _, o := range offs {
			n += o.End - o.First
		}
		p.set(n)
	}
}

// consumer measures classify's consume path (its reader, batching and
// commit after every batch, with a handler that does nothing) and Kafka's
// ConsumerPerformance on the topic the producer phase filled.
func (b *bench) consumer(ctx context.Context) (cpuUse, error) {
	raw := b.topic("produce.raw")
	meter := newCPUMeter(b.servers)
	total := int64(b.cfg.N)
	res, err := consumePath(ctx, b.log.WithOptions(zap.IncreaseLevel(zap.WarnLevel)), b.kafka, b.group("consume.path"), raw, total,
		b.cfg.ClassifyMaxBatch, b.cfg.ClassifyBatchWait, b.cfg.ClassifyConcurrency)
	use := meter.stop()
	if err != nil {
		return use, err
	}
	ours := float64(res.Bytes) / res.Elapsed.Seconds() / 1e6
	b.res["consumer_mb_per_s"] = round(ours, 2)
	b.res["consumer_records_per_s"] = round(float64(res.Records)/res.Elapsed.Seconds(), 0)
	b.say("  consume path: %d records in %s: %.1f MB/s", res.Records, res.Elapsed.Round(time.Millisecond), ours)

	logf, err := os.Create(filepath.Join(b.dir, "consumer-perf.log"))
	if err != nil {
		return use, err
	}
	defer logf.Close()
	best := 0.0
	var runs []map[string]any
	for i, extra := range [][]string{nil, {"--fetch-size", strconv.Itoa(b.cfg.Kafka.FetchMaxBytes)}} {
		args := append([]string{"--bootstrap-server", b.cfg.Kafka.Brokers, "--topic", raw, "--messages", strconv.Itoa(b.cfg.N),
			"--group", b.group(fmt.Sprintf("consume.perf%d", i)), "--timeout", "60000"}, extra...)
		out, cpu, err := kafkaTool(ctx, b.cfg.Infra, logf, "org.apache.kafka.tools.ConsumerPerformance", args...)
		if err != nil {
			return use, err
		}
		cp, err := parseConsumerPerf(out)
		if err != nil {
			return use, err
		}
		if cp.Records < total {
			return use, fmt.Errorf("ConsumerPerformance read %d of %d records", cp.Records, total)
		}
		mbs := cp.FetchMiBPerSec * (1 << 20) / 1e6
		b.say("  ConsumerPerformance %s: %.0f records/s, %.1f MB/s (group join %.0f ms left out)", strings.Join(extra, " "), cp.FetchMsgPerSec, mbs, cp.RebalanceMs)
		runs = append(runs, map[string]any{"args": strings.Join(extra, " "), "mb_per_s": round(mbs, 2), "records_per_s": round(cp.FetchMsgPerSec, 0),
			"tool_cpu_s": round(cpu, 2)})
		best = math.Max(best, mbs)
	}
	b.res["consumer_ceiling_mb_per_s"] = round(best, 2)
	b.res["consumer_ceiling_runs"] = runs
	return use, nil
}

// --- figures 1 and 7: end to end and memory -----------------------------------

// e2e loads the articles with `ingest load` while classify and index run,
// until every article is searchable, and records each service's peak RSS.
func (b *bench) e2e(ctx context.Context) (cpuUse, error) {
	env := b.stackEnv("e2e")
	classify, err := b.startService(ctx, "classify", "e2e", env...)
	if err != nil {
		return cpuUse{}, err
	}
	defer classify.stop()
	indexers, err := b.startIndexers(ctx, "e2e", env...)
	if err != nil {
		return cpuUse{}, err
	}
	svcs := append([]*child{classify}, indexers...)
	if err := waitGroupStable(ctx, b.ka, b.group("e2e.classify"), 1, alive(svcs...)); err != nil {
		return cpuUse{}, err
	}
	if err := waitGroupStable(ctx, b.ka, b.group("e2e.index"), len(indexers), alive(svcs...)); err != nil {
		return cpuUse{}, err
	}
	for _, c := range svcs {
		c.sample()
		b.res.atLeast("rss_startup_mb_"+c.name, round(float64(c.PeakRSS())/1e6, 1))
	}
	meter := newCPUMeter(b.servers, svcs...)
	start := time.Now()
	load, err := startChild("ingest-load", filepath.Join(b.cfg.Bin, "ingest"), []string{"load", b.data.File}, b.env(env...),
		filepath.Join(b.dir, "e2e-ingest-load.log"))
	if err != nil {
		return meter.stop(), err
	}
	b.track(load)
	meter.add(load)
	classified := make(chan time.Duration, 1)
	watch, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	go b.whenFull(watch, b.topic("e2e.classified"), int64(b.cfg.N), start, classified)
	p := newProgress(b.status, "end to end, searchable", int64(b.cfg.N))
	end, err := b.search.waitCount(ctx, p, b.index("e2e"), int64(b.cfg.N), b.phaseTimeout(), alive(append(svcs, load)...))
	p.stop()
	if err != nil {
		return meter.stop(), err
	}
	if err := load.wait(ctx); err != nil {
		return meter.stop(), fmt.Errorf("ingest load: %w\n%s", err, load.tail(20))
	}
	use := meter.stop()
	el := end.Sub(start)
	rate := float64(b.cfg.N) / el.Seconds()
	b.res["e2e_articles_per_s"] = round(rate, 1)
	b.res["e2e_seconds"] = round(el.Seconds(), 2)
	b.say("  %d articles searchable %s after ingest load started: %.0f articles/s", b.cfg.N, el.Round(time.Millisecond), rate)
	b.recordBulks("e2e", b.cfg.N, indexers)
	b.res["e2e_loaded_seconds"] = round(load.ended.Sub(start).Seconds(), 2)
	select {
	case d := <-classified:
		b.res["e2e_classified_seconds"] = round(d.Seconds(), 2)
		b.say("  stages: ingest load done after %.1fs, classify after %.1fs, all searchable after %.1fs",
			load.ended.Sub(start).Seconds(), d.Seconds(), el.Seconds())
	default:
	}
	for _, c := range append(svcs, load) {
		c.sample()
		key := "rss_peak_mb_" + strings.TrimSuffix(c.name, "-load")
		b.res.atLeast(key, round(float64(c.PeakRSS())/1e6, 1))
	}
	b.say("  peak RSS: ingest load %.0f MB, classify %.0f MB, index %.0f MB",
		b.res.num("rss_peak_mb_ingest"), b.res.num("rss_peak_mb_classify"), b.res.num("rss_peak_mb_index"))
	return use, nil
}

// startIndexers starts the configured number of index services on one
// consumer group.
func (b *bench) startIndexers(ctx context.Context, phase string, env ...string) ([]*child, error) {
	var out []*child
	for i := 0; i < b.cfg.IndexInstances; i++ {
		c, err := b.startService(ctx, "index", fmt.Sprintf("%s%d", phase, i), env...)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// --- figure 2: the index stage alone -------------------------------------------

// metricSum reads a service's /metrics and sums the samples of the metric
// named name over all its label sets.
func metricSum(addr, name string) (float64, error) {
	res, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	var sum float64
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		line := sc.Text()
		rest, ok := strings.CutPrefix(line, name)
		if !ok || rest == "" || (rest[0] != ' ' && rest[0] != '{') {
			continue
		}
		if i := strings.LastIndexByte(rest, ' '); i >= 0 {
			v, err := strconv.ParseFloat(rest[i+1:], 64)
			if err != nil {
				return 0, fmt.Errorf("%s: %q: %w", name, line, err)
			}
			sum += v
		}
	}
	return sum, sc.Err()
}

// consumed reads a service's consumed-records counter from /metrics.
func consumed(addr string) (float64, error) {
	return metricSum(addr, "newsroom_messages_consumed_total")
}

// recordBulks stores, under prefix, how many bulk requests the index
// services sent and their mean size and latency: Elasticsearch's cost per
// document depends on them.
func (b *bench) recordBulks(prefix string, docs int, indexers []*child) {
	var count, secs float64
	for _, c := range indexers {
		n, err1 := metricSum(c.addr, "newsroom_bulk_seconds_count")
		s, err2 := metricSum(c.addr, "newsroom_bulk_seconds_sum")
		if err := errors.Join(err1, err2); err != nil {
			b.say("  reading bulk metrics of %s: %v", c.name, err)
			return
		}
		count, secs = count+n, secs+s
	}
	if count == 0 {
		return
	}
	b.res[prefix+"_bulk_requests"] = count
	b.res[prefix+"_bulk_docs_avg"] = round(float64(docs)/count, 1)
	b.res[prefix+"_bulk_ms_avg"] = round(secs/count*1000, 1)
	b.say("  %.0f bulk requests: %.0f documents and %.0f ms each on average", count, float64(docs)/count, secs/count*1000)
}

// indexAlone starts an index service on its own group and alias over the
// classified topic figure 1 filled, and times it from its first record to
// the last document searchable.
func (b *bench) indexAlone(ctx context.Context) (cpuUse, error) {
	alias := b.index("index")
	env := []string{"TOPIC_RAW=" + b.topic("e2e.raw"), "TOPIC_CLASSIFIED=" + b.topic("e2e.classified"), "TOPIC_DLQ=" + b.topic("e2e.dlq"),
		"INDEX_GROUP=" + b.group("index.alone"), "INDEX_ALIAS=" + alias}
	meter := newCPUMeter(b.servers)
	indexers, err := b.startIndexers(ctx, "index", env...)
	for _, c := range indexers {
		defer c.stop()
		meter.add(c)
	}
	if err != nil {
		return meter.stop(), err
	}
	var first time.Time
	deadline := time.Now().Add(2 * time.Minute)
	for first.IsZero() {
		for _, c := range indexers {
			if n, err := consumed(c.addr); err == nil && n > 0 {
				first = time.Now()
			}
		}
		if !first.IsZero() {
			break
		}
		if err := alive(indexers...)(); err != nil {
			return meter.stop(), err
		}
		if time.Now().After(deadline) {
			return meter.stop(), errors.New("the index service consumed nothing in 2 minutes")
		}
		if err := sleep(ctx, 10*time.Millisecond); err != nil {
			return meter.stop(), err
		}
	}
	p := newProgress(b.status, "index stage, searchable", int64(b.cfg.N))
	end, err := b.search.waitCount(ctx, p, alias, int64(b.cfg.N), b.phaseTimeout(), alive(indexers...))
	p.stop()
	use := meter.stop()
	if err != nil {
		return use, err
	}
	rate := float64(b.cfg.N) / end.Sub(first).Seconds()
	b.res["index_docs_per_s"] = round(rate, 1)
	b.recordBulks("index", b.cfg.N, indexers)
	for _, c := range indexers {
		b.res.atLeast("rss_peak_mb_index_alone", round(float64(c.PeakRSS())/1e6, 1))
		c.stop()
	}
	b.say("  %d documents searchable %s after the first record: %.0f docs/s", b.cfg.N, end.Sub(first).Round(time.Millisecond), rate)
	if _, err := b.search.deleteByPrefix(ctx, alias+"-"); err != nil {
		b.say("  deleting %s: %v", alias, err)
	}
	return use, nil
}

// --- ceiling of figures 1 and 2 ------------------------------------------------

// finalOps reads the documents the index service wrote, once.
func (b *bench) finalOps(ctx context.Context) ([]esindex.Op, error) {
	if b.ops != nil {
		return b.ops, nil
	}
	ka, err := b.freshAdmin()
	if err != nil {
		return nil, err
	}
	ops, err := readOps(ctx, &b.cfg.Kafka, ka, b.topic("e2e.classified"))
	if err != nil {
		return nil, err
	}
	if len(ops) != b.cfg.N {
		return nil, fmt.Errorf("the classified topic holds %d articles, want %d", len(ops), b.cfg.N)
	}
	b.ops = ops
	return ops, nil
}

// ceiling bulk-loads the final documents into fresh indices with the same
// mapping and settings, with each loader setting, until all are
// searchable; the best rate is the ceiling of figures 1 and 2.
func (b *bench) ceiling(ctx context.Context) (cpuUse, error) {
	ops, err := b.finalOps(ctx)
	if err != nil {
		return cpuUse{}, err
	}
	var docBytes int64
	for _, op := range ops {
		docBytes += int64(len(op.Doc))
	}
	b.res["document_bytes_avg"] = round(float64(docBytes)/float64(len(ops)), 0)
	settings, _ := parseCeiling(b.cfg.Ceiling)
	best, bestUse := 0.0, cpuUse{}
	var runs []map[string]any
	for i, s := range settings {
		name := b.index(fmt.Sprintf("ceiling-%d", i))
		if err := b.search.createIndex(ctx, name); err != nil {
			return bestUse, err
		}
		bodies := bulkBodies(ops, s.Docs)
		meter := newCPUMeter(b.servers)
		p := newProgress(b.status, "minimal loader "+s.String()+", sent", int64(len(ops)))
		start := time.Now()
		err := b.search.bulkLoad(ctx, name, bodies, s.Conc, p)
		p.stop()
		if err != nil {
			return bestUse, err
		}
		end, err := b.search.waitCount(ctx, newProgress(io.Discard, "", 0), name, int64(len(ops)), b.phaseTimeout(), nil)
		use := meter.stop()
		if err != nil {
			return bestUse, err
		}
		rate := float64(len(ops)) / end.Sub(start).Seconds()
		b.say("  minimal loader %s: %.0f docs/s (%s)", s, rate, use)
		runs = append(runs, map[string]any{"setting": s.String(), "docs_per_s": round(rate, 1)})
		if rate > best {
			best, bestUse = rate, use
			b.res["e2e_ceiling_config"] = s.String()
		}
		if err := b.search.deleteIndex(ctx, name); err != nil {
			return bestUse, err
		}
	}
	b.res["e2e_ceiling_articles_per_s"] = round(best, 1)
	b.res["e2e_ceiling_runs"] = runs
	return bestUse, nil
}

// --- figure 6: reindex ---------------------------------------------------------

var reindexDoneRE = regexp.MustCompile(`(\d+) documents, (\d+) records replayed in`)

// reindex runs `pipelinectl reindex` of the figure 1 topic into version 2
// of its alias. The rate counts from the command's first line (catalogs
// loaded, index created) to its exit: the replay, the alias swap and the
// final catch-up.
func (b *bench) reindex(ctx context.Context) (cpuUse, error) {
	env := b.env(b.stackEnv("e2e")...)
	meter := newCPUMeter(b.servers)
	var began time.Time
	var mu sync.Mutex
	var summary string
	onLine := func(line string) {
		mu.Lock()
		defer mu.Unlock()
		if strings.HasPrefix(line, "reindexing ") && began.IsZero() {
			began = time.Now()
		}
		if reindexDoneRE.MatchString(line) {
			summary = line
		}
	}
	start := time.Now()
	c, err := startChildLines("pipelinectl", filepath.Join(b.cfg.Bin, "pipelinectl"),
		[]string{"reindex", "--version", "2", "--group", b.group("reindex")}, env, filepath.Join(b.dir, "reindex.log"), onLine)
	if err != nil {
		return meter.stop(), err
	}
	b.track(c)
	meter.add(c)
	p := newProgress(b.status, "reindex, searchable in the new index", int64(b.cfg.N))
	go func() {
		for !c.exited() {
			if n, err := b.search.count(ctx, b.index("e2e")+"-v2"); err == nil {
				p.set(n)
			}
			_ = sleep(ctx, time.Second)
		}
	}()
	err = c.wait(ctx)
	end := time.Now()
	p.stop()
	use := meter.stop()
	if err != nil {
		return use, fmt.Errorf("pipelinectl reindex: %w\n%s", err, c.tail(20))
	}
	mu.Lock()
	defer mu.Unlock()
	m := reindexDoneRE.FindStringSubmatch(summary)
	if m == nil || began.IsZero() {
		return use, fmt.Errorf("pipelinectl reindex printed no summary:\n%s", c.tail(10))
	}
	if docs, _ := strconv.Atoi(m[1]); docs != b.cfg.N {
		return use, fmt.Errorf("reindex: %s: want %d documents", summary, b.cfg.N)
	}
	rate := float64(b.cfg.N) / end.Sub(began).Seconds()
	b.res["reindex_articles_per_s"] = round(rate, 1)
	b.res["reindex_seconds"] = round(end.Sub(began).Seconds(), 2)
	b.res["reindex_command_seconds"] = round(end.Sub(start).Seconds(), 2)
	b.res["rss_peak_mb_pipelinectl_reindex"] = round(float64(c.PeakRSS())/1e6, 1)
	b.say("  %s; %.0f articles/s (command %s in all, with loading the catalogs)", summary, rate, end.Sub(start).Round(time.Millisecond))
	return use, nil
}

// --- figure 5: latency ---------------------------------------------------------

// latency sends articles at a steady rate to ingest's HTTP API of a fresh
// pipeline (its own topics and alias, so both indices start empty) and, at
// the same time and rate, indexes documents directly into an index with the
// same settings (refresh every second), and compares the time from the
// acknowledgement (202, or Elasticsearch's answer) to searchable. The time
// to indexed (a realtime get finds it, before any refresh) shows the
// pipeline's own delay without the refresh.
func (b *bench) latency(ctx context.Context) (cpuUse, error) {
	ops, err := b.finalOps(ctx)
	if err != nil {
		return cpuUse{}, err
	}
	env := b.stackEnv("lat")
	meter := newCPUMeter(b.servers)
	var svcs []*child
	for _, name := range []string{"classify", "index", "ingest"} {
		c, err := b.startService(ctx, name, "latency", env...)
		if err != nil {
			return meter.stop(), err
		}
		defer c.stop()
		svcs = append(svcs, c)
		meter.add(c)
	}
	for _, g := range []string{b.group("lat.classify"), b.group("lat.index")} {
		if err := waitGroupStable(ctx, b.ka, g, 1, alive(svcs...)); err != nil {
			return meter.stop(), err
		}
	}
	direct := b.index("direct")
	if err := b.search.createIndex(ctx, direct); err != nil {
		return meter.stop(), err
	}
	count := int(b.cfg.LatencyDuration.Seconds() * float64(b.cfg.LatencyRate))
	hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	ingestURL := "http://" + svcs[2].addr + "/v1/articles"
	pipeID := func(i int) string { return fmt.Sprintf("%s-lat-%d", b.runID, i) }
	directID := func(i int) string { return fmt.Sprintf("%s-dir-%d", b.runID, i) }
	alias := b.index("lat")
	pipe := &latencyRun{name: "pipeline", rate: float64(b.cfg.LatencyRate), count: count, poll: 20 * time.Millisecond, idOf: pipeID,
		send: func(ctx context.Context, i int) (string, error) {
			id := pipeID(i)
			body, _ := json.Marshal(b.corpus.article(b.cfg.N+i, id))
			res, err := hc.Post(ingestURL, "application/json", bytes.NewReader(body))
			if err != nil {
				return id, err
			}
			defer res.Body.Close()
			rb, _ := io.ReadAll(res.Body)
			if res.StatusCode != http.StatusAccepted {
				return id, fmt.Errorf("ingest answered %s: %.200s", res.Status, rb)
			}
			return id, nil
		},
		probes: []*probe{
			{name: "searchable", found: func(ctx context.Context, ids []string) ([]string, error) { return b.search.visible(ctx, alias, ids) }},
			{name: "indexed", found: func(ctx context.Context, ids []string) ([]string, error) { return b.search.indexed(ctx, alias, ids) }},
		},
	}
	dir := &latencyRun{name: "direct indexing", rate: float64(b.cfg.LatencyRate), count: count, poll: 20 * time.Millisecond, idOf: directID,
		send: func(ctx context.Context, i int) (string, error) {
			id := directID(i)
			var d esindex.Document
			if err := json.Unmarshal(ops[i%len(ops)].Doc, &d); err != nil {
				return id, err
			}
			d.ID = id
			doc, _ := json.Marshal(d)
			return id, b.search.indexDoc(ctx, direct, id, doc)
		},
		probes: []*probe{{name: "searchable", found: func(ctx context.Context, ids []string) ([]string, error) { return b.search.visible(ctx, direct, ids) }}},
	}
	b.say("  %d articles at %d/s through ingest and, at the same time, straight into %s", count, b.cfg.LatencyRate, direct)
	pipe.progress = newProgress(b.status, "latency, articles sent to ingest", int64(count))
	defer pipe.progress.stop()
	var wg sync.WaitGroup
	var pst, dst []latencyStats
	var perr, derr error
	wg.Add(2)
	go func() { defer wg.Done(); pst, perr = pipe.run(ctx, b.status) }()
	go func() { defer wg.Done(); dst, derr = dir.run(ctx, b.status) }()
	wg.Wait()
	pipe.progress.stop()
	use := meter.stop()
	if err := errors.Join(perr, derr); err != nil {
		return use, err
	}
	for k, v := range map[string]float64{"latency_p50_ms": pst[0].P50, "latency_p95_ms": pst[0].P95, "latency_p99_ms": pst[0].P99, "latency_max_ms": pst[0].Max,
		"latency_indexed_p50_ms": pst[1].P50, "latency_indexed_p95_ms": pst[1].P95, "latency_indexed_p99_ms": pst[1].P99,
		"latency_direct_p50_ms": dst[0].P50, "latency_direct_p95_ms": dst[0].P95, "latency_direct_p99_ms": dst[0].P99, "latency_direct_max_ms": dst[0].Max} {
		b.res[k] = round(v, 1)
	}
	b.res["latency_samples"] = pst[0].Samples
	b.res["latency_rate_per_s"] = b.cfg.LatencyRate
	b.res["rss_peak_mb_ingest_serve"] = round(float64(svcs[2].PeakRSS())/1e6, 1)
	return use, nil
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
