// Package progress prints a count, its rate and the time left while a long
// command runs (pipelinectl dlq redrive, newsbench phases).
package progress

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// Meter prints a count, its rate and the time left every two seconds until
// Stop.
type Meter struct {
	w     io.Writer
	label string
	total int64
	start time.Time

	mu   sync.Mutex
	n    int64
	done chan struct{}
	wg   sync.WaitGroup
}

// New starts a Meter writing to w; total is the count expected (0 when
// unknown: no ETA).
func New(w io.Writer, label string, total int64) *Meter {
	p := &Meter{w: w, label: label, total: total, start: time.Now(), done: make(chan struct{})}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(2 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-p.done:
				return
			case <-t.C:
				fmt.Fprintln(p.w, p.Line())
			}
		}
	}()
	return p
}

// Set sets the count.
func (p *Meter) Set(n int64) {
	p.mu.Lock()
	p.n = n
	p.mu.Unlock()
}

// Add adds n to the count.
func (p *Meter) Add(n int64) {
	p.mu.Lock()
	p.n += n
	p.mu.Unlock()
}

// Count returns the count.
func (p *Meter) Count() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n
}

// Line is the progress line printed every two seconds.
func (p *Meter) Line() string {
	n := p.Count()
	el := time.Since(p.start)
	rate := float64(n) / el.Seconds()
	s := fmt.Sprintf("  %s: %d of %d (%.0f/s, %s)", p.label, n, p.total, rate, el.Round(time.Second))
	if rate > 0 && p.total > 0 && n < p.total {
		s += fmt.Sprintf(", ETA %s", (time.Duration(float64(p.total-n)/rate) * time.Second).Round(time.Second))
	}
	return s
}

// Stop ends the periodic output; it may be called more than once.
func (p *Meter) Stop() {
	select {
	case <-p.done:
	default:
		close(p.done)
	}
	p.wg.Wait()
}
