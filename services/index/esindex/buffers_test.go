package esindex_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/zap/zaptest"

	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/index/estest"
	"github.com/deskwire/newsroom/services/pipeline/retry"
)

// writers are the two ways to write ops: Write, and a Batch built op by op
// in memory from bufs (as the index service does) for WriteBatch.
var writers = []struct {
	name  string
	write func(b *esindex.Bulk, bufs *esindex.Buffers, ops []esindex.Op) ([]esindex.Rejection, error)
}{
	{"Write", func(b *esindex.Bulk, _ *esindex.Buffers, ops []esindex.Op) ([]esindex.Rejection, error) {
		return b.Write(context.Background(), ops)
	}},
	{"WriteBatch", func(b *esindex.Bulk, bufs *esindex.Buffers, ops []esindex.Op) ([]esindex.Rejection, error) {
		bt := esindex.NewBatch(bufs.Get(), len(ops))
		defer bt.Release(bufs)
		for _, op := range ops {
			if err := b.Add(bt, op, nil); err != nil {
				return nil, err
			}
		}
		rejected, err := b.WriteBatch(context.Background(), bt)
		// Retries encode into other memory: the batch's documents are
		// as they were until it is released.
		for i, op := range bt.Ops() {
			if !bytes.Equal(op.Doc, ops[i].Doc) {
				return rejected, fmt.Errorf("op %s: document %q after the write, want %q", op.ID, op.Doc, ops[i].Doc)
			}
		}
		return rejected, err
	}},
}

// testBatch returns n index ops and a delete, with IDs that start with
// prefix.
func testBatch(prefix string, n int) []esindex.Op {
	var ops []esindex.Op
	for i := range n {
		ops = append(ops, esindex.Op{ID: fmt.Sprintf("%s%d", prefix, i), Version: int64(i + 1),
			Doc: []byte(fmt.Sprintf(`{"title":"%s %d"}`, prefix, i))})
	}
	return append(ops, esindex.Op{ID: prefix + "-gone", Version: 9, Delete: true})
}

// encoded is the _bulk body of ops for the alias "articles".
func encoded(ops ...esindex.Op) string {
	var s string
	for _, op := range ops {
		action := "index"
		if op.Delete {
			action = "delete"
		}
		s += fmt.Sprintf(`{"%s":{"_index":"articles","_id":%q,"version":%d,"version_type":"external_gte","require_alias":true}}`+"\n",
			action, op.ID, op.Version)
		if !op.Delete {
			s += string(op.Doc) + "\n"
		}
	}
	return s
}

