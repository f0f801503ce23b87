//go:build faults

// The fault tests stop and start the shared Kafka and Elasticsearch, so they
// run alone: `make test` runs them after every other test, with
// `go test -tags faults -p 1 ./e2e`.
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/deskwire/newsroom/services/pipeline/stream"
)

// faultN is the number of distinct articles each fault test loads.
const faultN = 2000

func infra(t *testing.T, args ...string) {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	script := filepath.Join(filepath.Dir(file), "..", "..", "..", "scripts", "infra.sh")
	cmd := exec.Command("bash", append([]string{script}, args...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("scripts/infra.sh %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// corpus returns faultN NDJSON lines: the dev articles' real text under new
// ids (prefix), so extraction has realistic work.
func corpus(t *testing.T, prefix string) [][]byte {
	t.Helper()
	base := corpusLines(t)
	out := make([][]byte, faultN)
	for i := range out {
		a := map[string]any{}
		for k, v := range base[i%len(base)] {
			a[k] = v
		}
		a["id"] = fmt.Sprintf("%s-%05d", prefix, i)
		b, _ := json.Marshal(a)
		out[i] = b
	}
	return out
}

// loader posts the corpus in batches, retrying on 503 and connection errors
// like a real client; it records how fast ingest answered each 503.
type loader struct {
	s          *stack
	slow503    atomic.Int64 // 503s that took longer than 10 s
	got503     atomic.Int64
	accepted   atomic.Int64
	lastErr    atomic.Value
	ingestAddr func() string
}

func (l *loader) run(ctx context.Context, lines [][]byte, batch int, pause time.Duration) error {
	for i := 0; i < len(lines); i += batch {
		end := min(i+batch, len(lines))
		body := bytes.Join(lines[i:end], []byte("\n"))
		for {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			start := time.Now()
			res, err := http.Post(l.ingestAddr()+"/v1/articles", "application/x-ndjson", bytes.NewReader(body))
			if err == nil {
				res.Body.Close()
				if res.StatusCode == 202 {
					l.accepted.Add(int64(end - i))
					break
				}
				if res.StatusCode == 503 {
					l.got503.Add(1)
					if time.Since(start) > 10*time.Second {
						l.slow503.Add(1)
					}
				} else {
					return fmt.Errorf("POST batch %d: status %d", i/batch, res.StatusCode)
				}
			} else {
				l.lastErr.Store(err.Error())
			}
			time.Sleep(500 * time.Millisecond)
		}
		time.Sleep(pause)
	}
	return nil
}

// waitAllIndexed waits until the alias holds exactly the corpus' ids.
func waitAllIndexed(t *testing.T, s *stack, prefix string, timeout time.Duration) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	var ids map[string]int
	for time.Now().Before(deadline) {
		_, r, _ := s.searchRaw("size=0")
		if r.Total >= faultN {
			ids = indexedIDs(t, s)
			if len(ids) == faultN {
				break
			}
		}
		time.Sleep(time.Second)
	}
	ids = indexedIDs(t, s)
	var missing []string
	for i := 0; i < faultN; i++ {
		id := fmt.Sprintf("%s-%05d", prefix, i)
		if ids[id] != 1 {
			missing = append(missing, id)
		}
	}
	if len(missing) > 0 || len(ids) != faultN {
		t.Fatalf("%d documents indexed, want exactly %d; %d ids missing (first: %v)", len(ids), faultN, len(missing), missing[:min(5, len(missing))])
	}
}

// injectPoison writes an undecodable record to a topic.
func injectPoison(t *testing.T, s *stack, topic, key string) {
	t.Helper()
	writeRecords(t, s, topic, kafka.Message{Key: []byte(key), Value: []byte("\xff\xfe not protobuf")})
}

// deadLetters reads the stack's DLQ and returns reason by key.
func deadLetters(t *testing.T, s *stack, want int) map[string]map[string]string {
	t.Helper()
	topic := s.topic("dlq")
	out := map[string]map[string]string{}
	deadline := time.Now().Add(60 * time.Second)
	for len(out) < want && time.Now().Before(deadline) {
		for p := 0; p < 3; p++ {
			r := kafka.NewReader(kafka.ReaderConfig{Brokers: strings.Split(s.brokers, ","), Topic: topic, Partition: p, MaxWait: 200 * time.Millisecond})
			for {
				ctx, cancel := context.WithTimeout(context.Background(), time.Second)
				m, err := r.ReadMessage(ctx)
				cancel()
				if err != nil {
					break
				}
				h := map[string]string{}
				for _, x := range m.Headers {
					h[x.Key] = string(x.Value)
				}
				out[string(m.Key)] = h
			}
			r.Close()
		}
	}
	return out
}

// runFault loads the corpus while fault runs, then checks that exactly the
// corpus is searchable and that poison in both topics reached the DLQ.
func runFault(t *testing.T, prefix string, fault func(t *testing.T, s *stack)) {
	start := time.Now()
	s := newStack(t)
	s.start("ingest")
	s.start("classify")
	s.start("index", "BULK_FLUSH_INTERVAL=200ms")
	lines := corpus(t, prefix)
	l := &loader{s: s, ingestAddr: func() string { return s.ingest }}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	var loadErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		loadErr = l.run(ctx, lines, 50, 150*time.Millisecond)
	}()
	time.Sleep(2 * time.Second) // mid-load
	injectPoison(t, s, s.topic("raw"), prefix+"-poison-raw")
	fault(t, s)
	injectPoison(t, s, s.topic("classified"), prefix+"-poison-classified")
	wg.Wait()
	if loadErr != nil {
		t.Fatalf("loading: %v", loadErr)
	}
	waitAllIndexed(t, s, prefix, 3*time.Minute)
	dl := deadLetters(t, s, 2)
	if len(dl) != 2 {
		t.Errorf("%d records in the dead-letter topic, want only the 2 poison records: nothing else may be dead-lettered", len(dl))
	}
	for key, stage := range map[string]string{prefix + "-poison-raw": "classify", prefix + "-poison-classified": "index"} {
		h, ok := dl[key]
		if !ok {
			t.Errorf("poison %s not in the dead-letter topic (have %d records)", key, len(dl))
			continue
		}
		if h[stream.HeaderDLQStage] != stage || h[stream.HeaderDLQReason] == "" || h[stream.HeaderDLQError] == "" || h[stream.HeaderDLQOffset] == "" {
			t.Errorf("poison %s dead-lettered with headers %v, want stage %s, a reason, an error and the offset", key, h, stage)
		}
	}
	cmd := exec.Command(filepath.Join(binaries(t), "pipelinectl"), "dlq", "--log-level", "warn")
	cmd.Env = s.env
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), prefix+"-poison-raw") || !strings.Contains(string(out), "decode") {
		t.Errorf("pipelinectl dlq = %v:\n%s", err, out)
	}
	if n := l.slow503.Load(); n > 0 {
		t.Errorf("%d answers of 503 took longer than 10 s", n)
	}
	t.Logf("%s: %d articles, %d 503 answers while the fault lasted, total %s", t.Name(), faultN, l.got503.Load(), time.Since(start).Round(time.Second))
}

