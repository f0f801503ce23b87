// Package kafkatest connects tests to the real Kafka that scripts/infra.sh
// runs. With INTEGRATION=1 (as make test sets) a missing broker fails the
// test; otherwise the test is skipped with a message saying how to run it.
package kafkatest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/deskwire/newsroom/services/pipeline/stream"
)

// brokerList is $KAFKA_BROKERS (127.0.0.1:9092 when unset) and its first broker.
func brokerList() (brokers, first string) {
	brokers = os.Getenv("KAFKA_BROKERS")
	if brokers == "" {
		brokers = "127.0.0.1:9092"
	}
	return brokers, strings.Split(brokers, ",")[0]
}

// Brokers returns the broker list of the test cluster.
func Brokers(t testing.TB) string {
	t.Helper()
	SkipShort(t)
	brokers, first := brokerList()
	conn, err := net.DialTimeout("tcp", first, 3*time.Second)
	if err != nil {
		Unavailable(t, "Kafka", first, err)
	}
	conn.Close()
	return brokers
}

// SkipShort skips an integration test in -short mode: `go test -short` runs
// the unit tests alone.
func SkipShort(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: runs without -short")
	}
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

// Unique returns a name unique to this test run, for topics, groups and
// indices; nothing is deleted when the test ends (see Name).
func Unique(t testing.TB, kind string) string {
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

// Name returns a Unique name for topics and consumer groups; when the test
// ends, every topic and group whose name starts with it is deleted, so a
// developer's cluster keeps none of them.
func Name(t testing.TB, kind string) string {
	n := Unique(t, kind)
	t.Cleanup(func() { deleteByPrefix(t, n) })
	return n
}

// deleteByPrefix deletes the topics and consumer groups named prefix….
// It is best effort: a test that never reached Kafka has nothing to delete.
func deleteByPrefix(t testing.TB, prefix string) {
	_, addr := brokerList()
	conn, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		return
	}
	conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	c := &kafka.Client{Addr: kafka.TCP(addr), Timeout: 10 * time.Second}
	if groups, err := c.ListGroups(ctx, &kafka.ListGroupsRequest{}); err == nil {
		for _, g := range groups.Groups {
			if !strings.HasPrefix(g.GroupID, prefix) {
				continue
			}
			// One request per group: a request goes to the first group's coordinator.
			res, err := c.DeleteGroups(ctx, &kafka.DeleteGroupsRequest{GroupIDs: []string{g.GroupID}})
			if err == nil {
				err = res.Errors[g.GroupID]
			}
			if err != nil {
				t.Logf("kafkatest: deleting consumer group %s: %v", g.GroupID, err)
			}
		}
	}
	meta, err := c.Metadata(ctx, &kafka.MetadataRequest{})
	if err != nil {
		t.Logf("kafkatest: listing topics to delete %s*: %v", prefix, err)
		return
	}
	var topics []string
	for _, tp := range meta.Topics {
		if strings.HasPrefix(tp.Name, prefix) {
			topics = append(topics, tp.Name)
		}
	}
	if len(topics) == 0 {
		return
	}
	res, err := c.DeleteTopics(ctx, &kafka.DeleteTopicsRequest{Topics: topics})
	if err == nil {
		err = errors.Join(slices.Collect(maps.Values(res.Errors))...)
	}
	if err != nil {
		t.Logf("kafkatest: deleting topics %v: %v", topics, err)
	}
}
