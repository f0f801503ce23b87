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
