// Package classifier is the classify stage: it turns articles.raw records
// into articles.classified records with the entities the extractor finds.
// The classify service runs it on the live topic and `pipelinectl reindex`
// runs it when rebuilding the archive.
package classifier

import (
	"context"
	"fmt"
	"runtime"
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
	r := ex.Extract(a.GetTitle(), a.GetBody())
	r.Actors, r.Weapons, r.Locations = fit(r.Actors), fit(r.Weapons), fit(r.Locations)
	c := &newsroomv1.ClassifiedArticle{
		Article:           a,
		WeaponCategories:  r.WeaponCategories,
		ClassifierVersion: ex.ClassifierVersion(),
		ClassifiedAt:      timestamppb.New(now),
	}
	// Each list's messages and their mentions share one allocation, and
	// all mentions' spans another.
	mentions := make([]newsroomv1.Mention, len(r.Actors)+len(r.Weapons)+len(r.Locations))
	nSpans := 0
	for _, list := range [][]extract.Entity{r.Actors, r.Weapons, r.Locations} {
		for _, e := range list {
			nSpans += 2 * min(len(e.Spans), record.MaxSpans)
		}
	}
	spans := make([]uint32, 0, nSpans)
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
		actors := make([]newsroomv1.Actor, len(r.Actors))
		c.Actors = make([]*newsroomv1.Actor, len(r.Actors))
		for i, e := range r.Actors {
			kind := newsroomv1.ActorKind_ACTOR_KIND_ORGANIZATION
			if e.Kind == "person" {
				kind = newsroomv1.ActorKind_ACTOR_KIND_PERSON
			}
			a := &actors[i]
			a.Id, a.Name, a.Kind, a.Mention, a.Aliases = e.ID, e.Name, kind, mention(e), e.Aliases
			c.Actors[i] = a
		}
	}
	if len(r.Weapons) > 0 {
		weapons := make([]newsroomv1.Weapon, len(r.Weapons))
		c.Weapons = make([]*newsroomv1.Weapon, len(r.Weapons))
		for i, e := range r.Weapons {
			w := &weapons[i]
			w.Id, w.Name, w.Category, w.Mention, w.Aliases = e.ID, e.Name, e.Category, mention(e), e.Aliases
			c.Weapons[i] = w
		}
	}
	if len(r.Locations) > 0 {
		locs := make([]newsroomv1.Location, len(r.Locations))
		points := make([]newsroomv1.GeoPoint, len(r.Locations))
		c.Locations = make([]*newsroomv1.Location, len(r.Locations))
		for i, e := range r.Locations {
			l := &locs[i]
			l.Id, l.Name, l.Kind, l.CountryCode, l.Mention, l.Aliases = e.ID, e.Name, LocationKind(e.Kind), e.Country, mention(e), e.Aliases
			if e.HasCoord {
				points[i].Lat, points[i].Lon = e.Lat, e.Lon
				l.Point = &points[i]
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

// Writer produces records and waits for the acks.
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
	msgs, _, failures := s.Records(batch)
	if err := s.Out.Write(ctx, msgs...); err != nil {
		return err
	}
	return s.DLQ.Send(ctx, failures)
}

// Records classifies a batch in parallel and returns the output records,
// for each the index of its input record, and the records that cannot be
// classified.
func (s *Stage) Records(batch []kafka.Message) (out []kafka.Message, src []int, failures []stream.Failure) {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	res := make([]kafka.Message, len(batch))
	fail := make([]*stream.Failure, len(batch))
	workers := s.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				res[i], fail[i] = s.one(batch[i], now())
			}
		}()
	}
	for i := range batch {
		next <- i
	}
	close(next)
	wg.Wait()
	for i := range batch {
		if fail[i] != nil {
			failures = append(failures, *fail[i])
		} else {
			out = append(out, res[i])
			src = append(src, i)
		}
	}
	return out, src, failures
}

func (s *Stage) one(m kafka.Message, now time.Time) (kafka.Message, *stream.Failure) {
	meta := record.ReadMeta(m)
	if record.IsTombstone(m) {
		if len(m.Key) == 0 {
			return kafka.Message{}, &stream.Failure{Msg: m, Reason: ReasonInvalid, Err: errNoKey}
		}
		s.Log.Info("passing retraction on", logging.Article(string(m.Key), meta.TraceID)...)
		return kafka.Message{Key: m.Key, Value: nil, Headers: m.Headers}, nil
	}
	a, err := record.DecodeArticle(m)
	if err != nil {
		return kafka.Message{}, &stream.Failure{Msg: m, Reason: ReasonDecode, Err: err}
	}
	c := Classify(s.Ex, a, now)
	rec, err := record.EncodeClassified(c)
	if err != nil {
		return kafka.Message{}, &stream.Failure{Msg: m, Reason: ReasonEncode, Err: err}
	}
	if n := stream.RecordSize(rec); n > stream.MaxRecordBytes {
		return kafka.Message{}, &stream.Failure{Msg: m, Reason: ReasonTooLarge,
			Err: fmt.Errorf("%w: the classified record has %d bytes, the limit is %d", stream.ErrRecordTooLarge, n, stream.MaxRecordBytes)}
	}
	if ce := s.Log.Check(zap.DebugLevel, "article classified"); ce != nil {
		ce.Write(append(logging.Article(a.GetId(), a.GetTraceId()),
			zap.Int("actors", len(c.Actors)), zap.Int("weapons", len(c.Weapons)), zap.Int("locations", len(c.Locations)))...)
	}
	return rec, nil
}

type stageError string

func (e stageError) Error() string { return string(e) }

const errNoKey = stageError("tombstone without a key: cannot tell which article to retract")
