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
	c := &stream.Consumer{Reader: ix.Reader, MaxBatch: maxDocs, MaxWait: wait, Concurrency: ix.Concurrency, Grace: ix.Grace,
		Log: ix.Log, Metrics: ix.Metrics, Stage: Stage}
	return c.Run(ctx, ix.Handle)
}

// Handle indexes one batch completely — written, deleted or dead-lettered —
// before it returns nil, so that the caller may commit it. It returns an
// error only when ctx ended first.
func (ix *Indexer) Handle(ctx context.Context, batch []kafka.Message) error {
	ops, failures := Ops(batch)
	rejected, err := ix.Bulk.Write(ctx, ops)
	if err != nil {
		return fmt.Errorf("indexing %d records: %w", len(ops), err)
	}
	for _, r := range rejected {
		f := stream.Failure{Msg: batch[r.Op.Tag], Reason: ReasonESRejected,
			Err: fmt.Errorf("elasticsearch refused document (status %d): %s", r.Status, r.Reason)}
		if r.Status == esindex.StatusUnencodable {
			// For example a NaN coordinate.
			f.Reason, f.Err = ReasonInvalid, fmt.Errorf("encoding document %s: %s", r.Op.ID, r.Reason)
		}
		failures = append(failures, f)
	}
	if err := ix.DeadLetters.Send(ctx, failures); err != nil {
		return fmt.Errorf("dead-lettering %d records: %w", len(failures), err)
	}
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
// carries the decoded article (Source): the bulk writer encodes its
// document straight into the request, and rejects it there when it has no
// JSON form.
func Ops(batch []kafka.Message) ([]esindex.Op, []stream.Failure) {
	ops := make([]esindex.Op, 0, len(batch))
	var failures []stream.Failure
	for i, m := range batch {
		op, reason, err := opFor(m)
		if err != nil {
			failures = append(failures, stream.Failure{Msg: m, Reason: reason, Err: err})
			continue
		}
		op.Tag = i
		ops = append(ops, op)
	}
	return ops, failures
}

func opFor(m kafka.Message) (esindex.Op, string, error) {
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
	c, err := record.DecodeClassified(m)
	if err != nil {
		return esindex.Op{}, ReasonDecode, err
	}
	v := esindex.Version(c)
	if v < 0 {
		return esindex.Op{}, ReasonInvalid, fmt.Errorf("article %s was ingested before 1970: no valid version", id)
	}
	return esindex.Op{ID: id, Version: v, Source: c}, "", nil
}
