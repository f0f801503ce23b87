package load

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/segmentio/kafka-go"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/deskwire/newsroom/services/ingest/article"
	"github.com/deskwire/newsroom/services/ingest/article/articletest"
	"github.com/deskwire/newsroom/services/pipeline/metrics"
	"github.com/deskwire/newsroom/services/pipeline/record"
	"github.com/deskwire/newsroom/services/pipeline/stream"
)

// recorder is a Publisher that keeps what it was given. fail, when set,
// decides the error of the nth call (from 1).
type recorder struct {
	mu    sync.Mutex
	calls int
	keys  []string
	fail  func(n int) error
	delay time.Duration
	// refuse holds the ids Kafka refuses for good, and why.
	refuse map[string]error
}

func (r *recorder) Publish(ctx context.Context, msgs ...kafka.Message) ([]error, error) {
	refused := make([]error, len(msgs))
	keep := make([]kafka.Message, 0, len(msgs))
	for i, m := range msgs {
		if err := r.refuse[string(m.Key)]; err != nil {
			refused[i] = err
			continue
		}
		keep = append(keep, m)
	}
	if err := r.write(ctx, keep...); err != nil {
		return nil, err
	}
	return refused, nil
}

func (r *recorder) write(ctx context.Context, msgs ...kafka.Message) error {
	r.mu.Lock()
	r.calls++
	n := r.calls
	r.mu.Unlock()
	if r.delay > 0 {
		select {
		case <-time.After(r.delay):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if r.fail != nil {
		if err := r.fail(n); err != nil {
			return err
		}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range msgs {
		a, err := record.DecodeArticle(m)
		if err != nil {
			return fmt.Errorf("record %s: %w", m.Key, err)
		}
		r.keys = append(r.keys, a.GetId())
	}
	return nil
}

func (r *recorder) sortedKeys() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	k := append([]string(nil), r.keys...)
	sort.Strings(k)
	return k
}

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// mixed returns n lines in which every seventh is broken in some way, the
// ids of the good ones and the line numbers of the bad ones.
func mixed(prefix string, n int) (text string, good []string, bad []int) {
	var b strings.Builder
	broken := []string{`{"id":"x","title":5}`, `{bad`, `[1]`, `{"id":"a b","title":"t"}`, `{"id":"y"}`, `{"title":"a"} x`}
	line := 0
	for i := 0; i < n; i++ {
		line++
		if i%7 == 3 {
			b.WriteString(broken[i%len(broken)] + "\n")
			bad = append(bad, line)
			continue
		}
		id := fmt.Sprintf("%s-%04d", prefix, i)
		fmt.Fprintf(&b, `{"id":%q,"title":"Title %d","body":"Body\n%d","gold":{"x":[1,2]}}`+"\n", id, i, i)
		good = append(good, id)
		if i%50 == 0 {
			b.WriteString("\n") // blank lines count in line numbers
			line++
		}
	}
	return b.String(), good, bad
}

func TestLoadPublishesEveryValidLineOnce(t *testing.T) {
	dir := t.TempDir()
	textA, goodA, badA := mixed("a", 1000)
	textB, goodB, badB := mixed("b", 333)
	fa := writeFile(t, dir, "a.ndjson", textA)
	fb := writeFile(t, dir, "b.jsonl", textB)
	want := append(append([]string(nil), goodA...), goodB...)
	sort.Strings(want)
	var wantRejects []string
	for _, n := range badA {
		wantRejects = append(wantRejects, fmt.Sprintf("%s:%d", fa, n))
	}
	for _, n := range badB {
		wantRejects = append(wantRejects, fmt.Sprintf("%s:%d", fb, n))
	}
	for _, tc := range []struct {
		name                        string
		decoders, batch, concurrent int
	}{
		{"defaults", 0, 0, 0},
		{"one decoder, tiny batches", 1, 1, 1},
		{"many decoders", 8, 7, 3},
		{"batches larger than the input", 2, 5000, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files, err := Files([]string{dir})
			if err != nil {
				t.Fatal(err)
			}
			rec := &recorder{}
			var out bytes.Buffer
			l := &Loader{P: rec, Log: zaptest.NewLogger(t, zaptest.Level(zap.ErrorLevel)), Progress: &out,
				ProgressEvery: time.Millisecond, BatchSize: tc.batch, Concurrency: tc.concurrent, Decoders: tc.decoders}
			st, err := l.Load(context.Background(), files)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, rec.sortedKeys()); diff != "" {
				t.Errorf("published ids (-want +got):\n%s", diff)
			}
			if st.Loaded != len(want) || st.Rejected != len(wantRejects) {
				t.Errorf("stats = %+v, want %d loaded and %d rejected", st, len(want), len(wantRejects))
			}
			if size := nonBlankBytes(textA) + nonBlankBytes(textB); st.Bytes != size {
				t.Errorf("stats count %d bytes, the files' lines hold %d", st.Bytes, size)
			}
			var rejects []string
			for _, line := range strings.Split(out.String(), "\n") {
				if i := strings.Index(line, ": rejected: "); i > 0 {
					rejects = append(rejects, line[:i])
				}
			}
			if diff := cmp.Diff(wantRejects, rejects); diff != "" {
				t.Errorf("rejected lines, in file order (-want +got):\n%s", diff)
			}
			summary := fmt.Sprintf("loaded %d articles in ", len(want))
			if last := lastLine(out.String()); !strings.HasPrefix(last, summary) || !strings.Contains(last, fmt.Sprintf(", %d rejected", len(wantRejects))) {
				t.Errorf("last progress line %q, want the summary %q…", last, summary)
			}
		})
	}
}

