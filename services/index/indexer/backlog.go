package indexer

import (
	"context"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
	"go.uber.org/zap"

	"github.com/deskwire/newsroom/services/pipeline/stream"
)

// Refresher sets the target index's refresh interval (esindex.Admin).
type Refresher interface {
	SetRefreshInterval(ctx context.Context, index, interval string) error
	Refresh(ctx context.Context, index string) error
}

// Backlog lengthens the index's refresh interval while the consumer is far
// behind its topic, and restores esindex.RefreshInterval once it caught up.
// Every refresh makes a segment that must later be merged, so a drained
// backlog costs Elasticsearch less per document in fewer, larger segments;
// its articles wait in Kafka anyway, so they lose little by showing up
// every Interval instead of every second. Live news flowing at the usual
// rate never reaches Enter and keeps the one-second promise.
type Backlog struct {
	Admin Refresher
	// Index is the index or alias written to.
	Index string
	// Normal is the interval outside a backlog (esindex.RefreshInterval).
	Normal string
	// Interval is the refresh interval while in a backlog ("30s").
	Interval string
	// Enter is the lag, in records summed over the partitions, at which the
	// backlog begins; it ends when the lag falls to Enter/10.
	Enter int64
	Log   *zap.Logger

	mu    sync.Mutex
	parts map[int]partLag
	on    bool
	// next is when a refused or lapsed setting may be tried again.
	next time.Time
}

type partLag struct {
	lag  int64
	seen time.Time
}

const (
	// staleLag is how long a partition's lag counts without a new record
	// from it (it may have moved to another instance).
	staleLag = time.Minute
	// reassert is how often a backlog sets its interval again, in case
	// another instance restored the normal one meanwhile.
	reassert = time.Minute
)

// Observe notes the lag that batch shows, before it is written (each record
// carries its partition's high-water mark at fetch time), and lengthens the
// interval when a backlog begins. A refused setting is logged and retried
// after a minute: it only costs Elasticsearch time, never a document.
func (b *Backlog) Observe(ctx context.Context, batch []kafka.Message) {
	if b == nil || b.Enter <= 0 || len(batch) == 0 {
		return
	}
	now := time.Now()
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.parts == nil {
		b.parts = map[int]partLag{}
	}
	stream.PartitionLags(batch, func(m kafka.Message, lag int64) {
		b.parts[m.Partition] = partLag{lag: max(lag, 0), seen: now}
	})
	// A backlog begins at Enter, and while it lasts its interval is set
	// again every reassert; a refused setting waits as long.
	if lag := b.lag(now); (b.on || lag >= b.Enter) && !now.Before(b.next) {
		b.on = b.set(ctx, b.Interval, zap.Int64("lag", lag)) || b.on
		b.next = now.Add(reassert)
	}
}

// Written ends the backlog once a batch was written and the lag fell to a
// tenth of Enter: the normal interval returns and a refresh shows what the
// backlog wrote at once.
func (b *Backlog) Written(ctx context.Context) {
	if b == nil || b.Enter <= 0 {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if lag := b.lag(time.Now()); b.on && lag <= b.Enter/10 {
		b.restore(ctx, zap.Int64("lag", lag))
	}
}

// lag sums the partitions' lags, forgetting stale ones. Called with mu held.
func (b *Backlog) lag(now time.Time) int64 {
	var lag int64
	for p, pl := range b.parts {
		if now.Sub(pl.seen) > staleLag {
			delete(b.parts, p)
			continue
		}
		lag += pl.lag
	}
	return lag
}

// Close restores the normal interval if a backlog is on, so that a stopped
// service does not leave the index refreshing slowly (Start restores it too,
// after a crash).
func (b *Backlog) Close(ctx context.Context) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.on {
		b.restore(ctx)
	}
}

// Start sets the normal interval, undoing what a crashed instance may have
// left behind.
func (b *Backlog) Start(ctx context.Context) error {
	if b == nil || b.Enter <= 0 {
		return nil
	}
	return b.Admin.SetRefreshInterval(ctx, b.Index, b.Normal)
}

// restore sets the normal interval and refreshes, so that what the backlog
// wrote is searchable at once. Called with mu held.
func (b *Backlog) restore(ctx context.Context, fields ...zap.Field) {
	if !b.set(ctx, b.Normal, fields...) {
		return // still on: the next batch tries again
	}
	b.on, b.next = false, time.Time{}
	if err := b.Admin.Refresh(ctx, b.Index); err != nil {
		b.Log.Warn("refresh after the backlog failed; the next scheduled refresh shows its documents", zap.Error(err))
	}
}

func (b *Backlog) set(ctx context.Context, interval string, fields ...zap.Field) bool {
	fields = append(fields, zap.String("index", b.Index), zap.String("refresh_interval", interval))
	if err := b.Admin.SetRefreshInterval(ctx, b.Index, interval); err != nil {
		b.Log.Warn("could not change the refresh interval; indexing goes on", append(fields, zap.Error(err))...)
		return false
	}
	if interval == b.Normal {
		b.Log.Info("backlog drained: refresh interval restored", fields...)
	} else {
		b.Log.Info("backlog: refreshing less often until it drains", fields...)
	}
	return true
}
