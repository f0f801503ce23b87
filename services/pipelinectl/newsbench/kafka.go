package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
	"go.uber.org/zap"

	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/index/indexer"
	"github.com/deskwire/newsroom/services/pipeline/stream"
	"github.com/deskwire/newsroom/services/pipelinectl/internal/admin"
)

// consumeResult is what the consume path read.
type consumeResult struct {
	Records int64
	Bytes   int64 // keys and values, as Kafka's consumer tool counts them
	Elapsed time.Duration
}

// countingFetcher wraps the reader of the consume path: it notes when the
// first record arrived and stops the loop once the commit of the last
// record returned.
type countingFetcher struct {
	stream.Fetcher
	total  int64
	cancel context.CancelFunc

	mu        sync.Mutex
	first     time.Time
	last      time.Time
	records   int64
	bytes     int64
	committed int64
}

func (f *countingFetcher) FetchMessage(ctx context.Context) (kafka.Message, error) {
	m, err := f.Fetcher.FetchMessage(ctx)
	if err == nil {
		f.mu.Lock()
		if f.first.IsZero() {
			f.first = time.Now()
		}
		f.records++
		f.bytes += int64(len(m.Key) + len(m.Value))
		f.mu.Unlock()
	}
	return m, err
}

func (f *countingFetcher) CommitMessages(ctx context.Context, msgs ...kafka.Message) error {
	err := f.Fetcher.CommitMessages(ctx, msgs...)
	if err == nil {
		f.mu.Lock()
		f.committed += int64(len(msgs))
		if f.committed >= f.total && f.last.IsZero() {
			f.last = time.Now()
			f.cancel()
		}
		f.mu.Unlock()
	}
	return err
}

