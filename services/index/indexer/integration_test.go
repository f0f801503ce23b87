package indexer

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/elastic/go-elasticsearch/v8"
	"github.com/segmentio/kafka-go"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/index/estest"
	"github.com/deskwire/newsroom/services/pipeline/kafkatest"
	"github.com/deskwire/newsroom/services/pipeline/record"
	"github.com/deskwire/newsroom/services/pipeline/retry"
	"github.com/deskwire/newsroom/services/pipeline/stream"
)

// countingFetcher counts what the consumer fetched and committed from the
// real reader it wraps.
type countingFetcher struct {
	stream.Fetcher
	fetched, committed atomic.Int64
}

func (c *countingFetcher) FetchMessage(ctx context.Context) (kafka.Message, error) {
	m, err := c.Fetcher.FetchMessage(ctx)
	if err == nil {
		c.fetched.Add(1)
	}
	return m, err
}

func (c *countingFetcher) CommitMessages(ctx context.Context, msgs ...kafka.Message) error {
	err := c.Fetcher.CommitMessages(ctx, msgs...)
	if err == nil {
		c.committed.Add(int64(len(msgs)))
	}
	return err
}

// setup makes a test's single-partition classified and dead-letter topics
// on the real Kafka and its alias and index on the real Elasticsearch.
func setup(ctx context.Context, t *testing.T) (*stream.Config, *esindex.Config, *elasticsearch.Client, *stream.Client, *esindex.Admin, *zap.Logger) {
	t.Helper()
	kcfg := kafkatest.Config(t)
	kcfg.Partitions = 1
	ecfg, es := estest.Config(t)
	client, err := stream.NewClient(kcfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := client.EnsureTopics(ctx, stream.TopicSpec{Name: kcfg.TopicClassified}, stream.TopicSpec{Name: kcfg.TopicDLQ}); err != nil {
		t.Fatal(err)
	}
	admin := &esindex.Admin{ES: es, Cfg: ecfg}
	if _, err := admin.Setup(ctx); err != nil {
		t.Fatal(err)
	}
	return kcfg, ecfg, es, client, admin, zaptest.NewLogger(t)
}

// produce writes n classified articles, doc-00 on, to the test's topic.
func produce(ctx context.Context, t *testing.T, client *stream.Client, kcfg *stream.Config, log *zap.Logger, n int) {
	t.Helper()
	var msgs []kafka.Message
	for i := 0; i < n; i++ {
		msgs = append(msgs, classified(t, fmt.Sprintf("doc-%02d", i), time.Now(), nil))
	}
	w := client.NewWriter(kcfg.TopicClassified)
	defer w.Close()
	if err := (&stream.Producer{W: w, Topic: kcfg.TopicClassified, Log: log}).Write(ctx, msgs...); err != nil {
		t.Fatal(err)
	}
}

// deadLetters sends to the test's dead-letter topic through a writer closed
// when the test ends.
func deadLetters(t *testing.T, client *stream.Client, kcfg *stream.Config, log *zap.Logger) *stream.DeadLetters {
	dw := client.NewWriter(kcfg.TopicDLQ)
	t.Cleanup(func() { dw.Close() })
	return &stream.DeadLetters{Stage: Stage, P: &stream.Producer{W: dw, Topic: kcfg.TopicDLQ, Log: log}}
}

// TestElasticsearchDownCommitsNothing stops an indexer whose Elasticsearch
// is unreachable: it holds one batch, fetches no further, commits nothing,
// and the next indexer on the group indexes every record.
func TestElasticsearchDownCommitsNothing(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	kcfg, ecfg, es, client, admin, log := setup(ctx, t)
	const n = 12
	produce(ctx, t, client, kcfg, log, n)
	dl := deadLetters(t, client, kcfg, log)
	group := kafkatest.Name(t, "group")

	newIndexer := func(es *esindex.Bulk) (*Indexer, *countingFetcher, func()) {
		r, err := client.NewReader(group, kcfg.TopicClassified)
		if err != nil {
			t.Fatal(err)
		}
		f := &countingFetcher{Fetcher: r}
		return &Indexer{Reader: f, Bulk: es, Log: log, MaxDocs: 5, FlushInterval: 50 * time.Millisecond, Grace: time.Second,
			DeadLetters: dl}, f, func() { r.Close() }
	}

	down := esindex.Config{URL: "http://127.0.0.1:1", Alias: ecfg.Alias, Version: 1}
	downES, err := down.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	ix, f, closeReader := newIndexer(&esindex.Bulk{ES: downES, Index: ecfg.Alias, Log: log,
		Backoff: retry.Backoff{Min: 20 * time.Millisecond, Max: 100 * time.Millisecond}})
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- ix.Run(runCtx) }()
	for deadline := time.Now().Add(20 * time.Second); f.fetched.Load() == 0; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("nothing fetched in 20s")
		}
	}
	time.Sleep(time.Second) // a second of retrying against the missing cluster
	if got := f.fetched.Load(); got > 5 {
		t.Errorf("fetched %d records while Elasticsearch was down, want at most one batch of 5", got)
	}
	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run = %v, want nil on a stop", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("indexer did not stop within grace")
	}
	closeReader()
	if c := f.committed.Load(); c != 0 {
		t.Fatalf("committed %d records that never reached Elasticsearch", c)
	}

	// Elasticsearch is back: the group's next member indexes everything.
	ix, f, closeReader = newIndexer(&esindex.Bulk{ES: es, Index: ecfg.Alias, Log: log})
	defer closeReader()
	runCtx, stop = context.WithCancel(ctx)
	defer stop()
	go func() { done <- ix.Run(runCtx) }()
	for deadline := time.Now().Add(30 * time.Second); f.committed.Load() < n; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("committed %d of %d after Elasticsearch came back", f.committed.Load(), n)
		}
	}
	if err := admin.Refresh(ctx, ecfg.Alias); err != nil {
		t.Fatal(err)
	}
	if c, err := admin.Count(ctx, ecfg.Alias); err != nil || c != n {
		t.Errorf("documents = %d, %v; want %d", c, err, n)
	}
	stop()
	if err := <-done; err != nil {
		t.Errorf("Run = %v", err)
	}
}

