package article_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/deskwire/newsroom/services/ingest/article"
	"github.com/deskwire/newsroom/services/ingest/article/articletest"
)

func totalBytes(lines [][]byte) int64 {
	var n int64
	for _, l := range lines {
		n += int64(len(l)) + 1
	}
	return n
}

// BenchmarkDecode measures Decode alone, in MB/s of NDJSON.
func BenchmarkDecode(b *testing.B) {
	lines := articletest.Lines("bench", 512)
	b.SetBytes(totalBytes(lines) / int64(len(lines)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := article.Decode(lines[i%len(lines)]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeRecord measures what the loader does per line on one
// core: DecodeRecord (decode, validate and encode the record), in MB/s of
// NDJSON.
func BenchmarkDecodeRecord(b *testing.B) {
	lines := articletest.Lines("bench", 512)
	now := time.Now()
	b.SetBytes(totalBytes(lines) / int64(len(lines)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := article.DecodeRecord(lines[i%len(lines)], now, "0123456789abcdef0123456789abcdef"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeThenRecord measures Decode then Record, as the API runs
// them, in MB/s of NDJSON.
func BenchmarkDecodeThenRecord(b *testing.B) {
	lines := articletest.Lines("bench", 512)
	now := time.Now()
	b.SetBytes(totalBytes(lines) / int64(len(lines)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		in, err := article.Decode(lines[i%len(lines)])
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := article.Record(in, now, "0123456789abcdef0123456789abcdef"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScanLines measures reading and decoding an NDJSON stream.
func BenchmarkScanLines(b *testing.B) {
	lines := articletest.Lines("bench", 512)
	data := append(bytes.Join(lines, []byte("\n")), '\n')
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		err := article.ScanLines(bytes.NewReader(data), func(l article.Line) error {
			if l.Err != nil {
				return l.Err
			}
			n++
			return nil
		})
		if err != nil || n != len(lines) {
			b.Fatalf("ScanLines: %d lines, %v", n, err)
		}
	}
}
