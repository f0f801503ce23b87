package stream_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/segmentio/kafka-go/compress"

	"github.com/deskwire/newsroom/services/pipeline/record/recordtest"
	_ "github.com/deskwire/newsroom/services/pipeline/stream" // installs the LZ4 codec
)

// BenchmarkCompression compresses and decompresses one produce batch of
// classified records with each codec Kafka knows: the dev set's records,
// each once, since a batch of real articles does not repeat itself.
func BenchmarkCompression(b *testing.B) {
	set := recordtest.Dev(b)
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
