package stream

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/segmentio/kafka-go"
	"go.uber.org/zap"

	"github.com/deskwire/newsroom/services/pipeline/metrics"
	"github.com/deskwire/newsroom/services/pipeline/retry"
)

// Fetcher is the part of *kafka.Reader the consumer loop uses.
type Fetcher interface {
	FetchMessage(ctx context.Context) (kafka.Message, error)
	CommitMessages(ctx context.Context, msgs ...kafka.Message) error
}

// BatchHandler handles a batch completely — produced, indexed or
// dead-lettered, and acknowledged — before it returns nil. It returns an
// error only when it could not finish (the context ended): the batch is then
// abandoned without a commit and will be delivered again.
type BatchHandler func(ctx context.Context, batch []kafka.Message) error

// Consumer runs fetch → handle → commit. Offsets are committed only after
// the handler finished the whole batch, so nothing is committed before the
// next stage durably has it. With Concurrency above 1 the next batches are
// fetched and handled while earlier ones are still in the handler, and
// commits still happen strictly in fetch order: a batch is committed only
// when it and every batch fetched before it are done.
type Consumer struct {
	Reader Fetcher
	// MaxBatch caps records per batch (default 500).
	MaxBatch int
	// MaxWait is how long to wait for more records once one arrived
	// (default 100ms).
	MaxWait time.Duration
	// Concurrency is how many batches may be in the handler at once
	// (default 1). Batches then finish out of order, so the handler must
	// tolerate a later revision of a record being handled before an earlier
	// one (the index stage does: its writes are versioned).
	Concurrency int
	// Grace is how long the batches in hand may still run after ctx ends,
	// to finish and commit them (default 10s).
	Grace   time.Duration
	Log     *zap.Logger
	Metrics *metrics.Metrics
	// Stage labels the processing histogram (e.g. "classify").
	Stage string
	// Committed, if set, is called after each batch was handled and its
	// commit attempted, in fetch order, from a single goroutine.
	Committed func(batch []kafka.Message)
}

// inflight is a batch in the handler.
type inflight struct {
	batch []kafka.Message
	done  chan error // the handler's result
	// work is the batch's context, for the handler and the commit: it
	// outlives Run's ctx by the grace period.
	work context.Context
	stop context.CancelFunc
}

// Run consumes until ctx ends. It returns nil on a clean stop.
func (c *Consumer) Run(ctx context.Context, h BatchHandler) error {
	maxBatch, maxWait, grace, conc := c.MaxBatch, c.MaxWait, c.Grace, c.Concurrency
	if maxBatch <= 0 {
		maxBatch = 500
	}
	if maxWait <= 0 {
		maxWait = 100 * time.Millisecond
	}
	if grace <= 0 {
		grace = 10 * time.Second
	}
	if conc <= 0 {
		conc = 1
	}
	// fetchCtx ends with ctx, or when a batch failed: nothing after a
	// failed batch may be committed, so fetching stops too.
	fetchCtx, stopFetching := context.WithCancel(ctx)
	defer stopFetching()
	slots := make(chan struct{}, conc)
	queue := make(chan *inflight, conc)
	committed := make(chan error, 1)
	go func() { committed <- c.commitInOrder(ctx, queue, slots, stopFetching) }()

	fetchErr := c.fetchLoop(fetchCtx, maxBatch, maxWait, slots, func(batch []kafka.Message) {
		c.observe(batch)
		f := &inflight{batch: batch, done: make(chan error, 1)}
		f.work, f.stop = graceContext(ctx, grace)
		go func() {
			start := time.Now()
			err := h(f.work, batch)
			if c.Metrics != nil {
				c.Metrics.Processing.WithLabelValues(c.Stage).Observe(time.Since(start).Seconds())
			}
			f.done <- err
		}()
		queue <- f
	})
	close(queue)
	if err := <-committed; err != nil {
		return err
	}
	return fetchErr
}

