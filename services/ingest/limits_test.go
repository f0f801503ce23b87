package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/segmentio/kafka-go"

	"github.com/deskwire/newsroom/services/ingest/article"
	"github.com/deskwire/newsroom/services/ingest/internal/api"
	"github.com/deskwire/newsroom/services/pipeline/kafkatest"
	"github.com/deskwire/newsroom/services/pipeline/record"
	"github.com/deskwire/newsroom/services/pipeline/stream"
)

// line encodes one article as an NDJSON line.
func line(t *testing.T, in article.Input) string {
	t.Helper()
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + "\n"
}

// atEveryLimit is an article whose every field is at its documented limit.
func atEveryLimit(id string) article.Input {
	url := "https://example.com/"
	return article.Input{
		ID: id + strings.Repeat("i", article.MaxIDLen-len(id)), URL: url + strings.Repeat("u", article.MaxURLBytes-len(url)),
		Title: strings.Repeat("t", article.MaxTitleBytes), Source: strings.Repeat("s", article.MaxSourceBytes),
		Language: strings.Repeat("l", article.MaxLanguageBytes), Body: strings.Repeat("b", article.MaxBodyBytes),
		PublishedAt: time.Now().UTC().Format(time.RFC3339),
	}
}

// startServe runs `ingest serve` on cfg's topics until the test ends and
// returns its base URL once it answers. Warnings and errors are logged to
// logs (stderr when nil).
func startServe(t *testing.T, cfg *stream.Config, logs io.Writer) string {
	t.Helper()
	if logs == nil {
		logs = os.Stderr
	}
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	args := []string{"serve", "--kafka-brokers", cfg.Brokers, "--topic-raw", cfg.TopicRaw, "--topic-dlq", cfg.TopicDLQ,
		"--kafka-partitions", "3", "--http-addr", addr, "--log-level", "warn"}
	go func() { done <- run(ctx, args, nil, logs) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	base := "http://" + addr
	for i := 0; i < 150; i++ {
		if res, err := http.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			return base
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("ingest did not start")
	return ""
}

// post sends body and decodes the JSON answer.
func post(t *testing.T, url, ctype, body string) (int, api.Response) {
	t.Helper()
	res, err := http.Post(url, ctype, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var resp api.Response
	if err := json.Unmarshal(raw, &resp); err != nil {
		t.Fatalf("answer %d is not JSON: %v: %.300s", res.StatusCode, err, raw)
	}
	return res.StatusCode, resp
}

// rejections summarizes rejections as "line id: error", the error cut to
// the start want gives at the same place (all of it when want has none).
func rejections(rs []api.Rejected, want []string) []string {
	var out []string
	for i, r := range rs {
		s := fmt.Sprintf("%d %s: %s", r.Line, r.ID, r.Error)
		if i < len(want) && strings.HasPrefix(s, want[i]) {
			s = want[i]
		}
		out = append(out, s)
	}
	return out
}

// letters returns n random letters: text that compression cannot shrink
// much, so that the broker sees about n bytes.
func letters(n int) string {
	r := rand.New(rand.NewPCG(5, 6))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('a' + r.IntN(26))
	}
	return string(b)
}

// TestServeLimitsAgainstKafka: an NDJSON request with one oversized line
// is accepted but for that line, which is named; an article with every
// field at its limit is accepted and produced to Kafka intact.
func TestServeLimitsAgainstKafka(t *testing.T) {
	cfg := kafkatest.Config(t)
	base := startServe(t, cfg, nil)

	full := atEveryLimit("full-")
	body := line(t, article.Input{ID: "ok-1", Title: "first"}) +
		line(t, article.Input{ID: "too-big", Body: strings.Repeat("b", article.MaxBodyBytes+1)}) +
		line(t, article.Input{ID: "at-limit", Body: strings.Repeat("b", article.MaxBodyBytes)}) +
		line(t, article.Input{ID: "far-future", Title: "t", PublishedAt: "9999-12-31"}) +
		line(t, article.Input{ID: "ok-2", Title: "second"})
	code, resp := post(t, base+"/v1/articles", "application/x-ndjson", body)
	if code != 202 {
		t.Fatalf("NDJSON answer %d, want 202: %+v", code, resp.Error)
	}
	if diff := cmp.Diff([]string{"ok-1", "at-limit", "ok-2"}, resp.Accepted); diff != "" {
		t.Errorf("accepted (-want +got):\n%s", diff)
	}
	want := []string{"2 too-big: body: is 1048577 bytes, the limit is 1048576", "4 far-future: published_at: 9999-12-31T00:00:00Z is outside"}
	if diff := cmp.Diff(want, rejections(resp.Rejected, want)); diff != "" {
		t.Errorf("rejected (-want +got):\n%s", diff)
	}

	code, resp = post(t, base+"/v1/articles", "application/json", line(t, full))
	if code != 202 || len(resp.Accepted) != 1 {
		t.Fatalf("article at every limit: answer %d %+v, want 202", code, resp)
	}
	code, resp = post(t, base+"/v1/articles", "application/json", line(t, article.Input{ID: "x", Title: strings.Repeat("t", 2<<20)}))
	if code != 413 || len(resp.Rejected) != 1 || !strings.HasPrefix(resp.Rejected[0].Error, "title: is 2097152 bytes") {
		t.Errorf("2 MB title: answer %d %+v, want 413 naming title", code, resp.Rejected)
	}
	if code, resp = post(t, base+"/v1/articles", "text/plain", line(t, full)); code != 415 || resp.Error == "" {
		t.Errorf("text/plain: answer %d %+v, want 415 with a message", code, resp)
	}

	msgs := readAll(t, cfg.Brokers, cfg.TopicRaw, 4)
	got := map[string]int{}
	for _, m := range msgs {
		a, err := record.DecodeArticle(m)
		if err != nil {
			t.Fatalf("record %s: %v", record.Position(m), err)
		}
		got[a.GetId()] = len(a.GetBody())
		if a.GetId() == full.ID && (a.GetUrl() != full.URL || a.GetTitle() != full.Title || a.GetSource() != full.Source ||
			a.GetLanguage() != full.Language || a.GetBody() != full.Body) {
			t.Errorf("the article at every limit was not kept intact")
		}
	}
	if diff := cmp.Diff(map[string]int{"ok-1": 0, "at-limit": article.MaxBodyBytes, "ok-2": 0, full.ID: article.MaxBodyBytes}, got); diff != "" {
		t.Errorf("records in Kafka, id → body length (-want +got):\n%s", diff)
	}
}

// TestServeOnTopicWithLowerLimit: on a topic made before the limits (the
// broker's max.message.bytes lower than the pipeline's), Kafka's refusal
// is a rejection of that article, never a 503, and the others are accepted.
func TestServeOnTopicWithLowerLimit(t *testing.T) {
	cfg := kafkatest.Config(t)
	c := &kafka.Client{Addr: kafka.TCP(cfg.Brokers), Timeout: 20 * time.Second}
	res, err := c.CreateTopics(context.Background(), &kafka.CreateTopicsRequest{Topics: []kafka.TopicConfig{{Topic: cfg.TopicRaw,
		NumPartitions: 3, ReplicationFactor: 1, ConfigEntries: []kafka.ConfigEntry{{ConfigName: "max.message.bytes", ConfigValue: "100000"}}}}})
	if err == nil {
		err = res.Errors[cfg.TopicRaw]
	}
	if err != nil {
		t.Fatal(err)
	}
	var logs safeBuffer
	base := startServe(t, cfg, &logs)
	big := letters(300_000)
	body := line(t, article.Input{ID: "small-1", Title: "t"}) + line(t, article.Input{ID: "big", Body: big}) +
		line(t, article.Input{ID: "small-2", Title: "t"})
	code, resp := post(t, base+"/v1/articles", "application/x-ndjson", body)
	if code != 202 || !cmp.Equal(resp.Accepted, []string{"small-1", "small-2"}) {
		t.Fatalf("answer %d %+v, want 202 with small-1 and small-2", code, resp)
	}
	if r := rejections(resp.Rejected, nil); len(r) != 1 || !strings.HasPrefix(r[0], "2 big: record too large") || !strings.Contains(r[0], "max.message.bytes") {
		t.Errorf("rejected %v, want line 2 refused as too large for the topic", r)
	}
	if code, resp = post(t, base+"/v1/articles", "application/json", line(t, article.Input{ID: "big", Body: big})); code != 413 {
		t.Errorf("single oversized article: answer %d %+v, want 413", code, resp)
	}

	// ingest load on the same topic: the refused line is reported, the rest loaded.
	f := filepath.Join(t.TempDir(), "y.ndjson")
	if err := os.WriteFile(f, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	var progress bytes.Buffer
	err = run(context.Background(), []string{"load", "--kafka-brokers", cfg.Brokers, "--topic-raw", cfg.TopicRaw, "--topic-dlq", cfg.TopicDLQ,
		"--kafka-partitions", "3", "--log-level", "error", f}, nil, &progress)
	if err == nil || err.Error() != "2 articles loaded, 1 rejected (see the lines above)" {
		t.Fatalf("load err = %v, want 2 loaded and 1 rejected", err)
	}
	if want := f + ":2: rejected: record too large"; !strings.Contains(progress.String(), want) {
		t.Errorf("output lacks %q:\n%s", want, progress.String())
	}
	if !strings.Contains(logs.String(), "topic takes smaller records than ingest accepts") {
		t.Errorf("serve did not warn of the topic's low max.message.bytes:\n%.2000s", logs.String())
	}
}

// TestServeErrorsAndBaseline: unknown routes answer JSON; the error
// counters are exported at zero from the start.
func TestServeErrorsAndBaseline(t *testing.T) {
	cfg := kafkatest.Config(t)
	base := startServe(t, cfg, nil)
	for _, tc := range []struct {
		method, path string
		want         int
	}{{"GET", "/nope", 404}, {"GET", "/v1/articles", 405}, {"PUT", "/v1/articles/x", 405}} {
		req, _ := http.NewRequest(tc.method, base+tc.path, nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var body struct{ Error string }
		err = json.NewDecoder(res.Body).Decode(&body)
		res.Body.Close()
		if res.StatusCode != tc.want || err != nil || body.Error == "" {
			t.Errorf("%s %s: %d %+v (%v), want %d with a JSON error", tc.method, tc.path, res.StatusCode, body, err, tc.want)
		}
	}
	res, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	text, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, series := range []string{
		`newsroom_articles_rejected_total{reason="invalid",service="ingest"} 0`,
		`newsroom_articles_rejected_total{reason="too_large",service="ingest"} 0`,
		`newsroom_articles_rejected_total{reason="kafka_refused",service="ingest"} 0`,
		fmt.Sprintf(`newsroom_messages_failed_total{service="ingest",topic=%q} 0`, cfg.TopicRaw),
		`newsroom_http_requests_total{code="503",route="POST /v1/articles",service="ingest"} 0`,
	} {
		if !bytes.Contains(text, []byte(series)) {
			t.Errorf("/metrics lacks %s", series)
		}
	}
}

// TestLoadLimitsAgainstKafka: `ingest load` reports oversized and invalid
// lines as file:line: reason and loads the rest, an article at every limit
// included.
func TestLoadLimitsAgainstKafka(t *testing.T) {
	cfg := kafkatest.Config(t)
	dir := t.TempDir()
	full := atEveryLimit("full-")
	text := line(t, article.Input{ID: "l-1", Title: "t"}) +
		line(t, article.Input{ID: "too-big", Body: strings.Repeat("b", article.MaxBodyBytes+1)}) +
		line(t, full) +
		`{"id":"surrogate","title":"\ud800"}` + "\n" +
		line(t, article.Input{ID: "l-2", Title: "t"})
	f := filepath.Join(dir, "x.ndjson")
	if err := os.WriteFile(f, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	var progress bytes.Buffer
	err := run(context.Background(), []string{"load", "--kafka-brokers", cfg.Brokers, "--topic-raw", cfg.TopicRaw, "--topic-dlq", cfg.TopicDLQ,
		"--kafka-partitions", "3", "--log-level", "error", f}, nil, &progress)
	if err == nil || err.Error() != "3 articles loaded, 2 rejected (see the lines above)" {
		t.Fatalf("load err = %v, want 3 loaded and 2 rejected", err)
	}
	for _, want := range []string{
		f + ":2: rejected: body: is 1048577 bytes, the limit is 1048576",
		f + `:4: rejected: title: holds the lone surrogate escape \ud800`,
	} {
		if !strings.Contains(progress.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, progress.String())
		}
	}
	ids := map[string]bool{}
	for _, m := range readAll(t, cfg.Brokers, cfg.TopicRaw, 3) {
		a, err := record.DecodeArticle(m)
		if err != nil {
			t.Fatal(err)
		}
		ids[a.GetId()] = a.GetBody() == full.Body || a.GetId() != full.ID
	}
	if diff := cmp.Diff(map[string]bool{"l-1": true, full.ID: true, "l-2": true}, ids); diff != "" {
		t.Errorf("records in Kafka (-want +got):\n%s", diff)
	}
}
