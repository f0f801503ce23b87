package main

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// progress prints a count, its rate and the time left every two seconds
// while a long phase runs.
type progress struct {
	w     io.Writer
	label string
	total int64
	start time.Time

	mu   sync.Mutex
	n    int64
	done chan struct{}
	wg   sync.WaitGroup
}

func newProgress(w io.Writer, label string, total int64) *progress {
	p := &progress{w: w, label: label, total: total, start: time.Now(), done: make(chan struct{})}
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
				fmt.Fprintln(p.w, p.line())
			}
		}
	}()
	return p
}

func (p *progress) set(n int64) {
	p.mu.Lock()
	p.n = n
	p.mu.Unlock()
}

func (p *progress) add(n int64) {
	p.mu.Lock()
	p.n += n
	p.mu.Unlock()
}

func (p *progress) get() int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.n
}

func (p *progress) line() string {
	n := p.get()
	el := time.Since(p.start)
	rate := float64(n) / el.Seconds()
	s := fmt.Sprintf("  %s: %d of %d (%.0f/s, %s)", p.label, n, p.total, rate, el.Round(time.Second))
	if rate > 0 && n < p.total {
		s += fmt.Sprintf(", ETA %s", (time.Duration(float64(p.total-n)/rate) * time.Second).Round(time.Second))
	}
	return s
}

// stop ends the periodic output.
func (p *progress) stop() {
	select {
	case <-p.done:
	default:
		close(p.done)
	}
	p.wg.Wait()
}
