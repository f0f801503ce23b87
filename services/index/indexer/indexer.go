// Package indexer writes classified articles from a Kafka topic into an
// Elasticsearch index: fetch a batch, bulk-write it (retrying while
// Elasticsearch is down, which stops fetching), dead-letter what can never be
// indexed, and only then commit the offsets. Tombstones delete documents.
// It is the index service's consume loop and, on its own consumer group
// and target index, the reindex loop.
package indexer

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"
	"go.uber.org/zap"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/pipeline/logging"
	"github.com/deskwire/newsroom/services/pipeline/metrics"
	"github.com/deskwire/newsroom/services/pipeline/record"
	"github.com/deskwire/newsroom/services/pipeline/stream"
)

// Stage names this stage in dead-letter headers and metrics.
const Stage = "index"

// Dead-letter reasons.
const (
	ReasonDecode     = "decode"
	ReasonInvalid    = "invalid"
	ReasonESRejected = "es_rejected"
)

// Reasons lists every dead-letter reason of the stage, for the metrics
// baseline.
var Reasons = []string{ReasonDecode, ReasonInvalid, ReasonESRejected}

// maxIDBytes is Elasticsearch's limit on a document id.
const maxIDBytes = 512

// Indexer consumes classified articles and indexes them.
type Indexer struct {
	// Reader is a consumer-group reader on the input topic
	// (stream.Client.NewReader); the Indexer commits through it.
	Reader stream.Fetcher
	// Bulk writes to the target index or alias.
	Bulk *esindex.Bulk
	// DeadLetters receives records that can never be indexed.
	DeadLetters *stream.DeadLetters
	Log         *zap.Logger
	Metrics     *metrics.Metrics
	// MaxDocs caps the records of one batch (default 500).
	MaxDocs int
	// FlushInterval is how long a batch waits for more records once the
	// first arrived (default 200ms; the index service passes 50ms).
	FlushInterval time.Duration
	// Concurrency is how many batches may be in Elasticsearch at once
	// (default 1). Offsets are still committed in order; out-of-order
	// finishes are safe because every write is versioned by ingest time.
	Concurrency int
	// Grace is how long the batch in hand may still run after ctx ends to
	// finish and commit (default 10s).
	Grace time.Duration
	// Backlog, if set, refreshes the index less often while the consumer
	// is far behind.
	Backlog *Backlog
}

// Run consumes until ctx ends; nil on a clean stop.
func (ix *Indexer) Run(ctx context.Context) error {
	maxDocs, wait := ix.MaxDocs, ix.FlushInterval
	if maxDocs <= 0 {
		maxDocs = 500
	}
	if wait <= 0 {
		wait = 200 * time.Millisecond
	}
	if err := ix.Backlog.Start(ctx); err != nil {
		ix.Log.Warn("could not set the normal refresh interval at start", zap.Error(err))
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		ix.Backlog.Close(closeCtx)
	}()
	c := &stream.Consumer{Reader: ix.Reader, MaxBatch: maxDocs, MaxWait: wait, Concurrency: ix.Concurrency, Grace: ix.Grace,
		Log: ix.Log, Metrics: ix.Metrics, Stage: Stage}
	return c.Run(ctx, ix.Handle)
}

