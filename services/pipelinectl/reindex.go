package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
	"go.uber.org/zap"

	"github.com/deskwire/newsroom/services/classify/classifier"
	"github.com/deskwire/newsroom/services/classify/extract"
	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/index/indexer"
	"github.com/deskwire/newsroom/services/pipeline/catalog"
	"github.com/deskwire/newsroom/services/pipeline/cli"
	"github.com/deskwire/newsroom/services/pipeline/envflag"
	"github.com/deskwire/newsroom/services/pipeline/memlimit"
	"github.com/deskwire/newsroom/services/pipeline/metrics"
	"github.com/deskwire/newsroom/services/pipeline/stream"
)

// reindexOpts are reindex's own flags.
type reindexOpts struct {
	version     int
	group       string
	catalogDir  string
	overlayDir  string
	maxBatch    int
	concurrency int
	idle        time.Duration
}

// reindex builds articles-vN by replaying articles.raw from the beginning
// through classification with the current catalogs, under its own consumer
// group so the live pipeline keeps running; once it has caught up it points
// the alias at the new index atomically, catches up once more with what
// arrived meanwhile, and stops. The old index stays until `drop`.
func reindex(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var o reindexOpts
	e, err := connect("reindex", args, stderr, func(s *envflag.Set) {
		s.Int(&o.version, "version", "", 0, "version N of the new index articles-vN (required)")
		s.String(&o.group, "group", "", "", "consumer group of the replay (default reindex-vN)")
		s.String(&o.catalogDir, "catalog-dir", "CATALOG_DIR", "", "load catalogs from this directory instead of the embedded ones")
		s.String(&o.overlayDir, "catalog-overlay-dir", "CATALOG_OVERLAY_DIR", "", "merge the overlay files of this directory (added entries, aliases, blocked names) over the catalogs")
		s.Int(&o.maxBatch, "max-batch", "", 500, "records per batch")
		s.Int(&o.concurrency, "concurrency", "", 2, "batches classified and bulk-written at once (offsets are committed in order)")
		s.Duration(&o.idle, "idle", "", 15*time.Second, "consider the replay caught up after this long without records")
	})
	if err != nil {
		return err
	}
	if o.version < 1 {
		return cli.UsageError{Msg: "reindex needs --version N (the new index is articles-vN)"}
	}
	if o.maxBatch < 1 || o.concurrency < 1 || o.concurrency > 16 {
		return cli.UsageError{Msg: fmt.Sprintf("reindex needs --max-batch of at least 1 and --concurrency from 1 to 16 (got %d and %d)", o.maxBatch, o.concurrency)}
	}
	if o.group == "" {
		o.group = fmt.Sprintf("reindex-v%d", o.version)
	}
	memlimit.Apply(e.log, memlimit.Default)
	name := e.ecfg.IndexName(o.version)
	current, err := e.ix.AliasTarget(ctx)
	if err != nil {
		return err
	}
	if current == name {
		return fmt.Errorf("alias %s already points at %s: pick a new version", e.ecfg.Alias, name)
	}
	ex, err := loadExtractor(o.catalogDir, o.overlayDir)
	if err != nil {
		return err
	}
	if err := e.ix.EnsureTemplate(ctx); err != nil {
		return err
	}
	if err := e.ix.EnsureIndex(ctx, name); err != nil {
		return err
	}
	// No one searches the new index before the swap, so it does not
	// refresh until then: fewer, larger segments, less for Elasticsearch to
	// merge. An interrupted reindex restores the interval on its way out
	// (and a rerun sets it again).
	if err := e.ix.SetRefreshInterval(ctx, name, "-1"); err != nil {
		return err
	}
	restored := false
	restore := func(ctx context.Context) error {
		if restored {
			return nil
		}
		restored = true
		return e.ix.SetRefreshInterval(ctx, name, esindex.RefreshInterval)
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if err := restore(ctx); err != nil {
			e.log.Warn("could not restore the refresh interval of the new index", zap.String("index", name), zap.Error(err))
		}
	}()
	fmt.Fprintf(stdout, "reindexing %s into %s with classifier %s (group %s)\n", e.kcfg.TopicRaw, name, ex.ClassifierVersion(), o.group)

	// The replay always starts at the beginning, also when the group
	// exists from an earlier run of the same version.
	earliest, err := e.kafka.Target(ctx, e.kcfg.TopicRaw, "earliest")
	if err != nil {
		return err
	}
	if err := e.kafka.Reset(ctx, o.group, e.kcfg.TopicRaw, earliest, false); err != nil {
		return fmt.Errorf("rewinding group %s: %w", o.group, err)
	}
	r := &replayer{e: e, o: o, index: name, ex: ex, out: stderr}
	if err := r.start(ctx); err != nil {
		return err
	}
	defer r.stop()
	if err := r.catchUp(ctx, "replay"); err != nil {
		return err
	}
	if err := restore(ctx); err != nil {
		return err
	}
	if err := e.ix.Refresh(ctx, name); err != nil {
		return err
	}
	if err := e.ix.SwapAlias(ctx, name); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "alias %s -> %s (was %s)\n", e.ecfg.Alias, name, orNone(current))
	// What arrived between the catch-up and the swap went to the old index
	// through the live pipeline: replay it into the new one too.
	if err := r.catchUp(ctx, "final catch-up"); err != nil {
		return err
	}
	r.stop()
	if r.runErr != nil {
		return r.runErr
	}
	_ = e.ix.Refresh(ctx, name)
	n, err := e.ix.Count(ctx, name)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d documents, %d records replayed in %s\n", name, n, r.processed(), time.Since(r.began).Round(time.Second))
	if current != "" {
		fmt.Fprintf(stdout, "the old index %s stays until: pipelinectl drop --version N\n", current)
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

func loadExtractor(dir, overlay string) (*extract.Extractor, error) {
	cat, err := catalog.LoadOverlay(dir, overlay)
	if err != nil {
		return nil, fmt.Errorf("loading catalogs: %w", err)
	}
	return extract.New(cat), nil
}

// replayer runs the classify+index loop on its own group and tracks how far
// it got in every partition.
type replayer struct {
	e     *env
	o     reindexOpts
	index string
	ex    *extract.Extractor
	out   io.Writer

	began  time.Time
	cancel context.CancelFunc
	done   chan struct{}
	runErr error

	mu       sync.Mutex
	pos      map[int]int64 // next offset per partition
	count    int64
	lastSeen time.Time
}

func (r *replayer) start(ctx context.Context) error {
	e := r.e
	reader, err := e.client.NewReader(r.o.group, e.kcfg.TopicRaw)
	if err != nil {
		return err
	}
	m := metrics.New("pipelinectl")
	dlqW := e.client.NewWriter(e.kcfg.TopicDLQ)
	dlq := &stream.DeadLetters{P: &stream.Producer{W: dlqW, Topic: e.kcfg.TopicDLQ, Log: e.log, Metrics: m}, Stage: "reindex"}
	stage := &classifier.Stage{Ex: r.ex, Log: e.log.WithOptions(zap.IncreaseLevel(zap.WarnLevel))}
	ix := &indexer.Indexer{
		Bulk:        &esindex.Bulk{ES: e.es, Index: r.index, Buffers: esindex.NewBuffers(r.o.concurrency), Log: e.log, Metrics: m},
		DeadLetters: dlq, Log: e.log.WithOptions(zap.IncreaseLevel(zap.WarnLevel)), Metrics: m,
	}
	// The classified records live in memory the stage reuses once they
	// are indexed (or dead-lettered).
	handle := func(ctx context.Context, batch []kafka.Message) error {
		return stage.WithRecords(batch, func(msgs []kafka.Message, src []int, failures []stream.Failure) error {
			for i := range msgs {
				in := batch[src[i]]
				msgs[i].Topic, msgs[i].Partition, msgs[i].Offset = in.Topic, in.Partition, in.Offset
			}
			if err := dlq.Send(ctx, failures); err != nil {
				return err
			}
			return ix.Handle(ctx, msgs)
		})
	}
	// Batches finish out of order with concurrency; the consumer reports
	// them in order, so a position is reached only when all before it are.
	done := func(batch []kafka.Message) {
		r.mu.Lock()
		for _, m := range batch {
			if m.Offset+1 > r.pos[m.Partition] {
				r.pos[m.Partition] = m.Offset + 1
			}
		}
		r.count += int64(len(batch))
		r.lastSeen = time.Now()
		r.mu.Unlock()
	}
	r.pos = map[int]int64{}
	r.began, r.lastSeen = time.Now(), time.Now()
	runCtx, cancel := context.WithCancel(ctx)
	r.cancel, r.done = cancel, make(chan struct{})
	cons := &stream.Consumer{Reader: reader, MaxBatch: r.o.maxBatch, MaxWait: 200 * time.Millisecond, Concurrency: r.o.concurrency,
		Log: e.log, Metrics: m, Stage: "reindex", Committed: done}
	go func() {
		defer close(r.done)
		defer reader.Close()
		defer dlqW.Close()
		r.runErr = cons.Run(runCtx, handle)
	}()
	return nil
}

func (r *replayer) processed() int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.count
}

