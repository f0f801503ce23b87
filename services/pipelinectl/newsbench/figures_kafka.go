package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.uber.org/zap"

	"github.com/deskwire/newsroom/services/pipeline/stream"
	"github.com/deskwire/newsroom/services/pipelinectl/internal/progress"
)

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
	p := progress.New(b.status, "ingest load, articles acknowledged", int64(b.cfg.N))
	go b.followOffsets(ctx, p, topic, load.done)
	err = load.wait(ctx)
	p.Stop()
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
func (b *bench) followOffsets(ctx context.Context, p *progress.Meter, topic string, done <-chan struct{}) {
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
		p.Set(n)
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
