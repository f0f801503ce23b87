package estest

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"sync"
	"testing"

	"github.com/elastic/go-elasticsearch/v8"
)

// Bulk is an in-process stand-in for Elasticsearch's _bulk API, as an
// http.RoundTripper: for benchmarks that measure the bulk writer alone, and
// for tests of answers the real cluster does not give at will (a 503 before
// it read the request, items to retry). Script holds the first answers, in
// request order; after it, every action succeeds. One request at a time:
// each answer is read before the next request.
type Bulk struct {
	Script []Reply
	// Keep records a copy of every request's body in Bodies.
	Keep   bool
	Bodies [][]byte
	// Unread holds the bodies of the requests answered without reading
	// them (Reply.Unread), as the transport left them.
	Unread []io.ReadCloser

	mu  sync.Mutex
	n   int
	buf bytes.Buffer
	out []byte
}

// Reply is one scripted answer.
type Reply struct {
	// Status is the request's status (0: 200).
	Status int
	// Items are the actions' statuses of a 200 (nil: 201 each).
	Items []int
	// Unread answers without reading the request body.
	Unread bool
}

// Client returns an Elasticsearch client whose requests go to b.
func (b *Bulk) Client(t testing.TB) *elasticsearch.Client {
	t.Helper()
	es, err := elasticsearch.NewClient(elasticsearch.Config{Addresses: []string{"http://es.invalid:9200"},
		Transport: b, DisableRetry: true})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// RoundTrip answers a _bulk request.
func (b *Bulk) RoundTrip(req *http.Request) (*http.Response, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var r Reply
	if b.n < len(b.Script) {
		r = b.Script[b.n]
	}
	b.n++
	if r.Status == 0 {
		r.Status = 200
	}
	if b.Keep {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		copied, err := io.ReadAll(body)
		if err != nil {
			return nil, err
		}
		b.Bodies = append(b.Bodies, copied)
	}
	b.out = b.out[:0]
	if r.Unread {
		b.Unread = append(b.Unread, req.Body)
	} else {
		b.buf.Reset()
		if _, err := b.buf.ReadFrom(req.Body); err != nil {
			return nil, err
		}
		req.Body.Close()
		if r.Status == 200 {
			b.out = b.answer(r.Items)
		}
	}
	h := http.Header{"Content-Type": {"application/json"}, "X-Elastic-Product": {"Elasticsearch"}}
	return &http.Response{StatusCode: r.Status, Status: strconv.Itoa(r.Status) + " " + http.StatusText(r.Status),
		Header: h, Request: req, Body: io.NopCloser(bytes.NewReader(b.out)), ContentLength: int64(len(b.out))}, nil
}

// answer renders the filtered answer to the body in b.buf, with the items'
// statuses (201 for those missing).
func (b *Bulk) answer(items []int) []byte {
	out := append(b.out, `{"errors":false,"items":[`...)
	n := 0
	for rest := b.buf.Bytes(); len(rest) > 0; {
		var line []byte
		line, rest, _ = bytes.Cut(rest, []byte("\n"))
		action := "delete"
		if bytes.HasPrefix(line, []byte(`{"index":`)) {
			action = "index"
			_, rest, _ = bytes.Cut(rest, []byte("\n")) // its document
		}
		status := 201
		if n < len(items) {
			status = items[n]
		}
		if n > 0 {
			out = append(out, ',')
		}
		out = append(append(append(out, `{"`...), action...), `":{"status":`...)
		out = append(strconv.AppendInt(out, int64(status), 10), "}}"...)
		n++
	}
	return append(out, "]}"...)
}
