package classifier_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
	"github.com/deskwire/newsroom/services/classify/classifier"
	"github.com/deskwire/newsroom/services/classify/classifier/classifiertest"
	"github.com/deskwire/newsroom/services/pipeline/record"
)

// copyWriter keeps a copy of the values written, as a Writer must (Handle
// reuses the memory of the ones it was given).
type copyWriter struct{ values [][]byte }

func (w *copyWriter) Write(_ context.Context, msgs ...kafka.Message) error {
	for _, m := range msgs {
		w.values = append(w.values, bytes.Clone(m.Value))
	}
	return nil
}

// failWriter fails every write and keeps the records it was given, like a
// write abandoned while Kafka still holds them.
type failWriter struct{ msgs []kafka.Message }

func (w *failWriter) Write(_ context.Context, msgs ...kafka.Message) error {
	w.msgs = append(w.msgs, msgs...)
	return errors.New("broker gone")
}

// stageFixture is the dev set's raw records, and one whose classified
// value is larger than the stage's chunks, and the values Classify and
// EncodeClassified make of them at time now.
func stageFixture(t *testing.T, now time.Time) (raw []kafka.Message, want [][]byte) {
	t.Helper()
	d := classifiertest.Dev(t)
	ex := extractor(t)
	big, err := record.EncodeArticle(&newsroomv1.Article{Id: "big", Title: "Talks", Body: strings.Repeat("NATO met in Kyiv. ", 20000)})
	if err != nil {
		t.Fatal(err)
	}
	raw = append(d.Raw[:len(d.Raw):len(d.Raw)], big)
	for _, m := range raw {
		a, err := record.DecodeArticle(m)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := record.EncodeClassified(classifier.Classify(ex, a, now))
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, rec.Value)
	}
	return raw, want
}

// The stage reuses its memory from batch to batch: every record it writes
// is still the one Classify and EncodeClassified make; the records of a
// failed write and the ones Records hands out are never overwritten.
func TestStageReuseKeepsRecords(t *testing.T) {
	now := time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)
	raw, want := stageFixture(t, now)
	third := len(raw) / 3
	batches := [][]kafka.Message{raw[:third], raw[third : 2*third], raw[2*third:]}
	out, dlq := &copyWriter{}, &captureDLQ{}
	s := &classifier.Stage{Ex: extractor(t), Out: out, DLQ: dlq, Log: zaptest.NewLogger(t, zaptest.Level(zap.WarnLevel)), Workers: 2, Now: func() time.Time { return now }}
	kept, _, _ := s.Records(raw)
	failed := &failWriter{}
	sf := *s
	sf.Out = failed
	if err := sf.Handle(context.Background(), raw); err == nil {
		t.Fatal("Handle with a failing writer returned nil")
	}
	const rounds = 3
	for range rounds {
		for _, b := range batches {
			if err := s.Handle(context.Background(), b); err != nil {
				t.Fatal(err)
			}
		}
	}
	if len(dlq.fs) != 0 {
		t.Fatalf("%d records dead-lettered", len(dlq.fs))
	}
	if len(out.values) != rounds*len(raw) {
		t.Fatalf("wrote %d records, want %d", len(out.values), rounds*len(raw))
	}
	for i, v := range out.values {
		if !bytes.Equal(v, want[i%len(raw)]) {
			t.Errorf("record %d of the rounds differs from Classify's encoding", i)
		}
	}
	for name, msgs := range map[string][]kafka.Message{"Records": kept, "failed write": failed.msgs} {
		if len(msgs) != len(raw) {
			t.Fatalf("%s: %d records, want %d", name, len(msgs), len(raw))
		}
		for i, m := range msgs {
			if !bytes.Equal(m.Value, want[i]) {
				t.Errorf("%s: record %d changed after later batches", name, i)
			}
		}
	}
}

// nopWriter acknowledges every record at once.
type nopWriter struct{}

func (nopWriter) Write(context.Context, ...kafka.Message) error { return nil }

// BenchmarkHandle is the stage on one core: a batch of the dev articles
// decoded, classified, encoded and handed to a writer that keeps nothing.
func BenchmarkHandle(b *testing.B) {
	d := classifiertest.Dev(b)
	s := &classifier.Stage{Ex: extractor(b), Out: nopWriter{}, DLQ: &captureDLQ{}, Log: zaptest.NewLogger(b, zaptest.Level(zap.WarnLevel)), Workers: 1}
	var n int64
	for _, m := range d.Raw {
		n += int64(len(m.Value))
	}
	b.SetBytes(n)
	b.ReportAllocs()
	for b.Loop() {
		if err := s.Handle(context.Background(), d.Raw); err != nil {
			b.Fatal(err)
		}
	}
}
