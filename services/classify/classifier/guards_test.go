package classifier_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"go.uber.org/zap/zaptest"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
	"github.com/deskwire/newsroom/services/classify/classifier"
	"github.com/deskwire/newsroom/services/classify/extract"
	"github.com/deskwire/newsroom/services/pipeline/catalog"
	"github.com/deskwire/newsroom/services/pipeline/record"
	"github.com/deskwire/newsroom/services/pipeline/stream"
)

func extractor(t testing.TB) *extract.Extractor {
	t.Helper()
	cat, err := catalog.LoadDir("")
	if err != nil {
		t.Fatal(err)
	}
	return extract.New(cat)
}

// A "name" longer than an index keyword may hold never reaches the record,
// so the document stays indexable; the other entities stay.
func TestClassifyDropsOverlongNames(t *testing.T) {
	ex := extractor(t)
	long := "Z" + strings.Repeat("a", 5000)
	body := "President " + long + " met NATO officials in Kyiv on Monday."
	c := classifier.Classify(ex, &newsroomv1.Article{Id: "a-1", Title: "Talks", Body: body}, time.Now())
	for _, a := range c.GetActors() {
		if len(a.GetId()) > classifier.MaxEntityBytes || len(a.GetName()) > classifier.MaxEntityBytes {
			t.Errorf("actor with a %d-byte id and %d-byte name reached the record", len(a.GetId()), len(a.GetName()))
		}
	}
	if len(c.GetLocations()) == 0 {
		t.Errorf("the other entities were dropped too: %v", c)
	}
}

type captureWriter struct{ msgs []kafka.Message }

func (w *captureWriter) Write(_ context.Context, msgs ...kafka.Message) error {
	w.msgs = append(w.msgs, msgs...)
	return nil
}

// captureDLQ keeps what the stage dead-letters; batches in hand at once
// send to it concurrently.
type captureDLQ struct {
	mu sync.Mutex
	fs []stream.Failure
}

func (d *captureDLQ) Send(_ context.Context, fs []stream.Failure) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.fs = append(d.fs, fs...)
	return nil
}

// A classified record that would exceed what the topic takes is
// dead-lettered as too_large; the rest of the batch flows on.
func TestStageDeadLettersTooLargeRecords(t *testing.T) {
	ex := extractor(t)
	small := &newsroomv1.Article{Id: "small", Title: "Talks in Kyiv", Body: "NATO met in Kyiv."}
	// Raw records are not bounded by the stage; a body past the record limit
	// stands for one whose entities would push it over.
	big := &newsroomv1.Article{Id: "big", Title: "Long", Body: strings.Repeat("Kyiv and Odesa. ", stream.MaxRecordBytes/16+1)}
	var batch []kafka.Message
	for _, a := range []*newsroomv1.Article{small, big} {
		m, err := record.EncodeArticle(a)
		if err != nil {
			t.Fatal(err)
		}
		batch = append(batch, m)
	}
	out, dlq := &captureWriter{}, &captureDLQ{}
	s := &classifier.Stage{Ex: ex, Out: out, DLQ: dlq, Log: zaptest.NewLogger(t)}
	if err := s.Handle(context.Background(), batch); err != nil {
		t.Fatal(err)
	}
	if len(out.msgs) != 1 || string(out.msgs[0].Key) != "small" {
		t.Errorf("produced %d records, want the small one alone", len(out.msgs))
	}
	if len(dlq.fs) != 1 || string(dlq.fs[0].Msg.Key) != "big" || dlq.fs[0].Reason != classifier.ReasonTooLarge {
		t.Fatalf("dead letters %v, want big as %s", dlq.fs, classifier.ReasonTooLarge)
	}
}