func TestFaultElasticsearchDown(t *testing.T) {
	runFault(t, "fes", func(t *testing.T, s *stack) {
		infra(t, "down", "elasticsearch")
		time.Sleep(20 * time.Second)
		infra(t, "up", "elasticsearch")
	})
}

func TestFaultIndexKilled(t *testing.T) {
	runFault(t, "fix", func(t *testing.T, s *stack) {
		time.Sleep(3 * time.Second)
		s.kill("index")
		time.Sleep(2 * time.Second)
		s.start("index", "BULK_FLUSH_INTERVAL=200ms")
	})
}

func TestFaultClassifyKilled(t *testing.T) {
	runFault(t, "fcl", func(t *testing.T, s *stack) {
		time.Sleep(3 * time.Second)
		s.kill("classify")
		time.Sleep(2 * time.Second)
		s.start("classify")
	})
}

func TestFaultKafkaDown(t *testing.T) {
	runFault(t, "fkf", func(t *testing.T, s *stack) {
		time.Sleep(2 * time.Second)
		infra(t, "down", "kafka")
		// While Kafka is down ingest must answer 503 with Retry-After in
		// under 10 s, never 202 and never hang.
		start := time.Now()
		res, err := http.Post(s.ingest+"/v1/articles", "application/json", strings.NewReader(`{"id":"fkf-while-down","title":"t"}`))
		took := time.Since(start)
		if err != nil {
			t.Errorf("POST while Kafka is down: %v", err)
		} else {
			res.Body.Close()
			if res.StatusCode != 503 || res.Header.Get("Retry-After") == "" || took > 10*time.Second {
				t.Errorf("POST while Kafka is down = %d (Retry-After %q) after %s, want 503 with Retry-After within 10 s", res.StatusCode, res.Header.Get("Retry-After"), took)
			}
		}
		time.Sleep(5 * time.Second)
		infra(t, "up", "kafka")
	})
}

// TestFaultKafkaDownDuringLoad starts `ingest load` while Kafka is down:
// the command waits, says so, and once Kafka is back loads every article
// and exits 0; all of them become searchable.
func TestFaultKafkaDownDuringLoad(t *testing.T) {
	start := time.Now()
	s := newStack(t)
	s.start("classify")
	s.start("index")
	const prefix = "fld"
	file := filepath.Join(t.TempDir(), "articles.ndjson")
	if err := os.WriteFile(file, append(bytes.Join(corpus(t, prefix), []byte("\n")), '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second) // the services joined their groups
	infra(t, "down", "kafka")
	cmd := exec.Command(filepath.Join(binaries(t), "ingest"), "load", file)
	cmd.Env = s.env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case err := <-exited:
		infra(t, "up", "kafka")
		t.Fatalf("ingest load ended while Kafka was down (%v); it should wait:\n%s", err, tail(out.String()))
	case <-time.After(15 * time.Second):
	}
	infra(t, "up", "kafka")
	select {
	case err := <-exited:
		if err != nil {
			t.Fatalf("ingest load after Kafka came back: %v\n%s", err, tail(out.String()))
		}
	case <-time.After(3 * time.Minute):
		cmd.Process.Kill()
		t.Fatalf("ingest load still running 3 minutes after Kafka came back:\n%s", tail(out.String()))
	}
	if want := fmt.Sprintf("loaded %d articles", faultN); !strings.Contains(out.String(), want) {
		t.Errorf("ingest load output does not say %q:\n%s", want, tail(out.String()))
	}
	waitAllIndexed(t, s, prefix, 3*time.Minute)
	t.Logf("%s: %d articles, total %s", t.Name(), faultN, time.Since(start).Round(time.Second))
}
