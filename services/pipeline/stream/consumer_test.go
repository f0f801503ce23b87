package stream

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"go.uber.org/zap/zaptest"
)

// fakeFetcher hands out n records of one partition, then blocks until the
// context ends, and records every commit.
type fakeFetcher struct {
	mu      sync.Mutex
	next, n int64
	commits [][]int64 // offsets of each CommitMessages call
}

func (f *fakeFetcher) FetchMessage(ctx context.Context) (kafka.Message, error) {
	f.mu.Lock()
	if f.next < f.n {
		m := kafka.Message{Topic: "t", Offset: f.next}
		f.next++
		f.mu.Unlock()
		return m, nil
	}
	f.mu.Unlock()
	<-ctx.Done()
	return kafka.Message{}, ctx.Err()
}

func (f *fakeFetcher) CommitMessages(_ context.Context, msgs ...kafka.Message) error {
	offs := make([]int64, len(msgs))
	for i, m := range msgs {
		offs[i] = m.Offset
	}
	f.mu.Lock()
	f.commits = append(f.commits, offs)
	f.mu.Unlock()
	return nil
}

// committed returns the committed offsets in commit order.
func (f *fakeFetcher) committed() []int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []int64
	for _, c := range f.commits {
		out = append(out, c...)
	}
	return out
}

func TestConsumerCommitsInFetchOrder(t *testing.T) {
	for _, conc := range []int{1, 2, 4} {
		t.Run(fmt.Sprintf("concurrency=%d", conc), func(t *testing.T) {
			const n = 200
			f := &fakeFetcher{n: n}
			var inHandler, peak atomic.Int32
			var handled atomic.Int64
			var order []int64
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			c := &Consumer{Reader: f, MaxBatch: 10, MaxWait: time.Millisecond, Concurrency: conc,
				Log: zaptest.NewLogger(t), Committed: func(b []kafka.Message) {
					order = append(order, b[0].Offset)
					if handled.Load() == n && len(f.committed()) == n {
						cancel()
					}
				}}
			err := c.Run(ctx, func(ctx context.Context, batch []kafka.Message) error {
				now := inHandler.Add(1)
				for p := peak.Load(); now > p && !peak.CompareAndSwap(p, now); p = peak.Load() {
				}
				// Early batches take longest, so later ones finish first.
				time.Sleep(time.Duration(20-batch[0].Offset%20) * time.Millisecond / 4)
				inHandler.Add(-1)
				handled.Add(int64(len(batch)))
				return nil
			})
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			got := f.committed()
			if len(got) != n {
				t.Fatalf("committed %d records, want %d", len(got), n)
			}
			for i, off := range got {
				if off != int64(i) {
					t.Fatalf("commit %d is offset %d: commits out of fetch order", i, off)
				}
			}
			for i := 1; i < len(order); i++ {
				if order[i] <= order[i-1] {
					t.Fatalf("Committed called out of order: %v", order)
				}
			}
			if p := peak.Load(); p > int32(conc) || (conc > 1 && p < 2) {
				t.Fatalf("peak batches in handler = %d with concurrency %d", p, conc)
			}
		})
	}
}

func TestConsumerStopsCommittingAtAFailedBatch(t *testing.T) {
	f := &fakeFetcher{n: 100}
	boom := errors.New("boom")
	c := &Consumer{Reader: f, MaxBatch: 10, MaxWait: time.Millisecond, Concurrency: 3, Log: zaptest.NewLogger(t)}
	err := c.Run(context.Background(), func(ctx context.Context, batch []kafka.Message) error {
		if batch[0].Offset == 30 {
			time.Sleep(20 * time.Millisecond) // later batches finish first
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Run = %v, want the handler's error", err)
	}
	got := f.committed()
	if len(got) != 30 {
		t.Fatalf("committed offsets %v, want exactly 0..29 (nothing from the failed batch on)", got)
	}
	for i, off := range got {
		if off != int64(i) {
			t.Fatalf("committed offsets %v out of order", got)
		}
	}
}

func TestConsumerFinishesBatchesInHandWhenStopped(t *testing.T) {
	f := &fakeFetcher{n: 30}
	ctx, cancel := context.WithCancel(context.Background())
	var started atomic.Int32
	c := &Consumer{Reader: f, MaxBatch: 10, MaxWait: time.Millisecond, Concurrency: 3, Grace: 5 * time.Second, Log: zaptest.NewLogger(t)}
	err := c.Run(ctx, func(hctx context.Context, batch []kafka.Message) error {
		if started.Add(1) == 3 {
			cancel()
		}
		select {
		case <-time.After(50 * time.Millisecond):
			return nil
		case <-hctx.Done():
			return hctx.Err()
		}
	})
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got := f.committed(); len(got) != 30 {
		t.Fatalf("committed %d records after a stop with 3 batches in hand, want all 30", len(got))
	}
}

func TestConsumerAbandonsBatchesPastTheGrace(t *testing.T) {
	f := &fakeFetcher{n: 20}
	ctx, cancel := context.WithCancel(context.Background())
	c := &Consumer{Reader: f, MaxBatch: 10, MaxWait: time.Millisecond, Concurrency: 2, Grace: 20 * time.Millisecond, Log: zaptest.NewLogger(t)}
	var started atomic.Int32
	err := c.Run(ctx, func(hctx context.Context, batch []kafka.Message) error {
		if started.Add(1) == 2 {
			cancel()
		}
		<-hctx.Done() // never finishes on its own
		return hctx.Err()
	})
	if err != nil {
		t.Fatalf("Run after a stop = %v, want nil", err)
	}
	if got := f.committed(); len(got) != 0 {
		t.Fatalf("committed %v from batches that never finished", got)
	}
}

// TestPartitionLags: each partition once, by its last record; a last
// record without a high-water mark leaves its partition out.
func TestPartitionLags(t *testing.T) {
	batch := []kafka.Message{
		{Partition: 0, Offset: 10, HighWaterMark: 100},
		{Partition: 1, Offset: 5, HighWaterMark: 6},
		{Partition: 0, Offset: 11, HighWaterMark: 100},
		{Partition: 2, Offset: 7, HighWaterMark: 50},
		{Partition: 2, Offset: 8},
	}
	got := map[int]int64{}
	PartitionLags(batch, func(m kafka.Message, lag int64) {
		if _, dup := got[m.Partition]; dup {
			t.Errorf("partition %d reported twice", m.Partition)
		}
		got[m.Partition] = lag
	})
	if want := map[int]int64{0: 88, 1: 0}; !maps.Equal(got, want) {
		t.Errorf("lags %v, want %v", got, want)
	}
}
