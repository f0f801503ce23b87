// Package load sends NDJSON files through ingest's validation and producer:
// `ingest load FILE|DIR|-`. Invalid lines are reported with file and line
// and the rest is loaded; while Kafka is unreachable it waits and retries.
// Lines are decoded on every core.
package load

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
	"go.uber.org/zap"

	"github.com/deskwire/newsroom/services/ingest/article"
	"github.com/deskwire/newsroom/services/pipeline/metrics"
	"github.com/deskwire/newsroom/services/pipeline/record"
)

// Publisher writes records and returns once Kafka acknowledged every one
// it takes, retrying temporary failures until ctx ends; refused holds, per
// record, why Kafka refused it for good (nil when acknowledged).
type Publisher interface {
	Publish(ctx context.Context, msgs ...kafka.Message) (refused []error, err error)
}

// Loader loads NDJSON files. One goroutine reads the lines, Decoders
// goroutines decode and validate them a chunk at a time, one goroutine
// puts the records in file order into batches, and Concurrency goroutines
// produce the batches.
type Loader struct {
	P   Publisher
	Log *zap.Logger
	// Progress receives a progress line every ProgressEvery (stderr).
	Progress      io.Writer
	ProgressEvery time.Duration
	// BatchSize is the number of articles per produce call (default 500).
	BatchSize int
	// Concurrency is the number of produce calls in flight (default 4).
	Concurrency int
	// Decoders is the number of goroutines decoding and validating lines
	// (default GOMAXPROCS, one per CPU).
	Decoders int
	// Stdin is read for the path "-".
	Stdin io.Reader
	// Metrics counts rejected lines by reason; nil counts nothing.
	Metrics *metrics.Metrics
}

// Stats summarizes a load.
type Stats struct {
	Loaded, Rejected int
	Bytes            int64
	Elapsed          time.Duration
}

// Files expands the arguments: a directory stands for its *.ndjson,
// *.jsonl and *.json files (sorted), "-" for stdin.
func Files(args []string) ([]string, error) {
	var out []string
	for _, a := range args {
		if a == "-" {
			out = append(out, a)
			continue
		}
		st, err := os.Stat(a)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", a, err)
		}
		if !st.IsDir() {
			out = append(out, a)
			continue
		}
		var found []string
		for _, pat := range []string{"*.ndjson", "*.jsonl", "*.json"} {
			m, _ := filepath.Glob(filepath.Join(a, pat))
			found = append(found, m...)
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("directory %s has no *.ndjson, *.jsonl or *.json file", a)
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("nothing to load: give files, directories or - for stdin")
	}
	return out, nil
}

// A chunk is handed to a decoder when it holds chunkLines lines or
// chunkBytes bytes of text: large enough that passing it costs little
// against decoding it, small enough to keep every core busy.
const (
	chunkLines = 64
	chunkBytes = 256 << 10
)

// chunk is a run of lines of one file: read by the reader, decoded by a
// decoder, then passed on by the batcher.
type chunk struct {
	file, trace string
	text        []byte // the lines, back to back
	lines       []rawLine
	out         []result // one per line, set by the decoder
	done        chan struct{}
}

type rawLine struct {
	n, start, end, bytes int
	err                  error
}

// result is a decoded line: its record, or why it was rejected.
type result struct {
	n, bytes int
	msg      kafka.Message
	id       string
	err      error
}

var chunks = sync.Pool{New: func() any { return new(chunk) }}

func newChunk(file, trace string) *chunk {
	c := chunks.Get().(*chunk)
	c.file, c.trace = file, trace
	c.text, c.lines, c.out = c.text[:0], c.lines[:0], c.out[:0]
	c.done = make(chan struct{})
	return c
}

func (c *chunk) full() bool { return len(c.lines) >= chunkLines || len(c.text) >= chunkBytes }

// decode decodes and validates every line of c.
func (c *chunk) decode(now time.Time) {
	for _, l := range c.lines {
		r := result{n: l.n, bytes: l.bytes, err: l.err}
		if r.err == nil {
			var in article.Input
			in, r.msg, r.err = article.DecodeRecord(c.text[l.start:l.end], now, c.trace)
			r.id = in.ID
		}
		c.out = append(c.out, r)
	}
	close(c.done)
}

// release returns c for reuse once its records are in batches.
func (c *chunk) release() {
	clear(c.out)
	chunks.Put(c)
}

