package esindex

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/elastic/go-elasticsearch/v8"
	"github.com/elastic/go-elasticsearch/v8/esapi"
	"go.uber.org/zap"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
	"github.com/deskwire/newsroom/services/pipeline/metrics"
	"github.com/deskwire/newsroom/services/pipeline/retry"
)

// Op is one bulk action: index Doc (or Source's document) under ID, or
// delete ID.
type Op struct {
	ID      string
	Delete  bool
	Version int64
	// Doc is the JSON document (index only).
	Doc []byte
	// Source is the classified article to index when Doc is nil. Its
	// document is encoded straight into the request (AppendDocument), so a
	// batch never holds each document twice; an article that cannot be
	// encoded (a NaN coordinate) comes back as a Rejection with status 0.
	Source *newsroomv1.ClassifiedArticle
	// Tag is the caller's handle to the op (e.g. its record), returned with
	// rejections.
	Tag int
}

// StatusUnencodable is a Rejection's status for an op whose Source has no
// JSON document; Elasticsearch never saw it.
const StatusUnencodable = 0

// Document returns the op's JSON document: Doc, or Source encoded.
func (op Op) Document() ([]byte, error) {
	if op.Doc != nil || op.Source == nil {
		return op.Doc, nil
	}
	return AppendDocument(nil, op.Source)
}

// size is a generous estimate of the op's bytes in a request.
func (op Op) size() int {
	if op.Doc == nil && op.Source != nil {
		return documentSizeHint(op.Source) + actionBytes
	}
	return len(op.Doc) + actionBytes
}

// Rejection is an op that Elasticsearch refused for good.
type Rejection struct {
	Op     Op
	Status int
	Reason string
}

// Bulk writes ops with the _bulk API.
type Bulk struct {
	ES *elasticsearch.Client
	// Index is the target index or alias.
	Index string
	// MaxBytes splits requests larger than this (default 5 MiB).
	MaxBytes int
	// RequireAlias makes Elasticsearch refuse writes when Index is not an
	// alias, instead of creating a plain index with a dynamic mapping.
	RequireAlias bool
	Backoff      retry.Backoff
	Log          *zap.Logger
	Metrics      *metrics.Metrics
}

// Write applies ops. Temporary failures (unreachable cluster, 429, 5xx) are
// retried with capped backoff until they succeed or ctx ends — so a cluster
// that is down blocks the caller, which stops fetching. A stale version
// (409) or deleting a missing document (404) counts as done: the newer
// revision is already there. Other per-item errors are returned as
// rejections for the dead-letter topic.
func (b *Bulk) Write(ctx context.Context, ops []Op) ([]Rejection, error) {
	var rejected []Rejection
	max := b.MaxBytes
	if max <= 0 {
		max = 5 << 20
	}
	for start := 0; start < len(ops); {
		end := chunkEnd(ops, start, max)
		body, sent, bad := b.encode(ops[start:end])
		rejected = append(rejected, bad...)
		if len(sent) > 0 {
			r, err := b.writeIsolating(ctx, sent, body)
			if err != nil {
				return rejected, err
			}
			rejected = append(rejected, r...)
		}
		start = end
	}
	return rejected, nil
}

// chunkEnd returns where the request that starts at ops[start] ends: as
// many ops as fit in max bytes by their size estimates, and at least one.
func chunkEnd(ops []Op, start, max int) int {
	end, size := start, 0
	for end < len(ops) {
		n := ops[end].size()
		if end > start && size+n > max {
			break
		}
		size += n
		end++
	}
	return end
}

// writeIsolating writes a chunk; when Elasticsearch refuses the request as
// a whole (a malformed action), it halves the chunk until the culprit is
// alone and rejects only that op, so one bad record never blocks a stage.
func (b *Bulk) writeIsolating(ctx context.Context, ops []Op, body []byte) ([]Rejection, error) {
	r, err := b.writeChunk(ctx, ops, body)
	var refused *requestRefused
	if !errors.As(err, &refused) {
		return r, err
	}
	if len(ops) == 1 {
		return []Rejection{{Op: ops[0], Status: refused.status, Reason: refused.reason}}, nil
	}
	mid := len(ops) / 2
	left, err := b.writeIsolating(ctx, ops[:mid], nil)
	if err != nil {
		return left, err
	}
	right, err := b.writeIsolating(ctx, ops[mid:], nil)
	return append(left, right...), err
}

// requestRefused is a 4xx answer to a whole bulk request.
type requestRefused struct {
	status int
	reason string
}

func (e *requestRefused) Error() string {
	return fmt.Sprintf("bulk request refused: %d: %s", e.status, e.reason)
}

// actionBytes is a generous size of one action line with its newlines.
const actionBytes = 200

// encode renders ops as a _bulk body, in one allocation when the size
// estimates hold. It returns the ops the body holds, in order, and those
// whose Source cannot be encoded.
func (b *Bulk) encode(ops []Op) (body []byte, sent []Op, bad []Rejection) {
	size := 0
	for _, op := range ops {
		size += op.size()
	}
	body = make([]byte, 0, size)
	sent = ops
	for i, op := range ops {
		n := len(body)
		var err error
		body, err = appendAction(body, b.Index, b.RequireAlias, op)
		if err == nil {
			if bad != nil {
				sent = append(sent, op)
			}
			continue
		}
		body = body[:n]
		if bad == nil {
			sent = append([]Op(nil), ops[:i]...)
		}
		bad = append(bad, Rejection{Op: op, Status: StatusUnencodable, Reason: err.Error()})
	}
	return body, sent, bad
}

