// Package api serves ingest's HTTP API: POST /v1/articles takes one JSON
// article or NDJSON and answers 202 only after Kafka acknowledged what it
// accepted; DELETE /v1/articles/{id} retracts an article.
package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"
	"go.uber.org/zap"

	"github.com/deskwire/newsroom/services/ingest/article"
	"github.com/deskwire/newsroom/services/pipeline/httpserver"
	"github.com/deskwire/newsroom/services/pipeline/logging"
	"github.com/deskwire/newsroom/services/pipeline/record"
)

// Publisher writes records to articles.raw and returns once Kafka
// acknowledged all of them.
type Publisher interface {
	Write(ctx context.Context, msgs ...kafka.Message) error
}

// Handler serves the article endpoints.
type Handler struct {
	P   Publisher
	Log *zap.Logger
	// MaxRequestBytes caps a request body (413 above it).
	MaxRequestBytes int64
	// ProduceTimeout bounds the wait for Kafka's acks; past it the answer
	// is 503 with Retry-After (default 8s, under the 10 s promise).
	ProduceTimeout time.Duration
	// Now returns the ingest time; time.Now when nil.
	Now func() time.Time
}

// Rejected describes an article that was not accepted.
type Rejected struct {
	Line  int    `json:"line,omitempty"`
	ID    string `json:"id,omitempty"`
	Error string `json:"error"`
}

// Response is the body of a POST answer.
type Response struct {
	Accepted []string   `json:"accepted"`
	Rejected []Rejected `json:"rejected,omitempty"`
	Error    string     `json:"error,omitempty"`
}

// Register mounts the routes on mux.
func (h *Handler) Register(handle func(pattern string, h http.Handler), wrap func(http.Handler) http.Handler) {
	handle("POST /v1/articles", wrap(http.HandlerFunc(h.post)))
	handle("DELETE /v1/articles/{id}", wrap(http.HandlerFunc(h.delete)))
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// produceTimeout is ProduceTimeout, 8s when unset.
func (h *Handler) produceTimeout() time.Duration {
	if h.ProduceTimeout > 0 {
		return h.ProduceTimeout
	}
	return 8 * time.Second
}

// traceID takes the trace id of a W3C traceparent header, or makes one.
func traceID(r *http.Request) string {
	if id, ok := record.ParseTraceparent(r.Header.Get("traceparent")); ok {
		return id
	}
	return record.NewTraceID()
}

func (h *Handler) post(w http.ResponseWriter, r *http.Request) {
	trace := traceID(r)
	w.Header().Set("traceparent", record.Traceparent(trace))
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.MaxRequestBytes))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			httpserver.Error(w, http.StatusRequestEntityTooLarge,
				fmt.Sprintf("request body exceeds %d bytes: split it into several requests", h.MaxRequestBytes))
			return
		}
		httpserver.Error(w, http.StatusBadRequest, "reading request body: "+err.Error())
		return
	}
	now := h.now()
	var msgs []kafka.Message
	resp := Response{Accepted: []string{}}
	add := func(line int, in article.Input, err error) {
		if err == nil {
			var m kafka.Message
			var id string
			if m, id, err = article.Record(in, now, trace); err == nil {
				msgs = append(msgs, m)
				resp.Accepted = append(resp.Accepted, id)
				return
			}
		}
		resp.Rejected = append(resp.Rejected, Rejected{Line: line, ID: in.ID, Error: err.Error()})
	}
	if isNinjs(r) {
		in, err := article.DecodeNinjs(body)
		add(0, in, err)
	} else if isSingleJSON(r, body) {
		in, err := article.Decode(body)
		add(0, in, err)
	} else {
		_ = article.ScanLines(bytes.NewReader(body), func(l article.Line) error {
			add(l.N, l.Input, l.Err)
			return nil
		})
	}
	if len(msgs) == 0 {
		resp.Error = "no valid article in the request"
		if len(resp.Rejected) == 0 {
			resp.Error = "empty request: send one JSON article or NDJSON, one article per line"
		}
		httpserver.WriteJSON(w, http.StatusBadRequest, resp)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), h.produceTimeout())
	defer cancel()
	if err := h.P.Write(ctx, msgs...); err != nil {
		h.Log.Error("publishing articles failed", zap.Int("articles", len(msgs)), zap.String("trace_id", trace), zap.Error(err))
		w.Header().Set("Retry-After", "5")
		httpserver.WriteJSON(w, http.StatusServiceUnavailable, Response{Accepted: []string{}, Rejected: resp.Rejected,
			Error: "Kafka did not acknowledge the articles in time; none of them was accepted: retry later"})
		return
	}
	for _, id := range resp.Accepted {
		h.Log.Info("article accepted", logging.Article(id, trace)...)
	}
	httpserver.WriteJSON(w, http.StatusAccepted, resp)
}

// isNinjs reports an IPTC ninjs item (Content-Type application/ninjs+json),
// which POST /v1/articles maps onto the article contract.
func isNinjs(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == article.NinjsContentType
}

// isSingleJSON tells one JSON article (possibly spread over lines) from
// NDJSON.
func isSingleJSON(r *http.Request, body []byte) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if strings.Contains(mt, "ndjson") || strings.Contains(mt, "jsonl") || strings.Contains(mt, "json-seq") {
		return false
	}
	return json.Valid(body)
}

func (h *Handler) delete(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if err := article.ValidateID(id); err != nil || id == "" {
		httpserver.Error(w, http.StatusBadRequest, "invalid article id: "+fmt.Sprint(err))
		return
	}
	trace := traceID(r)
	ctx, cancel := context.WithTimeout(r.Context(), h.produceTimeout())
	defer cancel()
	if err := h.P.Write(ctx, record.Tombstone(id, trace, h.now())); err != nil {
		h.Log.Error("publishing retraction failed", append(logging.Article(id, trace), zap.Error(err))...)
		w.Header().Set("Retry-After", "5")
		httpserver.Error(w, http.StatusServiceUnavailable, "Kafka did not acknowledge the retraction in time: retry later")
		return
	}
	h.Log.Info("article retracted", logging.Article(id, trace)...)
	httpserver.WriteJSON(w, http.StatusAccepted, map[string]string{"deleted": id, "trace_id": trace})
}