func (r *replayer) stop() {
	if r.cancel != nil {
		r.cancel()
		<-r.done
		r.cancel = nil
	}
}

// catchUp waits until the replay reached the end offsets the topic has now,
// printing progress with rate and ETA.
func (r *replayer) catchUp(ctx context.Context, phase string) error {
	offs, err := r.e.kafka.Offsets(ctx, r.e.kcfg.TopicRaw)
	if err != nil {
		return err
	}
	var total int64
	for _, o := range offs {
		total += o.End - o.First
	}
	start, startCount := time.Now(), r.processed()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for last := time.Now(); ; {
		r.mu.Lock()
		done := true
		for _, o := range offs {
			if o.End > o.First && r.pos[o.Partition] < o.End {
				done = false
			}
		}
		idle := time.Since(r.lastSeen)
		count := r.count
		r.mu.Unlock()
		if done {
			fmt.Fprintf(r.out, "%s: caught up, %d records replayed\n", phase, count)
			return nil
		}
		if idle > r.o.idle && count > 0 {
			fmt.Fprintf(r.out, "%s: no record for %s; taking the replay as caught up (compacted tail)\n", phase, idle.Round(time.Second))
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-r.done:
			if r.runErr != nil {
				return fmt.Errorf("replay stopped: %w", r.runErr)
			}
			return errors.New("replay stopped before it caught up")
		case <-tick.C:
		}
		if time.Since(last) >= 2*time.Second {
			last = time.Now()
			rate := float64(count-startCount) / time.Since(start).Seconds()
			msg := fmt.Sprintf("%s: %d of ~%d records (%.0f/s)", phase, count, total, rate)
			if rate > 0 && total > count {
				msg += fmt.Sprintf(", ETA %s", (time.Duration(float64(total-count)/rate) * time.Second).Round(time.Second))
			}
			fmt.Fprintln(r.out, msg)
		}
	}
}
