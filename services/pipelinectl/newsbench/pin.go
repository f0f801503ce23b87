package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Pinning: the pinned figures put Elasticsearch on one core and everything
// else (Kafka, the services, the benchmark) on the other, so that the
// pipeline's figure is not Elasticsearch's share of a contended machine.
// taskset sets the affinity of every thread of a process (-a); threads it
// creates later inherit it. Every pin is undone when the figure ends, on
// error or interrupt too.

// pinArgs are taskset's arguments that set the CPU list of every thread
// of pid.
func pinArgs(pid int, cpus string) []string {
	return []string{"-a", "-p", "-c", cpus, strconv.Itoa(pid)}
}

// maskArgs are taskset's arguments that set a hexadecimal affinity mask
// on every thread of pid (to restore what pinning changed).
func maskArgs(pid int, mask string) []string {
	return []string{"-a", "-p", mask, strconv.Itoa(pid)}
}

// parseMask reads the mask out of `taskset -p PID`: "pid 42's current
// affinity mask: 3".
func parseMask(out string) (string, error) {
	i := strings.LastIndex(out, ":")
	if i < 0 {
		return "", fmt.Errorf("unexpected taskset output %q", strings.TrimSpace(out))
	}
	m := strings.TrimSpace(out[i+1:])
	if _, err := strconv.ParseUint(m, 16, 64); err != nil || m == "" {
		return "", fmt.Errorf("unexpected taskset mask in %q", strings.TrimSpace(out))
	}
	return m, nil
}

// pinner pins processes and remembers how to undo it.
type pinner struct {
	taskset string // the command, "taskset"

	mu       sync.Mutex
	restores map[int]string // pid → its mask before the first pin
}

func newPinner() *pinner { return &pinner{taskset: "taskset", restores: map[int]string{}} }

func (p *pinner) run(ctx context.Context, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, p.taskset, args...).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s %s: %w: %s", p.taskset, strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return string(out), nil
}

// check fails when the machine cannot pin: no taskset, fewer than two
// cores, or taskset refused to read a process's affinity.
func (p *pinner) check(ctx context.Context, ncpu, pid int) error {
	if ncpu < 2 {
		return fmt.Errorf("%d CPU: nothing to pin apart", ncpu)
	}
	if _, err := exec.LookPath(p.taskset); err != nil {
		return fmt.Errorf("no %s on this machine", p.taskset)
	}
	_, err := p.run(ctx, "-p", strconv.Itoa(pid))
	return err
}

// pin sets every thread of pid to cpus, remembering the mask it had.
func (p *pinner) pin(ctx context.Context, pid int, cpus string) error {
	p.mu.Lock()
	_, known := p.restores[pid]
	p.mu.Unlock()
	if !known {
		out, err := p.run(ctx, "-p", strconv.Itoa(pid))
		if err != nil {
			return err
		}
		mask, err := parseMask(out)
		if err != nil {
			return err
		}
		p.mu.Lock()
		p.restores[pid] = mask
		p.mu.Unlock()
	}
	_, err := p.run(ctx, pinArgs(pid, cpus)...)
	return err
}

// restore gives every process pinned its mask back; a process that exited
// meanwhile is no error.
func (p *pinner) restore() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []error
	for pid, mask := range p.restores {
		if _, err := p.run(context.Background(), maskArgs(pid, mask)...); err != nil && processAlive(pid) {
			errs = append(errs, err)
		}
		delete(p.restores, pid)
	}
	return errors.Join(errs...)
}

func processAlive(pid int) bool {
	_, err := os.Stat("/proc/" + strconv.Itoa(pid))
	return err == nil
}
