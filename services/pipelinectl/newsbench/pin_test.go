package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPinArgs(t *testing.T) {
	if diff := cmp.Diff([]string{"-a", "-p", "-c", "0", "4242"}, pinArgs(4242, "0")); diff != "" {
		t.Errorf("pinArgs (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"-a", "-p", "3", "4242"}, maskArgs(4242, "3")); diff != "" {
		t.Errorf("maskArgs (-want +got):\n%s", diff)
	}
}

func TestParseMask(t *testing.T) {
	cases := []struct {
		out, want string
		err       bool
	}{
		{"pid 7792's current affinity mask: 3\n", "3", false},
		{"pid 1's current affinity mask: ffff", "ffff", false},
		{"taskset: failed to get pid 9's affinity: No such process", "", true},
		{"pid 1's current affinity mask: ", "", true},
		{"nothing", "", true},
	}
	for _, tc := range cases {
		got, err := parseMask(tc.out)
		if (err != nil) != tc.err || got != tc.want {
			t.Errorf("parseMask(%q) = %q, %v; want %q, error %v", tc.out, got, err, tc.want, tc.err)
		}
	}
}

// fakeTaskset writes a script that logs its arguments and answers -p PID
// with a mask, so the pinner's bookkeeping can be checked without
// touching any process's affinity.
func fakeTaskset(t *testing.T, fail bool) (bin, log string) {
	dir := t.TempDir()
	log = filepath.Join(dir, "calls")
	code := "0"
	if fail {
		code = "1"
	}
	script := "#!/bin/sh\necho \"$@\" >> " + log + "\n" +
		"if [ \"$1\" = -p ]; then echo \"pid $2's current affinity mask: 3\"; fi\nexit " + code + "\n"
	bin = filepath.Join(dir, "taskset")
	if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return bin, log
}

func TestPinnerRestores(t *testing.T) {
	bin, log := fakeTaskset(t, false)
	p := newPinner()
	p.taskset = bin
	pid := os.Getpid() // alive, so a failed restore would count
	ctx := context.Background()
	if err := p.pin(ctx, pid, "0"); err != nil {
		t.Fatal(err)
	}
	if err := p.pin(ctx, pid, "1"); err != nil { // the mask before the first pin is kept
		t.Fatal(err)
	}
	if err := p.restore(); err != nil {
		t.Fatal(err)
	}
	calls, _ := os.ReadFile(log)
	pidS := strings.TrimSpace(pinArgs(pid, "")[4])
	want := "-p " + pidS + "\n-a -p -c 0 " + pidS + "\n-a -p -c 1 " + pidS + "\n-a -p 3 " + pidS + "\n"
	if diff := cmp.Diff(want, string(calls)); diff != "" {
		t.Errorf("taskset calls (-want +got):\n%s", diff)
	}
	if len(p.restores) != 0 {
		t.Errorf("restores left after restore: %v", p.restores)
	}
}

func TestPinnerCheck(t *testing.T) {
	bin, _ := fakeTaskset(t, true)
	p := newPinner()
	p.taskset = bin
	if err := p.check(context.Background(), 2, os.Getpid()); err == nil {
		t.Error("failing taskset: no error")
	}
	if err := p.check(context.Background(), 1, os.Getpid()); err == nil || !strings.Contains(err.Error(), "1 CPU") {
		t.Errorf("one CPU: error %v", err)
	}
	p.taskset = filepath.Join(t.TempDir(), "no-such-taskset")
	if err := p.check(context.Background(), 2, os.Getpid()); err == nil {
		t.Error("missing taskset: no error")
	}
}
