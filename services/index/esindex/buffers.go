package esindex

// Buffers is a free list of byte buffers, so that the bulk requests of a
// stream reuse their bodies' memory instead of allocating (and collecting)
// megabytes per batch. It keeps at most the number of buffers it was made
// for; a nil *Buffers keeps none. It is safe for concurrent use.
type Buffers struct {
	free chan []byte
}

// NewBuffers returns a free list that keeps up to n buffers: one for each
// batch that may be in flight at once.
func NewBuffers(n int) *Buffers {
	return &Buffers{free: make(chan []byte, max(n, 0))}
}

// Get returns an empty buffer, with the capacity of a returned one when
// there is one, else nil.
func (p *Buffers) Get() []byte {
	if p == nil {
		return nil
	}
	select {
	case b := <-p.free:
		return b[:0]
	default:
		return nil
	}
}

// Sized returns an empty buffer of at least n bytes' capacity: a free one
// when it is large enough, else a new one (the free one is dropped), so that
// a batch's body is allocated once at its full size instead of growing
// through a series of copies.
func (p *Buffers) Sized(n int) []byte {
	if b := p.Get(); cap(b) >= n {
		return b
	}
	return make([]byte, 0, n)
}

// BodyHint is a generous size of the bulk body of n classified records of
// recordBytes in all: a document takes about 1.7 times its record (the dev
// set, BenchmarkOps in services/index/indexer), plus its action line.
func BodyHint(recordBytes, n int) int {
	return 2*recordBytes + n*actionBytes
}

// Put hands b back for reuse; the caller must not touch it afterwards. It
// drops b when the list is full.
func (p *Buffers) Put(b []byte) {
	if p == nil || cap(b) == 0 {
		return
	}
	select {
	case p.free <- b[:0]:
	default:
	}
}
