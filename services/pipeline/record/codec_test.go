package record_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/timestamppb"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
	"github.com/deskwire/newsroom/services/pipeline/record"
)

// full is a classified article with every field set, two of each list.
func full() *newsroomv1.ClassifiedArticle {
	ts := timestamppb.New(time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC))
	m := &newsroomv1.Mention{Count: 2, FirstOffset: 7, Spans: []uint32{7, 3, 20, 3}}
	return &newsroomv1.ClassifiedArticle{
		Article: &newsroomv1.Article{Id: "a-1", Url: "u", Source: "s", Title: "t", Body: "b", Language: "en",
			PublishedAt: ts, IngestedAt: ts, Revision: "r", TraceId: "x"},
		Actors:  []*newsroomv1.Actor{{Id: "i", Name: "n", Kind: 1, Mention: m, Aliases: []string{"a", "b"}}, {Id: "i2", Name: "n2"}},
		Weapons: []*newsroomv1.Weapon{{Id: "i", Name: "n", Category: "c", Mention: m, Aliases: []string{"a"}}, {Id: "i2", Name: "n2"}},
		Locations: []*newsroomv1.Location{{Id: "i", Name: "n", Kind: 3, CountryCode: "UA",
			Point: &newsroomv1.GeoPoint{Lat: 1, Lon: 2}, Mention: m, Aliases: []string{"a"}}, {Id: "i2", Name: "n2"}},
		WeaponCategories:  []string{"c", "d"},
		ClassifierVersion: "v",
		ClassifiedAt:      ts,
	}
}

// stringFields calls set for every string field reachable in m (lists'
// elements included), with a function that puts a value into that field.
func stringFields(m protoreflect.Message, path string, set func(path string, put func(string))) {
	fields := m.Descriptor().Fields()
	for i := 0; i < fields.Len(); i++ {
		fd := fields.Get(i)
		p := path + "." + string(fd.Name())
		switch {
		case fd.IsList() && fd.Kind() == protoreflect.StringKind:
			l := m.Mutable(fd).List()
			for j := 0; j < l.Len(); j++ {
				set(p, func(s string) { l.Set(j, protoreflect.ValueOfString(s)) })
			}
		case fd.IsList() && fd.Kind() == protoreflect.MessageKind:
			l := m.Mutable(fd).List()
			for j := 0; j < l.Len(); j++ {
				stringFields(l.Get(j).Message(), p, set)
			}
		case fd.Kind() == protoreflect.StringKind:
			set(p, func(s string) { m.Set(fd, protoreflect.ValueOfString(s)) })
		case fd.Kind() == protoreflect.MessageKind && m.Has(fd):
			stringFields(m.Mutable(fd).Message(), p, set)
		}
	}
}

// Proto3 strings are UTF-8. The reflection codec refused anything else;
// the generated one does not check, so record does, for every string field
// of the schema (a field added later is covered by this test or fails it).
func TestCodecRefusesInvalidUTF8(t *testing.T) {
	bad := "caf\xe9"
	n := 0
	stringFields(full().ProtoReflect(), "classified", func(path string, _ func(string)) {
		n++
		t.Run(path, func(t *testing.T) {
			// A fresh message per field; find the same field in it by path
			// order (the walk is deterministic).
			c := full()
			k := 0
			stringFields(c.ProtoReflect(), "classified", func(p string, put func(string)) {
				if k++; k == n {
					put(bad)
				}
			})
			if _, err := record.EncodeClassified(c); err == nil || !strings.Contains(err.Error(), "UTF-8") {
				t.Errorf("EncodeClassified: err = %v, want a UTF-8 error", err)
			}
			value, err := c.MarshalVT() // the generated codec writes it anyway
			if err != nil {
				t.Fatal(err)
			}
			m := kafka.Message{Key: []byte(c.GetArticle().GetId()), Value: value,
				Headers: []kafka.Header{{Key: record.HeaderSchema, Value: []byte(record.SchemaClassified)}}}
			if _, err := record.DecodeClassified(m); err == nil || !strings.Contains(err.Error(), "UTF-8") {
				t.Errorf("DecodeClassified: err = %v, want a UTF-8 error", err)
			}
			if strings.HasPrefix(path, "classified.article.") {
				value, err := c.GetArticle().MarshalVT()
				if err != nil {
					t.Fatal(err)
				}
				m.Value, m.Headers[0].Value = value, []byte(record.SchemaArticle)
				if _, err := record.DecodeArticle(m); err == nil || !strings.Contains(err.Error(), "UTF-8") {
					t.Errorf("DecodeArticle: err = %v, want a UTF-8 error", err)
				}
				if _, err := record.EncodeArticle(c.GetArticle()); err == nil {
					t.Error("EncodeArticle accepted invalid UTF-8")
				}
			}
		})
	})
	if n < 20 {
		t.Fatalf("walked %d string fields; the schema has more", n)
	}
}

