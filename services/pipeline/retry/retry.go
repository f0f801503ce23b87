// Package retry runs an operation again, with capped exponential backoff and
// full jitter, for as long as its error is temporary and the context lives.
package retry

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"
)

// Backoff is a capped exponential backoff policy.
type Backoff struct {
	// Min is the first delay (default 100ms).
	Min time.Duration
	// Max caps every delay (default 10s).
	Max time.Duration
	// Attempts bounds the tries; 0 means until the context ends.
	Attempts int
}

// Delay returns the delay before retry number n (0-based), with full jitter
// over [d/2, d].
func (b Backoff) Delay(n int) time.Duration {
	lo, hi := b.Min, b.Max
	if lo <= 0 {
		lo = 100 * time.Millisecond
	}
	if hi <= 0 {
		hi = 10 * time.Second
	}
	d := lo
	for i := 0; i < n && d < hi; i++ {
		d *= 2
	}
	if d > hi {
		d = hi
	}
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(half)+1))
}

// permanent marks an error that must not be retried.
type permanent struct{ err error }

func (p permanent) Error() string { return p.err.Error() }
func (p permanent) Unwrap() error { return p.err }

// Permanent wraps err so that Do returns it at once.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanent{err}
}

// IsPermanent reports whether err was marked with Permanent.
func IsPermanent(err error) bool {
	var p permanent
	return errors.As(err, &p)
}

// Do calls f until it succeeds, returns a Permanent error, the attempts run
// out or ctx ends. onRetry, when not nil, is told about every failure that
// will be retried, with the delay before the next try.
func Do(ctx context.Context, b Backoff, f func(context.Context) error, onRetry func(err error, attempt int, delay time.Duration)) error {
	for attempt := 0; ; attempt++ {
		err := f(ctx)
		if err == nil {
			return nil
		}
		if IsPermanent(err) {
			return err
		}
		if b.Attempts > 0 && attempt+1 >= b.Attempts {
			return err
		}
		if ctx.Err() != nil {
			return errors.Join(err, ctx.Err())
		}
		d := b.Delay(attempt)
		if onRetry != nil {
			onRetry(err, attempt+1, d)
		}
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		case <-t.C:
		}
	}
}