// appendAction appends op's action line, and its document unless it is a
// delete, to body. It fails only when op's Source cannot be encoded.
func appendAction(body []byte, index string, requireAlias bool, op Op) ([]byte, error) {
	action := "index"
	if op.Delete {
		action = "delete"
	}
	body = append(body, `{"`...)
	body = append(body, action...)
	body = append(body, `":{"_index":`...)
	body = appendString(body, index)
	body = append(body, `,"_id":`...)
	body = appendString(body, op.ID)
	body = append(body, `,"version":`...)
	body = strconv.AppendInt(body, op.Version, 10)
	body = append(body, `,"version_type":"external_gte"`...)
	if requireAlias {
		body = append(body, `,"require_alias":true`...)
	}
	body = append(body, "}}\n"...)
	if op.Delete {
		return body, nil
	}
	if op.Doc == nil && op.Source != nil {
		// encode sized body from the same hints: no second Grow.
		var err error
		if body, err = appendDocument(body, op.Source); err != nil {
			return body, err
		}
	} else {
		body = append(body, op.Doc...)
	}
	return append(body, '\n'), nil
}

type bulkResponse struct {
	Errors bool `json:"errors"`
	Items  []map[string]struct {
		ID     string `json:"_id"`
		Status int    `json:"status"`
		Error  *struct {
			Type   string `json:"type"`
			Reason string `json:"reason"`
		} `json:"error"`
	} `json:"items"`
}

// errTemporary marks a failure worth retrying.
var errTemporary = errors.New("temporary")

func (b *Bulk) writeChunk(ctx context.Context, ops []Op, body []byte) ([]Rejection, error) {
	var rejected []Rejection
	pending := ops
	bo := b.Backoff
	if bo.Max == 0 {
		bo = retry.Backoff{Min: 250 * time.Millisecond, Max: 10 * time.Second}
	}
	err := retry.Do(ctx, bo, func(ctx context.Context) error {
		if body == nil {
			// Encoding is deterministic: ops encoded once encode again, but
			// a rejection here would still be reported, not lost.
			var bad []Rejection
			body, pending, bad = b.encode(pending)
			rejected = append(rejected, bad...)
			if len(pending) == 0 {
				return nil
			}
		}
		start := time.Now()
		// Only what the loop below reads: a smaller answer for
		// Elasticsearch to render and for us to decode.
		res, err := esapi.BulkRequest{Body: bytes.NewReader(body),
			FilterPath: []string{"errors", "items.*.status", "items.*.error.type", "items.*.error.reason"}}.Do(ctx, b.ES)
		if b.Metrics != nil {
			b.Metrics.Bulk.Observe(time.Since(start).Seconds())
		}
		if err != nil {
			return fmt.Errorf("bulk request: %w", err)
		}
		raw, rerr := io.ReadAll(res.Body)
		res.Body.Close()
		if rerr != nil {
			return fmt.Errorf("reading bulk response: %w", rerr)
		}
		if res.StatusCode == 429 || res.StatusCode >= 500 {
			return fmt.Errorf("bulk request: %s: %w", res.Status(), errTemporary)
		}
		if res.StatusCode == 400 || res.StatusCode == 413 {
			// A malformed action or a request too large: retrying the
			// same request cannot help; the caller isolates the culprit.
			return retry.Permanent(&requestRefused{status: res.StatusCode, reason: truncate(raw, 300)})
		}
		if res.IsError() {
			// Other refusals (e.g. the alias is missing while setup runs):
			// nothing is lost by retrying.
			return fmt.Errorf("bulk request: %s: %s", res.Status(), truncate(raw, 300))
		}
		var br bulkResponse
		if err := json.Unmarshal(raw, &br); err != nil {
			return fmt.Errorf("decoding bulk response: %w", err)
		}
		if len(br.Items) != len(pending) {
			return fmt.Errorf("bulk response has %d items for %d actions", len(br.Items), len(pending))
		}
		var again []Op
		for i, item := range br.Items {
			for action, r := range item {
				op := pending[i]
				switch {
				case r.Status < 300, r.Status == 409, action == "delete" && r.Status == 404:
				case r.Status == 429 || r.Status >= 500,
					r.Status == 404 && r.Error != nil && r.Error.Type == "index_not_found_exception":
					// Overloaded, failing, or the alias is missing (an
					// operator's mistake, or setup still running): retry
					// rather than dead-letter the whole stream.
					again = append(again, op)
					b.countFailure(r.Status)
				default:
					reason := strconv.Itoa(r.Status)
					if r.Error != nil {
						reason = r.Error.Type + ": " + r.Error.Reason
					}
					rejected = append(rejected, Rejection{Op: op, Status: r.Status, Reason: reason})
					b.countFailure(r.Status)
				}
			}
		}
		if len(again) > 0 {
			pending, body = again, nil
			return fmt.Errorf("%d bulk items failed temporarily: %w", len(again), errTemporary)
		}
		return nil
	}, func(err error, attempt int, d time.Duration) {
		b.Log.Warn("bulk write failed, retrying", zap.String("index", b.Index), zap.Int("actions", len(pending)),
			zap.Int("attempt", attempt), zap.Duration("backoff", d), zap.Error(err))
	})
	if err != nil {
		return rejected, fmt.Errorf("bulk writing %d actions to %s: %w", len(ops), b.Index, err)
	}
	return rejected, nil
}

func (b *Bulk) countFailure(status int) {
	if b.Metrics != nil {
		b.Metrics.BulkFailures.WithLabelValues(strconv.Itoa(status)).Inc()
	}
}
