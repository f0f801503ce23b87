// Package classifiertest builds the pipeline's Kafka records from the dev
// articles (../shared) as ingest and classify write them, for tests and
// benchmarks of the stages.
package classifiertest

import (
	"hash/fnv"
	"strconv"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"google.golang.org/protobuf/types/known/timestamppb"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
	"github.com/deskwire/newsroom/services/classify/classifier"
	"github.com/deskwire/newsroom/services/classify/extract"
	"github.com/deskwire/newsroom/services/pipeline/catalog"
	"github.com/deskwire/newsroom/services/pipeline/evaltest"
	"github.com/deskwire/newsroom/services/pipeline/record"
)

// Set is every dev article as ingest and classify would write it: the
// articles.raw record, the articles.classified record (keyed by the
// article id) and the messages they hold, index for index.
type Set struct {
	Raw, Classified []kafka.Message
	Articles        []*newsroomv1.Article
	Results         []*newsroomv1.ClassifiedArticle
}

// Published is the publication date every fixture article carries.
var Published = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// Raw returns the dev article a with id as ingest would have accepted it
// (source "bench", published 2025-01-01, language en) and its articles.raw
// record.
func Raw(tb testing.TB, id string, a evaltest.Article, ingestedAt time.Time) (*newsroomv1.Article, kafka.Message) {
	tb.Helper()
	h := fnv.New64a()
	h.Write([]byte(a.URL + "\x00" + a.Title + "\x00" + a.Body))
	art := &newsroomv1.Article{
		Id: id, Url: a.URL, Source: "bench", Title: a.Title, Body: a.Body, Language: "en",
		PublishedAt: timestamppb.New(Published), IngestedAt: timestamppb.New(ingestedAt),
		Revision: strconv.FormatUint(h.Sum64(), 16), TraceId: record.NewTraceID(),
	}
	m, err := record.EncodeArticle(art)
	if err != nil {
		tb.Fatal(err)
	}
	return art, m
}

// Dev builds the Set of the dev articles (ids "bench-<i>"), classified by
// the real extractor with the built-in catalogs. It skips tb when the
// shared dev set is missing (evaltest.Load).
func Dev(tb testing.TB) Set {
	tb.Helper()
	cat, err := catalog.LoadDir("")
	if err != nil {
		tb.Fatal(err)
	}
	ex := extract.New(cat)
	now := time.Now()
	var s Set
	for i, a := range evaltest.Load(tb) {
		_, m := Raw(tb, "bench-"+strconv.Itoa(i), a, now)
		in, err := record.DecodeArticle(m)
		if err != nil {
			tb.Fatal(err)
		}
		c := classifier.Classify(ex, in, now)
		cm, err := record.EncodeClassified(c)
		if err != nil {
			tb.Fatal(err)
		}
		s.Raw, s.Classified = append(s.Raw, m), append(s.Classified, cm)
		s.Articles, s.Results = append(s.Articles, in), append(s.Results, c)
	}
	return s
}