// nonBlankBytes is what progress counts: the lines that are not blank.
func nonBlankBytes(text string) int64 {
	var n int64
	for _, l := range strings.SplitAfter(text, "\n") {
		if strings.TrimSpace(l) != "" {
			n += int64(len(l))
		}
	}
	return n
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

func TestLoadKeepsFileOrderWithOneProducer(t *testing.T) {
	text, good, _ := mixed("o", 700)
	rec := &recorder{}
	l := &Loader{P: rec, Log: zaptest.NewLogger(t, zaptest.Level(zap.ErrorLevel)), BatchSize: 13, Concurrency: 1, Decoders: 4,
		Stdin: strings.NewReader(text)}
	if _, err := l.Load(context.Background(), []string{"-"}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(good, rec.keys); diff != "" {
		t.Errorf("published order (-want +got):\n%s", diff)
	}
}

func TestLoadRejectReportNamesLineAndID(t *testing.T) {
	dir := t.TempDir()
	f := writeFile(t, dir, "x.ndjson", "{\"id\":\"ok\",\"title\":\"t\"}\n\n{\"id\":\"bad-date\",\"title\":\"t\",\"published_at\":\"16/10/2025\"}\n")
	var out bytes.Buffer
	rec := &recorder{}
	l := &Loader{P: rec, Log: zaptest.NewLogger(t, zaptest.Level(zap.ErrorLevel)), Progress: &out}
	st, err := l.Load(context.Background(), []string{f})
	if err != nil {
		t.Fatal(err)
	}
	if st.Loaded != 1 || st.Rejected != 1 {
		t.Fatalf("stats = %+v, want 1 loaded, 1 rejected", st)
	}
	want := f + ":3: rejected: published_at: \"16/10/2025\" is not an RFC 3339 date"
	if !strings.Contains(out.String(), want) {
		t.Errorf("output does not hold %q:\n%s", want, out.String())
	}
}

// TestLoadReportsOversizedAndRefusedLines: lines over a limit, and records
// Kafka refuses for good, are reported as file:line: reason and the rest is
// loaded.
func TestLoadReportsOversizedAndRefusedLines(t *testing.T) {
	dir := t.TempDir()
	lines := []string{
		`{"id":"ok-1","title":"t"}`,
		`{"id":"big-body","body":"` + strings.Repeat("b", article.MaxBodyBytes+1) + `"}`,
		`{"id":"ok-2","title":"t"}`,
		`{"id":"refused","title":"t"}`,
		`{"id":"long-line","body":"` + strings.Repeat("x", article.MaxLineBytes) + `"}`,
		`{"id":"at-limit","body":"` + strings.Repeat("b", article.MaxBodyBytes) + `"}`,
		`{"id":"ok-3","title":"t"}`,
	}
	f := writeFile(t, dir, "x.ndjson", strings.Join(lines, "\n")+"\n")
	for _, tc := range []struct {
		name         string
		batch, conc  int
		wantRejected []string
	}{
		{"one batch", 0, 0, nil},
		{"a record per batch", 1, 3, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			rec := &recorder{refuse: map[string]error{"refused": fmt.Errorf("%w: the broker said so", stream.ErrRecordTooLarge)}}
			m := metrics.New("test")
			l := &Loader{P: rec, Log: zaptest.NewLogger(t, zaptest.Level(zap.ErrorLevel)), Progress: &out,
				BatchSize: tc.batch, Concurrency: tc.conc, Metrics: m}
			st, err := l.Load(context.Background(), []string{f})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{"at-limit", "ok-1", "ok-2", "ok-3"}, rec.sortedKeys()); diff != "" {
				t.Errorf("published (-want +got):\n%s", diff)
			}
			if st.Loaded != 4 || st.Rejected != 3 {
				t.Errorf("stats = %+v, want 4 loaded, 3 rejected", st)
			}
			var got []string
			for _, line := range strings.Split(out.String(), "\n") {
				if strings.Contains(line, ": rejected: ") {
					got = append(got, line)
				}
			}
			sort.Strings(got)
			want := []string{
				f + ":2: rejected: body: is 1048577 bytes, the limit is 1048576: shorten it",
				f + ":4: rejected: record too large: the broker said so",
				fmt.Sprintf("%s:5: rejected: line too long: %d bytes, the limit is %d", f, len(lines[4])+1, article.MaxLineBytes),
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("rejection report (-want +got):\n%s", diff)
			}
			if n := testutil.ToFloat64(m.Rejected.WithLabelValues(article.ReasonTooLarge)); n != 3 {
				t.Errorf("too_large rejections counted %v, want 3", n)
			}
		})
	}
}

