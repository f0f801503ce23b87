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
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"
	"go.uber.org/zap"

	"github.com/deskwire/newsroom/services/ingest/article"
	"github.com/deskwire/newsroom/services/pipeline/httpserver"
	"github.com/deskwire/newsroom/services/pipeline/logging"
	"github.com/deskwire/newsroom/services/pipeline/metrics"
	"github.com/deskwire/newsroom/services/pipeline/record"
	"github.com/deskwire/newsroom/services/pipeline/retry"
)

// Publisher writes records to articles.raw and returns once Kafka
// acknowledged every one it takes; refused holds, per record, why Kafka
// refused it for good (nil when acknowledged). err means the rest was not
// acknowledged in time, or refused for a reason that is not theirs.
type Publisher interface {
	Publish(ctx context.Context, msgs ...kafka.Message) (refused []error, err error)
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
	// Metrics counts rejected articles by reason; nil counts nothing.
	Metrics *metrics.Metrics
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

// ContentTypes are the media types POST /v1/articles accepts; a request
// without Content-Type is taken as JSON or NDJSON by its content.
var ContentTypes = []string{"application/json", "application/x-ndjson", article.NinjsContentType}

// ndjsonTypes are other names of NDJSON that clients send.
var ndjsonTypes = []string{"application/jsonl", "application/json-seq", "application/x-jsonlines", "application/jsonlines"}

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
	ndjson, ok := contentType(r.Header.Get("Content-Type"))
	if !ok {
		msg := fmt.Sprintf("Content-Type %s is not supported: send %s (or no Content-Type)",
			quoteType(r.Header.Get("Content-Type")), strings.Join(ContentTypes, " or "))
		if strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
			msg += "; curl -d sends a form type: add -H 'Content-Type: application/x-ndjson'"
		}
		w.Header().Set("Accept-Post", strings.Join(ContentTypes, ", "))
		httpserver.WriteJSON(w, http.StatusUnsupportedMediaType, Response{Accepted: []string{}, Error: msg})
		return
	}
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
	var (
		msgs     []kafka.Message
		pending  []Rejected // the articles in msgs, until Kafka answers
		rejected []Rejected
		tooLarge = true // every rejection is about size
	)
	add := func(line int, in article.Input, err error) {
		if err == nil {
			var m kafka.Message
			var id string
			if m, id, err = article.Record(in, now, trace); err == nil {
				msgs = append(msgs, m)
				pending = append(pending, Rejected{Line: line, ID: id})
				return
			}
		}
		reason := article.RejectReason(err)
		tooLarge = tooLarge && reason == article.ReasonTooLarge
		h.countRejected(reason)
		rejected = append(rejected, Rejected{Line: line, ID: article.ShownID(in.ID), Error: err.Error()})
	}
	if isNinjs(r) {
		in, err := article.DecodeNinjs(body)
		add(0, in, err)
	} else if !ndjson && json.Valid(body) {
		in, err := article.Decode(body)
		add(0, in, err)
	} else {
		_ = article.ScanLines(bytes.NewReader(body), func(l article.Line) error {
			add(l.N, l.Input, l.Err)
			return nil
		})
	}
	resp := Response{Accepted: []string{}}
	if len(msgs) > 0 {
		ctx, cancel := context.WithTimeout(r.Context(), h.produceTimeout())
		refused, err := h.P.Publish(ctx, msgs...)
		cancel()
		if err != nil {
			h.fail(w, trace, len(msgs), rejected, err)
			return
		}
		for i, a := range pending {
			if refused[i] != nil {
				reason := article.RejectReason(refused[i])
				tooLarge = tooLarge && reason == article.ReasonTooLarge
				h.countRejected(reason)
				a.Error = refused[i].Error()
				rejected = append(rejected, a)
				continue
			}
			resp.Accepted = append(resp.Accepted, a.ID)
			h.Log.Info("article accepted", logging.Article(a.ID, trace)...)
		}
		slices.SortStableFunc(rejected, func(a, b Rejected) int { return a.Line - b.Line })
	}
	resp.Rejected = rejected
	if len(resp.Accepted) > 0 {
		httpserver.WriteJSON(w, http.StatusAccepted, resp)
		return
	}
	code := http.StatusBadRequest
	resp.Error = "no valid article in the request"
	switch {
	case len(rejected) == 0:
		resp.Error = "empty request: send one JSON article or NDJSON, one article per line"
	case tooLarge:
		code = http.StatusRequestEntityTooLarge
		resp.Error = "no article accepted: over a size limit (see the README's field limits)"
	}
	httpserver.WriteJSON(w, code, resp)
}

func (h *Handler) countRejected(reason string) {
	if h.Metrics != nil {
		h.Metrics.Rejected.WithLabelValues(reason).Inc()
	}
}

// isNinjs reports an IPTC ninjs item (Content-Type application/ninjs+json),
// which POST /v1/articles maps onto the article contract.
func isNinjs(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return mt == article.NinjsContentType
}

// fail answers a request whose articles Kafka did not take: 503 with
// Retry-After when it did not answer in time, 500 when it refused them for
// a reason that is not theirs (retrying cannot help until an operator acts).
func (h *Handler) fail(w http.ResponseWriter, trace string, n int, rejected []Rejected, err error) {
	h.Log.Error("publishing articles failed", zap.Int("articles", n), zap.String("trace_id", trace), zap.Error(err))
	resp := Response{Accepted: []string{}, Rejected: rejected}
	if retry.IsPermanent(err) {
		resp.Error = "Kafka refused the articles (see the ingest log); none of them was accepted: report it to the operators"
		httpserver.WriteJSON(w, http.StatusInternalServerError, resp)
		return
	}
	w.Header().Set("Retry-After", "5")
	resp.Error = "Kafka did not acknowledge the articles in time; none of them was accepted: retry later"
	httpserver.WriteJSON(w, http.StatusServiceUnavailable, resp)
}

// contentType tells NDJSON from JSON by the Content-Type header; ok is
// false for a type POST /v1/articles does not take. An empty header is
// accepted: the body decides.
func contentType(header string) (ndjson, ok bool) {
	if strings.TrimSpace(header) == "" {
		return false, true
	}
	mt, _, err := mime.ParseMediaType(header)
	if err != nil {
		return false, false
	}
	switch {
	case mt == "application/json" || mt == article.NinjsContentType:
		return false, true
	case mt == "application/x-ndjson" || slices.Contains(ndjsonTypes, mt):
		return true, true
	}
	return false, false
}

// quoteType quotes a Content-Type for a message, cut short.
func quoteType(s string) string {
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return strconv.Quote(s)
}

func (h *Handler) delete(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if id == "" {
		httpserver.Error(w, http.StatusBadRequest, "the article id is empty: DELETE /v1/articles/{id}")
		return
	}
	if err := article.ValidateID(id); err != nil {
		httpserver.Error(w, http.StatusBadRequest, "invalid article id: "+err.Error())
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
