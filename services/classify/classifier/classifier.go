// Package classifier is the classify stage: it turns articles.raw records
// into articles.classified records with the entities the extractor finds.
// The classify service runs it on the live topic and `pipelinectl reindex`
// runs it when rebuilding the archive.
package classifier

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
	"go.uber.org/zap"
	"google.golang.org/protobuf/types/known/timestamppb"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
	"github.com/deskwire/newsroom/services/classify/extract"
	"github.com/deskwire/newsroom/services/pipeline/logging"
	"github.com/deskwire/newsroom/services/pipeline/record"
	"github.com/deskwire/newsroom/services/pipeline/stream"
)

// Classify extracts the entities of a and returns the classified article.
func Classify(ex *extract.Extractor, a *newsroomv1.Article, now time.Time) *newsroomv1.ClassifiedArticle {
	return new(builder).classify(ex, a, now)
}

// builder holds the memory of one classified article and its extraction,
// for a worker that encodes each article before it classifies the next.
type builder struct {
	res      extract.Buffers
	c        newsroomv1.ClassifiedArticle
	at       timestamppb.Timestamp
	mentions []newsroomv1.Mention
	spans    []uint32
	actors   []newsroomv1.Actor
	actorPs  []*newsroomv1.Actor
	weapons  []newsroomv1.Weapon
	weaponPs []*newsroomv1.Weapon
	locs     []newsroomv1.Location
	points   []newsroomv1.GeoPoint
	locPs    []*newsroomv1.Location
}

// reuse returns buf resized to n zeroed elements, reallocated only when
// too small.
func reuse[T any](buf []T, n int) []T {
	buf = slices.Grow(buf[:0], n)[:n]
	clear(buf)
	return buf
}

// classify is Classify into b's memory: the article returned is valid until
// the next call with b.
func (b *builder) classify(ex *extract.Extractor, a *newsroomv1.Article, now time.Time) *newsroomv1.ClassifiedArticle {
	r := ex.ExtractTo(&b.res, a.GetTitle(), a.GetBody())
	r.Actors, r.Weapons, r.Locations = fit(r.Actors), fit(r.Weapons), fit(r.Locations)
	b.at = timestamppb.Timestamp{Seconds: now.Unix(), Nanos: int32(now.Nanosecond())}
	b.c = newsroomv1.ClassifiedArticle{
		Article:           a,
		WeaponCategories:  r.WeaponCategories,
		ClassifierVersion: ex.ClassifierVersion(),
		ClassifiedAt:      &b.at,
	}
	c := &b.c
	// Each list's messages and their mentions share one array, and all
	// mentions' spans another.
	b.mentions = reuse(b.mentions, len(r.Actors)+len(r.Weapons)+len(r.Locations))
	mentions := b.mentions
	nSpans := 0
	for _, list := range [...][]extract.Entity{r.Actors, r.Weapons, r.Locations} {
		for _, e := range list {
			nSpans += 2 * min(len(e.Spans), record.MaxSpans)
		}
	}
	spans := slices.Grow(b.spans[:0], nSpans)
	b.spans = spans
	mention := func(e extract.Entity) *newsroomv1.Mention {
		m := &mentions[0]
		mentions = mentions[1:]
		m.Count, m.FirstOffset = int32(e.Mentions), int32(e.Offset)
		if len(e.Spans) > 0 {
			start := len(spans)
			spans = appendSpans(spans, e.Spans)
			m.Spans = spans[start:len(spans):len(spans)]
		}
		return m
	}
	if len(r.Actors) > 0 {
		b.actors, b.actorPs = reuse(b.actors, len(r.Actors)), reuse(b.actorPs, len(r.Actors))
		c.Actors = b.actorPs
		for i, e := range r.Actors {
			kind := newsroomv1.ActorKind_ACTOR_KIND_ORGANIZATION
			if e.Kind == "person" {
				kind = newsroomv1.ActorKind_ACTOR_KIND_PERSON
			}
			a := &b.actors[i]
			a.Id, a.Name, a.Kind, a.Mention, a.Aliases = e.ID, e.Name, kind, mention(e), e.Aliases
			c.Actors[i] = a
		}
	}
	if len(r.Weapons) > 0 {
		b.weapons, b.weaponPs = reuse(b.weapons, len(r.Weapons)), reuse(b.weaponPs, len(r.Weapons))
		c.Weapons = b.weaponPs
		for i, e := range r.Weapons {
			w := &b.weapons[i]
			w.Id, w.Name, w.Category, w.Mention, w.Aliases = e.ID, e.Name, e.Category, mention(e), e.Aliases
			c.Weapons[i] = w
		}
	}
	if len(r.Locations) > 0 {
		n := len(r.Locations)
		b.locs, b.points, b.locPs = reuse(b.locs, n), reuse(b.points, n), reuse(b.locPs, n)
		c.Locations = b.locPs
		for i, e := range r.Locations {
			l := &b.locs[i]
			l.Id, l.Name, l.Kind, l.CountryCode, l.Mention, l.Aliases = e.ID, e.Name, LocationKind(e.Kind), e.Country, mention(e), e.Aliases
			if e.HasCoord {
				p := &b.points[i]
				p.Lat, p.Lon = e.Lat, e.Lon
				l.Point = p
			}
			c.Locations[i] = l
		}
	}
	return c
}

