// Package load sends NDJSON files through ingest's validation and producer:
// `ingest load FILE|DIR|-`. Invalid lines are reported with file and line
// and the rest is loaded; while Kafka is unreachable it waits and retries.
package load

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
	"go.uber.org/zap"

	"github.com/deskwire/newsroom/services/pipeline/article"
	"github.com/deskwire/newsroom/services/pipeline/record"
)

// Publisher writes records and returns once Kafka acknowledged them,
// retrying temporary failures until ctx ends.
type Publisher interface {
	Write(ctx context.Context, msgs ...kafka.Message) error
}

// Loader loads NDJSON files.
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
	// Stdin is read for the path "-".
	Stdin io.Reader
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

type batch struct {
	msgs []kafka.Message
	size int64
}

// Load reads every file and publishes its valid articles.
func (l *Loader) Load(ctx context.Context, files []string) (Stats, error) {
	bs, conc := l.BatchSize, l.Concurrency
	if bs <= 0 {
		bs = 500
	}
	if conc <= 0 {
		conc = 4
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

	work := make(chan batch)
	errc := make(chan error, conc)
	var wg sync.WaitGroup
	for i := 0; i < conc; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				if err := l.P.Write(ctx, b.msgs...); err != nil {
					errc <- err
					// Drain so the reader does not block; the error stops it.
					for range work {
					}
					return
				}
				p.add(len(b.msgs), 0, b.size)
			}
		}()
	}
	send := func(b batch) error {
		select {
		case work <- b:
			return nil
		case err := <-errc:
			return err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	now := time.Now()
	var readErr error
	for _, f := range files {
		if readErr = l.loadFile(f, now, bs, send, p); readErr != nil {
			break
		}
	}
	close(work)
	wg.Wait()
	close(errc)
	if err, ok := <-errc; ok && readErr == nil {
		readErr = err
	}
	st := p.stats()
	p.final()
	if readErr != nil {
		return st, fmt.Errorf("loading stopped after %d articles: %w", st.Loaded, readErr)
	}
	return st, nil
}

func (l *Loader) loadFile(name string, now time.Time, bs int, send func(batch) error, p *progress) error {
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
	cur := batch{}
	trace := record.NewTraceID()
	err := article.ScanLines(r, func(line article.Line) error {
		cur.size += int64(line.Bytes) + 1
		err := line.Err
		if err == nil {
			var m kafka.Message
			if m, _, err = article.Record(line.Input, now, trace); err == nil {
				cur.msgs = append(cur.msgs, m)
			}
		}
		if err != nil {
			p.add(0, 1, 0)
			l.Log.Warn("article rejected", zap.String("file", name), zap.Int("line", line.N), zap.String("id", line.Input.ID), zap.Error(err))
			if l.Progress != nil {
				fmt.Fprintf(l.Progress, "%s:%d: rejected: %v\n", name, line.N, err)
			}
		}
		if len(cur.msgs) >= bs {
			if err := send(cur); err != nil {
				return err
			}
			cur = batch{}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if len(cur.msgs) > 0 {
		return send(cur)
	}
	p.add(0, 0, cur.size)
	return nil
}

// progress prints count, rate and ETA while a load runs.
type progress struct {
	mu               sync.Mutex
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
	fmt.Fprintf(&b, "loaded %d articles in %s (%.0f/s)", st.Loaded, st.Elapsed.Round(100*time.Millisecond), rate)
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
	fmt.Fprintln(p.w, b.String())
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
