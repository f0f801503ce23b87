package indexer

import (
	"strconv"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/deskwire/newsroom/services/pipeline/article"
	"github.com/deskwire/newsroom/services/pipeline/catalog"
	"github.com/deskwire/newsroom/services/pipeline/classifier"
	"github.com/deskwire/newsroom/services/pipeline/devset"
	"github.com/deskwire/newsroom/services/pipeline/extract"
	"github.com/deskwire/newsroom/services/pipeline/record"
)

// BenchmarkOps is the index stage's own CPU per record: decode the
// classified record and encode its Elasticsearch document. MB/s counts the
// classified records' values.
func BenchmarkOps(b *testing.B) {
	cat, err := catalog.LoadDir("")
	if err != nil {
		b.Fatal(err)
	}
	ex := extract.New(cat)
	now := time.Now()
	var batch []kafka.Message
	var n, docBytes int64
	for i, a := range devset.Load(b) {
		raw, _, err := article.Record(article.Input{ID: "bench-" + strconv.Itoa(i), Title: a.Title, Body: a.Body,
			URL: a.URL, Source: "bench", PublishedAt: "2025-01-01"}, now, record.NewTraceID())
		if err != nil {
			b.Fatal(err)
		}
		in, err := record.DecodeArticle(raw)
		if err != nil {
			b.Fatal(err)
		}
		m, err := record.EncodeClassified(classifier.Classify(ex, in, now))
		if err != nil {
			b.Fatal(err)
		}
		m.Key = raw.Key
		batch = append(batch, m)
		n += int64(len(m.Value))
	}
	ops, failures := Ops(batch)
	if len(failures) > 0 || len(ops) != len(batch) {
		b.Fatalf("%d ops, %d failures from %d records", len(ops), len(failures), len(batch))
	}
	for _, op := range ops {
		docBytes += int64(len(op.Doc))
	}
	b.SetBytes(n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Ops(batch)
	}
	b.ReportMetric(float64(n)/float64(len(batch)), "record-bytes")
	b.ReportMetric(float64(docBytes)/float64(len(batch)), "doc-bytes")
}
