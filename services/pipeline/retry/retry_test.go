package retry

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestDelayIsCappedAndJittered(t *testing.T) {
	b := Backoff{Min: 10 * time.Millisecond, Max: 80 * time.Millisecond}
	for _, tc := range []struct {
		n      int
		lo, hi time.Duration
	}{
		{0, 5 * time.Millisecond, 10 * time.Millisecond},
		{1, 10 * time.Millisecond, 20 * time.Millisecond},
		{3, 40 * time.Millisecond, 80 * time.Millisecond},
		{20, 40 * time.Millisecond, 80 * time.Millisecond},
	} {
		for i := 0; i < 50; i++ {
			if d := b.Delay(tc.n); d < tc.lo || d > tc.hi {
				t.Fatalf("Delay(%d) = %v, want within [%v, %v]", tc.n, d, tc.lo, tc.hi)
			}
		}
	}
}

func TestDo(t *testing.T) {
	fast := Backoff{Min: time.Millisecond, Max: 2 * time.Millisecond}
	boom := errors.New("boom")
	for _, tc := range []struct {
		name      string
		b         Backoff
		failUntil int
		err       error
		wantCalls int
		wantErr   bool
	}{
		{"succeeds after temporary failures", fast, 3, boom, 4, false},
		{"permanent error stops at once", fast, 100, Permanent(boom), 1, true},
		{"attempts bound the tries", Backoff{Min: time.Millisecond, Attempts: 2}, 100, boom, 2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := 0
			err := Do(context.Background(), tc.b, func(context.Context) error {
				calls++
				if calls <= tc.failUntil {
					return tc.err
				}
				return nil
			}, nil)
			if (err != nil) != tc.wantErr || calls != tc.wantCalls {
				t.Fatalf("err=%v calls=%d, want err=%v calls=%d", err, calls, tc.wantErr, tc.wantCalls)
			}
		})
	}
}

func TestDoStopsWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	err := Do(ctx, Backoff{Min: 5 * time.Millisecond}, func(context.Context) error { return errors.New("down") }, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
}
