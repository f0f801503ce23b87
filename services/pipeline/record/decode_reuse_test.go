package record_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
	"github.com/deskwire/newsroom/services/pipeline/record"
)

// TestDecodeClassifiedInto decodes a sequence of records, full and sparse,
// valid and not, into one message: each result (or error) is exactly
// DecodeClassified's, so nothing of a record leaks into the next.
func TestDecodeClassifiedInto(t *testing.T) {
	encode := func(c *newsroomv1.ClassifiedArticle) kafka.Message {
		t.Helper()
		m, err := record.EncodeClassified(c)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	sparse := &newsroomv1.ClassifiedArticle{Article: &newsroomv1.Article{Id: "a-2", Title: "only a title"}}
	fewer := full()
	fewer.Article.Id, fewer.Article.PublishedAt, fewer.ClassifiedAt = "a-3", nil, nil
	fewer.Actors, fewer.Weapons, fewer.WeaponCategories = fewer.Actors[1:], nil, nil
	// Entities whose parts differ from the previous record's: gone, present
	// but empty, new.
	swapped := full()
	swapped.Actors[0].Mention, swapped.Actors[0].Aliases = nil, nil
	swapped.Actors[1].Mention, swapped.Actors[1].Aliases = &newsroomv1.Mention{}, []string{"z"}
	swapped.Locations[0].Point, swapped.Locations[0].Mention = &newsroomv1.GeoPoint{}, &newsroomv1.Mention{Count: 1}
	swapped.Locations[1].Point = &newsroomv1.GeoPoint{Lat: 3}
	noPoint := full()
	noPoint.Locations[0].Point = nil
	unknown := encode(full())
	unknown.Value = append(unknown.Value, 0x78, 0x01) // field 15, varint 1
	mismatched := encode(full())
	mismatched.Key = []byte("other")
	noArticle := kafka.Message{Key: []byte("a-1"), Value: []byte{0x32, 0x01, 'v'}} // classifier_version only
	garbage := encode(full())
	garbage.Value = garbage.Value[:len(garbage.Value)/2]
	wrongSchema := encode(full())
	badActor := full()
	badActor.Article.Id = "a-4"
	badActorMsg := encode(badActor)
	// The second actor's value is a truncated field (tag of id, then a
	// length past its end) inside an actor of the right size.
	actor2, err := badActor.Actors[1].MarshalVT()
	if err != nil {
		t.Fatal(err)
	}
	i := bytes.Index(badActorMsg.Value, actor2)
	badActorMsg.Value = slices.Clone(badActorMsg.Value)
	badActorMsg.Value[i+1] = 0x7f
	wrongSchema.Headers = []kafka.Header{{Key: record.HeaderSchema, Value: []byte(record.SchemaArticle)}}
	// Spans, which are decoded into the previous record's arrays: more of
	// them, none, and written unpacked or with a varint the generated
	// decoder reads differently (ten bytes, overflowing 64 bits) by hand.
	moreSpans := full()
	moreSpans.Actors[0].Mention = &newsroomv1.Mention{Count: 9, Spans: []uint32{1, 2, 3, 4, 5, 6, 7, 8, 300, 70000}}
	noSpans := full()
	noSpans.Actors[0].Mention = &newsroomv1.Mention{Count: 1, FirstOffset: 4}
	oddSpans := func(spans ...byte) kafka.Message {
		// Field 1 (count), then field 3 as given, in an actor with an id.
		mention := append([]byte{0x08, 0x02}, spans...)
		actor := append([]byte{0x0a, 0x01, 'i', 0x22, byte(len(mention))}, mention...)
		m := encode(full())
		m.Value = append(slices.Clone(m.Value), append([]byte{0x12, byte(len(actor))}, actor...)...)
		return m
	}
	unpacked := oddSpans(0x18, 0x05, 0x18, 0x07)
	overflow := oddSpans(0x1a, 0x0b, 0x05, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f)
	wide := oddSpans(0x1a, 0x0b, 0x05, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)
	truncated := oddSpans(0x1a, 0x02, 0x05, 0x80)
	// An article in two fields, which merge: its timestamps are decoded
	// into the previous record's, once each.
	splitArticle := encode(full())
	part1, err := (&newsroomv1.Article{Title: "t2", PublishedAt: timestamppb.New(time.Unix(5, 0))}).MarshalVT()
	if err != nil {
		t.Fatal(err)
	}
	part2, err := (&newsroomv1.Article{PublishedAt: timestamppb.New(time.Unix(0, 7)), IngestedAt: timestamppb.New(time.Unix(9, 0))}).MarshalVT()
	if err != nil {
		t.Fatal(err)
	}
	splitArticle.Value = slices.Concat(splitArticle.Value, []byte{0x0a, byte(len(part1))}, part1, []byte{0x0a, byte(len(part2))}, part2)
	epoch := full()
	epoch.Article.PublishedAt, epoch.ClassifiedAt = timestamppb.New(time.Unix(0, 0)), timestamppb.New(time.Unix(0, 0))

	sequence := []struct {
		name string
		m    kafka.Message
	}{
		{"full", encode(full())},
		{"sparse after full", encode(sparse)},
		{"full again", encode(full())},
		{"fewer of everything", encode(fewer)},
		{"full after fewer", encode(full())},
		{"parts swapped", encode(swapped)},
		{"no point after one", encode(noPoint)},
		{"full after swapped parts", encode(full())},
		{"unknown field", unknown},
		{"no unknown field after one", encode(sparse)},
		{"mismatched key", mismatched},
		{"no article", noArticle},
		{"garbage", garbage},
		{"wrong schema", wrongSchema},
		{"broken actor", badActorMsg},
		{"sparse after a broken actor", encode(sparse)},
		{"full after errors", encode(full())},
		{"more spans", encode(moreSpans)},
		{"no spans after more", encode(noSpans)},
		{"unpacked spans", unpacked},
		{"overflowing span", overflow},
		{"ten-byte span", wide},
		{"truncated span", truncated},
		{"unpacked spans again", unpacked},
		{"full after odd spans", encode(full())},
		{"article in parts", splitArticle},
		{"times at the epoch", encode(epoch)},
		{"no times after some", encode(sparse)},
		{"times after none", encode(full())},
	}
	var c newsroomv1.ClassifiedArticle
	for _, s := range sequence {
		want, wantErr := record.DecodeClassified(s.m)
		err := record.DecodeClassifiedInto(s.m, &c)
		if (err == nil) != (wantErr == nil) || (err != nil && err.Error() != wantErr.Error()) {
			t.Fatalf("%s: error %v, want %v", s.name, err, wantErr)
		}
		if err == nil && !proto.Equal(&c, want) {
			t.Fatalf("%s: decoded\n%v\nwant\n%v", s.name, &c, want)
		}
	}
	if e := (record.DecodeClassifiedInto(badActorMsg, &c)); e == nil || !strings.Contains(e.Error(), "decoding") {
		t.Errorf("broken actor: error %v, want a decode error", e)
	}
}

// TestDecodeClassifiedIntoDamaged decodes every truncation of a full
// record and every one-byte change of it, each after a full record into
// the same message: the message or the error is DecodeClassified's.
func TestDecodeClassifiedIntoDamaged(t *testing.T) {
	good, err := record.EncodeClassified(full())
	if err != nil {
		t.Fatal(err)
	}
	var damaged [][]byte
	for n := range len(good.Value) {
		damaged = append(damaged, good.Value[:n])
		for _, b := range []byte{0x00, 0x7f, 0x80, 0xff} {
			v := slices.Clone(good.Value)
			v[n] = b
			damaged = append(damaged, v)
		}
	}
	var c newsroomv1.ClassifiedArticle
	for _, v := range damaged {
		if err := record.DecodeClassifiedInto(good, &c); err != nil {
			t.Fatal(err)
		}
		m := good
		m.Value = v
		want, wantErr := record.DecodeClassified(m)
		err := record.DecodeClassifiedInto(m, &c)
		if (err == nil) != (wantErr == nil) || (err != nil && err.Error() != wantErr.Error()) {
			t.Fatalf("% x: error %v, want %v", v, err, wantErr)
		}
		if err == nil && !proto.Equal(&c, want) {
			t.Fatalf("% x: decoded\n%v\nwant\n%v", v, &c, want)
		}
	}
}

// TestDecodeClassifiedIntoReuses checks that decoding a record like the
// previous one allocates less than DecodeClassified does: the message,
// its article and its lists are reused.
func TestDecodeClassifiedIntoReuses(t *testing.T) {
	m, err := record.EncodeClassified(full())
	if err != nil {
		t.Fatal(err)
	}
	var c newsroomv1.ClassifiedArticle
	into := testing.AllocsPerRun(100, func() {
		if err := record.DecodeClassifiedInto(m, &c); err != nil {
			t.Fatal(err)
		}
	})
	fresh := testing.AllocsPerRun(100, func() {
		if _, err := record.DecodeClassified(m); err != nil {
			t.Fatal(err)
		}
	})
	// Reused: the message, the article, the four lists' arrays, the six
	// entities, and the three mentions, one point and three alias arrays
	// they hold, with the mentions' spans, and the three timestamps.
	if into > fresh-25 {
		t.Errorf("DecodeClassifiedInto: %v allocations a record, DecodeClassified %v: want 25 fewer", into, fresh)
	}
}

// FuzzDecodeClassifiedInto decodes a full record, then the fuzzed value,
// into one message: the message or the error is DecodeClassified's.
// Seeds: records whose entities differ in their parts from the full one's.
func FuzzDecodeClassifiedInto(f *testing.F) {
	good, err := record.EncodeClassified(full())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good.Value)
	sparse := full()
	sparse.Actors[0].Mention, sparse.Actors[1].Mention = nil, &newsroomv1.Mention{}
	sparse.Locations[0].Point, sparse.Article.PublishedAt = &newsroomv1.GeoPoint{}, nil
	if m, err := record.EncodeClassified(sparse); err == nil {
		f.Add(m.Value)
	}
	f.Fuzz(func(t *testing.T, value []byte) {
		var c newsroomv1.ClassifiedArticle
		if err := record.DecodeClassifiedInto(good, &c); err != nil {
			t.Fatal(err)
		}
		m := good
		m.Value = value
		want, wantErr := record.DecodeClassified(m)
		err := record.DecodeClassifiedInto(m, &c)
		if (err == nil) != (wantErr == nil) || (err != nil && err.Error() != wantErr.Error()) {
			t.Fatalf("% x: error %v, want %v", value, err, wantErr)
		}
		if err == nil && !proto.Equal(&c, want) {
			t.Fatalf("% x: decoded\n%v\nwant\n%v", value, &c, want)
		}
	})
}
