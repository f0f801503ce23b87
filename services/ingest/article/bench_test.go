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

// perLine runs fn over the benchmark lines, one per iteration, reporting
// MB/s of NDJSON.
func perLine(b *testing.B, fn func(line []byte) error) {
	lines := articletest.Lines("bench", 512)
	b.SetBytes(totalBytes(lines) / int64(len(lines)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := fn(lines[i%len(lines)]); err != nil {
			b.Fatal(err)
		}
	}
}

const benchTrace = "0123456789abcdef0123456789abcdef"

// BenchmarkDecode measures Decode alone.
func BenchmarkDecode(b *testing.B) {
	perLine(b, func(line []byte) error {
		_, err := article.Decode(line)
		return err
	})
}

// BenchmarkDecodeRecord measures what the loader does per line on one
// core: DecodeRecord (decode, validate and encode the record).
func BenchmarkDecodeRecord(b *testing.B) {
	now := time.Now()
	perLine(b, func(line []byte) error {
		_, _, err := article.DecodeRecord(line, now, benchTrace)
		return err
	})
}

// BenchmarkDecodeThenRecord measures Decode then Record, as the API runs
// them.
func BenchmarkDecodeThenRecord(b *testing.B) {
	now := time.Now()
	perLine(b, func(line []byte) error {
		in, err := article.Decode(line)
		if err != nil {
			return err
		}
		_, _, err = article.Record(in, now, benchTrace)
		return err
	})
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