// Handle indexes one batch completely — written, deleted or dead-lettered —
// before it returns nil, so that the caller may commit it. It returns an
// error only when ctx ended first.
func (ix *Indexer) Handle(ctx context.Context, batch []kafka.Message) error {
	ix.Backlog.Observe(ctx, batch)
	// Each document is encoded straight into the request, in memory that
	// Bulk.Buffers lends: the ops and rejections point into it until the
	// batch is released.
	size := 0
	for _, m := range batch {
		size += len(m.Value)
	}
	bt := esindex.NewBatch(ix.Bulk.Buffers.Sized(esindex.BodyHint(size, len(batch))), len(batch))
	defer bt.Release(ix.Bulk.Buffers)
	failures := decode(batch, func(op esindex.Op, c *newsroomv1.ClassifiedArticle) error { return ix.Bulk.Add(bt, op, c) })
	ops := bt.Ops()
	rejected, err := ix.Bulk.WriteBatch(ctx, bt)
	if err != nil {
		return fmt.Errorf("indexing %d records: %w", len(ops), err)
	}
	for _, r := range rejected {
		failures = append(failures, stream.Failure{Msg: batch[r.Op.Tag], Reason: ReasonESRejected,
			Err: fmt.Errorf("elasticsearch refused document (status %d): %s", r.Status, r.Reason)})
	}
	if err := ix.DeadLetters.Send(ctx, failures); err != nil {
		return fmt.Errorf("dead-lettering %d records: %w", len(failures), err)
	}
	ix.Backlog.Written(ctx)
	refused := map[int]bool{}
	for _, r := range rejected {
		refused[r.Op.Tag] = true
	}
	deleted := 0
	for _, op := range ops {
		if refused[op.Tag] {
			continue
		}
		m := batch[op.Tag]
		if op.Delete {
			deleted++
			ix.Log.Info("article deleted", logging.Article(op.ID, record.ReadMeta(m).TraceID)...)
		} else if ce := ix.Log.Check(zap.DebugLevel, "article indexed"); ce != nil {
			ce.Write(append(logging.Article(op.ID, record.ReadMeta(m).TraceID),
				zap.String("position", record.Position(m)), zap.Int64("version", op.Version))...)
		}
	}
	ix.Log.Debug("batch indexed", zap.String("index", ix.Bulk.Index), zap.Int("records", len(batch)),
		zap.Int("indexed", len(ops)-len(rejected)-deleted), zap.Int("deleted", deleted), zap.Int("dead_lettered", len(failures)))
	return nil
}

// Ops turns a batch into bulk actions, in record order (so that the last
// record of an article wins within a batch), and the records that cannot be
// indexed. Each op's Tag is its record's position in batch. An index op
// carries its document (Doc), encoded as esindex.AppendDocument encodes it;
// an article without a JSON form (a NaN coordinate) is a failure.
func Ops(batch []kafka.Message) ([]esindex.Op, []stream.Failure) {
	var ops []esindex.Op
	failures := decode(batch, func(op esindex.Op, c *newsroomv1.ClassifiedArticle) error {
		if c != nil {
			doc, err := esindex.AppendDocument(nil, c)
			if err != nil {
				return err
			}
			op.Doc = doc
		}
		ops = append(ops, op)
		return nil
	})
	return ops, failures
}

// decode turns each record of batch into its op, in record order, with its
// Tag set, and hands it to add with its article (nil for a delete). The
// articles are decoded one after another into one message, so add must be
// done with each when it returns: the batch never holds a decoded article
// per record. decode returns the records that cannot be indexed, those
// whose document add could not encode among them.
func decode(batch []kafka.Message, add func(esindex.Op, *newsroomv1.ClassifiedArticle) error) []stream.Failure {
	var failures []stream.Failure
	var c newsroomv1.ClassifiedArticle
	for i, m := range batch {
		op, reason, err := opFor(m, &c)
		if err == nil {
			op.Tag = i
			article := &c
			if op.Delete {
				article = nil
			}
			if err = add(op, article); err != nil {
				reason, err = ReasonInvalid, fmt.Errorf("encoding document %s: %w", op.ID, err)
			}
		}
		if err != nil {
			failures = append(failures, stream.Failure{Msg: m, Reason: reason, Err: err})
		}
	}
	return failures
}

// opFor returns m's op; an index op's article is decoded into c.
func opFor(m kafka.Message, c *newsroomv1.ClassifiedArticle) (esindex.Op, string, error) {
	id := string(m.Key)
	switch {
	case id == "":
		return esindex.Op{}, ReasonInvalid, errors.New("record has no key (the article id)")
	case len(id) > maxIDBytes:
		return esindex.Op{}, ReasonInvalid, fmt.Errorf("article id is %d bytes long: Elasticsearch allows %d", len(id), maxIDBytes)
	}
	if record.IsTombstone(m) {
		// The retraction's time orders it against revisions, which are
		// versioned by their ingest time.
		at := record.ReadMeta(m).DeletedAt
		if at.IsZero() {
			at = m.Time
		}
		if at.IsZero() || at.UnixMicro() < 0 {
			return esindex.Op{}, ReasonInvalid, errors.New("tombstone has neither a deleted-at header nor a record time")
		}
		return esindex.Op{ID: id, Delete: true, Version: at.UnixMicro()}, "", nil
	}
	if err := record.DecodeClassifiedInto(m, c); err != nil {
		return esindex.Op{}, ReasonDecode, err
	}
	v := esindex.Version(c)
	if v < 0 {
		return esindex.Op{}, ReasonInvalid, fmt.Errorf("article %s was ingested before 1970: no valid version", id)
	}
	return esindex.Op{ID: id, Version: v}, "", nil
}
