package feeds

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
	"go.uber.org/zap"

	"github.com/deskwire/newsroom/services/pipeline/retry"
	"github.com/deskwire/newsroom/services/pipeline/stream"
)

// FeedState is a feed's poll state: the validators of its last answer and
// what the status command shows. Key "feed/<name>" in the state topic.
type FeedState struct {
	Name         string    `json:"name"`
	URL          string    `json:"url"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	LastStatus   int       `json:"last_status,omitempty"`
	LastPoll     time.Time `json:"last_poll"`
	LastSuccess  time.Time `json:"last_success"`
	LastError    string    `json:"last_error,omitempty"`
	// Errors counts the failed polls since the last success.
	Errors int `json:"errors"`
	// Items counts the items this feed published, over all replicas.
	Items int64 `json:"items"`
	// Owner is the replica that polled last (its host name).
	Owner    string    `json:"owner,omitempty"`
	NextPoll time.Time `json:"next_poll"`
	// Seq grows with every write, so a record read back late never
	// replaces a newer one.
	Seq int64 `json:"seq"`
}

// ItemState records the revision of an item last published. Key
// "item/<article id>"; shared by all feeds, so the same item in two feeds
// is published once.
type ItemState struct {
	Rev  string    `json:"rev"`
	Feed string    `json:"feed"`
	At   time.Time `json:"at"`
}

const (
	feedPrefix = "feed/"
	itemPrefix = "item/"
)

// Table is the state topic read into memory: every replica tails the whole
// compacted topic, so the validators and seen items of feeds another
// replica polled are known before this one takes them over.
type Table struct {
	topic string
	cfg   *stream.Config
	kc    *kafka.Client
	p     *stream.Producer
	log   *zap.Logger

	mu    sync.Mutex
	feeds map[string]FeedState
	items map[string]ItemState
	next  map[int]int64 // next offset to read, per partition
	moved chan struct{} // closed and replaced whenever next moves
}

// NewTable returns the table of topic; Run fills it.
func NewTable(cfg *stream.Config, client *stream.Client, w stream.Writer, topic string, log *zap.Logger) *Table {
	return &Table{
		topic: topic, cfg: cfg, kc: client.Kafka(), log: log,
		p:     &stream.Producer{W: w, Topic: topic, Log: log},
		feeds: map[string]FeedState{}, items: map[string]ItemState{}, next: map[int]int64{}, moved: make(chan struct{}),
	}
}

// Run tails every partition of the topic from its first offset until ctx
// ends.
func (t *Table) Run(ctx context.Context) error {
	parts, err := t.partitions(ctx)
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	for _, p := range parts {
		wg.Add(1)
		go func() { defer wg.Done(); t.tail(ctx, p) }()
	}
	wg.Wait()
	return ctx.Err()
}

// tail reads one partition with plain fetch requests rather than a
// kafka.Reader: an empty answer below the high watermark means compaction
// removed the records there, and the table moves past them, so CatchUp
// never waits for records that no longer exist.
func (t *Table) tail(ctx context.Context, p int) {
	offset := kafka.FirstOffset
	b := retry.Backoff{Min: 100 * time.Millisecond, Max: 5 * time.Second}
	failures := 0
	fail := func(err error) {
		if failures%10 == 0 {
			t.log.Warn("reading feed state failed, retrying", zap.String("topic", t.topic), zap.Int("partition", p), zap.Error(err))
		}
		select {
		case <-ctx.Done():
		case <-time.After(b.Delay(failures)):
		}
		failures++
	}
	for ctx.Err() == nil {
		res, err := t.kc.Fetch(ctx, &kafka.FetchRequest{Topic: t.topic, Partition: p, Offset: offset,
			MinBytes: 1, MaxBytes: int64(t.cfg.FetchMaxBytes), MaxWait: 500 * time.Millisecond})
		if err == nil {
			err = res.Error
		}
		if errors.Is(err, kafka.OffsetOutOfRange) {
			offset = kafka.FirstOffset // retention removed the start of the log
			continue
		}
		if err != nil {
			if ctx.Err() == nil {
				fail(fmt.Errorf("fetching state topic %s partition %d at %d: %w", t.topic, p, offset, err))
			}
			continue
		}
		failures = 0
		n, next, err := t.applyRecords(p, res.Records, offset)
		if err != nil {
			fail(err)
		}
		offset = next
		if n == 0 && err == nil && res.HighWatermark > max(offset, 0) {
			offset = res.HighWatermark
			t.advance(p, offset)
		}
	}
}

// applyRecords puts the fetched records from offset on into the table and
// returns how many it applied and the next offset to fetch.
func (t *Table) applyRecords(p int, rr kafka.RecordReader, offset int64) (int, int64, error) {
	if rr == nil {
		return 0, offset, nil
	}
	n := 0
	for {
		rec, err := rr.ReadRecord()
		if errors.Is(err, io.EOF) {
			return n, offset, nil
		}
		if err != nil {
			return n, offset, fmt.Errorf("reading state records of %s partition %d: %w", t.topic, p, err)
		}
		if rec.Offset < offset {
			continue // a batch starts before the offset asked for
		}
		key, err := kafka.ReadAll(rec.Key)
		if err != nil {
			return n, offset, fmt.Errorf("reading state record key: %w", err)
		}
		var value []byte
		if rec.Value != nil {
			if value, err = kafka.ReadAll(rec.Value); err != nil {
				return n, offset, fmt.Errorf("reading state record value: %w", err)
			}
			if value == nil {
				value = []byte{}
			}
		}
		t.apply(p, rec.Offset, string(key), value)
		offset = rec.Offset + 1
		n++
	}
}

// advance moves the next offset of partition p to offset.
func (t *Table) advance(p int, offset int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if offset > t.next[p] {
		t.next[p] = offset
		close(t.moved)
		t.moved = make(chan struct{})
	}
}

func (t *Table) partitions(ctx context.Context) ([]int, error) {
	md, err := t.kc.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{t.topic}})
	if err != nil {
		return nil, fmt.Errorf("metadata of state topic %s: %w", t.topic, err)
	}
	var parts []int
	for _, tp := range md.Topics {
		if tp.Error != nil {
			return nil, fmt.Errorf("metadata of state topic %s: %w", t.topic, tp.Error)
		}
		for _, p := range tp.Partitions {
			parts = append(parts, p.ID)
		}
	}
	if len(parts) == 0 {
		return nil, fmt.Errorf("state topic %s has no partitions", t.topic)
	}
	return parts, nil
}

// apply puts one record into the table; a null value deletes the key.
func (t *Table) apply(partition int, offset int64, key string, value []byte) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if offset >= 0 && offset+1 > t.next[partition] {
		t.next[partition] = offset + 1
		close(t.moved)
		t.moved = make(chan struct{})
	}
	switch {
	case strings.HasPrefix(key, feedPrefix):
		name := strings.TrimPrefix(key, feedPrefix)
		var s FeedState
		if value == nil {
			delete(t.feeds, name)
		} else if err := json.Unmarshal(value, &s); err == nil {
			if cur, ok := t.feeds[name]; !ok || s.Seq >= cur.Seq {
				t.feeds[name] = s
			}
		} else {
			t.log.Warn("undecodable feed state ignored", zap.String("key", key), zap.Error(err))
		}
	case strings.HasPrefix(key, itemPrefix):
		id := strings.TrimPrefix(key, itemPrefix)
		var s ItemState
		if value == nil {
			delete(t.items, id)
		} else if err := json.Unmarshal(value, &s); err == nil {
			// A record read back may be older than what this replica
			// already wrote; revisions only move forward in time.
			if cur, ok := t.items[id]; !ok || !s.At.Before(cur.At) {
				t.items[id] = s
			}
		}
	}
}

// CatchUp returns once the table holds every record written to the topic
// before the call.
func (t *Table) CatchUp(ctx context.Context) error {
	parts, err := t.partitions(ctx)
	if err != nil {
		return err
	}
	req := &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{}}
	for _, p := range parts {
		req.Topics[t.topic] = append(req.Topics[t.topic], kafka.LastOffsetOf(p))
	}
	res, err := t.kc.ListOffsets(ctx, req)
	if err != nil {
		return fmt.Errorf("end offsets of state topic %s: %w", t.topic, err)
	}
	end := map[int]int64{}
	for _, po := range res.Topics[t.topic] {
		if po.Error != nil {
			return fmt.Errorf("end offset of state topic %s partition %d: %w", t.topic, po.Partition, po.Error)
		}
		end[po.Partition] = po.LastOffset
	}
	for {
		t.mu.Lock()
		behind := false
		for p, e := range end {
			if t.next[p] < e {
				behind = true
			}
		}
		moved := t.moved
		t.mu.Unlock()
		if !behind {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("catching up with state topic %s: %w", t.topic, ctx.Err())
		case <-moved:
		}
	}
}

// Feed returns the state of a feed.
func (t *Table) Feed(name string) (FeedState, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s, ok := t.feeds[name]
	return s, ok
}

// Feeds returns every feed's state.
func (t *Table) Feeds() []FeedState {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]FeedState, 0, len(t.feeds))
	for _, s := range t.feeds {
		out = append(out, s)
	}
	return out
}

// Seen reports whether revision rev of item id was published.
func (t *Table) Seen(id, rev string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	s, ok := t.items[id]
	return ok && s.Rev == rev
}

// stale returns the items that feed recorded before cutoff and that are
// not in present (the ids of its current document).
func (t *Table) stale(feed string, present map[string]bool, cutoff time.Time) []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []string
	for id, s := range t.items {
		if s.Feed == feed && s.At.Before(cutoff) && !present[id] {
			out = append(out, id)
		}
	}
	return out
}

// DeleteItems writes tombstones for the items' records and waits for the ack.
func (t *Table) DeleteItems(ctx context.Context, ids []string) error {
	msgs := make([]kafka.Message, len(ids))
	for i, id := range ids {
		msgs[i] = kafka.Message{Key: []byte(itemPrefix + id)}
	}
	return t.put(ctx, msgs...)
}

// PutFeed writes a feed's state and waits for the ack.
func (t *Table) PutFeed(ctx context.Context, s FeedState) error {
	b, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("encoding state of feed %s: %w", s.Name, err)
	}
	return t.put(ctx, kafka.Message{Key: []byte(feedPrefix + s.Name), Value: b})
}

// PutItems records published revisions and waits for the ack.
func (t *Table) PutItems(ctx context.Context, items map[string]ItemState) error {
	msgs := make([]kafka.Message, 0, len(items))
	for id, s := range items {
		b, err := json.Marshal(s)
		if err != nil {
			return fmt.Errorf("encoding state of item %s: %w", id, err)
		}
		msgs = append(msgs, kafka.Message{Key: []byte(itemPrefix + id), Value: b})
	}
	return t.put(ctx, msgs...)
}

func (t *Table) put(ctx context.Context, msgs ...kafka.Message) error {
	if len(msgs) == 0 {
		return nil
	}
	if err := t.p.Write(ctx, msgs...); err != nil {
		return fmt.Errorf("writing feed state: %w", err)
	}
	// Applied at once so the next poll sees it; the copy read back later
	// changes nothing.
	for _, m := range msgs {
		t.apply(0, -1, string(m.Key), m.Value)
	}
	return nil
}

// LoadTable reads the state topic up to its current end (the status
// command).
func LoadTable(ctx context.Context, cfg *stream.Config, client *stream.Client, topic string, log *zap.Logger) (*Table, error) {
	t := NewTable(cfg, client, nil, topic, log)
	if _, err := t.partitions(ctx); err != nil {
		if errors.Is(err, kafka.UnknownTopicOrPartition) {
			return t, nil // no feed polled yet: an empty table
		}
		return nil, err
	}
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- t.Run(rctx) }()
	if err := t.CatchUp(ctx); err != nil {
		return nil, err
	}
	cancel()
	<-done
	return t, nil
}
