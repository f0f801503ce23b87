package esindex

import (
	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
)

// Batch is a _bulk request body built op by op (Bulk.Add) in memory the
// caller may lend (Buffers), with its ops: a document is encoded once,
// straight into the request, and the batch holds nothing else.
type Batch struct {
	ops   []Op
	spans []span
	body  []byte
	// fixed: ops' Doc point into body as it is now.
	fixed bool
	// shared: a request was sent from body's memory without a 2xx answer;
	// the transport may still be reading it.
	shared bool
}

// span is where an op's lines lie in the body: its action line from start,
// its document (none for a delete) from doc to the newline before end.
type span struct{ start, doc, end int }

// NewBatch starts an empty batch of up to n ops (a hint) in buf's memory;
// nil gives it memory of its own.
func NewBatch(buf []byte, n int) *Batch {
	return &Batch{ops: make([]Op, 0, n), spans: make([]span, 0, n), body: buf[:0]}
}

// Ops returns the batch's ops, in order; an index op's Doc is its document
// in the batch's memory.
func (bt *Batch) Ops() []Op {
	if !bt.fixed {
		// Add leaves Doc unset: the body may still move as it grows.
		for i, s := range bt.spans {
			if !bt.ops[i].Delete {
				bt.ops[i].Doc = bt.body[s.doc : s.end-1 : s.end-1]
			}
		}
		bt.fixed = true
	}
	return bt.ops
}

// Release hands the batch's memory to p unless a request may still read
// it; neither the batch nor its ops' documents may be used afterwards.
func (bt *Batch) Release(p *Buffers) {
	if !bt.shared {
		p.Put(bt.body)
	}
}

// Add appends op to bt: its action line and, for an index op, the document
// of c, or when c is nil op's own (Doc, else Source's). It fails only when
// that document has no JSON form (a NaN coordinate); bt is then unchanged.
func (b *Bulk) Add(bt *Batch, op Op, c *newsroomv1.ClassifiedArticle) error {
	if c != nil {
		op.Doc, op.Source = nil, c
	}
	start := len(bt.body)
	body, doc, err := appendAction(bt.body, b.Index, b.RequireAlias, op)
	if err != nil {
		bt.body = body[:start]
		return err
	}
	bt.body = body
	op.Doc, op.Source = nil, nil
	bt.ops = append(bt.ops, op)
	bt.spans = append(bt.spans, span{start: start, doc: doc, end: len(body)})
	bt.fixed = false
	return nil
}

// chunkEnd returns where the request that starts at op start ends: as many
// ops as fit in max bytes, and at least one.
func (bt *Batch) chunkEnd(start, max int) int {
	end := start + 1
	for end < len(bt.spans) && bt.spans[end].end-bt.spans[start].start <= max {
		end++
	}
	return end
}
