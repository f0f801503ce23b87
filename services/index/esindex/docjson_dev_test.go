package esindex_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
	"github.com/deskwire/newsroom/services/classify/classifier"
	"github.com/deskwire/newsroom/services/classify/classifier/classifiertest"
	"github.com/deskwire/newsroom/services/classify/extract"
	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/pipeline/catalog"
	"github.com/deskwire/newsroom/services/pipeline/evaltest"
	"github.com/deskwire/newsroom/services/pipeline/record"
)

// devClassified classifies every development article with the real
// extractor, twice (as given, and with a generated id and a date-only
// publication time), and passes it through the classified record's codec
// as the index service receives it.
func devClassified(tb testing.TB) []*newsroomv1.ClassifiedArticle {
	tb.Helper()
	arts := evaltest.Load(tb)
	cat, err := catalog.LoadDir("")
	if err != nil {
		tb.Fatal(err)
	}
	ex := extract.New(cat)
	now := time.Date(2025, 3, 4, 5, 6, 7, 891011121, time.UTC)
	var out []*newsroomv1.ClassifiedArticle
	for _, a := range arts {
		for _, v := range []struct{ id, source, published string }{
			{a.ID, a.Source, a.PublishedAt},
			{"gen-" + a.ID, "bench", "2025-01-01"},
		} {
			art, _ := classifiertest.Raw(tb, v.id, a, now)
			art.Source, art.PublishedAt = v.source, published(tb, v.published)
			raw, err := record.EncodeArticle(art)
			if err != nil {
				tb.Fatalf("%s: %v", a.ID, err)
			}
			ar, err := record.DecodeArticle(raw)
			if err != nil {
				tb.Fatalf("%s: %v", a.ID, err)
			}
			m, err := record.EncodeClassified(classifier.Classify(ex, ar, now.Add(time.Second)))
			if err != nil {
				tb.Fatalf("%s: %v", a.ID, err)
			}
			c, err := record.DecodeClassified(m)
			if err != nil {
				tb.Fatalf("%s: %v", a.ID, err)
			}
			out = append(out, c)
		}
	}
	return out
}

// published parses a dev article's published_at (RFC 3339 or a date), nil
// when it has none.
func published(tb testing.TB, s string) *timestamppb.Timestamp {
	tb.Helper()
	if s == "" {
		return nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		if t, err = time.Parse(time.DateOnly, s); err != nil {
			tb.Fatalf("published_at %q: %v", s, err)
		}
	}
	return timestamppb.New(t)
}

// TestAppendDocumentDevSet compares AppendDocument with
// json.Marshal(NewDocument(c)) on every development article.
func TestAppendDocumentDevSet(t *testing.T) {
	entities := 0
	cs := devClassified(t)
	for _, c := range cs {
		id := c.GetArticle().GetId()
		want, err := json.Marshal(esindex.NewDocument(c))
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		got, err := esindex.AppendDocument(nil, c)
		if err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: AppendDocument differs from json.Marshal(NewDocument(c))\n got: %s\nwant: %s", id, got, want)
		}
		entities += len(c.GetActors()) + len(c.GetWeapons()) + len(c.GetLocations())
	}
	if entities == 0 {
		t.Fatal("the extractor found no entities in the development set: the comparison covers no entity")
	}
	t.Logf("%d development documents identical (%d entities)", len(cs), entities)
}

// BenchmarkDocument encodes the development documents both ways; MB/s
// counts document bytes.
func BenchmarkDocument(b *testing.B) {
	cs := devClassified(b)
	var n int64
	for _, c := range cs {
		d, err := esindex.AppendDocument(nil, c)
		if err != nil {
			b.Fatal(err)
		}
		n += int64(len(d))
	}
	b.Run("json.Marshal", func(b *testing.B) {
		b.SetBytes(n)
		b.ReportAllocs()
		for b.Loop() {
			for _, c := range cs {
				if _, err := json.Marshal(esindex.NewDocument(c)); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("AppendDocument", func(b *testing.B) {
		b.SetBytes(n)
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			for _, c := range cs {
				var err error
				if buf, err = esindex.AppendDocument(buf[:0], c); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}
