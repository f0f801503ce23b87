package stream_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"go.uber.org/zap/zaptest"

	"github.com/deskwire/newsroom/services/pipeline/kafkatest"
	"github.com/deskwire/newsroom/services/pipeline/stream"
)

func setup(t *testing.T) (*stream.Config, *stream.Client, context.Context) {
	t.Helper()
	cfg := kafkatest.Config(t)
	kafkatest.DeleteAtEnd(t, cfg.Brokers, cfg.TopicRaw, cfg.TopicDLQ)
	c, err := stream.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	t.Cleanup(cancel)
	if err := c.EnsureTopics(ctx, stream.TopicSpec{Name: cfg.TopicRaw, Compact: true}, stream.TopicSpec{Name: cfg.TopicDLQ}); err != nil {
		t.Fatal(err)
	}
	// A second call finds the topics and leaves them alone.
	if err := c.EnsureTopics(ctx, stream.TopicSpec{Name: cfg.TopicRaw, Compact: true}); err != nil {
		t.Fatalf("EnsureTopics on existing topic: %v", err)
	}
	return cfg, c, ctx
}

func produce(t *testing.T, ctx context.Context, c *stream.Client, topic string, n, from int) {
	t.Helper()
	w := c.NewWriter(topic)
	defer w.Close()
	p := &stream.Producer{W: w, Topic: topic, Log: zaptest.NewLogger(t)}
	var msgs []kafka.Message
	for i := from; i < from+n; i++ {
		msgs = append(msgs, kafka.Message{Key: []byte(fmt.Sprintf("k%03d", i)), Value: []byte(fmt.Sprintf("v%03d", i))})
	}
	if err := p.Write(ctx, msgs...); err != nil {
		t.Fatal(err)
	}
}

// consume runs a consumer until want records were handled, then stops it.
func consume(t *testing.T, ctx context.Context, c *stream.Client, group, topic string, want int) map[string]int {
	t.Helper()
	r, err := c.NewReader(group, topic)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	seen := map[string]int{}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	count := 0
	cons := &stream.Consumer{Reader: r, MaxBatch: 7, MaxWait: 50 * time.Millisecond, Log: zaptest.NewLogger(t), Stage: "test"}
	done := make(chan error, 1)
	go func() {
		done <- cons.Run(runCtx, func(ctx context.Context, batch []kafka.Message) error {
			for _, m := range batch {
				seen[string(m.Key)]++
			}
			count += len(batch)
			if count >= want {
				stop()
			}
			return nil
		})
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("consumer: %v", err)
		}
	case <-ctx.Done():
		t.Fatalf("consumed %d of %d records before the deadline", count, want)
	}
	return seen
}

func TestProduceConsumeCommitSurvivesRestart(t *testing.T) {
	cfg, c, ctx := setup(t)
	group := kafkatest.Name(t, "group")
	produce(t, ctx, c, cfg.TopicRaw, 30, 0)

	first := consume(t, ctx, c, group, cfg.TopicRaw, 30)
	if len(first) != 30 {
		t.Fatalf("first reader saw %d distinct keys, want 30", len(first))
	}
	// The committed offsets survive the reader: a new reader in the same
	// group sees only what was produced after.
	produce(t, ctx, c, cfg.TopicRaw, 5, 100)
	second := consume(t, ctx, c, group, cfg.TopicRaw, 5)
	for k := range second {
		if _, old := first[k]; old {
			t.Errorf("record %s delivered again after commit", k)
		}
	}
	if len(second) != 5 {
		t.Fatalf("second reader saw %d keys (%v), want the 5 new ones", len(second), second)
	}
}

func TestDeadLetterCarriesReasonAndPosition(t *testing.T) {
	cfg, c, ctx := setup(t)
	w := c.NewWriter(cfg.TopicDLQ)
	defer w.Close()
	dl := &stream.DeadLetters{P: &stream.Producer{W: w, Topic: cfg.TopicDLQ, Log: zaptest.NewLogger(t)}, Stage: "test"}
	orig := kafka.Message{Topic: cfg.TopicRaw, Partition: 2, Offset: 41, Key: []byte("bad"), Value: []byte{0xff}}
	if err := dl.Send(ctx, []stream.Failure{{Msg: orig, Reason: "decode", Err: fmt.Errorf("not protobuf")}}); err != nil {
		t.Fatal(err)
	}
	var got kafka.Message
	for p := 0; p < cfg.Partitions; p++ {
		rr := kafka.NewReader(kafka.ReaderConfig{Brokers: cfg.BrokerList(), Topic: cfg.TopicDLQ, Partition: p, MaxWait: 100 * time.Millisecond})
		rctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		m, err := rr.ReadMessage(rctx)
		cancel()
		rr.Close()
		if err == nil {
			got = m
			break
		}
	}
	want := map[string]string{
		stream.HeaderDLQStage: "test", stream.HeaderDLQReason: "decode", stream.HeaderDLQError: "not protobuf",
		stream.HeaderDLQTopic: cfg.TopicRaw, stream.HeaderDLQPartition: "2", stream.HeaderDLQOffset: "41",
	}
	h := map[string]string{}
	for _, x := range got.Headers {
		h[x.Key] = string(x.Value)
	}
	for k, v := range want {
		if h[k] != v {
			t.Errorf("header %s = %q, want %q", k, h[k], v)
		}
	}
	if string(got.Key) != "bad" || string(got.Value) != "\xff" {
		t.Errorf("dead letter key/value = %q/%q, want the original", got.Key, got.Value)
	}
}