// TestUnencodableDocumentDeadLettered hands the indexer a batch with an
// article that has no JSON document (a NaN coordinate) between two good
// ones: the good ones are indexed, the bad one goes to the dead-letter
// topic with reason "invalid" and the encoder's error, and the batch is done.
func TestUnencodableDocumentDeadLettered(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	kcfg, ecfg, es, client, admin, log := setup(ctx, t)
	ix := &Indexer{Bulk: &esindex.Bulk{ES: es, Index: ecfg.Alias, RequireAlias: true, Log: log}, Log: log,
		DeadLetters: deadLetters(t, client, kcfg, log)}
	batch := []kafka.Message{
		classified(t, "good-1", time.Now(), nil),
		classified(t, "nan", time.Now(), func(c *newsroomv1.ClassifiedArticle) {
			c.Locations = []*newsroomv1.Location{{Id: "x", Name: "X", Point: &newsroomv1.GeoPoint{Lat: math.NaN()}}}
		}),
		classified(t, "good-2", time.Now(), nil),
	}
	if err := ix.Handle(ctx, batch); err != nil {
		t.Fatal(err)
	}
	if err := admin.Refresh(ctx, ecfg.Alias); err != nil {
		t.Fatal(err)
	}
	if c, err := admin.Count(ctx, ecfg.Alias); err != nil || c != 2 {
		t.Errorf("documents = %d, %v; want the 2 good ones", c, err)
	}
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: kcfg.BrokerList(), Topic: kcfg.TopicDLQ, Partition: 0, MaxWait: 100 * time.Millisecond})
	defer r.Close()
	m, err := r.ReadMessage(ctx)
	if err != nil {
		t.Fatalf("reading the dead-letter topic: %v", err)
	}
	reason, msg := record.Header(m, stream.HeaderDLQReason), record.Header(m, stream.HeaderDLQError)
	if string(m.Key) != "nan" || reason != ReasonInvalid || msg != "encoding document nan: json: unsupported value: NaN" {
		t.Errorf("dead letter key %q, reason %q, error %q; want nan, %s and the encoder's error", m.Key, reason, msg, ReasonInvalid)
	}
	if !bytes.Equal(m.Value, batch[1].Value) {
		t.Error("the dead letter does not hold the original record")
	}
}

// readingRefresher passes settings to the real Elasticsearch and reads each
// back right after, so that the test sees what the index really had.
type readingRefresher struct {
	admin *esindex.Admin
	mu    sync.Mutex
	seen  []string
}

func (r *readingRefresher) SetRefreshInterval(ctx context.Context, index, interval string) error {
	if err := r.admin.SetRefreshInterval(ctx, index, interval); err != nil {
		return err
	}
	got, err := r.admin.RefreshIntervalOf(ctx, index)
	r.mu.Lock()
	r.seen = append(r.seen, fmt.Sprintf("%s %v", got, err))
	r.mu.Unlock()
	return nil
}

func (r *readingRefresher) Refresh(ctx context.Context, index string) error {
	return r.admin.Refresh(ctx, index)
}

// TestBacklogRefreshesLessOften runs an indexer over a topic far ahead of
// it: the alias's index refreshes every 30s while the backlog drains, every
// second again once it caught up, and every record is searchable at once
// without waiting for a scheduled refresh.
func TestBacklogRefreshesLessOften(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	kcfg, ecfg, es, client, admin, log := setup(ctx, t)
	const n = 60
	produce(ctx, t, client, kcfg, log, n)
	r, err := client.NewReader(kafkatest.Name(t, "group"), kcfg.TopicClassified)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	f := &countingFetcher{Fetcher: r}
	rr := &readingRefresher{admin: admin}
	ix := &Indexer{Reader: f, Bulk: &esindex.Bulk{ES: es, Index: ecfg.Alias, RequireAlias: true, Log: log}, Log: log,
		MaxDocs: 5, FlushInterval: 50 * time.Millisecond, Grace: time.Second,
		DeadLetters: deadLetters(t, client, kcfg, log),
		Backlog:     &Backlog{Admin: rr, Index: ecfg.Alias, Normal: esindex.RefreshInterval, Interval: "30s", Enter: 20, Log: log}}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	done := make(chan error, 1)
	go func() { done <- ix.Run(runCtx) }()
	for deadline := time.Now().Add(30 * time.Second); f.committed.Load() < n; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("committed %d of %d", f.committed.Load(), n)
		}
	}
	// No refresh of our own: the drained backlog's refresh must have
	// made every document searchable.
	if c, err := admin.Count(ctx, ecfg.Alias); err != nil || c != n {
		t.Errorf("searchable documents = %d, %v; want all %d right after the backlog drained", c, err, n)
	}
	rr.mu.Lock()
	seen := rr.seen
	rr.mu.Unlock()
	if want := []string{"1s <nil>", "30s <nil>", "1s <nil>"}; !reflect.DeepEqual(seen, want) {
		t.Errorf("refresh_interval read back after each change: %q, want %q (start, backlog, drained)", seen, want)
	}
	stop()
	if err := <-done; err != nil {
		t.Errorf("Run = %v", err)
	}
}
