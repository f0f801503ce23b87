package record_test

import (
	"testing"

	"github.com/segmentio/kafka-go"

	"github.com/deskwire/newsroom/services/pipeline/record"
	"github.com/deskwire/newsroom/services/pipeline/record/recordtest"
)

func size(ms []kafka.Message) (n int64) {
	for _, m := range ms {
		n += int64(len(m.Value))
	}
	return n
}

// BenchmarkCodec is the protobuf share of classify (decode raw, encode
// classified) and of index (decode classified). MB/s counts record values.
func BenchmarkCodec(b *testing.B) {
	d := recordtest.Dev(b)
	raw, classified, cls := d.Raw, d.Classified, d.Results
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
