// Package memlimit gives a process a soft memory limit when its environment
// sets none. The services hold 30–60 MB of catalogs; with Go's default
// GOGC=100 and no limit the heap may grow to twice that between
// collections, which is what pushed their peak RSS past 150 MB. A soft limit
// makes the collector run earlier as the heap approaches it (see
// BENCHMARKS.md, figure 7). GOMEMLIMIT, when set, wins: Kubernetes sets it to
// the container's memory limit, and GOMEMLIMIT=off removes the limit.
package memlimit

import (
	"os"
	"runtime/debug"

	"go.uber.org/zap"
)

// Default is the limit a service gets when GOMEMLIMIT is unset; it keeps
// every service under the 150 MB peak RSS target (BENCHMARKS.md, figure 7).
const Default = 120 << 20

// Apply sets limit (bytes) unless GOMEMLIMIT is set, which the Go runtime
// has already applied, and logs the limit in force. It returns that limit
// (math.MaxInt64 when there is none).
func Apply(log *zap.Logger, limit int64) int64 {
	if v := os.Getenv("GOMEMLIMIT"); v != "" {
		in := debug.SetMemoryLimit(-1)
		log.Info("memory limit from GOMEMLIMIT", zap.String("GOMEMLIMIT", v), zap.Int64("bytes", in))
		return in
	}
	debug.SetMemoryLimit(limit)
	log.Info("memory limit (soft; GOMEMLIMIT overrides it)", zap.Int64("bytes", limit))
	return limit
}

// BatchGCPercent is the GOGC of a command that runs once over its input
// (`ingest load`) when GOGC is unset. Its live heap is about 20 MB, so at
// Go's default of 100 it collects every 20 MB it allocates, and marking took
// about 30% of its CPU; the memory limit still bounds the heap (BENCHMARKS.md,
// "Garbage collection of the pipeline's processes").
const BatchGCPercent = 200

// ApplyBatch is Apply for such a command: it also sets GOGC to
// BatchGCPercent unless GOGC is set. It returns the memory limit in force.
func ApplyBatch(log *zap.Logger, limit int64) int64 {
	in := Apply(log, limit)
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(BatchGCPercent)
		log.Info("garbage collection target for a batch command (GOGC overrides it)", zap.Int("gogc", BatchGCPercent))
	}
	return in
}
