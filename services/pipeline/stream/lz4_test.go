package stream

import (
	"bytes"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/pierrec/lz4/v4"
	"github.com/segmentio/kafka-go/compress"
)

// lz4Compress compresses data with a writer from c.
func lz4Compress(t testing.TB, c compress.Codec, data []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := c.NewWriter(&buf)
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// frameHeader reads an LZ4 frame header: after the 4-byte magic number,
// the FLG byte (bit 2: a content checksum follows the data) and the BD
// byte (bits 4–6: the block maximum size).
func frameHeader(t *testing.T, frame []byte) (blockSize int, checksum bool) {
	t.Helper()
	if len(frame) < 6 || !bytes.Equal(frame[:4], []byte{0x04, 0x22, 0x4d, 0x18}) {
		t.Fatalf("not an LZ4 frame: % x", frame[:min(len(frame), 6)])
	}
	return 1 << (2*int(frame[5]>>4&7) + 8), frame[4]&0x04 != 0
}

// articleLike is compressible text of n bytes, like a batch of records.
func articleLike(n int) []byte {
	words := []string{"the", "ministry", "said", "missile", "strike", "on", "Tuesday", "near", "border", "officials", "\n"}
	rng := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	for b.Len() < n {
		b.WriteString(words[rng.IntN(len(words))])
		b.WriteByte(' ')
	}
	return b.Bytes()[:n]
}

func TestLZ4CodecReplacesKafkaGos(t *testing.T) {
	if _, ok := compress.Lz4.Codec().(lz4Codec); !ok {
		t.Fatalf("kafka-go's LZ4 codec is %T, want lz4Codec", compress.Lz4.Codec())
	}
	if got := compress.Lz4.String(); got != "lz4" {
		t.Errorf("name %q, want lz4", got)
	}
}

func TestLZ4Codec(t *testing.T) {
	stock := lz4.NewWriter(nil) // kafka-go's default: 4 MiB blocks
	for _, n := range []int{0, 1, 1000, 64 << 10, 300 << 10, 5 << 20} {
		data := articleLike(n)
		frame := lz4Compress(t, lz4Codec{}, data)
		if size, sum := frameHeader(t, frame); size != 64<<10 || sum {
			t.Errorf("%d bytes: frame declares %d-byte blocks, content checksum %v; want 64 KiB, none", n, size, sum)
		}
		for i := 0; i < 2; i++ { // the second round takes pooled readers and writers
			r := lz4Codec{}.NewReader(bytes.NewReader(frame))
			got, err := io.ReadAll(r)
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("%d bytes, round %d: read back %d bytes (%v), want the same %d", n, i, len(got), err, n)
			}
			if err := r.Close(); err != nil {
				t.Fatal(err)
			}
		}
		// Frames written by kafka-go's stock codec (4 MiB blocks and a
		// content checksum), or earlier by this pipeline, still read.
		var old bytes.Buffer
		stock.Reset(&old)
		if _, err := stock.Write(data); err != nil {
			t.Fatal(err)
		}
		if err := stock.Close(); err != nil {
			t.Fatal(err)
		}
		if size, sum := frameHeader(t, old.Bytes()); size != 4<<20 || !sum {
			t.Fatalf("stock frame declares %d-byte blocks, content checksum %v; want 4 MiB with one", size, sum)
		}
		r := lz4Codec{}.NewReader(&old)
		got, err := io.ReadAll(r)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("%d bytes in a 4 MiB-block frame: read back %d bytes (%v)", n, len(got), err)
		}
		r.Close()
	}
}

func TestLZ4ReaderReportsCorruptFrame(t *testing.T) {
	frame := lz4Compress(t, lz4Codec{}, articleLike(200<<10))
	frame = frame[:len(frame)/2]
	r := lz4Codec{}.NewReader(bytes.NewReader(frame))
	defer r.Close()
	if _, err := io.ReadAll(r); err == nil {
		t.Fatal("a truncated frame read without error")
	}
}