type batch struct {
	msgs []kafka.Message
	from []origin // where each record came from
	size int64
}

// origin is the file and line of a record, to report a refusal.
type origin struct {
	file string
	n    int
}

// Load reads every file and publishes its valid articles. A line that
// cannot be decoded or fails validation is reported with file and line and
// counted as rejected; every other line is handed to the publisher exactly
// once, in file order (batches overlap when Concurrency > 1). It stops at
// the first error reading a file or publishing a batch; the lines read
// before a read error are still published.
func (l *Loader) Load(ctx context.Context, files []string) (Stats, error) {
	bs, conc, decoders := l.BatchSize, l.Concurrency, l.Decoders
	if bs <= 0 {
		bs = 500
	}
	if conc <= 0 {
		conc = 4
	}
	if decoders <= 0 {
		decoders = runtime.GOMAXPROCS(0)
	}
	var total int64
	for _, f := range files {
		if f != "-" {
			if st, err := os.Stat(f); err == nil {
				total += st.Size()
			}
		}
	}
	p := newProgress(l.Progress, total, l.ProgressEvery)
	defer p.stop()

	// A failed produce call cancels stop; the reader and the batcher then
	// end, while the calls in flight finish on ctx.
	stop, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	// Producers.
	work := make(chan batch)
	var producers sync.WaitGroup
	for i := 0; i < conc; i++ {
		producers.Add(1)
		go func() {
			defer producers.Done()
			for b := range work {
				refused, err := l.P.Publish(ctx, b.msgs...)
				if err != nil {
					cancel(err)
					return
				}
				n := 0
				for i, e := range refused {
					if e != nil {
						n++
						l.reject(p, b.from[i].file, b.from[i].n, string(b.msgs[i].Key), e)
					}
				}
				p.add(len(b.msgs)-n, n, b.size)
			}
		}()
	}

	// Decoders. The reader queues every chunk twice: to decode (any
	// decoder) and in order, for the batcher, which waits for each chunk
	// to be decoded. The order queue bounds the chunks in memory.
	decode := make(chan *chunk)
	ordered := make(chan *chunk, 2*decoders)
	now := time.Now()
	var decoding sync.WaitGroup
	for i := 0; i < decoders; i++ {
		decoding.Add(1)
		go func() {
			defer decoding.Done()
			for c := range decode {
				c.decode(now)
			}
		}()
	}

	// Batcher.
	batched := make(chan struct{})
	go func() {
		defer close(batched)
		defer close(work)
		l.batch(stop, ordered, bs, work, p)
	}()

	readErr := l.read(stop, files, decode, ordered)
	close(decode)
	close(ordered)
	decoding.Wait()
	<-batched
	producers.Wait()

	st := p.stats()
	p.final()
	err := readErr
	if cause := context.Cause(stop); cause != nil && (err == nil || errors.Is(err, cause)) {
		err = cause
	}
	if err != nil {
		return st, fmt.Errorf("loading stopped after %d articles: %w", st.Loaded, err)
	}
	return st, nil
}

// read splits the files into chunks and queues them for the decoders and
// the batcher until the files end, a file fails or stop ends.
func (l *Loader) read(stop context.Context, files []string, decode, ordered chan<- *chunk) error {
	queue := func(c *chunk) error {
		for _, q := range []chan<- *chunk{decode, ordered} {
			select {
			case q <- c:
			case <-stop.Done():
				return context.Cause(stop)
			}
		}
		return nil
	}
	for _, name := range files {
		if err := l.readFile(name, queue); err != nil {
			return err
		}
	}
	return nil
}

