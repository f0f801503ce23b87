package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/segmentio/kafka-go"
	"go.uber.org/zap/zaptest"

	"github.com/deskwire/newsroom/services/ingest/article"
	"github.com/deskwire/newsroom/services/pipeline/metrics"
	"github.com/deskwire/newsroom/services/pipeline/record"
	"github.com/deskwire/newsroom/services/pipeline/retry"
	"github.com/deskwire/newsroom/services/pipeline/stream"
)

// recorder is a Publisher that keeps what it was given; fail makes it
// refuse, as Kafka does when it is down.
type recorder struct {
	msgs   []kafka.Message
	fail   error
	refuse map[string]error
}

func (r *recorder) Write(ctx context.Context, msgs ...kafka.Message) error {
	if r.fail != nil {
		return r.fail
	}
	r.msgs = append(r.msgs, msgs...)
	return nil
}

// Publish refuses the records whose key is in refuse, as Kafka refuses a
// record too large for the topic, and keeps the others.
func (r *recorder) Publish(ctx context.Context, msgs ...kafka.Message) ([]error, error) {
	if r.fail != nil {
		return nil, r.fail
	}
	refused := make([]error, len(msgs))
	for i, m := range msgs {
		if err := r.refuse[string(m.Key)]; err != nil {
			refused[i] = err
			continue
		}
		r.msgs = append(r.msgs, m)
	}
	return refused, nil
}

func serve(t *testing.T, p Publisher, req *http.Request) (*httptest.ResponseRecorder, Response) {
	t.Helper()
	h := &Handler{P: p, Log: zaptest.NewLogger(t), MaxRequestBytes: 4096, ProduceTimeout: time.Second}
	mux := http.NewServeMux()
	h.Register(func(p string, h http.Handler) { mux.Handle(p, h) }, func(h http.Handler) http.Handler { return h })
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, req)
	var resp Response
	_ = json.Unmarshal(w.Body.Bytes(), &resp)
	return w, resp
}

func TestPost(t *testing.T) {
	for _, tc := range []struct {
		name        string
		ctype, body string
		wantCode    int
		accepted    []string
		rejectLines []int
	}{
		{"single JSON object over several lines", "application/json", "{\n \"id\": \"a1\",\n \"title\": \"T\"\n}", 202, []string{"a1"}, nil},
		{"NDJSON with a bad line", "application/x-ndjson", "{\"id\":\"a1\",\"title\":\"T\"}\n{oops\n{\"id\":\"a3\",\"body\":\"B\"}\n", 202, []string{"a1", "a3"}, []int{2}},
		{"NDJSON without content type", "", "{\"id\":\"a1\",\"title\":\"T\"}\n{\"id\":\"a2\",\"title\":\"U\"}\n", 202, []string{"a1", "a2"}, nil},
		{"nothing valid", "application/json", `{"id":"x"}`, 400, []string{}, []int{0}},
		{"bad date", "application/json", `{"title":"t","published_at":"yesterday"}`, 400, []string{}, []int{0}},
		{"IPTC ninjs item", "application/ninjs+json", `{"uri":"urn:newsml:wire.example:1","headline":"H","body_text":"B"}`, 202, []string{article.DeriveID("urn:newsml:wire.example:1", "", "", "")}, nil},
		{"too large", "application/json", `{"title":"` + strings.Repeat("x", 5000) + `"}`, 413, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			req := httptest.NewRequest("POST", "/v1/articles", strings.NewReader(tc.body))
			if tc.ctype != "" {
				req.Header.Set("Content-Type", tc.ctype)
			}
			w, resp := serve(t, rec, req)
			if w.Code != tc.wantCode {
				t.Fatalf("code = %d, want %d: %s", w.Code, tc.wantCode, w.Body)
			}
			if tc.wantCode == 413 {
				return
			}
			if diff := cmp.Diff(tc.accepted, resp.Accepted); diff != "" {
				t.Errorf("accepted (-want +got):\n%s", diff)
			}
			var lines []int
			for _, r := range resp.Rejected {
				lines = append(lines, r.Line)
				if r.Error == "" {
					t.Errorf("rejection without a reason: %+v", r)
				}
			}
			if diff := cmp.Diff(tc.rejectLines, lines); diff != "" {
				t.Errorf("rejected lines (-want +got):\n%s", diff)
			}
			if len(rec.msgs) != len(tc.accepted) {
				t.Errorf("published %d records for %d accepted articles", len(rec.msgs), len(tc.accepted))
			}
			for i, m := range rec.msgs {
				a, err := record.DecodeArticle(m)
				if err != nil || a.GetId() != tc.accepted[i] || a.GetRevision() == "" || a.GetIngestedAt() == nil {
					t.Errorf("record %d = %v, %v", i, a, err)
				}
			}
		})
	}
}

