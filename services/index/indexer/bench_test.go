package indexer

import (
	"context"
	"testing"

	"go.uber.org/zap"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
	"github.com/deskwire/newsroom/services/classify/classifier/classifiertest"
	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/index/estest"
	"github.com/deskwire/newsroom/services/pipeline/stream"
)

// BenchmarkOps is the index stage's own CPU per record: decode the
// classified record and encode its action and Elasticsearch document into
// the bulk request body, in memory reused from batch to batch as the
// service reuses it. MB/s counts the classified records' values.
func BenchmarkOps(b *testing.B) {
	batch := classifiertest.Dev(b).Classified
	var n, docBytes int64
	for _, m := range batch {
		n += int64(len(m.Value))
	}
	ops, failures := Ops(batch)
	if len(failures) > 0 || len(ops) != len(batch) {
		b.Fatalf("%d ops, %d failures from %d records", len(ops), len(failures), len(batch))
	}
	for _, op := range ops {
		docBytes += int64(len(op.Doc))
	}
	bulk, mem := &esindex.Bulk{Index: "articles", RequireAlias: true}, esindex.NewBuffers(1)
	b.SetBytes(n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		bt := esindex.NewBatch(mem.Get(), len(batch))
		decode(batch, func(op esindex.Op, c *newsroomv1.ClassifiedArticle) error { return bulk.Add(bt, op, c) })
		bt.Release(mem)
	}
	b.ReportMetric(float64(n)/float64(len(batch)), "record-bytes")
	b.ReportMetric(float64(docBytes)/float64(len(batch)), "doc-bytes")
}

// BenchmarkHandle is the index service's per-batch path without the
// network: decode, encode the bulk body, send it, read the answer. An
// in-process transport stands in for Elasticsearch (estest.Bulk: it reads
// the body and answers every action with 201), so that ns/op, B/op and
// allocs/op are the service's own.
func BenchmarkHandle(b *testing.B) {
	batch := classifiertest.Dev(b).Classified
	es := (&estest.Bulk{}).Client(b)
	// Memory is lent as the service lends it (one batch in flight here).
	ix := &Indexer{Bulk: &esindex.Bulk{ES: es, Index: "articles", RequireAlias: true, Buffers: esindex.NewBuffers(1), Log: zap.NewNop()},
		DeadLetters: &stream.DeadLetters{Stage: Stage}, Log: zap.NewNop()}
	ctx := context.Background()
	if err := ix.Handle(ctx, batch); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := ix.Handle(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(batch)), "ns/record")
}