// appendSpans appends the coding of an entity's spans (record.AppendSpans)
// to dst, the first record.MaxSpans of them.
func appendSpans(dst []uint32, spans []extract.Span) []uint32 {
	var buf [record.MaxSpans]record.Span
	n := min(len(spans), record.MaxSpans)
	for i, sp := range spans[:n] {
		buf[i] = record.Span(sp)
	}
	return record.AppendSpans(dst, buf[:n])
}

// MaxEntityBytes bounds an entity's id and name. They are keywords in the
// index (a term may have at most 32,766 bytes); a longer "name" found by
// the rules in odd text is no name, and would make the document unindexable.
const MaxEntityBytes = 1024

// fit drops the entities whose id or name is longer than MaxEntityBytes.
func fit(list []extract.Entity) []extract.Entity {
	for i, e := range list {
		if len(e.ID) > MaxEntityBytes || len(e.Name) > MaxEntityBytes {
			out := append([]extract.Entity(nil), list[:i]...)
			for _, e := range list[i+1:] {
				if len(e.ID) <= MaxEntityBytes && len(e.Name) <= MaxEntityBytes {
					out = append(out, e)
				}
			}
			return out
		}
	}
	return list
}

// LocationKind maps a catalog location kind to the contract's enum.
func LocationKind(kind string) newsroomv1.LocationKind {
	switch kind {
	case "country":
		return newsroomv1.LocationKind_LOCATION_KIND_COUNTRY
	case "region":
		return newsroomv1.LocationKind_LOCATION_KIND_REGION
	case "city":
		return newsroomv1.LocationKind_LOCATION_KIND_CITY
	case "place":
		return newsroomv1.LocationKind_LOCATION_KIND_PLACE
	}
	return newsroomv1.LocationKind_LOCATION_KIND_UNSPECIFIED
}

// Writer produces records and waits for the acks. Once Write returned nil
// the records are no longer its to read: Handle reuses their memory.
type Writer interface {
	Write(ctx context.Context, msgs ...kafka.Message) error
}

// DeadLetterer sends records that cannot be processed to the dead-letter
// topic.
type DeadLetterer interface {
	Send(ctx context.Context, fs []stream.Failure) error
}

// Dead-letter reasons.
const (
	ReasonInvalid = "invalid"
	ReasonDecode  = "decode"
	ReasonEncode  = "encode"
	// ReasonTooLarge: the classified record would exceed what the topic takes.
	ReasonTooLarge = "too_large"
)

// Reasons lists every dead-letter reason of the stage, for the metrics
// baseline.
var Reasons = []string{ReasonInvalid, ReasonDecode, ReasonEncode, ReasonTooLarge}

// Stage classifies batches of articles.raw records.
type Stage struct {
	Ex  *extract.Extractor
	Out Writer
	DLQ DeadLetterer
	Log *zap.Logger
	// Workers extract in parallel (default GOMAXPROCS).
	Workers int
	// Now returns the classification time; time.Now when nil.
	Now func() time.Time
}

// Handle classifies a batch: every record ends up on the output topic (a
// tombstone is passed on as a tombstone) or on the dead-letter topic, and
// Handle returns only once Kafka acknowledged all of it.
func (s *Stage) Handle(ctx context.Context, batch []kafka.Message) error {
	var failed []stream.Failure
	err := s.WithRecords(batch, func(out []kafka.Message, _ []int, failures []stream.Failure) error {
		failed = failures
		return s.Out.Write(ctx, out...)
	})
	if err != nil {
		return err
	}
	return s.DLQ.Send(ctx, failed)
}

// Records classifies a batch in parallel and returns the output records,
// for each the index of its input record, and the records that cannot be
// classified. The records are the caller's to keep.
func (s *Stage) Records(batch []kafka.Message) (out []kafka.Message, src []int, failures []stream.Failure) {
	out, src, failures, _ = s.records(batch)
	return out, src, failures
}

// WithRecords is Records for a caller done with the records once fn
// returns: their memory is reused for later batches after fn returned nil,
// so fn must not keep them. After an error it is left to the garbage
// collector: a writer may still hold the values (a write abandoned when its
// context ended).
func (s *Stage) WithRecords(batch []kafka.Message, fn func(out []kafka.Message, src []int, failures []stream.Failure) error) error {
	out, src, failures, vals := s.records(batch)
	if err := fn(out, src, failures); err != nil {
		return err
	}
	vals.release()
	return nil
}

// worker is the memory one extraction goroutine reuses from article to
// article and batch to batch.
type worker struct {
	b builder
	// used are the chunks the values of the batch went to, the last one
	// being filled.
	used batchValues
}

