// Package kafkatest connects tests to the real Kafka that scripts/infra.sh
// runs. With INTEGRATION=1 (as make test sets) a missing broker fails the
// test; otherwise the test is skipped with a message saying how to run it.
package kafkatest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/deskwire/newsroom/services/pipeline/stream"
)

// Brokers returns the broker list of the test cluster.
func Brokers(t testing.TB) string {
	t.Helper()
	brokers := os.Getenv("KAFKA_BROKERS")
	if brokers == "" {
		brokers = "127.0.0.1:9092"
	}
	first := strings.Split(brokers, ",")[0]
	conn, err := net.DialTimeout("tcp", first, 3*time.Second)
	if err != nil {
		Unavailable(t, "Kafka", first, err)
	}
	conn.Close()
	return brokers
}

// Unavailable fails (INTEGRATION=1) or skips a test whose server is missing.
func Unavailable(t testing.TB, what, addr string, err error) {
	t.Helper()
	msg := fmt.Sprintf("%s is not reachable at %s (%v): start it with `make infra-up`", what, addr, err)
	if os.Getenv("INTEGRATION") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg + "; set INTEGRATION=1 to make this a failure")
}

// Config returns stream settings for the test cluster, with one partition
// per topic unless the test changes it.
func Config(t testing.TB) *stream.Config {
	return &stream.Config{
		Brokers: Brokers(t), Partitions: 3, ReplicationFactor: 1,
		TopicRaw: Name(t, "raw"), TopicClassified: Name(t, "classified"), TopicDLQ: Name(t, "dlq"),
		WriterBatchSize: 100, WriterBatchBytes: stream.MaxRecordBytes, WriterBatchTimeout: 5 * time.Millisecond, FetchMaxBytes: 10 << 20,
	}
}

var seq atomic.Int64

// Name returns a name unique to this test run, for topics and groups.
func Name(t testing.TB, kind string) string {
	clean := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '-'
	}, t.Name())
	if len(clean) > 40 {
		clean = clean[:40]
	}
	return fmt.Sprintf("test.%s.%s.%d.%d", strings.ToLower(clean), kind, time.Now().UnixNano()%1e9, seq.Add(1))
}

// DeleteAtEnd deletes the named topics when the test ends; a topic that
// was never created is no error.
func DeleteAtEnd(t testing.TB, brokers string, topics ...string) {
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c := &kafka.Client{Addr: kafka.TCP(strings.Split(brokers, ",")...), Timeout: 20 * time.Second}
		res, err := c.DeleteTopics(ctx, &kafka.DeleteTopicsRequest{Topics: topics})
		if err != nil {
			t.Errorf("deleting topics %v: %v", topics, err)
			return
		}
		for topic, e := range res.Errors {
			if e != nil && !errors.Is(e, kafka.UnknownTopicOrPartition) {
				t.Errorf("deleting topic %s: %v", topic, e)
			}
		}
	})
}