func TestLoadStopsOnPublishError(t *testing.T) {
	text, _, _ := mixed("e", 2000)
	boom := errors.New("broker says no")
	rec := &recorder{fail: func(n int) error {
		if n == 3 {
			return boom
		}
		return nil
	}}
	l := &Loader{P: rec, Log: zaptest.NewLogger(t, zaptest.Level(zap.ErrorLevel)), BatchSize: 50, Concurrency: 2, Decoders: 2,
		Stdin: strings.NewReader(text)}
	done := make(chan struct{})
	var st Stats
	var err error
	go func() {
		defer close(done)
		st, err = l.Load(context.Background(), []string{"-"})
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Load did not return after a publish error")
	}
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "loading stopped after") {
		t.Fatalf("err = %v, want the publish error", err)
	}
	if got := len(rec.sortedKeys()); st.Loaded != got || got >= 1700 {
		t.Errorf("stats say %d loaded, the publisher holds %d (want it to stop early)", st.Loaded, got)
	}
}

func TestLoadStopsWhenCanceled(t *testing.T) {
	text, _, _ := mixed("c", 3000)
	rec := &recorder{delay: time.Hour}
	ctx, cancel := context.WithCancel(context.Background())
	l := &Loader{P: rec, Log: zaptest.NewLogger(t, zaptest.Level(zap.ErrorLevel)), BatchSize: 10, Stdin: strings.NewReader(text)}
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	_, err := l.Load(ctx, []string{"-"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Load took %s to stop", d)
	}
}

func TestLoadMissingFileAfterGoodOne(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "good.ndjson", `{"id":"g1","title":"t"}`+"\n"+`{"id":"g2","title":"t"}`)
	rec := &recorder{}
	l := &Loader{P: rec, Log: zaptest.NewLogger(t, zaptest.Level(zap.ErrorLevel))}
	_, err := l.Load(context.Background(), []string{good, filepath.Join(dir, "missing.ndjson")})
	if err == nil || !strings.Contains(err.Error(), "opening") {
		t.Fatalf("err = %v, want an error opening the missing file", err)
	}
	if diff := cmp.Diff([]string{"g1", "g2"}, rec.sortedKeys()); diff != "" {
		t.Errorf("the lines read before the error were not all published (-want +got):\n%s", diff)
	}
}

func TestFiles(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"b.ndjson", "a.jsonl", "c.json", "notes.txt"} {
		writeFile(t, dir, n, "")
	}
	got, err := Files([]string{dir, "-"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "b.ndjson"), filepath.Join(dir, "a.jsonl"), filepath.Join(dir, "c.json"), "-"}
	sort.Strings(want[:3])
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Files (-want +got):\n%s", diff)
	}
	if _, err := Files([]string{t.TempDir()}); err == nil {
		t.Error("Files accepted a directory without NDJSON files")
	}
	if _, err := Files(nil); err == nil {
		t.Error("Files accepted no arguments")
	}
}

// discard is a Publisher that drops the records, to time the loader
// without Kafka.
type discard struct{}

func (discard) Publish(_ context.Context, msgs ...kafka.Message) ([]error, error) {
	return make([]error, len(msgs)), nil
}

// BenchmarkLoad measures the loader without Kafka: read, decode, validate,
// encode and batch, in MB/s of NDJSON (compare -cpu 1,2).
func BenchmarkLoad(b *testing.B) {
	lines := articletest.Lines("bench", 5000)
	data := append(bytes.Join(lines, []byte("\n")), '\n')
	f := filepath.Join(b.TempDir(), "bench.ndjson")
	if err := os.WriteFile(f, data, 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l := &Loader{P: discard{}, Log: zap.NewNop()}
		st, err := l.Load(context.Background(), []string{f})
		if err != nil || st.Loaded != len(lines) {
			b.Fatalf("loaded %d of %d: %v", st.Loaded, len(lines), err)
		}
	}
}
