package stream_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/segmentio/kafka-go"
	"go.uber.org/zap/zaptest"

	"github.com/deskwire/newsroom/services/pipeline/kafkatest"
	"github.com/deskwire/newsroom/services/pipeline/stream"
)

// noise returns n incompressible bytes, so that compression cannot hide a
// record's size from the broker.
func noise(n int) []byte {
	b := make([]byte, n)
	r := rand.NewChaCha8([32]byte{1})
	_, _ = r.Read(b)
	return b
}

// TestMessageLimitsAgainstKafka: topics the pipeline creates take a record
// of MaxRecordBytes; on an older topic with a lower max.message.bytes the
// broker's refusal is a permanent refusal of that record alone, and
// RaiseMessageLimit fixes the topic.
func TestMessageLimitsAgainstKafka(t *testing.T) {
	cfg := kafkatest.Config(t)
	cfg.Partitions = 1 // every record in one batch, so the broker refuses them together
	small := kafkatest.Name(t, "small")
	c, err := stream.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	if err := c.EnsureTopics(ctx, stream.TopicSpec{Name: cfg.TopicRaw, Compact: true}); err != nil {
		t.Fatal(err)
	}
	if n, err := c.MessageLimit(ctx, cfg.TopicRaw); err != nil || n != stream.MaxMessageBytes {
		t.Fatalf("max.message.bytes of a created topic = %d, %v; want %d", n, err, stream.MaxMessageBytes)
	}
	// A topic made as a cluster default would make it, with a 100 kB limit.
	res, err := c.Kafka().CreateTopics(ctx, &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{{Topic: small, NumPartitions: 1,
		ReplicationFactor: 1, ConfigEntries: []kafka.ConfigEntry{{ConfigName: "max.message.bytes", ConfigValue: "100000"}}}}})
	if err == nil {
		err = res.Errors[small]
	}
	if err != nil {
		t.Fatalf("creating %s: %v", small, err)
	}
	if err := c.EnsureTopics(ctx, stream.TopicSpec{Name: small}); err != nil { // waits for its leader
		t.Fatal(err)
	}

	publish := func(topic string, sizes ...int) (refused []string) {
		t.Helper()
		w := c.NewWriter(topic)
		defer w.Close()
		p := &stream.Producer{W: w, Topic: topic, Log: zaptest.NewLogger(t)}
		msgs := make([]kafka.Message, len(sizes))
		for i, n := range sizes {
			msgs[i] = kafka.Message{Key: []byte("k" + strconv.Itoa(i)), Value: noise(n)}
		}
		errs, err := p.Publish(ctx, msgs...)
		if err != nil {
			t.Fatalf("Publish to %s: %v", topic, err)
		}
		for i, e := range errs {
			if e != nil {
				if !errors.Is(e, stream.ErrRecordTooLarge) {
					t.Errorf("record %d refused, but not as too large: %v", i, e)
				}
				refused = append(refused, string(msgs[i].Key))
			}
		}
		return refused
	}
	largest := stream.MaxRecordBytes - 1024
	if got := publish(cfg.TopicRaw, 100, largest, 100, stream.MaxRecordBytes+1); !cmp.Equal(got, []string{"k3"}) {
		t.Errorf("created topic refused %v, want only k3 (over MaxRecordBytes)", got)
	}
	if got := publish(small, 100, 200_000, 100); !cmp.Equal(got, []string{"k1"}) {
		t.Errorf("topic with a 100 kB limit refused %v, want only k1", got)
	}
	raised, err := c.RaiseMessageLimit(ctx, cfg.TopicRaw, small)
	if err != nil || !cmp.Equal(raised, []string{small}) {
		t.Fatalf("RaiseMessageLimit = %v, %v; want only %s raised", raised, err, small)
	}
	if got := publish(small, largest); got != nil {
		t.Errorf("raised topic refused %v", got)
	}
}
