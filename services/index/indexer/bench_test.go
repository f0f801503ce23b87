package indexer

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"slices"
	"sync"
	"testing"

	"github.com/elastic/go-elasticsearch/v8"
	"go.uber.org/zap"

	"github.com/deskwire/newsroom/services/classify/classifier/classifiertest"
	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/pipeline/stream"
)

// BenchmarkOps is the index stage's own CPU per record: decode the
// classified record and encode its Elasticsearch document into the bulk
// request body. MB/s counts the classified records' values.
func BenchmarkOps(b *testing.B) {
	batch := classifiertest.Dev(b).Classified
	var n, docBytes int64
	for _, m := range batch {
		n += int64(len(m.Value))
	}
	ops, failures := Ops(batch)
	if len(failures) > 0 || len(ops) != len(batch) {
		b.Fatalf("%d ops, %d failures from %d records", len(ops), len(failures), len(batch))
	}
	for _, op := range ops {
		doc, err := op.Document()
		if err != nil {
			b.Fatal(err)
		}
		docBytes += int64(len(doc))
	}
	// The bulk writer appends each document to the request body; one
	// reused buffer stands in for it.
	var body []byte
	b.SetBytes(n)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ops, _ := Ops(batch)
		body = body[:0]
		for _, op := range ops {
			var err error
			if body, err = esindex.AppendDocument(body, op.Source); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(n)/float64(len(batch)), "record-bytes")
	b.ReportMetric(float64(docBytes)/float64(len(batch)), "doc-bytes")
}

// BenchmarkHandle is the index service's per-batch path without the
// network: decode, encode the bulk body, send it, read the answer. An
// in-process transport stands in for Elasticsearch (reading the body and
// answering every action with 201), so that ns/op, B/op and allocs/op are
// the service's own.
func BenchmarkHandle(b *testing.B) {
	batch := classifiertest.Dev(b).Classified
	es, err := elasticsearch.NewClient(elasticsearch.Config{Addresses: []string{"http://es.invalid:9200"},
		Transport: &okBulk{}, DisableRetry: true})
	if err != nil {
		b.Fatal(err)
	}
	ix := &Indexer{Bulk: &esindex.Bulk{ES: es, Index: "articles", RequireAlias: true, Log: zap.NewNop()},
		DeadLetters: &stream.DeadLetters{Stage: Stage}, Log: zap.NewNop()}
	ctx := context.Background()
	if err := ix.Handle(ctx, batch); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := ix.Handle(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(batch)), "ns/record")
}

// okBulk answers every _bulk request as Elasticsearch does when each
// action succeeds, with the filtered answer the bulk writer asks for. It
// reuses its buffers: one request at a time, each answer read before the
// next request.
type okBulk struct {
	mu  sync.Mutex
	buf []byte
	out []byte
}

func (t *okBulk) RoundTrip(req *http.Request) (*http.Response, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var err error
	if t.buf, err = appendAll(t.buf[:0], req.Body); err != nil {
		return nil, err
	}
	req.Body.Close()
	t.out = append(t.out[:0], `{"errors":false,"items":[`...)
	first := true
	for rest := t.buf; len(rest) > 0; {
		line, tail, _ := bytes.Cut(rest, []byte("\n"))
		rest = tail
		action := "index"
		if bytes.HasPrefix(line, []byte(`{"delete":`)) {
			action = "delete"
		} else if !bytes.HasPrefix(line, []byte(`{"index":`)) {
			continue // a document
		} else {
			_, rest, _ = bytes.Cut(rest, []byte("\n")) // its document
		}
		if !first {
			t.out = append(t.out, ',')
		}
		first = false
		t.out = append(t.out, `{"`+action+`":{"status":201}}`...)
	}
	t.out = append(t.out, "]}"...)
	h := http.Header{"Content-Type": {"application/json"}, "X-Elastic-Product": {"Elasticsearch"}}
	return &http.Response{StatusCode: 200, Status: "200 OK", Header: h, Request: req,
		Body: io.NopCloser(bytes.NewReader(t.out)), ContentLength: int64(len(t.out))}, nil
}

// appendAll reads r to its end into dst.
func appendAll(dst []byte, r io.Reader) ([]byte, error) {
	for {
		dst = slices.Grow(dst, 32<<10)
		n, err := r.Read(dst[len(dst):cap(dst)])
		dst = dst[:len(dst)+n]
		if err == io.EOF {
			return dst, nil
		}
		if err != nil {
			return dst, err
		}
	}
}
