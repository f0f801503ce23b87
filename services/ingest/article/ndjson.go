package article

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// MaxLineBytes bounds one NDJSON line: an article with every field at its
// limit still fits when an encoder escaped every byte (\u003c is six bytes
// for one), with room for the keys and a few unknown fields.
const MaxLineBytes = 8 << 20

// ErrLineTooLong marks a line over MaxLineBytes.
var ErrLineTooLong = errors.New("line too long")

// Line is one NDJSON line: its 1-based number, the decoded input, or why it
// could not be decoded. Blank lines are skipped.
type Line struct {
	N     int
	Input Input
	Err   error
	// Bytes is the line's length, for progress reporting.
	Bytes int
}

// RawLine is one non-blank NDJSON line before decoding.
type RawLine struct {
	// N is the 1-based line number.
	N int
	// Data is the line as read, newline included. It is only valid until
	// the callback returns, and empty when Err is set.
	Data []byte
	// Err says why the line cannot be decoded (it is longer than
	// MaxLineBytes).
	Err error
	// Bytes is the line's length, for progress reporting.
	Bytes int
}

// ScanLines calls fn for every non-blank line of r. A line that cannot be
// decoded is passed with Err set and scanning goes on; fn's error stops it.
func ScanLines(r io.Reader, fn func(Line) error) error {
	return ScanRaw(r, func(l RawLine) error {
		if l.Err != nil {
			return fn(Line{N: l.N, Err: l.Err, Bytes: l.Bytes})
		}
		in, err := Decode(l.Data)
		return fn(Line{N: l.N, Input: in, Err: err, Bytes: l.Bytes})
	})
}

// ScanRaw calls fn for every non-blank line of r without decoding it, so
// that the caller can decode lines elsewhere (Decode). A line over
// MaxLineBytes is passed with Err set and scanning goes on; fn's error
// stops it.
func ScanRaw(r io.Reader, fn func(RawLine) error) error {
	br := bufio.NewReaderSize(r, 256<<10)
	var long []byte // lines longer than br's buffer, reused
	for n := 1; ; n++ {
		raw, size, tooLong, err := readLine(br, &long)
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("reading line %d: %w", n, err)
		}
		if tooLong {
			if ferr := fn(RawLine{N: n, Bytes: size, Err: fmt.Errorf("%w: %d bytes, the limit is %d", ErrLineTooLong, size, MaxLineBytes)}); ferr != nil {
				return ferr
			}
		} else if len(bytes.TrimSpace(raw)) > 0 {
			if ferr := fn(RawLine{N: n, Data: raw, Bytes: size}); ferr != nil {
				return ferr
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
	}
}

// readLine reads up to the next newline and returns the line and its
// length. A line that fits br's buffer is returned as it sits there (valid
// until the next read); a longer one is gathered in *long. A line over
// MaxLineBytes is consumed and reported as too long without keeping it.
func readLine(br *bufio.Reader, long *[]byte) ([]byte, int, bool, error) {
	chunk, err := br.ReadSlice('\n')
	if !errors.Is(err, bufio.ErrBufferFull) {
		return chunk, len(chunk), false, err
	}
	buf := append((*long)[:0], chunk...)
	size, tooLong := len(chunk), false
	for errors.Is(err, bufio.ErrBufferFull) {
		chunk, err = br.ReadSlice('\n')
		size += len(chunk)
		if !tooLong && len(buf)+len(chunk) > MaxLineBytes {
			tooLong = true
		}
		if !tooLong {
			buf = append(buf, chunk...)
		}
	}
	*long = buf[:0]
	if tooLong {
		return nil, size, true, err
	}
	return buf, size, false, err
}