// TestBulkBodiesReused checks that bodies are lent and taken back: only
// once no request can read them any more. A request answered without its
// body being read (a 503, a 400 refusal) may still be sent by the
// transport, so its memory is never written again: not by the retry that
// encodes what is left of it, nor by the batches after it. Answered
// requests (a 200, even with items to retry) give their memory back.
func TestBulkBodiesReused(t *testing.T) {
	first, second, third := testBatch("a", 3), testBatch("b", 3), testBatch("c", 3)
	tests := []struct {
		name   string
		script []estest.Reply
		// want are the request bodies, in order; stale those sent
		// without being read.
		want, stale []string
	}{
		{"answered", nil,
			[]string{encoded(first...), encoded(second...), encoded(third...)}, nil},
		{"item to retry", []estest.Reply{{Items: []int{201, 429, 201, 404}}},
			[]string{encoded(first...), encoded(first[1]), encoded(second...), encoded(third...)}, nil},
		{"items to retry, twice", []estest.Reply{{Items: []int{201, 429, 429, 404}}, {Items: []int{201, 503}}},
			[]string{encoded(first...), encoded(first[1:3]...), encoded(first[2]), encoded(second...), encoded(third...)}, nil},
		{"503, then an item to retry", []estest.Reply{{Status: 503, Unread: true}, {Items: []int{201, 429, 201, 404}}},
			[]string{encoded(first...), encoded(first...), encoded(first[1]), encoded(second...), encoded(third...)},
			[]string{encoded(first...)}},
		{"refused, then halves", []estest.Reply{{Status: 400, Unread: true}},
			[]string{encoded(first...), encoded(first[:2]...), encoded(first[2:]...), encoded(second...), encoded(third...)},
			[]string{encoded(first...)}},
	}
	for _, w := range writers {
		for _, tt := range tests {
			t.Run(w.name+"/"+tt.name, func(t *testing.T) {
				es := &estest.Bulk{Script: tt.script, Keep: true}
				bufs := esindex.NewBuffers(2)
				b := &esindex.Bulk{ES: es.Client(t), Index: "articles", RequireAlias: true, Buffers: bufs,
					Backoff: retry.Backoff{Min: time.Millisecond, Max: time.Millisecond}, Log: zaptest.NewLogger(t)}
				for _, ops := range [][]esindex.Op{first, second, third} {
					rejected, err := w.write(b, bufs, ops)
					if err != nil || len(rejected) > 0 {
						t.Fatalf("%s: %v, rejected %+v", w.name, err, rejected)
					}
				}
				var got, stale []string
				for _, body := range es.Bodies {
					got = append(got, string(body))
				}
				for _, r := range es.Unread {
					body, err := io.ReadAll(r)
					if err != nil {
						t.Fatal(err)
					}
					stale = append(stale, string(body))
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("request bodies (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(tt.stale, stale); diff != "" {
					t.Errorf("bodies of requests answered unread, read afterwards (-want +got):\n%s", diff)
				}
				// WriteBatch's last batch gave its memory back, big enough
				// for the next one.
				if buf := bufs.Get(); w.name == "WriteBatch" && cap(buf) < len(encoded(third...)) {
					t.Errorf("free list holds a buffer of %d bytes, want the last body's memory", cap(buf))
				}
			})
		}
	}
}

// TestWriteBatchSplits checks that a batch larger than MaxBytes goes out
// in several requests, each a run of whole ops.
func TestWriteBatchSplits(t *testing.T) {
	ops := testBatch("a", 3)
	es := &estest.Bulk{Keep: true}
	b := &esindex.Bulk{ES: es.Client(t), Index: "articles", RequireAlias: true, MaxBytes: len(encoded(ops[:2]...)),
		Log: zaptest.NewLogger(t)}
	if rejected, err := writers[1].write(b, nil, ops); err != nil || len(rejected) > 0 {
		t.Fatalf("WriteBatch: %v, rejected %+v", err, rejected)
	}
	var got []string
	for _, body := range es.Bodies {
		got = append(got, string(body))
	}
	if diff := cmp.Diff([]string{encoded(ops[:2]...), encoded(ops[2:]...)}, got); diff != "" {
		t.Errorf("request bodies (-want +got):\n%s", diff)
	}
}

// TestBuffers checks the free list: it hands back what was put, empty, up
// to its size, and a nil one keeps nothing.
func TestBuffers(t *testing.T) {
	p := esindex.NewBuffers(1)
	if b := p.Get(); b != nil {
		t.Errorf("new free list gave %d bytes", cap(b))
	}
	a, b := make([]byte, 5, 100), make([]byte, 0, 50)
	p.Put(a)
	p.Put(b) // dropped: the list is full
	got := p.Get()
	if len(got) != 0 || cap(got) != 100 || &got[:1][0] != &a[0] {
		t.Errorf("Get = len %d cap %d, want the first buffer put, emptied", len(got), cap(got))
	}
	if p.Get() != nil {
		t.Error("a full list kept a second buffer")
	}
	var none *esindex.Buffers
	none.Put(a)
	if none.Get() != nil {
		t.Error("a nil free list gave a buffer")
	}
}

func TestBuffersSized(t *testing.T) {
	free := make([]byte, 3, 100)
	tests := []struct {
		name   string
		p      *esindex.Buffers
		put    []byte // put in the list first, when not nil
		n      int
		reused bool // want free's memory, emptied
	}{
		{name: "a free buffer large enough is lent", p: esindex.NewBuffers(1), put: free, n: 100, reused: true},
		{name: "a smaller free buffer gives way to a new one", p: esindex.NewBuffers(1), put: free, n: 101},
		{name: "an empty list allocates", p: esindex.NewBuffers(1), n: 10},
		{name: "a nil list allocates", n: 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.put != nil {
				tt.p.Put(tt.put)
			}
			got := tt.p.Sized(tt.n)
			if len(got) != 0 || cap(got) < tt.n {
				t.Fatalf("Sized(%d) = len %d cap %d, want empty with room for %d", tt.n, len(got), cap(got), tt.n)
			}
			if reused := &got[:1][0] == &free[0]; reused != tt.reused {
				t.Errorf("Sized(%d) lent the free buffer: %v, want %v", tt.n, reused, tt.reused)
			}
			if tt.p.Get() != nil {
				t.Error("the list still holds a buffer after Sized")
			}
		})
	}
}
