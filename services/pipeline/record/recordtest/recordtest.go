// Package recordtest builds the pipeline's Kafka records from the dev
// articles (../shared), for tests and benchmarks of the stages.
package recordtest

import (
	"strconv"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
	"github.com/deskwire/newsroom/services/pipeline/article"
	"github.com/deskwire/newsroom/services/pipeline/catalog"
	"github.com/deskwire/newsroom/services/pipeline/classifier"
	"github.com/deskwire/newsroom/services/pipeline/devset"
	"github.com/deskwire/newsroom/services/pipeline/extract"
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

// Dev builds the Set of the dev articles (ids "bench-<i>"), classified by
// the real extractor with the built-in catalogs. It skips tb when the
// shared dev set is missing (devset.Load).
func Dev(tb testing.TB) Set {
	tb.Helper()
	cat, err := catalog.LoadDir("")
	if err != nil {
		tb.Fatal(err)
	}
	ex := extract.New(cat)
	now := time.Now()
	var s Set
	for i, a := range devset.Load(tb) {
		m, _, err := article.Record(article.Input{ID: "bench-" + strconv.Itoa(i), Title: a.Title, Body: a.Body,
			URL: a.URL, Source: "bench", PublishedAt: "2025-01-01"}, now, record.NewTraceID())
		if err != nil {
			tb.Fatal(err)
		}
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
