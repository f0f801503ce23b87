package e2e

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/deskwire/newsroom/services/classify/classifier/classifiertest"
	"github.com/deskwire/newsroom/services/pipeline/evaltest"
	"github.com/deskwire/newsroom/services/pipeline/stream"
)

// writeRecords writes records to a topic of the stack, retrying while the
// topic is still being created.
func writeRecords(t *testing.T, s *stack, topic string, msgs ...kafka.Message) {
	t.Helper()
	// A transport of its own: the shared default one caches metadata from
	// before this test's topics existed.
	w := &kafka.Writer{Addr: kafka.TCP(strings.Split(s.brokers, ",")...), Topic: topic, RequiredAcks: kafka.RequireAll,
		Balancer: &kafka.Murmur2Balancer{}, Transport: &kafka.Transport{}}
	defer w.Close()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := w.WriteMessages(ctx, msgs...)
		cancel()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("writing %d records to %s: %v", len(msgs), topic, err)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// TestDLQRedrive: dead letters whose cause is gone are re-published to their
// original topic by `pipelinectl dlq redrive`, chosen by stage; a dry run
// publishes nothing, and a redrive without a filter is refused.
func TestDLQRedrive(t *testing.T) {
	s := newStack(t)
	s.start("ingest")
	s.start("classify")
	s.start("index")

	// Two articles.raw records that once failed (injected as the stages
	// would have dead-lettered them): one at classify, one at index.
	arts := evaltest.Load(t)
	now := time.Now()
	raw, dlq := s.topic("raw"), s.topic("dlq")
	letter := func(id string, a evaltest.Article, stage, reason string) kafka.Message {
		_, m := classifiertest.Raw(t, id, a, now)
		m.Headers = append(m.Headers,
			kafka.Header{Key: stream.HeaderDLQStage, Value: []byte(stage)},
			kafka.Header{Key: stream.HeaderDLQReason, Value: []byte(reason)},
			kafka.Header{Key: stream.HeaderDLQError, Value: []byte("injected by the test")},
			kafka.Header{Key: stream.HeaderDLQTopic, Value: []byte(raw)},
			kafka.Header{Key: stream.HeaderDLQPartition, Value: []byte("0")},
			kafka.Header{Key: stream.HeaderDLQOffset, Value: []byte("0")},
			kafka.Header{Key: stream.HeaderDLQTime, Value: []byte(now.UTC().Format(time.RFC3339Nano))},
		)
		return m
	}
	writeRecords(t, s, dlq, letter("redrive-a", arts[0], "classify", "invalid"), letter("redrive-b", arts[1], "index", "es_rejected"))

	ctl := func(args ...string) (string, error) {
		cmd := exec.Command(filepath.Join(binaries(t), "pipelinectl"), append([]string{"dlq"}, append(args, "--log-level", "warn")...)...)
		cmd.Env = s.env
		out, err := cmd.CombinedOutput()
		return string(out), err
	}

	out, err := ctl("redrive")
	if err == nil || !strings.Contains(out, "no filter given") {
		t.Errorf("redrive without a filter = %v:\n%s\nwant a refusal naming the filters", err, out)
	}
	out, err = ctl("redrive", "--stage", "classify", "--dry-run")
	if err != nil || !strings.Contains(out, "1 of 2 dead letters in "+dlq+" would be redriven") || !strings.Contains(out, "redrive-a") || strings.Contains(out, "redrive-b") {
		t.Fatalf("dry run = %v:\n%s\nwant redrive-a alone counted and listed", err, out)
	}
	time.Sleep(3 * time.Second) // longer than classify, index flush and refresh
	if code, r, body := s.searchRaw(""); code != 200 || r.Total != 0 {
		t.Fatalf("after the dry run the index holds %d documents (%d %.200s), want none", r.Total, code, body)
	}

	out, err = ctl("redrive", "--stage", "classify")
	if err != nil || !strings.Contains(out, "1 of 2 dead letters in "+dlq+" redriven: 1 to "+raw) {
		t.Fatalf("redrive = %v:\n%s", err, out)
	}
	r := s.waitTotal("", 1, 30*time.Second)
	if r.Hits[0].ID != "redrive-a" {
		t.Errorf("searchable after the redrive: %s, want redrive-a", r.Hits[0].ID)
	}
	// The dead letters stay where they were.
	if out, err := ctl("list"); err != nil || !strings.Contains(out, "2 dead letters in "+dlq) {
		t.Errorf("pipelinectl dlq after the redrive = %v:\n%s", err, out)
	}
}
