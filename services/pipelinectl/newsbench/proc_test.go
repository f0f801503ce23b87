package main

import (
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseStatusKB(t *testing.T) {
	status := "Name:\tclassify\nVmPeak:\t 1300000 kB\nVmHWM:\t  154232 kB\nVmRSS:\t  120000 kB\n"
	got, err := parseStatusKB([]byte(status), "VmHWM")
	if err != nil || got != 154232*1024 {
		t.Errorf("VmHWM = %d, %v; want %d", got, err, 154232*1024)
	}
	if _, err := parseStatusKB([]byte(status), "VmSwap"); err == nil {
		t.Error("missing key: no error")
	}
}

func TestParseStat(t *testing.T) {
	// The command name may hold spaces and parentheses.
	stat := "4242 (index (x) y) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 125 0 0 20 0 9 0 98765 1000000 3000\n"
	cpu, start, err := parseStat([]byte(stat))
	if err != nil || cpu != 3.75 || start != 98765 {
		t.Errorf("parseStat = %v, %v, %v; want 3.75 s (250+125 ticks), start 98765", cpu, start, err)
	}
	for _, bad := range []string{"garbage", "1 (x) S 1 2 3"} {
		if _, _, err := parseStat([]byte(bad)); err == nil {
			t.Errorf("parseStat(%q): no error", bad)
		}
	}
}

func TestParseProcStat(t *testing.T) {
	busy, total, err := parseProcStat("cpu  100 5 50 800 40 3 2 0 7 0")
	if err != nil {
		t.Fatal(err)
	}
	// user nice system idle iowait irq softirq steal: idle and iowait are not busy.
	if busy != 1.6 || total != 10 {
		t.Errorf("busy, total = %v, %v; want 1.6, 10", busy, total)
	}
}

func TestOwnProcess(t *testing.T) {
	if _, err := vmHWM(os.Getpid()); err != nil {
		t.Errorf("VmHWM of this process: %v", err)
	}
	if _, err := cpuSeconds(os.Getpid()); err != nil {
		t.Errorf("CPU of this process: %v", err)
	}
	if _, _, err := machineCPU(); err != nil {
		t.Errorf("machine CPU: %v", err)
	}
}

func TestLineWriter(t *testing.T) {
	var lines []string
	var all strings.Builder
	w := &lineWriter{w: &all, onLine: func(s string) { lines = append(lines, s) }}
	for _, chunk := range []string{"reindexing a", " into b\nalias x", " -> y\n", "partial"} {
		if _, err := w.Write([]byte(chunk)); err != nil {
			t.Fatal(err)
		}
	}
	if diff := cmp.Diff([]string{"reindexing a into b", "alias x -> y"}, lines); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	if all.String() != "reindexing a into b\nalias x -> y\npartial" {
		t.Errorf("passed on %q", all.String())
	}
}

func TestChildPeakRSSAndCPU(t *testing.T) {
	c, err := startChild("sh", "/bin/sh", []string{"-c", "i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done"}, nil, t.TempDir()+"/sh.log")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.wait(t.Context()); err != nil {
		t.Fatal(err)
	}
	if c.PeakRSS() <= 0 {
		t.Errorf("peak RSS = %d, want > 0", c.PeakRSS())
	}
	if c.CPU() < 0 {
		t.Errorf("CPU = %v", c.CPU())
	}
}
