package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/segmentio/kafka-go"
	"go.uber.org/zap/zaptest"

	"github.com/deskwire/newsroom/services/ingest/article"
	"github.com/deskwire/newsroom/services/pipeline/record"
)

// recorder is a Publisher that keeps what it was given; fail makes it
// refuse, as Kafka does when it is down.
type recorder struct {
	msgs []kafka.Message
	fail error
}

func (r *recorder) Write(ctx context.Context, msgs ...kafka.Message) error {
	if r.fail != nil {
		return r.fail
	}
	r.msgs = append(r.msgs, msgs...)
	return nil
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
