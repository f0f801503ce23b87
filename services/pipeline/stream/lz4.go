package stream

import (
	"io"
	"sync"

	"github.com/pierrec/lz4/v4"
	"github.com/segmentio/kafka-go/compress"
)

// The pipeline's writers compress record batches with LZ4. kafka-go's own
// codec writes 4 MiB blocks, so every reader takes a 4 MiB buffer per batch
// (BENCHMARKS.md); this one writes 64 KiB blocks without a content checksum,
// as the Java client does (the batch's CRC-32C covers the bytes), and reads
// frames of any block size, with or without the checksum.
func init() {
	compress.Codecs[compress.Lz4] = lz4Codec{}
}

// lz4BlockSize is the block size the codec writes.
const lz4BlockSize = lz4.Block64Kb

var lz4Readers, lz4Writers sync.Pool

// lz4Codec is kafka-go's LZ4 codec (Kafka compression code 3) with the
// block size and checksum of the Java client set on its writers.
type lz4Codec struct{}

func (lz4Codec) Code() int8   { return int8(compress.Lz4) }
func (lz4Codec) Name() string { return "lz4" }

func (lz4Codec) NewReader(r io.Reader) io.ReadCloser {
	z, _ := lz4Readers.Get().(*lz4.Reader)
	if z == nil {
		z = lz4.NewReader(r)
	} else {
		z.Reset(r)
	}
	return &lz4Reader{z}
}

func (lz4Codec) NewWriter(w io.Writer) io.WriteCloser {
	z, _ := lz4Writers.Get().(*lz4.Writer)
	if z == nil {
		z = lz4.NewWriter(w)
		// Apply only fails on a writer already in use; this one is new.
		_ = z.Apply(lz4.BlockSizeOption(lz4BlockSize), lz4.ChecksumOption(false))
	} else {
		z.Reset(w)
	}
	return &lz4Writer{z}
}

type lz4Reader struct{ *lz4.Reader }

// Close returns the reader, and the block buffer it holds, to the pools.
func (r *lz4Reader) Close() error {
	if z := r.Reader; z != nil {
		r.Reader = nil
		z.Reset(nil)
		lz4Readers.Put(z)
	}
	return nil
}

type lz4Writer struct{ *lz4.Writer }

// Close flushes the frame and returns the writer to the pool.
func (w *lz4Writer) Close() error {
	z := w.Writer
	if z == nil {
		return nil
	}
	w.Writer = nil
	err := z.Close()
	z.Reset(nil)
	lz4Writers.Put(z)
	return err
}