// consumePath runs classify's consume loop (the same reader settings, batch
// size, batch wait and commit after every batch) with a handler that does
// nothing, over total records of topic: the consume path without the
// classification.
func consumePath(ctx context.Context, log *zap.Logger, client *stream.Client, group, topic string, total int64,
	maxBatch int, wait time.Duration, concurrency int) (consumeResult, error) {
	r, err := client.NewReader(group, topic)
	if err != nil {
		return consumeResult{}, err
	}
	defer r.Close()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	f := &countingFetcher{Fetcher: r, total: total, cancel: cancel}
	c := &stream.Consumer{Reader: f, MaxBatch: maxBatch, MaxWait: wait, Concurrency: concurrency, Log: log, Stage: "newsbench"}
	if err := c.Run(ctx, func(context.Context, []kafka.Message) error { return nil }); err != nil {
		return consumeResult{}, fmt.Errorf("consume path: %w", err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.last.IsZero() {
		return consumeResult{}, fmt.Errorf("consume path: %d of %d records committed before the time limit", f.committed, total)
	}
	return consumeResult{Records: f.committed, Bytes: f.bytes, Elapsed: f.last.Sub(f.first)}, nil
}

// readOps reads every record of topic and turns it into the bulk action the
// index service would send: the documents the index ends up with.
func readOps(ctx context.Context, cfg *stream.Config, ka admin.Kafka, topic string) ([]esindex.Op, error) {
	offs, err := ka.Offsets(ctx, topic)
	if err != nil {
		return nil, err
	}
	d, err := cfg.Dialer()
	if err != nil {
		return nil, err
	}
	byID := map[string]int{}
	var ops []esindex.Op
	for _, po := range offs {
		if po.End <= po.First {
			continue
		}
		r := kafka.NewReader(kafka.ReaderConfig{Brokers: cfg.BrokerList(), Topic: topic, Partition: po.Partition,
			Dialer: d, MinBytes: 1, MaxBytes: cfg.FetchMaxBytes, MaxWait: 250 * time.Millisecond})
		if err := r.SetOffset(po.First); err != nil {
			r.Close()
			return nil, fmt.Errorf("reading %s/%d: %w", topic, po.Partition, err)
		}
		batch := make([]kafka.Message, 0, 500)
		flush := func() error {
			bops, failures := indexer.Ops(batch)
			if len(failures) > 0 {
				return fmt.Errorf("record %s/%d@%d cannot be indexed: %v", topic, po.Partition, failures[0].Msg.Offset, failures[0].Err)
			}
			// The ceiling sends the documents as they are: Ops encodes them
			// exactly as the index service does (an unencodable one is a
			// failure above).
			for _, op := range bops {
				if i, ok := byID[op.ID]; ok {
					ops[i] = op
					continue
				}
				byID[op.ID] = len(ops)
				ops = append(ops, op)
			}
			batch = batch[:0]
			return nil
		}
		rctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
		for {
			m, err := r.FetchMessage(rctx)
			if err != nil {
				cancel()
				r.Close()
				return nil, fmt.Errorf("reading %s/%d: %w", topic, po.Partition, err)
			}
			batch = append(batch, m)
			if len(batch) == cap(batch) || m.Offset >= po.End-1 {
				if err := flush(); err != nil {
					cancel()
					r.Close()
					return nil, err
				}
			}
			if m.Offset >= po.End-1 {
				break
			}
		}
		cancel()
		r.Close()
	}
	for i := range ops {
		ops[i].Tag = i
	}
	return ops, nil
}

// deleteTopics deletes the topics whose names start with prefix.
func deleteTopics(ctx context.Context, kc *kafka.Client, prefix string) ([]string, error) {
	md, err := kc.Metadata(ctx, &kafka.MetadataRequest{})
	if err != nil {
		return nil, fmt.Errorf("listing topics: %w", err)
	}
	var names []string
	for _, t := range md.Topics {
		if strings.HasPrefix(t.Name, prefix) {
			names = append(names, t.Name)
		}
	}
	if len(names) == 0 {
		return nil, nil
	}
	res, err := kc.DeleteTopics(ctx, &kafka.DeleteTopicsRequest{Topics: names})
	if err != nil {
		return nil, fmt.Errorf("deleting topics: %w", err)
	}
	var errs []error
	for t, e := range res.Errors {
		if e != nil {
			errs = append(errs, fmt.Errorf("deleting topic %s: %w", t, e))
		}
	}
	return names, errors.Join(errs...)
}

// deleteGroups deletes the consumer groups whose ids start with prefix.
func deleteGroups(ctx context.Context, kc *kafka.Client, prefix string) ([]string, error) {
	lg, err := kc.ListGroups(ctx, &kafka.ListGroupsRequest{})
	if err != nil {
		return nil, fmt.Errorf("listing groups: %w", err)
	}
	var ids []string
	for _, g := range lg.Groups {
		if strings.HasPrefix(g.GroupID, prefix) {
			ids = append(ids, g.GroupID)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	res, err := kc.DeleteGroups(ctx, &kafka.DeleteGroupsRequest{GroupIDs: ids})
	if err != nil {
		return nil, fmt.Errorf("deleting groups: %w", err)
	}
	var errs []error
	for g, e := range res.Errors {
		if e != nil {
			errs = append(errs, fmt.Errorf("deleting group %s: %w", g, e))
		}
	}
	return ids, errors.Join(errs...)
}

// waitGroupStable waits until group has members and a stable assignment.
func waitGroupStable(ctx context.Context, ka admin.Kafka, group string, members int, alive func() error) error {
	deadline := time.Now().Add(90 * time.Second)
	for {
		g, err := ka.Describe(ctx, group)
		if err == nil && g.Members >= members && g.State == "Stable" {
			return nil
		}
		if err := alive(); err != nil {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("consumer group %s not stable after 90 s (state %q, %d members, %v)", group, g.State, g.Members, err)
		}
		if err := sleep(ctx, 200*time.Millisecond); err != nil {
			return err
		}
	}
}

// kafkaTool runs one of Kafka's own tools through scripts/infra.sh
// kafka-class and returns its standard output and the CPU seconds it used.
func kafkaTool(ctx context.Context, infra string, logw io.Writer, class string, args ...string) (string, float64, error) {
	cmd := exec.CommandContext(ctx, infra, append([]string{"kafka-class", class}, args...)...)
	var out strings.Builder
	cmd.Stdout = io.MultiWriter(&out, logw)
	cmd.Stderr = logw
	err := cmd.Run()
	var cpu float64
	if st := cmd.ProcessState; st != nil {
		cpu = (st.UserTime() + st.SystemTime()).Seconds()
	}
	if err != nil {
		return out.String(), cpu, fmt.Errorf("running %s: %w (output in the run log)", class, err)
	}
	return out.String(), cpu, nil
}

// producerPerf is the summary line of ProducerPerformance.
type producerPerf struct {
	Records       int64
	RecordsPerSec float64
	MiBPerSec     float64
}

var producerPerfRE = regexp.MustCompile(`(\d+) records sent, ([\d.]+) records/sec \(([\d.]+) MB/sec\)`)

// parseProducerPerf reads the last summary line ("N records sent, R
// records/sec (M MB/sec), …"); the tool's MB is 2^20 bytes.
func parseProducerPerf(out string) (producerPerf, error) {
	var p producerPerf
	found := false
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		m := producerPerfRE.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		n, err1 := strconv.ParseInt(m[1], 10, 64)
		r, err2 := strconv.ParseFloat(m[2], 64)
		mb, err3 := strconv.ParseFloat(m[3], 64)
		if err := errors.Join(err1, err2, err3); err != nil {
			return p, fmt.Errorf("parsing %q: %w", sc.Text(), err)
		}
		p, found = producerPerf{Records: n, RecordsPerSec: r, MiBPerSec: mb}, true
	}
	if !found {
		return p, errors.New("no 'records sent' summary in the ProducerPerformance output")
	}
	return p, nil
}

// consumerPerf is the result line of ConsumerPerformance.
type consumerPerf struct {
	Records        int64
	MiB            float64
	FetchMiBPerSec float64
	FetchMsgPerSec float64
	FetchMillis    float64
	RebalanceMs    float64
}

// parseConsumerPerf reads the CSV header (start.time, end.time,
// data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
// rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec) and the
// line after it. The fetch rates leave out the group join, as the consume
// path's own measure does.
func parseConsumerPerf(out string) (consumerPerf, error) {
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if !strings.Contains(l, "fetch.MB.sec") || i+1 >= len(lines) {
			continue
		}
		head := splitCSV(l)
		vals := splitCSV(lines[i+1])
		if len(vals) != len(head) {
			return consumerPerf{}, fmt.Errorf("ConsumerPerformance: %d values for %d columns in %q", len(vals), len(head), lines[i+1])
		}
		col := map[string]string{}
		for j, h := range head {
			col[h] = vals[j]
		}
		num := func(k string) (float64, error) {
			v, err := strconv.ParseFloat(col[k], 64)
			if err != nil {
				return 0, fmt.Errorf("ConsumerPerformance column %s: %w", k, err)
			}
			return v, nil
		}
		var p consumerPerf
		var errs []error
		var n float64
		var err error
		n, err = num("data.consumed.in.nMsg")
		errs = append(errs, err)
		p.Records = int64(n)
		p.MiB, err = num("data.consumed.in.MB")
		errs = append(errs, err)
		p.FetchMiBPerSec, err = num("fetch.MB.sec")
		errs = append(errs, err)
		p.FetchMsgPerSec, err = num("fetch.nMsg.sec")
		errs = append(errs, err)
		p.FetchMillis, err = num("fetch.time.ms")
		errs = append(errs, err)
		p.RebalanceMs, err = num("rebalance.time.ms")
		errs = append(errs, err)
		return p, errors.Join(errs...)
	}
	return consumerPerf{}, errors.New("no result header in the ConsumerPerformance output")
}

func splitCSV(l string) []string {
	var out []string
	for _, f := range strings.Split(l, ",") {
		out = append(out, strings.TrimSpace(f))
	}
	return out
}
