package record_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
	"github.com/deskwire/newsroom/services/pipeline/article"
	"github.com/deskwire/newsroom/services/pipeline/catalog"
	"github.com/deskwire/newsroom/services/pipeline/classifier"
	"github.com/deskwire/newsroom/services/pipeline/devset"
	"github.com/deskwire/newsroom/services/pipeline/extract"
	"github.com/deskwire/newsroom/services/pipeline/record"
)

// devRecords builds the raw and classified records of the dev articles, as
// ingest and classify would.
func devRecords(tb testing.TB) (raw, classified []kafka.Message, arts []*newsroomv1.Article, cls []*newsroomv1.ClassifiedArticle) {
	tb.Helper()
	cat, err := catalog.LoadDir("")
	if err != nil {
		tb.Fatal(err)
	}
	ex := extract.New(cat)
	now := time.Now()
	for i, a := range devset.Load(tb) {
		m, _, err := article.Record(article.Input{ID: "bench-" + strconv.Itoa(i), Title: a.Title, Body: a.Body,
			URL: a.URL, Source: "bench", PublishedAt: "2025-01-01"}, now, record.NewTraceID())
		if err != nil {
			tb.Fatal(err)
		}
		in, err := record.DecodeArticle(m)
		if err != nil {
			tb.Fatal(err)
		}
		c := classifier.Classify(ex, in, now)
		cm, err := record.EncodeClassified(c)
		if err != nil {
			tb.Fatal(err)
		}
		raw, classified = append(raw, m), append(classified, cm)
		arts, cls = append(arts, in), append(cls, c)
	}
	return raw, classified, arts, cls
}

func size(ms []kafka.Message) (n int64) {
	for _, m := range ms {
		n += int64(len(m.Value))
	}
	return n
}

// BenchmarkCodec is the protobuf share of classify (decode raw, encode
// classified) and of index (decode classified). MB/s counts record values.
func BenchmarkCodec(b *testing.B) {
	raw, classified, _, cls := devRecords(b)
	b.Run("DecodeArticle", func(b *testing.B) {
		b.SetBytes(size(raw))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			for _, m := range raw {
				if _, err := record.DecodeArticle(m); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("EncodeClassified", func(b *testing.B) {
		b.SetBytes(size(classified))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			for _, c := range cls {
				if _, err := record.EncodeClassified(c); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("DecodeClassified", func(b *testing.B) {
		b.SetBytes(size(classified))
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			for _, m := range classified {
				if _, err := record.DecodeClassified(m); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