func TestPostWhenKafkaRefusesAnswers503(t *testing.T) {
	rec := &recorder{fail: errors.New("kafka down")}
	req := httptest.NewRequest("POST", "/v1/articles", strings.NewReader(`{"id":"a","title":"t"}`))
	w, resp := serve(t, rec, req)
	if w.Code != 503 || w.Header().Get("Retry-After") == "" || len(resp.Accepted) != 0 {
		t.Fatalf("code=%d retry-after=%q accepted=%v, want 503 with Retry-After and nothing accepted", w.Code, w.Header().Get("Retry-After"), resp.Accepted)
	}
}

func TestTraceparentIsKept(t *testing.T) {
	rec := &recorder{}
	req := httptest.NewRequest("POST", "/v1/articles", strings.NewReader(`{"id":"a","title":"t"}`))
	req.Header.Set("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
	serve(t, rec, req)
	if got := record.ReadMeta(rec.msgs[0]).TraceID; got != "4bf92f3577b34da6a3ce929d0e0e4736" {
		t.Fatalf("trace id = %q, want the one from traceparent", got)
	}
}

func TestDeleteWritesTombstone(t *testing.T) {
	rec := &recorder{}
	w, _ := serve(t, rec, httptest.NewRequest("DELETE", "/v1/articles/a1", nil))
	if w.Code != 202 || len(rec.msgs) != 1 || !record.IsTombstone(rec.msgs[0]) || string(rec.msgs[0].Key) != "a1" {
		t.Fatalf("code=%d msgs=%v, want one tombstone for a1", w.Code, rec.msgs)
	}
	if record.ReadMeta(rec.msgs[0]).DeletedAt.IsZero() {
		t.Error("tombstone has no deleted-at header")
	}
}

// TestContentTypes: JSON, NDJSON and no Content-Type are taken; anything
// else is 415 naming the accepted types.
func TestContentTypes(t *testing.T) {
	for _, tc := range []struct {
		ctype string
		want  int
	}{
		{"", 202},
		{"application/json", 202},
		{"application/json; charset=utf-8", 202},
		{"Application/JSON", 202},
		{"application/x-ndjson", 202},
		{"application/jsonl", 202},
		{"text/plain", 415},
		{"application/xml", 415},
		{"multipart/form-data; boundary=x", 415},
		{"application/x-www-form-urlencoded", 415},
		{"not a media type;;", 415},
	} {
		t.Run(tc.ctype, func(t *testing.T) {
			rec := &recorder{}
			req := httptest.NewRequest("POST", "/v1/articles", strings.NewReader(`{"id":"a1","title":"T"}`))
			if tc.ctype != "" {
				req.Header.Set("Content-Type", tc.ctype)
			}
			w, resp := serve(t, rec, req)
			if w.Code != tc.want {
				t.Fatalf("code = %d, want %d: %s", w.Code, tc.want, w.Body)
			}
			if tc.want != 415 {
				return
			}
			if strings.HasPrefix(tc.ctype, "application/x-www-form-urlencoded") && !strings.Contains(resp.Error, "curl -d") {
				t.Errorf("the answer to a form type does not explain curl -d: %s", resp.Error)
			}
			if len(rec.msgs) != 0 || !strings.Contains(resp.Error, "application/json or application/x-ndjson") ||
				w.Header().Get("Accept-Post") == "" {
				t.Errorf("415 answer: %s (Accept-Post %q), published %d", w.Body, w.Header().Get("Accept-Post"), len(rec.msgs))
			}
		})
	}
}

// TestPostRejections: oversized or altered input is rejected naming the
// field and line, the other lines are accepted; a record Kafka refuses for
// good is a rejection of that article, never a 503.
func TestPostRejections(t *testing.T) {
	big := strings.Repeat("x", article.MaxTitleBytes+1)
	type rej struct {
		Line int
		ID   string
		Has  string // part of the error
	}
	for _, tc := range []struct {
		name     string
		ctype    string
		body     string
		refuse   map[string]error
		wantCode int
		accepted []string
		rejected []rej
	}{
		{"single article with an oversized title", "application/json", `{"id":"a1","title":"` + big + `"}`, nil,
			413, []string{}, []rej{{0, "a1", "title: is 4097 bytes, the limit is 4096"}}},
		{"NDJSON with an oversized line", "application/x-ndjson",
			`{"id":"a1","title":"T"}` + "\n" + `{"id":"a2","title":"` + big + `"}` + "\n" + `{"id":"a3","body":"B"}` + "\n", nil,
			202, []string{"a1", "a3"}, []rej{{2, "a2", "title: is 4097 bytes"}}},
		{"NDJSON, every line oversized", "application/x-ndjson",
			`{"id":"a1","title":"` + big + `"}` + "\n" + `{"id":"a2","url":"https://e.com/` + strings.Repeat("u", article.MaxURLBytes) + `","title":"t"}`, nil,
			413, []string{}, []rej{{1, "a1", "title: is"}, {2, "a2", "url: is"}}},
		{"oversized and malformed", "application/x-ndjson", `{"id":"a1","title":"` + big + `"}` + "\n{oops\n", nil,
			400, []string{}, []rej{{1, "a1", "title: is"}, {2, "", "invalid JSON"}}},
		{"lone surrogate", "application/json", `{"id":"a1","title":"\ud800"}`, nil,
			400, []string{}, []rej{{0, "a1", `title: holds the lone surrogate escape \ud800`}}},
		{"NUL in a title", "application/json", `{"id":"a1","title":"a\u0000b"}`, nil,
			400, []string{}, []rej{{0, "a1", "title: holds the control character U+0000"}}},
		{"implausible date", "application/json", `{"id":"a1","title":"t","published_at":"9999-12-31"}`, nil,
			400, []string{}, []rej{{0, "a1", "published_at: 9999-12-31T00:00:00Z is outside the accepted window"}}},
		{"Kafka refuses one record as too large", "application/x-ndjson", "{\"id\":\"a1\",\"title\":\"T\"}\n{\"id\":\"a2\",\"title\":\"U\"}\n",
			map[string]error{"a2": fmt.Errorf("%w: broker said no", stream.ErrRecordTooLarge)},
			202, []string{"a1"}, []rej{{2, "a2", "record too large: broker said no"}}},
		{"Kafka refuses the only record", "application/json", `{"id":"a1","title":"T"}`,
			map[string]error{"a1": fmt.Errorf("%w: broker said no", stream.ErrRecordTooLarge)},
			413, []string{}, []rej{{0, "a1", "record too large"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{refuse: tc.refuse}
			m := metrics.New("test")
			h := &Handler{P: rec, Log: zaptest.NewLogger(t), MaxRequestBytes: 1 << 20, ProduceTimeout: time.Second, Metrics: m}
			mux := http.NewServeMux()
			h.Register(func(p string, h http.Handler) { mux.Handle(p, h) }, func(h http.Handler) http.Handler { return h })
			req := httptest.NewRequest("POST", "/v1/articles", strings.NewReader(tc.body))
			req.Header.Set("Content-Type", tc.ctype)
			w := httptest.NewRecorder()
			mux.ServeHTTP(w, req)
			var resp Response
			if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
				t.Fatalf("body is not JSON: %v: %s", err, w.Body)
			}
			if w.Code != tc.wantCode {
				t.Fatalf("code = %d, want %d: %s", w.Code, tc.wantCode, w.Body)
			}
			if diff := cmp.Diff(tc.accepted, resp.Accepted); diff != "" {
				t.Errorf("accepted (-want +got):\n%s", diff)
			}
			var got []rej
			for i, r := range resp.Rejected {
				g := rej{r.Line, r.ID, ""}
				if i < len(tc.rejected) && strings.Contains(r.Error, tc.rejected[i].Has) {
					g.Has = tc.rejected[i].Has
				} else {
					g.Has = r.Error
				}
				got = append(got, g)
			}
			if diff := cmp.Diff(tc.rejected, got); diff != "" {
				t.Errorf("rejected (-want +got):\n%s", diff)
			}
			if len(rec.msgs) != len(tc.accepted) {
				t.Errorf("published %d records for %d accepted", len(rec.msgs), len(tc.accepted))
			}
			n := 0
			for _, r := range article.Reasons {
				n += int(testutil.ToFloat64(m.Rejected.WithLabelValues(r)))
			}
			if n != len(tc.rejected) {
				t.Errorf("rejected counter = %d, want %d", n, len(tc.rejected))
			}
		})
	}
}

// TestPostWhenKafkaRefusesForGoodAnswers500: a permanent refusal that is
// not the records' (authorization, say) is a 500 without Retry-After.
func TestPostWhenKafkaRefusesForGoodAnswers500(t *testing.T) {
	rec := &recorder{fail: retry.Permanent(kafka.TopicAuthorizationFailed)}
	req := httptest.NewRequest("POST", "/v1/articles", strings.NewReader(`{"id":"a","title":"t"}`))
	w, resp := serve(t, rec, req)
	if w.Code != 500 || w.Header().Get("Retry-After") != "" || len(resp.Accepted) != 0 || resp.Error == "" {
		t.Fatalf("code=%d retry-after=%q body=%s, want 500 without Retry-After", w.Code, w.Header().Get("Retry-After"), w.Body)
	}
}
