package classifier_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/compress"
	"google.golang.org/protobuf/proto"

	"github.com/deskwire/newsroom/services/classify/classifier/classifiertest"
	"github.com/deskwire/newsroom/services/pipeline/record"
	_ "github.com/deskwire/newsroom/services/pipeline/stream" // installs the LZ4 codec
)

// The records classify reads and writes, measured and checked on the dev set.

// The generated codec must agree with the reflection codec byte for byte,
// both ways: records written before the switch stay readable, and other
// consumers of the topics read ours.
func TestCodecMatchesReflection(t *testing.T) {
	d := classifiertest.Dev(t)
	raw, classified, arts, cls := d.Raw, d.Classified, d.Articles, d.Results
	if len(raw) == 0 {
		t.Fatal("no dev articles")
	}
	cases := []struct {
		name string
		msgs []kafka.Message
		want []proto.Message
	}{
		{"article", raw, protoMessages(arts)},
		{"classified", classified, protoMessages(cls)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for i, m := range tc.msgs {
				ref, err := proto.Marshal(tc.want[i])
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(ref, m.Value) {
					t.Fatalf("record %d: generated encoding differs from proto.Marshal", i)
				}
				var got proto.Message
				if tc.name == "article" {
					got, err = record.DecodeArticle(m)
				} else {
					got, err = record.DecodeClassified(m)
				}
				if err != nil {
					t.Fatalf("record %d: %v", i, err)
				}
				if !proto.Equal(got, tc.want[i]) {
					t.Fatalf("record %d: decoded message differs from the one encoded", i)
				}
			}
		})
	}
}

func protoMessages[T proto.Message](ms []T) []proto.Message {
	out := make([]proto.Message, len(ms))
	for i, m := range ms {
		out[i] = m
	}
	return out
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
	d := classifiertest.Dev(b)
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

// BenchmarkCompression compresses and decompresses one produce batch of
// classified records with each codec Kafka knows: the dev set's records,
// each once, since a batch of real articles does not repeat itself.
func BenchmarkCompression(b *testing.B) {
	set := classifiertest.Dev(b)
	var batch []byte
	for _, m := range set.Classified {
		batch = append(batch, m.Value...)
	}
	for _, c := range []compress.Compression{compress.Lz4, compress.Snappy, compress.Zstd, compress.Gzip} {
		codec := c.Codec()
		var buf bytes.Buffer
		compressTo := func() {
			buf.Reset()
			w := codec.NewWriter(&buf)
			if _, err := w.Write(batch); err != nil {
				b.Fatal(err)
			}
			if err := w.Close(); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(c.String()+"/compress", func(b *testing.B) {
			b.SetBytes(int64(len(batch)))
			for b.Loop() {
				compressTo()
			}
			b.ReportMetric(float64(len(batch))/float64(buf.Len()), "ratio")
		})
		compressTo()
		frame := append([]byte(nil), buf.Bytes()...)
		b.Run(c.String()+"/decompress", func(b *testing.B) {
			b.SetBytes(int64(len(batch)))
			for b.Loop() {
				r := codec.NewReader(bytes.NewReader(frame))
				if _, err := io.Copy(io.Discard, r); err != nil {
					b.Fatal(err)
				}
				r.Close()
			}
		})
	}
}

// maxEntityOverhead bounds what classify adds to an article, on average
// over the dev set: the entities, their mentions and spans. A contract
// change that bloats every record (and every Elasticsearch document built
// from it) fails here.
const maxEntityOverhead = 0.5

// TestDevRecordSize logs the average size of the articles.raw and
// articles.classified records of the dev set and holds the classified
// record's overhead over the raw one to maxEntityOverhead.
func TestDevRecordSize(t *testing.T) {
	d := classifiertest.Dev(t)
	n := float64(len(d.Raw))
	raw, cls := float64(size(d.Raw))/n, float64(size(d.Classified))/n
	t.Logf("%d dev articles: raw record %.0f bytes, classified record %.0f bytes on average (+%.1f%%)", len(d.Raw), raw, cls, 100*(cls/raw-1))
	if cls > raw*(1+maxEntityOverhead) {
		t.Errorf("classified records average %.0f bytes, %.1f%% over the raw ones: want at most %.0f%%", cls, 100*(cls/raw-1), 100*maxEntityOverhead)
	}
}
