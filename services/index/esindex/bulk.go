package esindex

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
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

// Rejection is an op that Elasticsearch refused for good. Op is the op as
// it was sent: an index op's Doc is its document in the batch's memory
// (valid until the batch is released).
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
	// Buffers lends the memory of the bodies that retries encode, and that
	// of the callers' batches (NewBatch), and takes it back once no request
	// can read it any more (nil: new memory each time).
	Buffers *Buffers
	Log     *zap.Logger
	Metrics *metrics.Metrics
}

// Write applies ops. Temporary failures (unreachable cluster, 429, 5xx) are
// retried with capped backoff until they succeed or ctx ends — so a cluster
// that is down blocks the caller, which stops fetching. A stale version
// (409) or deleting a missing document (404) counts as done: the newer
// revision is already there. Other per-item errors are returned as
// rejections for the dead-letter topic.
func (b *Bulk) Write(ctx context.Context, ops []Op) ([]Rejection, error) {
	var rejected []Rejection
	max := b.maxBytes()
	for start := 0; start < len(ops); {
		end := chunkEnd(ops, start, max)
		// Memory of its own, not lent: the rejections' documents lie in it.
		bt, bad := b.batch(nil, ops[start:end])
		rejected = append(rejected, bad...)
		r, err := b.WriteBatch(ctx, bt)
		if err != nil {
			return rejected, err
		}
		rejected = append(rejected, r...)
		start = end
	}
	return rejected, nil
}

// maxBytes is MaxBytes, or its default of 5 MiB.
func (b *Bulk) maxBytes() int {
	if b.MaxBytes > 0 {
		return b.MaxBytes
	}
	return 5 << 20
}

// WriteBatch writes bt's ops as Write writes ops, each request straight
// from bt's memory, split where one would exceed MaxBytes.
func (b *Bulk) WriteBatch(ctx context.Context, bt *Batch) ([]Rejection, error) {
	var rejected []Rejection
	max := b.maxBytes()
	ops := bt.Ops()
	for start := 0; start < len(ops); {
		end := bt.chunkEnd(start, max)
		r, err := b.writeIsolating(ctx, bt, ops[start:end], bt.body[bt.spans[start].start:bt.spans[end-1].end])
		if err != nil {
			return rejected, err
		}
		rejected = append(rejected, r...)
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

// writeIsolating writes a chunk of bt, whose body lies in bt's memory (nil:
// encode it); when Elasticsearch refuses the request as a whole (a
// malformed action), it halves the chunk until the culprit is alone and
// rejects only that op, so one bad record never blocks a stage.
func (b *Bulk) writeIsolating(ctx context.Context, bt *Batch, ops []Op, body []byte) ([]Rejection, error) {
	r, err := b.writeChunk(ctx, bt, ops, body)
	var refused *requestRefused
	if !errors.As(err, &refused) {
		return r, err
	}
	if len(ops) == 1 {
		return []Rejection{{Op: ops[0], Status: refused.status, Reason: refused.reason}}, nil
	}
	mid := len(ops) / 2
	left, err := b.writeIsolating(ctx, bt, ops[:mid], nil)
	if err != nil {
		return left, err
	}
	right, err := b.writeIsolating(ctx, bt, ops[mid:], nil)
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

// batch encodes ops into a batch in dst's memory, or in one new allocation
// when dst is too small, and no other when the size estimates hold. It
// returns the ops whose Source cannot be encoded apart.
func (b *Bulk) batch(dst []byte, ops []Op) (*Batch, []Rejection) {
	size := 0
	for _, op := range ops {
		size += op.size()
	}
	if cap(dst) < size {
		dst = make([]byte, 0, size)
	}
	bt := NewBatch(dst, len(ops))
	var bad []Rejection
	for _, op := range ops {
		if err := b.Add(bt, op, nil); err != nil {
			bad = append(bad, Rejection{Op: op, Status: StatusUnencodable, Reason: err.Error()})
		}
	}
	return bt, bad
}

// encode renders the _bulk body of ops, which come from a Batch (an index
// op has its Doc), in dst's memory when it is large enough.
func (b *Bulk) encode(dst []byte, ops []Op) []byte {
	size := 0
	for _, op := range ops {
		size += op.size()
	}
	body := slices.Grow(dst[:0], size)
	for _, op := range ops {
		body, _, _ = appendAction(body, b.Index, b.RequireAlias, op) // no Source: no error
	}
	return body
}

// appendAction appends op's action line, and its document unless it is a
// delete, to body, and returns where the document starts. It fails only
// when op's Source cannot be encoded.
func appendAction(body []byte, index string, requireAlias bool, op Op) ([]byte, int, error) {
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
	doc := len(body)
	if op.Delete {
		return body, doc, nil
	}
	if op.Doc == nil && op.Source != nil {
		// AppendDocument's growth: the batch's estimate may not cover
		// a document added to it.
		var err error
		if body, err = AppendDocument(body, op.Source); err != nil {
			return body, doc, err
		}
	} else {
		body = append(body, op.Doc...)
	}
	return append(body, '\n'), doc, nil
}

// bulkResponse is the filtered answer to a _bulk request. Each item holds
// the result under its action's name: only index and delete are sent.
type bulkResponse struct {
	Errors bool `json:"errors"`
	Items  []struct {
		Index  bulkResult `json:"index"`
		Delete bulkResult `json:"delete"`
	} `json:"items"`
}

// bulkResult is one action's result; a zero Status is an absent one.
type bulkResult struct {
	Status int `json:"status"`
	Error  *struct {
		Type   string `json:"type"`
		Reason string `json:"reason"`
	} `json:"error"`
}

// errTemporary marks a failure worth retrying.
var errTemporary = errors.New("temporary")

// writeChunk writes ops, encoded in body (nil: encode them here), retrying
// what failed temporarily. It takes body over and hands it back to
// b.Buffers at the end unless a request may still be reading it.
func (b *Bulk) writeChunk(ctx context.Context, bt *Batch, ops []Op, body []byte) ([]Rejection, error) {
	var rejected []Rejection
	pending := ops
	encoded := body != nil
	// body lies in bt's memory, or in memory of writeChunk's own (owned),
	// taken from b.Buffers to encode what is left to retry; ops and their
	// documents stay in bt's. A request may still be reading body's memory
	// when it ended without a 2xx answer (a 2xx answer comes after
	// Elasticsearch read the whole request), whatever later requests do:
	// such memory is marked shared, for the garbage collector, and what is
	// encoded again goes to other memory.
	owned, shared := false, false
	defer func() {
		if owned && !shared {
			b.Buffers.Put(body)
		}
	}()
	bo := b.Backoff
	if bo.Max == 0 {
		bo = retry.Backoff{Min: 250 * time.Millisecond, Max: 10 * time.Second}
	}
	err := retry.Do(ctx, bo, func(ctx context.Context) error {
		if !encoded {
			if !owned || shared {
				body, owned, shared = b.Buffers.Get(), true, false
			}
			body, encoded = b.encode(body, pending), true
		}
		start := time.Now()
		answered := false
		defer func() {
			switch {
			case answered:
			case owned:
				shared = true
			default:
				bt.shared = true
			}
		}()
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
		answered = res.StatusCode < 300
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
			r, action := item.Index, "index"
			if item.Delete.Status != 0 {
				r, action = item.Delete, "delete"
			}
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
		if len(again) > 0 {
			pending, encoded = again, false
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
