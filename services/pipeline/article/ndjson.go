package article

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// MaxLineBytes bounds one NDJSON line: a full 1 MiB body plus JSON escaping
// and the other fields.
const MaxLineBytes = 4 << 20

// Line is one NDJSON line: its 1-based number, the decoded input, or why it
// could not be decoded. Blank lines are skipped.
type Line struct {
	N     int
	Input Input
	Err   error
	// Bytes is the line's length, for progress reporting.
	Bytes int
}

// ScanLines calls fn for every non-blank line of r. A line that cannot be
// decoded is passed with Err set and scanning goes on; fn's error stops it.
func ScanLines(r io.Reader, fn func(Line) error) error {
	br := bufio.NewReaderSize(r, 256<<10)
	n := 0
	for {
		n++
		raw, tooLong, err := readLine(br)
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("reading line %d: %w", n, err)
		}
		eof := errors.Is(err, io.EOF)
		size := len(raw)
		if tooLong {
			if ferr := fn(Line{N: n, Bytes: size, Err: fmt.Errorf("line is longer than %d bytes", MaxLineBytes)}); ferr != nil {
				return ferr
			}
		} else if len(bytes.TrimSpace(raw)) > 0 {
			in, derr := Decode(raw)
			if ferr := fn(Line{N: n, Input: in, Err: derr, Bytes: size}); ferr != nil {
				return ferr
			}
		}
		if eof {
			return nil
		}
	}
}

// readLine reads up to the next newline; a line over MaxLineBytes is
// consumed and reported as too long without keeping it in memory.
func readLine(br *bufio.Reader) ([]byte, bool, error) {
	var buf []byte
	tooLong := false
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > MaxLineBytes {
				tooLong, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return buf, tooLong, err
	}
}
