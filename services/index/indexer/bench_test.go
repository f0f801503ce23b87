package indexer

import (
	"testing"

	"github.com/deskwire/newsroom/services/classify/classifier/classifiertest"
	"github.com/deskwire/newsroom/services/index/esindex"
)

// BenchmarkOps is the index stage's own CPU per record: decode the
// classified record and encode its Elasticsearch document into the bulk
// request body. MB/s counts the classified records' values.
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
		doc, err := op.Document()
		if err != nil {
			b.Fatal(err)
		}
		docBytes += int64(len(doc))
	}
	// The bulk writer appends each document to the request body; one
	// reused buffer stands in for it.
	var body []byte
	b.SetBytes(n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ops, _ := Ops(batch)
		body = body[:0]
		for _, op := range ops {
			var err error
			if body, err = esindex.AppendDocument(body, op.Source); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(n)/float64(len(batch)), "record-bytes")
	b.ReportMetric(float64(docBytes)/float64(len(batch)), "doc-bytes")
}
