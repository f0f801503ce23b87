package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// child is a process the benchmark started (a service or a command), with
// its output in a log file.
type child struct {
	name    string
	cmd     *exec.Cmd
	addr    string // HTTP address of a service
	logPath string
	done    chan struct{}
	err     error

	ended time.Time // when the child exited

	mu      sync.Mutex
	peakRSS int64 // bytes, the highest VmHWM sampled
	cpu     float64
	stopped bool
	// startTicks is the process start time (/proc/PID/stat field 22).
	startTicks uint64
}

// startChild starts bin with args and env; stdout and stderr go to logPath.
// The child is killed if the benchmark dies.
func startChild(name, bin string, args, env []string, logPath string) (*child, error) {
	return startChildLines(name, bin, args, env, logPath, nil)
}

// startChildLines is startChild that also hands every line of the child's
// standard output to onLine as it arrives.
func startChildLines(name, bin string, args, env []string, logPath string, onLine func(string)) (*child, error) {
	f, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("creating log of %s: %w", name, err)
	}
	c := &child{name: name, logPath: logPath, done: make(chan struct{})}
	c.cmd = exec.Command(bin, args...)
	c.cmd.Env = env
	c.cmd.Stdout, c.cmd.Stderr = f, f
	if onLine != nil {
		c.cmd.Stdout = &lineWriter{w: f, onLine: onLine}
	}
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := c.cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("starting %s: %w", name, err)
	}
	go func() {
		c.err = c.cmd.Wait()
		c.ended = time.Now()
		f.Close()
		c.mu.Lock()
		// Not the rusage's maxrss: a child forked with CLONE_VM and then
		// exec'd reports the benchmark's own peak there.
		if st := c.cmd.ProcessState; st != nil {
			c.cpu = (st.UserTime() + st.SystemTime()).Seconds()
		}
		c.mu.Unlock()
		close(c.done)
	}()
	go c.sampleRSS()
	return c, nil
}

// sampleRSS keeps the highest VmHWM seen while the child runs, often
// enough to catch the peak of a command that runs for a second.
func (c *child) sampleRSS() {
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		c.sample()
		select {
		case <-c.done:
			return
		case <-t.C:
		}
	}
}

// sample reads the child's peak RSS and CPU time from /proc, making sure
// by its start time that the pid was not reused after the child exited.
func (c *child) sample() {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", c.pid()))
	if err != nil {
		return
	}
	cpu, start, err := parseStat(b)
	if err != nil {
		return
	}
	hwm, herr := vmHWM(c.pid())
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.startTicks == 0 {
		c.startTicks = start
	}
	if start != c.startTicks {
		return
	}
	c.cpu = cpu
	if herr == nil && hwm > c.peakRSS {
		c.peakRSS = hwm
	}
}

func (c *child) pid() int { return c.cmd.Process.Pid }

// PeakRSS returns the peak resident set size in bytes (VmHWM).
func (c *child) PeakRSS() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.peakRSS
}

// CPU returns the CPU seconds the child used so far.
func (c *child) CPU() float64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.cpu
}

func (c *child) exited() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// waitHealthy polls /healthz until it answers 200.
func (c *child) waitHealthy(ctx context.Context) error {
	deadline := time.Now().Add(90 * time.Second)
	for {
		res, err := http.Get("http://" + c.addr + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return nil
			}
		}
		if c.exited() {
			return fmt.Errorf("%s exited (%v) before it was healthy:\n%s", c.name, c.err, c.tail(30))
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not healthy after 90 s:\n%s", c.name, c.tail(30))
		}
		if err := sleep(ctx, 100*time.Millisecond); err != nil {
			return err
		}
	}
}

// wait waits for the child to exit and returns its error.
func (c *child) wait(ctx context.Context) error {
	select {
	case <-c.done:
		return c.err
	case <-ctx.Done():
		c.stop()
		return ctx.Err()
	}
}

// stop samples the child one last time, sends SIGTERM and waits up to 30 s
// before SIGKILL. It is safe to call more than once.
func (c *child) stop() {
	c.mu.Lock()
	already := c.stopped
	c.stopped = true
	c.mu.Unlock()
	if already || c.exited() {
		<-c.done
		return
	}
	c.sample()
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
	case <-time.After(30 * time.Second):
		_ = c.cmd.Process.Kill()
		<-c.done
	}
}

