package memlimit

import (
	"math"
	"runtime/debug"
	"testing"

	"go.uber.org/zap"
)

func TestApply(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	tests := []struct {
		name string
		env  string // "" leaves GOMEMLIMIT unset
		// runtime is what the Go runtime would have applied from env at
		// start; the test sets it by hand since env is read only once.
		runtime int64
		want    int64
	}{
		{name: "unset gives the default", want: 100 << 20},
		{name: "GOMEMLIMIT wins", env: "300MiB", runtime: 300 << 20, want: 300 << 20},
		{name: "GOMEMLIMIT=off removes the limit", env: "off", runtime: math.MaxInt64, want: math.MaxInt64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.env != "" {
				t.Setenv("GOMEMLIMIT", tt.env)
				debug.SetMemoryLimit(tt.runtime)
			} else {
				t.Setenv("GOMEMLIMIT", "")
				debug.SetMemoryLimit(math.MaxInt64)
			}
			if got := Apply(zap.NewNop(), 100<<20); got != tt.want {
				t.Errorf("Apply = %d, want %d", got, tt.want)
			}
			if got := debug.SetMemoryLimit(-1); got != tt.want {
				t.Errorf("limit in force = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestApplyBatch(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	tests := []struct {
		name string
		env  string // GOGC; "" leaves it unset
		// runtime is the GOGC the Go runtime would have applied from env.
		runtime, want int
	}{
		{name: "unset gives the batch default", runtime: 100, want: BatchGCPercent},
		{name: "GOGC wins", env: "150", runtime: 150, want: 150},
		{name: "GOGC=off stays off", env: "off", runtime: -1, want: -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("GOGC", tt.env)
			t.Setenv("GOMEMLIMIT", "")
			debug.SetGCPercent(tt.runtime)
			if got := ApplyBatch(zap.NewNop(), 100<<20); got != 100<<20 {
				t.Errorf("ApplyBatch = %d, want the limit %d", got, 100<<20)
			}
			if got := debug.SetGCPercent(tt.runtime); got != tt.want {
				t.Errorf("GOGC in force = %d, want %d", got, tt.want)
			}
		})
	}
}