func (l *Loader) readFile(name string, queue func(*chunk) error) error {
	var r io.Reader
	if name == "-" {
		r = l.Stdin
		if r == nil {
			r = os.Stdin
		}
	} else {
		f, err := os.Open(name)
		if err != nil {
			return fmt.Errorf("opening %s: %w", name, err)
		}
		defer f.Close()
		r = f
	}
	trace := record.NewTraceID()
	c := newChunk(name, trace)
	err := article.ScanRaw(r, func(line article.RawLine) error {
		start := len(c.text)
		c.text = append(c.text, line.Data...)
		c.lines = append(c.lines, rawLine{n: line.N, start: start, end: len(c.text), bytes: line.Bytes, err: line.Err})
		if !c.full() {
			return nil
		}
		full := c
		c = newChunk(name, trace)
		return queue(full)
	})
	if len(c.lines) > 0 {
		// What was read goes out, also when reading failed.
		if qerr := queue(c); err == nil {
			err = qerr
		}
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// batch takes the decoded chunks in file order, reports the rejected lines
// and sends the records to work in batches of bs, until ordered is closed
// or stop ends.
func (l *Loader) batch(stop context.Context, ordered <-chan *chunk, bs int, work chan<- batch, p *progress) {
	cur := batch{msgs: make([]kafka.Message, 0, bs), from: make([]origin, 0, bs)}
	send := func() bool {
		select {
		case work <- cur:
			cur = batch{msgs: make([]kafka.Message, 0, bs), from: make([]origin, 0, bs)}
			return true
		case <-stop.Done():
			return false
		}
	}
	for c := range ordered {
		<-c.done
		for _, r := range c.out {
			cur.size += int64(r.bytes)
			if r.err != nil {
				p.add(0, 1, 0)
				l.reject(p, c.file, r.n, r.id, r.err)
				continue
			}
			cur.msgs = append(cur.msgs, r.msg)
			cur.from = append(cur.from, origin{file: c.file, n: r.n})
			if len(cur.msgs) >= bs && !send() {
				return
			}
		}
		c.release()
	}
	if len(cur.msgs) > 0 {
		send()
		return
	}
	p.add(0, 0, cur.size)
}

// reject reports a line that was not loaded: logged, and printed as
// file:line: reason.
func (l *Loader) reject(p *progress, file string, n int, id string, err error) {
	if l.Metrics != nil {
		l.Metrics.Rejected.WithLabelValues(article.RejectReason(err)).Inc()
	}
	l.Log.Warn("article rejected", zap.String("file", file), zap.Int("line", n), zap.String("id", article.ShownID(id)), zap.Error(err))
	p.printf("%s:%d: rejected: %v\n", file, n, err)
}

// progress prints count, rate and ETA while a load runs.
type progress struct {
	mu               sync.Mutex
	wmu              sync.Mutex // serializes writes to w
	w                io.Writer
	total            int64
	start            time.Time
	loaded, rejected int
	bytes            int64
	done             chan struct{}
	wg               sync.WaitGroup
}

func newProgress(w io.Writer, total int64, every time.Duration) *progress {
	p := &progress{w: w, total: total, start: time.Now(), done: make(chan struct{})}
	if w == nil {
		return p
	}
	if every <= 0 {
		every = 2 * time.Second
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-p.done:
				return
			case <-t.C:
				p.print(false)
			}
		}
	}()
	return p
}

func (p *progress) add(loaded, rejected int, bytes int64) {
	p.mu.Lock()
	p.loaded += loaded
	p.rejected += rejected
	p.bytes += bytes
	p.mu.Unlock()
}

func (p *progress) stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return Stats{Loaded: p.loaded, Rejected: p.rejected, Bytes: p.bytes, Elapsed: time.Since(p.start)}
}

func (p *progress) print(final bool) {
	if p.w == nil {
		return
	}
	st := p.stats()
	rate := float64(st.Loaded) / st.Elapsed.Seconds()
	var b strings.Builder
	fmt.Fprintf(&b, "loaded %d articles in %s (%.0f/s)", st.Loaded, st.Elapsed.Round(10*time.Millisecond), rate)
	if st.Rejected > 0 {
		fmt.Fprintf(&b, ", %d rejected", st.Rejected)
	}
	if p.total > 0 && !final {
		frac := float64(st.Bytes) / float64(p.total)
		if frac > 1 {
			frac = 1
		}
		fmt.Fprintf(&b, ", %.0f%% of %.1f MB", frac*100, float64(p.total)/1e6)
		if frac > 0.01 {
			eta := time.Duration(float64(st.Elapsed) * (1 - frac) / frac)
			fmt.Fprintf(&b, ", ETA %s", eta.Round(time.Second))
		}
	}
	p.printf("%s\n", b.String())
}

// printf writes one line to w, if there is one.
func (p *progress) printf(format string, args ...any) {
	if p.w == nil {
		return
	}
	p.wmu.Lock()
	fmt.Fprintf(p.w, format, args...)
	p.wmu.Unlock()
}

func (p *progress) stop() {
	select {
	case <-p.done:
	default:
		close(p.done)
	}
	p.wg.Wait()
}

func (p *progress) final() {
	p.stop()
	p.print(true)
}