// fetchLoop fetches batches and hands each to start, taking a slot first,
// until ctx ends (nil) or the group is gone (an error).
func (c *Consumer) fetchLoop(ctx context.Context, maxBatch int, maxWait time.Duration, slots chan struct{}, start func([]kafka.Message)) error {
	for {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			return nil
		}
		first, err := c.Reader.FetchMessage(ctx)
		if err != nil {
			<-slots
			if ctx.Err() != nil {
				return nil
			}
			if errors.Is(err, kafka.ErrGroupClosed) || errors.Is(err, io.EOF) {
				return fmt.Errorf("fetching: %w", err)
			}
			c.Log.Warn("fetch failed, retrying", zap.Error(err))
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(time.Second):
			}
			continue
		}
		batch := make([]kafka.Message, 1, maxBatch)
		batch[0] = first
		fillCtx, cancel := context.WithTimeout(ctx, maxWait)
		for len(batch) < maxBatch {
			m, err := c.Reader.FetchMessage(fillCtx)
			if err != nil {
				break
			}
			batch = append(batch, m)
		}
		cancel()
		start(batch)
		if ctx.Err() != nil {
			return nil
		}
	}
}

// commitInOrder waits for each batch in fetch order and commits it. When a
// batch failed it commits nothing more: it stops fetching, waits for the
// batches still in the handler and returns the failure (nil when ctx ended,
// since the batch is then only abandoned, to be delivered again).
func (c *Consumer) commitInOrder(ctx context.Context, queue <-chan *inflight, slots <-chan struct{}, stopFetching context.CancelFunc) error {
	for f := range queue {
		err := <-f.done
		if err != nil {
			f.stop()
			stopFetching()
			abandoned := len(f.batch)
			for g := range queue {
				<-g.done
				g.stop()
				abandoned += len(g.batch)
			}
			if ctx.Err() != nil {
				c.Log.Info("stopping: batches in hand abandoned without commit; they will be delivered again",
					zap.Int("records", abandoned), zap.Error(err))
				return nil
			}
			return fmt.Errorf("handling batch of %d records from %s: %w", len(f.batch), f.batch[0].Topic, err)
		}
		c.commit(f)
		<-slots
	}
	return nil
}

func (c *Consumer) commit(f *inflight) {
	defer f.stop()
	err := retry.Do(f.work, retry.Backoff{Min: 100 * time.Millisecond, Max: 2 * time.Second, Attempts: 5},
		func(ctx context.Context) error { return c.Reader.CommitMessages(ctx, f.batch...) },
		func(err error, attempt int, d time.Duration) {
			c.Log.Warn("commit failed, retrying", zap.Error(err), zap.Int("attempt", attempt))
		})
	if err != nil {
		// The records were handled; after a rebalance their new owner
		// handles them again, which the next stage tolerates.
		c.Log.Warn("commit failed; records will be delivered again", zap.Int("records", len(f.batch)), zap.Error(err))
	}
	if c.Committed != nil {
		c.Committed(f.batch)
	}
}

func (c *Consumer) observe(batch []kafka.Message) {
	if c.Metrics == nil {
		return
	}
	for _, m := range batch {
		c.Metrics.Consumed.WithLabelValues(m.Topic).Inc()
	}
	PartitionLags(batch, func(m kafka.Message, lag int64) { c.Metrics.SetLag(m.Topic, m.Partition, lag) })
}

// PartitionLags calls fn once for each partition of batch with its last
// record and the lag that record shows: the records of the partition past
// it, by the high-water mark of its fetch. Partitions whose last record
// carries no high-water mark are skipped.
func PartitionLags(batch []kafka.Message, fn func(last kafka.Message, lag int64)) {
	var seen []int // a batch holds a few partitions
	for i := len(batch) - 1; i >= 0; i-- {
		m := batch[i]
		if slices.Contains(seen, m.Partition) {
			continue
		}
		seen = append(seen, m.Partition)
		if m.HighWaterMark > 0 {
			fn(m, m.HighWaterMark-m.Offset-1)
		}
	}
}

// graceContext returns a context that outlives parent by grace: the batch
// in hand may finish and commit after a SIGTERM, within the pod's grace
// period.
func graceContext(parent context.Context, grace time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(parent))
	stopAfter := context.AfterFunc(parent, func() {
		t := time.AfterFunc(grace, cancel)
		context.AfterFunc(ctx, func() { t.Stop() })
	})
	return ctx, func() { stopAfter(); cancel() }
}