// A truncated or garbled value is a decode error, not a panic.
func TestCodecRefusesGarbage(t *testing.T) {
	value, err := full().MarshalVT()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range [][]byte{value[:len(value)/2], append([]byte{0xff, 0xff, 0xff}, value...), bytes.Repeat([]byte{0x0a}, 9)} {
		m := kafka.Message{Key: []byte("a-1"), Value: v,
			Headers: []kafka.Header{{Key: record.HeaderSchema, Value: []byte(record.SchemaClassified)}}}
		if _, err := record.DecodeClassified(m); err == nil || !strings.Contains(err.Error(), "decoding") {
			t.Errorf("garbage % x...: err = %v", v[:3], err)
		}
	}
}

// A record's headers name the schema and the trace: trace-id, and a
// traceparent with it and a new span id. Their values share one array, so
// appending to one must not change the next.
func TestHeaders(t *testing.T) {
	c := full()
	c.Article.TraceId = "0af7651916cd43dd8448eb211c80319c"
	m, err := record.EncodeClassified(c)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{record.HeaderContentType: record.ContentTypeProtobuf, record.HeaderSchema: record.SchemaClassified,
		record.HeaderTraceID: c.Article.TraceId}
	for k, v := range want {
		if got := record.Header(m, k); got != v {
			t.Errorf("header %s = %q, want %q", k, got, v)
		}
	}
	if id, ok := record.ParseTraceparent(record.Header(m, record.HeaderTraceparent)); !ok || id != c.Article.TraceId {
		t.Errorf("traceparent %q: trace id %q (%v), want %q", record.Header(m, record.HeaderTraceparent), id, ok, c.Article.TraceId)
	}
	for i := range m.Headers[:len(m.Headers)-1] {
		next := string(m.Headers[i+1].Value)
		_ = append(m.Headers[i].Value, "xxxxxxxx"...)
		if string(m.Headers[i+1].Value) != next {
			t.Errorf("appending to header %s changed header %s", m.Headers[i].Key, m.Headers[i+1].Key)
		}
	}
}

// EncodeValidArticle makes the record EncodeArticle makes (but the
// traceparent's random span id) of an article with valid UTF-8.
func TestEncodeValidArticle(t *testing.T) {
	for _, tc := range []struct {
		name string
		a    *newsroomv1.Article
	}{
		{"every field", full().GetArticle()},
		{"no trace id", &newsroomv1.Article{Id: "a-2", Title: "t", Body: "b"}},
		{"non-ASCII text", &newsroomv1.Article{Id: "a-3", Title: "“Zürich” — 東京", Body: strings.Repeat("ça 😀\n", 100),
			TraceId: "0af7651916cd43dd8448eb211c80319c"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, err := record.EncodeArticle(tc.a)
			if err != nil {
				t.Fatal(err)
			}
			got, err := record.EncodeValidArticle(tc.a)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Key, want.Key) || !bytes.Equal(got.Value, want.Value) {
				t.Errorf("key %q, value % x; EncodeArticle gives %q, % x", got.Key, got.Value, want.Key, want.Value)
			}
			if len(got.Headers) != len(want.Headers) {
				t.Fatalf("%d headers, EncodeArticle gives %d", len(got.Headers), len(want.Headers))
			}
			for i, h := range got.Headers {
				if h.Key != want.Headers[i].Key || h.Key != record.HeaderTraceparent && !bytes.Equal(h.Value, want.Headers[i].Value) {
					t.Errorf("header %s=%q, EncodeArticle gives %s=%q", h.Key, h.Value, want.Headers[i].Key, want.Headers[i].Value)
				}
			}
		})
	}
}