// tail returns the last n lines of the child's log.
func (c *child) tail(n int) string {
	b, err := os.ReadFile(c.logPath)
	if err != nil {
		return "(no log: " + err.Error() + ")"
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// lineWriter passes writes on to w and complete lines to onLine.
type lineWriter struct {
	w      io.Writer
	onLine func(string)
	buf    []byte
}

func (l *lineWriter) Write(p []byte) (int, error) {
	l.buf = append(l.buf, p...)
	for {
		i := bytes.IndexByte(l.buf, '\n')
		if i < 0 {
			break
		}
		l.onLine(string(l.buf[:i]))
		l.buf = l.buf[i+1:]
	}
	return l.w.Write(p)
}

// freeAddr returns a free 127.0.0.1 port.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("finding a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// vmHWM reads the peak resident set size of pid (VmHWM) in bytes.
func vmHWM(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	return parseStatusKB(b, "VmHWM")
}

// parseStatusKB returns the value of a "Key:   123 kB" line in bytes.
func parseStatusKB(status []byte, key string) (int64, error) {
	sc := bufio.NewScanner(bytes.NewReader(status))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || k != key {
			continue
		}
		f := strings.Fields(v)
		if len(f) < 1 {
			break
		}
		n, err := strconv.ParseInt(f[0], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", key, err)
		}
		if len(f) > 1 && f[1] == "kB" {
			n *= 1024
		}
		return n, nil
	}
	return 0, fmt.Errorf("no %s in status", key)
}

// clockTicks is USER_HZ, 100 on every Linux platform Go supports.
const clockTicks = 100

// cpuSeconds reads the user+system CPU time of pid from /proc/PID/stat.
func cpuSeconds(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	cpu, _, err := parseStat(b)
	return cpu, err
}

// parseStat takes utime and stime (fields 14 and 15, in seconds) and the
// start time (field 22, in ticks) from a stat line; the command name
// (field 2) may contain spaces, so fields count from the last ')'.
func parseStat(stat []byte) (cpu float64, start uint64, err error) {
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, 0, errors.New("malformed stat line")
	}
	f := strings.Fields(string(stat[i+1:]))
	// f[0] is field 3 (state): utime is field 14, stime 15, starttime 22.
	if len(f) < 20 {
		return 0, 0, errors.New("short stat line")
	}
	ut, err1 := strconv.ParseUint(f[11], 10, 64)
	st, err2 := strconv.ParseUint(f[12], 10, 64)
	start, err3 := strconv.ParseUint(f[19], 10, 64)
	if err := errors.Join(err1, err2, err3); err != nil {
		return 0, 0, fmt.Errorf("parsing stat: %w", err)
	}
	return float64(ut+st) / clockTicks, start, nil
}

// machineCPU returns busy and total CPU time of the machine in seconds,
// summed over cores, from /proc/stat.
func machineCPU() (busy, total float64, err error) {
	f, err := os.Open("/proc/stat")
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	line, err := bufio.NewReader(f).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return 0, 0, err
	}
	return parseProcStat(line)
}

// parseProcStat reads the aggregate "cpu" line: idle and iowait are not busy.
func parseProcStat(line string) (busy, total float64, err error) {
	f := strings.Fields(line)
	if len(f) < 5 || f[0] != "cpu" {
		return 0, 0, fmt.Errorf("unexpected /proc/stat line %q", line)
	}
	var sum, idle uint64
	for i, s := range f[1:] {
		if i >= 8 { // guest time is already in user
			break
		}
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("parsing /proc/stat: %w", err)
		}
		sum += v
		if i == 3 || i == 4 {
			idle += v
		}
	}
	return float64(sum-idle) / clockTicks, float64(sum) / clockTicks, nil
}

// readPID reads a pid file; 0 when it is missing or the process is gone.
func readPID(path string) int {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		return 0
	}
	if _, err := os.Stat(fmt.Sprintf("/proc/%d", pid)); err != nil {
		return 0
	}
	return pid
}

// cpuMeter measures the CPU the machine and a set of processes used
// during a phase: which of them limits the throughput.
type cpuMeter struct {
	start         time.Time
	busy0, total0 float64
	servers       map[string]int // name → pid (Kafka, Elasticsearch, the benchmark)
	servers0      map[string]float64
	children      []*child
	children0     map[*child]float64
}

func newCPUMeter(servers map[string]int, children ...*child) *cpuMeter {
	m := &cpuMeter{start: time.Now(), servers: servers, servers0: map[string]float64{}, children: children, children0: map[*child]float64{}}
	m.busy0, m.total0, _ = machineCPU()
	for name, pid := range servers {
		m.servers0[name], _ = cpuSeconds(pid)
	}
	for _, c := range children {
		c.sample()
		m.children0[c] = c.CPU()
	}
	return m
}

// add counts a child started after the meter.
func (m *cpuMeter) add(c *child) {
	m.children = append(m.children, c)
	m.children0[c] = 0
}

// cpuUse is the CPU a phase used: seconds per process and the machine's
// busy share.
type cpuUse struct {
	WallSeconds    float64            `json:"wall_s"`
	MachineBusyPct float64            `json:"machine_busy_pct"`
	Seconds        map[string]float64 `json:"cpu_s"`
}

func (m *cpuMeter) stop() cpuUse {
	u := cpuUse{WallSeconds: time.Since(m.start).Seconds(), Seconds: map[string]float64{}}
	busy, total, err := machineCPU()
	if err == nil && total > m.total0 {
		u.MachineBusyPct = 100 * (busy - m.busy0) / (total - m.total0)
	}

	for name, pid := range m.servers {
		if s, err := cpuSeconds(pid); err == nil {
			u.Seconds[name] = round(s-m.servers0[name], 2)
		}
	}
	for _, c := range m.children {
		if !c.exited() {
			c.sample()
		} else {
			<-c.done
		}
		u.Seconds[c.name] += round(c.CPU()-m.children0[c], 2)
	}
	// What the machine was busy with besides the processes measured: other
	// work on a shared machine, the noise in the figures.
	known := 0.0
	for _, v := range u.Seconds {
		known += v
	}
	u.Seconds["other"] = round(math.Max(0, busy-m.busy0-known), 2)
	u.WallSeconds = round(u.WallSeconds, 2)
	u.MachineBusyPct = round(u.MachineBusyPct, 1)
	return u
}