// chunkSize is the size of the buffers record values are marshalled into,
// one after the other. A value larger than that gets an array of its own,
// not kept for reuse.
const chunkSize = 256 << 10

// chunk is a buffer of record values, reused once they were written.
type chunk struct{ b []byte }

// freeList keeps values for reuse. Unlike a sync.Pool, which every other
// garbage collection empties, it keeps them for good: it never holds more
// than the batches in hand once took from it.
type freeList[T any] struct {
	mu    sync.Mutex
	items []*T
}

func (f *freeList[T]) get() *T {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := len(f.items)
	if n == 0 {
		return new(T)
	}
	x := f.items[n-1]
	f.items = f.items[:n-1]
	return x
}

func (f *freeList[T]) put(x *T) {
	f.mu.Lock()
	f.items = append(f.items, x)
	f.mu.Unlock()
}

var (
	workers freeList[worker]
	chunks  freeList[chunk]
)

// room returns the chunk to append a value of size bytes to: the last one
// used if it has room, else a new one.
func (w *worker) room(size int) *chunk {
	if n := len(w.used); n > 0 {
		if c := w.used[n-1]; cap(c.b)-len(c.b) >= size {
			return c
		}
	}
	var c *chunk
	if size <= chunkSize {
		if c = chunks.get(); c.b == nil {
			c.b = make([]byte, 0, chunkSize)
		}
	} else {
		c = &chunk{b: make([]byte, 0, size)}
	}
	w.used = append(w.used, c)
	return c
}

// batchValues are the chunks the output records of a batch point into.
type batchValues []*chunk

// release puts the chunks back for other batches; the records must not be
// read afterwards.
func (v batchValues) release() {
	for _, c := range v {
		if cap(c.b) == chunkSize {
			c.b = c.b[:0]
			chunks.put(c)
		}
	}
}

// records is Records, and also returns the buffers the output records'
// values live in.
func (s *Stage) records(batch []kafka.Message) (out []kafka.Message, src []int, failures []stream.Failure, vals batchValues) {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	res := make([]kafka.Message, len(batch))
	fail := make([]*stream.Failure, len(batch))
	n := s.Workers
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	used := make([]batchValues, n)
	var wg sync.WaitGroup
	next := make(chan int)
	for wi := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := workers.get()
			for i := range next {
				res[i], fail[i] = s.one(w, batch[i], now())
			}
			used[wi] = w.used
			// A worker at rest keeps no article alive, nor the fetched
			// record its strings point into.
			w.used, w.b.c = nil, newsroomv1.ClassifiedArticle{}
			workers.put(w)
		}()
	}
	for i := range batch {
		next <- i
	}
	close(next)
	wg.Wait()
	// The records move down in res, which out reuses: out never passes i.
	out, src = res[:0], make([]int, 0, len(batch))
	for i := range batch {
		if fail[i] != nil {
			failures = append(failures, *fail[i])
		} else {
			out = append(out, res[i])
			src = append(src, i)
		}
	}
	for _, u := range used {
		vals = append(vals, u...)
	}
	return out, src, failures, vals
}

// one classifies record m with w's memory; the output record's value is
// appended to a chunk of w.used.
func (s *Stage) one(w *worker, m kafka.Message, now time.Time) (kafka.Message, *stream.Failure) {
	if record.IsTombstone(m) {
		if len(m.Key) == 0 {
			return kafka.Message{}, &stream.Failure{Msg: m, Reason: ReasonInvalid, Err: errNoKey}
		}
		s.Log.Info("passing retraction on", logging.Article(string(m.Key), record.ReadMeta(m).TraceID)...)
		return kafka.Message{Key: m.Key, Value: nil, Headers: m.Headers}, nil
	}
	a, err := record.DecodeArticle(m)
	if err != nil {
		return kafka.Message{}, &stream.Failure{Msg: m, Reason: ReasonDecode, Err: err}
	}
	c := w.b.classify(s.Ex, a, now)
	ch := w.room(c.SizeVT())
	rec, buf, err := record.AppendClassifiedValidArticle(ch.b, c) // DecodeArticle checked a
	if err != nil {
		return kafka.Message{}, &stream.Failure{Msg: m, Reason: ReasonEncode, Err: err}
	}
	if n := stream.RecordSize(rec); n > stream.MaxRecordBytes {
		return kafka.Message{}, &stream.Failure{Msg: m, Reason: ReasonTooLarge,
			Err: fmt.Errorf("%w: the classified record has %d bytes, the limit is %d", stream.ErrRecordTooLarge, n, stream.MaxRecordBytes)}
	}
	ch.b = buf
	if ce := s.Log.Check(zap.DebugLevel, "article classified"); ce != nil {
		ce.Write(append(logging.Article(a.GetId(), a.GetTraceId()),
			zap.Int("actors", len(c.Actors)), zap.Int("weapons", len(c.Weapons)), zap.Int("locations", len(c.Locations)))...)
	}
	return rec, nil
}

type stageError string

func (e stageError) Error() string { return string(e) }

const errNoKey = stageError("tombstone without a key: cannot tell which article to retract")
