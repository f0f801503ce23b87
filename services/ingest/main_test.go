package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/deskwire/newsroom/services/pipeline/kafkatest"
	"github.com/deskwire/newsroom/services/pipeline/record"
)

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// readAll reads every record of topic until n arrived or the deadline.
func readAll(t *testing.T, brokers, topic string, n int) []kafka.Message {
	t.Helper()
	var out []kafka.Message
	deadline := time.Now().Add(30 * time.Second)
	for p := 0; p < 3 && len(out) < n; p++ {
		r := kafka.NewReader(kafka.ReaderConfig{Brokers: strings.Split(brokers, ","), Topic: topic, Partition: p, MaxWait: 100 * time.Millisecond,
			MaxBytes: 16 << 20})
		for len(out) < n {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			m, err := r.ReadMessage(ctx)
			cancel()
			if err != nil || time.Now().After(deadline) {
				break
			}
			out = append(out, m)
		}
		r.Close()
	}
	return out
}

func TestServeAndLoadAgainstKafka(t *testing.T) {
	cfg := kafkatest.Config(t)
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	args := []string{"serve", "--kafka-brokers", cfg.Brokers, "--topic-raw", cfg.TopicRaw, "--topic-dlq", cfg.TopicDLQ,
		"--kafka-partitions", "3", "--http-addr", addr, "--log-level", "warn"}
	go func() { done <- run(ctx, args, nil, os.Stderr) }()
	url := "http://" + addr + "/v1/articles"
	var resp *http.Response
	var err error
	for i := 0; i < 100; i++ {
		resp, err = http.Post(url, "application/json", strings.NewReader(`{"id":"it-1","title":"Integration","body":"Text"}`))
		if err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 202 {
		t.Fatalf("POST = %d, want 202", resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}

	dir := t.TempDir()
	var b bytes.Buffer
	for i := 0; i < 50; i++ {
		fmt.Fprintf(&b, `{"id":"load-%d","title":"Article %d","body":"Body %d"}`+"\n", i, i, i)
	}
	b.WriteString("{broken\n")
	if err := os.WriteFile(filepath.Join(dir, "a.ndjson"), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var progress bytes.Buffer
	err = run(context.Background(), []string{"load", "--kafka-brokers", cfg.Brokers, "--topic-raw", cfg.TopicRaw, "--topic-dlq", cfg.TopicDLQ,
		"--kafka-partitions", "3", "--log-level", "error", "--decoders", "3", dir}, nil, &progress)
	if err == nil || !strings.Contains(err.Error(), "50 articles loaded, 1 rejected") {
		t.Fatalf("load err = %v, want a summary of 50 loaded and 1 rejected", err)
	}
	if !strings.Contains(progress.String(), "a.ndjson:51: rejected") {
		t.Errorf("progress output does not name the bad line:\n%s", progress.String())
	}
	msgs := readAll(t, cfg.Brokers, cfg.TopicRaw, 51)
	ids := map[string]bool{}
	for _, m := range msgs {
		a, err := record.DecodeArticle(m)
		if err != nil {
			t.Fatalf("record %s: %v", record.Position(m), err)
		}
		ids[a.GetId()] = true
	}
	if len(ids) != 51 || !ids["it-1"] || !ids["load-49"] {
		t.Fatalf("topic holds %d distinct articles, want 51 (it-1 and load-0..49)", len(ids))
	}
}

func TestTokenRequiredAndNeverLogged(t *testing.T) {
	cfg := kafkatest.Config(t)
	addr := freeAddr(t)
	const token = "tok-3f9a1c-very-secret"
	var logs safeBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--kafka-brokers", cfg.Brokers, "--topic-raw", cfg.TopicRaw, "--topic-dlq", cfg.TopicDLQ,
			"--kafka-partitions", "1", "--http-addr", addr, "--api-token", token}, nil, &logs)
	}()
	post := func(auth string) int {
		req, _ := http.NewRequest("POST", "http://"+addr+"/v1/articles", strings.NewReader(`{"id":"tok-1","title":"T"}`))
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		for i := 0; i < 100; i++ {
			res, err := http.DefaultClient.Do(req)
			if err == nil {
				res.Body.Close()
				return res.StatusCode
			}
			time.Sleep(100 * time.Millisecond)
		}
		t.Fatal("ingest did not answer")
		return 0
	}
	for _, tc := range []struct {
		auth string
		want int
	}{{"", 401}, {"Bearer wrong", 403}, {"Bearer " + token, 202}} {
		if got := post(tc.auth); got != tc.want {
			t.Errorf("POST with %q = %d, want %d", tc.auth, got, tc.want)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if strings.Contains(logs.String(), token) {
		t.Fatal("the API token appears in the logs")
	}
	if !strings.Contains(logs.String(), `"api-token":"***"`) {
		t.Errorf("the configuration dump does not show the token as ***:\n%.500s", logs.String())
	}
}

type safeBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *safeBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *safeBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }
