package stream

import (
	"context"
	"errors"
	"fmt"
	"io"
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
// next stage durably has it.
type Consumer struct {
	Reader Fetcher
	// MaxBatch caps records per batch (default 500).
	MaxBatch int
	// MaxWait is how long to wait for more records once one arrived
	// (default 100ms).
	MaxWait time.Duration
	// Grace is how long the batch in hand may still run after ctx ends,
	// to finish and commit it (default 10s).
	Grace   time.Duration
	Log     *zap.Logger
	Metrics *metrics.Metrics
	// Stage labels the processing histogram (e.g. "classify").
	Stage string
}

// Run consumes until ctx ends. It returns nil on a clean stop.
func (c *Consumer) Run(ctx context.Context, h BatchHandler) error {
	maxBatch, maxWait, grace := c.MaxBatch, c.MaxWait, c.Grace
	if maxBatch <= 0 {
		maxBatch = 500
	}
	if maxWait <= 0 {
		maxWait = 100 * time.Millisecond
	}
	if grace <= 0 {
		grace = 10 * time.Second
	}
	batch := make([]kafka.Message, 0, maxBatch)
	for {
		first, err := c.Reader.FetchMessage(ctx)
		if err != nil {
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
		batch = append(batch[:0], first)
		fillCtx, cancel := context.WithTimeout(ctx, maxWait)
		for len(batch) < maxBatch {
			m, err := c.Reader.FetchMessage(fillCtx)
			if err != nil {
				break
			}
			batch = append(batch, m)
		}
		cancel()
		c.observe(batch)

		work, stop := graceContext(ctx, grace)
		start := time.Now()
		err = h(work, batch)
		if c.Metrics != nil {
			c.Metrics.Processing.WithLabelValues(c.Stage).Observe(time.Since(start).Seconds())
		}
		if err != nil {
			stop()
			if ctx.Err() != nil {
				c.Log.Info("stopping: batch in hand abandoned without commit; it will be delivered again",
					zap.Int("records", len(batch)), zap.Error(err))
				return nil
			}
			return fmt.Errorf("handling batch of %d records from %s: %w", len(batch), first.Topic, err)
		}
		err = retry.Do(work, retry.Backoff{Min: 100 * time.Millisecond, Max: 2 * time.Second, Attempts: 5},
			func(ctx context.Context) error { return c.Reader.CommitMessages(ctx, batch...) },
			func(err error, attempt int, d time.Duration) {
				c.Log.Warn("commit failed, retrying", zap.Error(err), zap.Int("attempt", attempt))
			})
		stop()
		if err != nil {
			// The records were handled; after a rebalance their new owner
			// handles them again, which the next stage tolerates.
			c.Log.Warn("commit failed; records will be delivered again", zap.Int("records", len(batch)), zap.Error(err))
		}
		if ctx.Err() != nil {
			return nil
		}
	}
}

func (c *Consumer) observe(batch []kafka.Message) {
	if c.Metrics == nil {
		return
	}
	last := map[int]kafka.Message{}
	for _, m := range batch {
		c.Metrics.Consumed.WithLabelValues(m.Topic).Inc()
		last[m.Partition] = m
	}
	for p, m := range last {
		if m.HighWaterMark > 0 {
			c.Metrics.SetLag(m.Topic, p, m.HighWaterMark-m.Offset-1)
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
