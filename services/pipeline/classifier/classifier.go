// Package classifier is the classify stage: it turns articles.raw records
// into articles.classified records with the entities the extractor finds.
// The classify service runs it on the live topic and `pipelinectl reindex`
// runs it when rebuilding the archive.
package classifier

import (
	"context"
	"runtime"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"
	"go.uber.org/zap"
	"google.golang.org/protobuf/types/known/timestamppb"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
	"github.com/deskwire/newsroom/services/pipeline/extract"
	"github.com/deskwire/newsroom/services/pipeline/logging"
	"github.com/deskwire/newsroom/services/pipeline/record"
	"github.com/deskwire/newsroom/services/pipeline/stream"
)

// Classify extracts the entities of a and returns the classified article.
func Classify(ex *extract.Extractor, a *newsroomv1.Article, now time.Time) *newsroomv1.ClassifiedArticle {
	r := ex.Extract(a.GetTitle(), a.GetBody())
	c := &newsroomv1.ClassifiedArticle{
		Article:           a,
		WeaponCategories:  r.WeaponCategories,
		ClassifierVersion: ex.ClassifierVersion(),
		ClassifiedAt:      timestamppb.New(now),
	}
	for _, e := range r.Actors {
		kind := newsroomv1.ActorKind_ACTOR_KIND_ORGANIZATION
		if e.Kind == "person" {
			kind = newsroomv1.ActorKind_ACTOR_KIND_PERSON
		}
		c.Actors = append(c.Actors, &newsroomv1.Actor{Id: e.ID, Name: e.Name, Kind: kind, Mention: mention(e)})
	}
	for _, e := range r.Weapons {
		c.Weapons = append(c.Weapons, &newsroomv1.Weapon{Id: e.ID, Name: e.Name, Category: e.Category, Mention: mention(e)})
	}
	for _, e := range r.Locations {
		l := &newsroomv1.Location{Id: e.ID, Name: e.Name, Kind: LocationKind(e.Kind), CountryCode: e.Country, Mention: mention(e)}
		if e.HasCoord {
			l.Point = &newsroomv1.GeoPoint{Lat: e.Lat, Lon: e.Lon}
		}
		c.Locations = append(c.Locations, l)
	}
	return c
}

func mention(e extract.Entity) *newsroomv1.Mention {
	return &newsroomv1.Mention{Count: int32(e.Mentions), FirstOffset: int32(e.Offset)}
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
			return kafka.Message{}, &stream.Failure{Msg: m, Reason: "invalid", Err: errNoKey}
		}
		s.Log.Info("passing retraction on", logging.Article(string(m.Key), meta.TraceID)...)
		return kafka.Message{Key: m.Key, Value: nil, Headers: m.Headers}, nil
	}
	a, err := record.DecodeArticle(m)
	if err != nil {
		return kafka.Message{}, &stream.Failure{Msg: m, Reason: "decode", Err: err}
	}
	c := Classify(s.Ex, a, now)
	rec, err := record.EncodeClassified(c)
	if err != nil {
		return kafka.Message{}, &stream.Failure{Msg: m, Reason: "encode", Err: err}
	}
	s.Log.Debug("article classified", append(logging.Article(a.GetId(), a.GetTraceId()),
		zap.Int("actors", len(c.Actors)), zap.Int("weapons", len(c.Weapons)), zap.Int("locations", len(c.Locations)))...)
	return rec, nil
}

type stageError string

func (e stageError) Error() string { return string(e) }

const errNoKey = stageError("tombstone without a key: cannot tell which article to retract")
