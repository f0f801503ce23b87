package classifier_test

import (
	"bytes"
	"context"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/deskwire/newsroom/services/classify/classifier"
	"github.com/deskwire/newsroom/services/pipeline/kafkatest"
	"github.com/deskwire/newsroom/services/pipeline/stream"
)

// Through the real Kafka writer, two batches in hand at once, round after
// round: the stage reuses the memory of the values it produced only once
// the writer is done with them, so every record on the topic is the one
// Classify and EncodeClassified make.
func TestStageReuseOnKafka(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	kcfg := kafkatest.Config(t)
	kcfg.Partitions = 1
	client, err := stream.NewClient(kcfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := client.EnsureTopics(ctx, stream.TopicSpec{Name: kcfg.TopicClassified}); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)
	raw, want := stageFixture(t, now)
	byKey := map[string][]byte{}
	for i, m := range raw {
		byKey[string(m.Key)] = want[i]
	}
	w := client.NewWriter(kcfg.TopicClassified)
	defer w.Close()
	log := zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel))
	s := &classifier.Stage{Ex: extractor(t), Out: &stream.Producer{W: w, Topic: kcfg.TopicClassified, Log: log},
		DLQ: &captureDLQ{}, Log: log, Workers: 2, Now: func() time.Time { return now }}
	const rounds, inHand = 4, 2
	half := len(raw) / 2
	var wg sync.WaitGroup
	for range inHand {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range rounds {
				for _, b := range [][]kafka.Message{raw[:half], raw[half:]} {
					if err := s.Handle(ctx, b); err != nil {
						t.Error(err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: []string{kcfg.BrokerList()[0]}, Topic: kcfg.TopicClassified, Partition: 0})
	defer r.Close()
	seen := map[string]int{}
	for range inHand * rounds * len(raw) {
		m, err := r.ReadMessage(ctx)
		if err != nil {
			t.Fatalf("reading back after %d records: %v", len(seen), err)
		}
		seen[string(m.Key)]++
		if !bytes.Equal(m.Value, byKey[string(m.Key)]) {
			t.Errorf("record %s at offset %d differs from Classify's encoding", m.Key, m.Offset)
		}
	}
	for k := range byKey {
		if seen[k] != inHand*rounds {
			t.Errorf("%s: %d records, want %d", k, seen[k], inHand*rounds)
		}
	}
}
