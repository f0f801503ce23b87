package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
)

// The pinned figures: Elasticsearch alone on one core (pinnedESCPU), Kafka,
// the services and the benchmark on the other, so that Elasticsearch's
// throughput is the same in the figure and in its ceiling and the ratio
// says whether the pipeline ever holds Elasticsearch back. Services started
// after the benchmark pinned itself inherit its core.
const (
	pinnedESCPU    = "0"
	pinnedOtherCPU = "1"
)

// pinned runs figure 1 and figure 2 on a stack of their own, and the
// minimal loader over the same documents, with Elasticsearch pinned; the
// CPU it returns is the pinned ceiling's (figures 1p and 2p are recorded
// as e2e_pinned and index_pinned). When the machine cannot pin, the figure
// says why and the run goes on.
func (b *bench) pinned(ctx context.Context) (use cpuUse, err error) {
	esPID, ok := b.servers["elasticsearch"]
	if !ok {
		b.noPinning("Elasticsearch's pid is unknown (no pid file under ITEST_DIR)")
		return cpuUse{}, nil
	}
	p := newPinner()
	if err := p.check(ctx, runtime.NumCPU(), esPID); err != nil {
		b.noPinning(err.Error())
		return cpuUse{}, nil
	}
	defer func() {
		if rerr := p.restore(); rerr != nil {
			b.say("  restoring the CPU affinity: %v", rerr)
			if err == nil {
				err = fmt.Errorf("restoring the CPU affinity: %w", rerr)
			}
		}
	}()
	type pin struct {
		name string
		pid  int
		cpus string
	}
	pins := []pin{{"elasticsearch", esPID, pinnedESCPU}, {"newsbench", os.Getpid(), pinnedOtherCPU}}
	if pid, ok := b.servers["kafka"]; ok {
		pins = append(pins, pin{"kafka", pid, pinnedOtherCPU})
	}
	for _, x := range pins {
		if err := p.pin(ctx, x.pid, x.cpus); err != nil {
			b.noPinning(fmt.Sprintf("pinning %s: %v", x.name, err))
			return cpuUse{}, nil
		}
	}
	b.res["pinned"] = fmt.Sprintf("elasticsearch on CPU %s; kafka, services and newsbench on CPU %s", pinnedESCPU, pinnedOtherCPU)
	b.say("  pinned Elasticsearch to CPU %s, Kafka, the services and newsbench to CPU %s", pinnedESCPU, pinnedOtherCPU)

	e2e, err := b.e2eOn(ctx, "e2e_pinned")
	b.addCPU("e2e_pinned", e2e)
	if err != nil {
		return e2e, fmt.Errorf("end to end, pinned: %w", err)
	}
	b.settleQuietly(ctx)
	idx, err := b.indexAloneOn(ctx, "e2e_pinned", "index_pinned")
	b.addCPU("index_pinned", idx)
	if err != nil {
		return idx, fmt.Errorf("index stage, pinned: %w", err)
	}
	b.settleQuietly(ctx)
	ka, err := b.freshAdmin()
	if err != nil {
		return cpuUse{}, err
	}
	ops, err := readOps(ctx, &b.cfg.Kafka, ka, b.topic("e2e_pinned.classified"))
	if err != nil {
		return cpuUse{}, err
	}
	settings, _ := parseCeiling(b.cfg.PinnedCeiling)
	return b.ceilingOf(ctx, ops, settings, "e2e_pinned_ceiling", "ceiling_pinned")
}

// noPinning records why the pinned figures are missing.
func (b *bench) noPinning(reason string) {
	b.res["pinned"] = "not pinned: " + reason
	b.say("  cannot pin, pinned figures skipped: %s", reason)
}

// addCPU records a sub-phase's CPU next to the phases'.
func (b *bench) addCPU(phase string, u cpuUse) {
	if cpu, ok := b.res["cpu"].(map[string]cpuUse); ok && u.WallSeconds > 0 {
		cpu[phase] = u
		b.say("  CPU: %s", u)
	}
}

func (b *bench) settleQuietly(ctx context.Context) {
	if waited, ok, err := b.settle(ctx); err != nil || !ok {
		b.say("  settling: waited %s (%v)", waited.Round(1e9), err)
	}
}

// pinnedRatios divides the pinned figures by their pinned ceiling.
func (b *bench) pinnedRatios() {
	r := b.res
	r["e2e_pinned_ratio"] = ratio(r.num("e2e_pinned_articles_per_s"), r.num("e2e_pinned_ceiling_articles_per_s"))
	r["index_pinned_ratio"] = ratio(r.num("index_pinned_docs_per_s"), r.num("e2e_pinned_ceiling_articles_per_s"))
}
