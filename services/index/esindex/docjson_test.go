package esindex

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/timestamppb"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
)

// marshalDocument is the reference encoding: what the index service wrote
// before AppendDocument.
func marshalDocument(c *newsroomv1.ClassifiedArticle) ([]byte, error) {
	return json.Marshal(NewDocument(c))
}

// checkSame fails t unless AppendDocument, appending to a non-empty
// buffer, writes exactly json.Marshal(NewDocument(c)) or fails with the
// same error text. It returns the document.
func checkSame(t testing.TB, c *newsroomv1.ClassifiedArticle) []byte {
	t.Helper()
	want, wantErr := marshalDocument(c)
	prefix := []byte("prefix;")
	got, err := AppendDocument(bytes.Clone(prefix), c)
	switch {
	case wantErr != nil || err != nil:
		if wantErr == nil || err == nil || err.Error() != wantErr.Error() {
			t.Fatalf("AppendDocument error %v, json.Marshal error %v\nmessage: %v", err, wantErr, c)
		}
		if !bytes.Equal(got, prefix) {
			t.Fatalf("after an error AppendDocument returned %q, want the buffer as given %q", got, prefix)
		}
		return nil
	case !bytes.HasPrefix(got, prefix):
		t.Fatalf("AppendDocument overwrote the buffer's start: %.40q", got)
	}
	if got := got[len(prefix):]; !bytes.Equal(got, want) {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		t.Fatalf("documents differ at byte %d\n got: %q\nwant: %q\nmessage: %v",
			i, got[max(0, i-40):min(len(got), i+40)], want[max(0, i-40):min(len(want), i+40)], c)
	}
	return got[len(prefix):]
}

func TestAppendDocument(t *testing.T) {
	at := func(sec int64, nsec int32) *timestamppb.Timestamp {
		return &timestamppb.Timestamp{Seconds: sec, Nanos: nsec}
	}
	art := func(id string) *newsroomv1.Article { return &newsroomv1.Article{Id: id} }
	const lists = `"actors":[],"weapons":[],"locations":[],"weapon_categories":[],"countries":[]}`
	loc := func(lat, lon float64) *newsroomv1.ClassifiedArticle {
		return &newsroomv1.ClassifiedArticle{Article: art("a"), Locations: []*newsroomv1.Location{{Id: "l", Name: "L", Point: &newsroomv1.GeoPoint{Lat: lat, Lon: lon}}}}
	}
	locDoc := func(point string) string {
		return `{"id":"a","actors":[],"weapons":[],"locations":[{"id":"l","name":"L","key":"l|L","point":` + point + `}],"weapon_categories":[],"countries":[]}`
	}
	tests := []struct {
		name    string
		c       *newsroomv1.ClassifiedArticle
		want    string // the document; empty when it fails
		wantErr string
	}{
		{"nil message", nil, `{"id":"",` + lists, ""},
		{"no article", &newsroomv1.ClassifiedArticle{}, `{"id":"",` + lists, ""},
		{"every article field, in struct order", &newsroomv1.ClassifiedArticle{
			Article: &newsroomv1.Article{Id: "a1", Url: "https://example.com/x?a=1&b=2", Source: "example.com", Title: "T", Body: "B",
				Language: "en", PublishedAt: at(1735689600, 0), IngestedAt: at(1735689601, 123456789), Revision: "abc", TraceId: "0123"},
			ClassifierVersion: "v1+cafe", ClassifiedAt: at(1735689602, 120000000),
		}, `{"id":"a1","url":"https://example.com/x?a=1\u0026b=2","source":"example.com","title":"T","body":"B","language":"en",` +
			`"published_at":"2025-01-01T00:00:00Z","ingested_at":"2025-01-01T00:00:01.123456789Z","classified_at":"2025-01-01T00:00:02.12Z",` +
			`"revision":"abc","classifier_version":"v1+cafe","trace_id":"0123",` + lists, ""},
		{"zero timestamp is 1970, not omitted", &newsroomv1.ClassifiedArticle{Article: &newsroomv1.Article{Id: "a", PublishedAt: at(0, 0)}},
			`{"id":"a","published_at":"1970-01-01T00:00:00Z",` + lists, ""},
		{"year 0 still encodes", &newsroomv1.ClassifiedArticle{Article: &newsroomv1.Article{Id: "a", IngestedAt: at(-62167219200, 1)}},
			`{"id":"a","ingested_at":"0000-01-01T00:00:00.000000001Z",` + lists, ""},
		{"year 10000 fails like json.Marshal", &newsroomv1.ClassifiedArticle{Article: art("a"), ClassifiedAt: at(253402300800, 0)},
			"", "json: error calling MarshalJSON for type *time.Time: Time.MarshalJSON: year outside of range [0,9999]"},
		{"escaping: quotes, backslash, HTML, short and long control forms", &newsroomv1.ClassifiedArticle{
			Article: &newsroomv1.Article{Id: "a", Title: "\"q\" \\ <b> & \b\f\n\r\t \x00\x01\x1f\x7f"}},
			`{"id":"a","title":"\"q\" \\ \u003cb\u003e \u0026 \b\f\n\r\t \u0000\u0001\u001f` + "\x7f" + `",` + lists, ""},
		{"escaping: line and paragraph separators, invalid UTF-8, multi-byte runes", &newsroomv1.ClassifiedArticle{
			Article: &newsroomv1.Article{Id: "a", Body: "a\u2028b\u2029c \xff \xe2\x80 \xc0\xaf \xed\xa0\x80 é € 日本 😀"}},
			`{"id":"a","body":"a\u2028b\u2029c \ufffd \ufffd\ufffd \ufffd\ufffd \ufffd\ufffd\ufffd é € 日本 😀",` + lists, ""},
		{"entities: kinds, unknown kinds omitted, mentions, key", &newsroomv1.ClassifiedArticle{
			Article: art("a"),
			Actors: []*newsroomv1.Actor{{Id: "p", Name: "P", Kind: newsroomv1.ActorKind_ACTOR_KIND_PERSON, Mention: &newsroomv1.Mention{Count: 3}},
				{Id: "x", Name: "X<", Kind: newsroomv1.ActorKind(9), Mention: &newsroomv1.Mention{Count: -1}}},
			Weapons:          []*newsroomv1.Weapon{{Id: "w", Name: "W", Category: "drone"}, nil},
			Locations:        []*newsroomv1.Location{{Id: "s", Name: "Sea", Kind: newsroomv1.LocationKind(42)}},
			WeaponCategories: []string{"drone", ""},
		}, `{"id":"a","actors":[{"id":"p","name":"P","key":"p|P","kind":"person","mentions":3,"first_offset":0},{"id":"x","name":"X\u003c","key":"x|X\u003c","mentions":-1,"first_offset":0}],` +
			`"weapons":[{"id":"w","name":"W","key":"w|W","category":"drone"},{"id":"","name":"","key":"|"}],` +
			`"locations":[{"id":"s","name":"Sea","key":"s|Sea"}],"weapon_categories":["drone",""],"countries":[]}`, ""},
		{"key of invalid UTF-8 halves", &newsroomv1.ClassifiedArticle{Article: art("a"), Actors: []*newsroomv1.Actor{{Id: "\xe2\x80", Name: "\xa8"}}},
			`{"id":"a","actors":[{"id":"\ufffd\ufffd","name":"\ufffd","key":"\ufffd\ufffd|\ufffd"}],"weapons":[],"locations":[],"weapon_categories":[],"countries":[]}`, ""},
		{"countries sorted and distinct, empty skipped", &newsroomv1.ClassifiedArticle{Article: art("a"), Locations: []*newsroomv1.Location{
			{Id: "1", CountryCode: "UA"}, {Id: "2", CountryCode: "HU"}, {Id: "3"}, {Id: "4", CountryCode: "UA"}, {Id: "5", CountryCode: "AT"}}},
			`{"id":"a","actors":[],"weapons":[],"locations":[{"id":"1","name":"","key":"1|","country_code":"UA"},{"id":"2","name":"","key":"2|","country_code":"HU"},` +
				`{"id":"3","name":"","key":"3|"},{"id":"4","name":"","key":"4|","country_code":"UA"},{"id":"5","name":"","key":"5|","country_code":"AT"}],` +
				`"weapon_categories":[],"countries":["AT","HU","UA"]}`, ""},
		{"point at zero is kept", loc(0, 0), locDoc(`{"lat":0,"lon":0}`), ""},
		{"negative zero", loc(math.Copysign(0, -1), -1.5), locDoc(`{"lat":-0,"lon":-1.5}`), ""},
		{"tiny values in e notation", loc(1e-7, -2.5e-10), locDoc(`{"lat":1e-7,"lon":-2.5e-10}`), ""},
		{"1e-6 is still plain", loc(1e-6, 0.000123), locDoc(`{"lat":0.000001,"lon":0.000123}`), ""},
		{"huge values switch to e at 1e21", loc(1e20, 1e21), locDoc(`{"lat":100000000000000000000,"lon":1e+21}`), ""},
		{"extremes", loc(math.MaxFloat64, 5e-324), locDoc(`{"lat":1.7976931348623157e+308,"lon":5e-324}`), ""},
		{"ordinary coordinates", loc(50.4501, 30.5234), locDoc(`{"lat":50.4501,"lon":30.5234}`), ""},
		{"NaN fails", loc(math.NaN(), 0), "", "json: unsupported value: NaN"},
		{"+Inf fails", loc(0, math.Inf(1)), "", "json: unsupported value: +Inf"},
		{"-Inf fails", loc(math.Inf(-1), 0), "", "json: unsupported value: -Inf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := AppendDocument(nil, tt.c)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				var uve *json.UnsupportedValueError
				var me *json.MarshalerError
				if !errors.As(err, &uve) && !errors.As(err, &me) {
					t.Errorf("error is a %T, want json.Marshal's type", err)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, string(got)); diff != "" {
				t.Errorf("document (-want +got):\n%s", diff)
			}
			checkSame(t, tt.c)
		})
	}
}

// TestAppendDocumentDifferential compares AppendDocument with
// json.Marshal(NewDocument(c)) on random messages.
func TestAppendDocumentDifferential(t *testing.T) {
	n := 20000
	if testing.Short() {
		n = 2000
	}
	r := rand.New(rand.NewPCG(1, 2))
	failed := 0
	for i := 0; i < n; i++ {
		c := randomClassified(r)
		if _, err := marshalDocument(c); err != nil {
			failed++
		}
		checkSame(t, c)
	}
	// The generator must reach the error paths, but rarely.
	if failed == 0 || failed > n/4 {
		t.Errorf("%d of %d random messages fail to encode, want some but few", failed, n)
	}
	t.Logf("%d random messages identical (%d of them failing identically)", n, failed)
}

func TestAppendDocumentAllocs(t *testing.T) {
	c := randomClassified(rand.New(rand.NewPCG(3, 4)))
	c.Locations = c.Locations[:min(len(c.Locations), 20)]
	for _, l := range c.Locations {
		if l.GetPoint() != nil {
			l.Point = &newsroomv1.GeoPoint{Lat: 1, Lon: 2}
		}
	}
	for _, ts := range []**timestamppb.Timestamp{&c.ClassifiedAt, &c.Article.PublishedAt, &c.Article.IngestedAt} {
		*ts = timestamppb.New(time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC))
	}
	buf := make([]byte, 0, 1<<20)
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := AppendDocument(buf[:0], c); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("AppendDocument into a large enough buffer allocates %v times, want 0", allocs)
	}
}

// TestNextSpecial checks the word-at-a-time scan against the byte table
// for every byte value at every position, alone and after each other byte
// value earlier in the word: it must find the first special byte, or the
// first of the three plain ones it takes along, exactly.
func TestNextSpecial(t *testing.T) {
	first := func(w []byte) int { // the reference
		for i, b := range w {
			if !plain[b] || b == '^' || b == '|' || b == '~' {
				return i
			}
		}
		return 8
	}
	got := func(w []byte) int {
		return nextSpecial(string(w), 0)
	}
	for a := 0; a < 256; a++ {
		for i := 0; i < 8; i++ {
			w := []byte("abcdefgh")
			w[i] = byte(a)
			if got, want := got(w), first(w); got != want {
				t.Fatalf("word %q: first special byte at %d, want %d", w, got, want)
			}
			for b := 0; b < 256; b++ {
				for j := i + 1; j < 8; j++ {
					w2 := bytes.Clone(w)
					w2[j] = byte(b)
					if got, want := got(w2), first(w2); got != want {
						t.Fatalf("word %q: first special byte at %d, want %d", w2, got, want)
					}
				}
			}
		}
	}
	if plain['a'] != true || plain['<'] || plain[0x80] || !plain[0x7f] {
		t.Error("byte table is wrong")
	}
}

// FuzzAppendDocument compares the encoders on a message decoded from wire
// (or an empty one when wire does not decode) into which the fuzzed
// string, coordinates and time are put: the wire format only carries valid
// UTF-8, the string argument anything. Seeds: random messages.
func FuzzAppendDocument(f *testing.F) {
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 64; i++ {
		c := randomClassified(r)
		validUTF8(c.ProtoReflect())
		wire, err := proto.Marshal(c)
		if err != nil {
			f.Fatal(err)
		}
		ts := randomTimestamp(r)
		f.Add(wire, randomString(r), randomFloat(r), randomFloat(r), ts.GetSeconds(), ts.GetNanos())
	}
	f.Fuzz(func(t *testing.T, wire []byte, s string, lat, lon float64, sec int64, nsec int32) {
		c := &newsroomv1.ClassifiedArticle{}
		if proto.Unmarshal(wire, c) != nil {
			c = &newsroomv1.ClassifiedArticle{}
		}
		if c.Article == nil {
			c.Article = &newsroomv1.Article{}
		}
		c.Article.Title = s
		c.ClassifiedAt = &timestamppb.Timestamp{Seconds: sec, Nanos: nsec}
		c.Locations = append(c.Locations, &newsroomv1.Location{Id: s, Name: s, CountryCode: s, Point: &newsroomv1.GeoPoint{Lat: lat, Lon: lon}})
		checkSame(t, c)
	})
}

// validUTF8 replaces invalid UTF-8 in m's strings, which proto.Marshal
// refuses.
func validUTF8(m protoreflect.Message) {
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsList() && fd.Kind() == protoreflect.StringKind:
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				l.Set(i, protoreflect.ValueOfString(strings.ToValidUTF8(l.Get(i).String(), "?")))
			}
		case fd.IsList() && fd.Kind() == protoreflect.MessageKind:
			l := v.List()
			for i := 0; i < l.Len(); i++ {
				validUTF8(l.Get(i).Message())
			}
		case fd.Kind() == protoreflect.StringKind:
			m.Set(fd, protoreflect.ValueOfString(strings.ToValidUTF8(v.String(), "?")))
		case fd.Kind() == protoreflect.MessageKind:
			validUTF8(v.Message())
		}
		return true
	})
}

// FuzzAppendString compares the string escaping with encoding/json's on
// arbitrary strings, also as an entity's id and name (the key joins them).
func FuzzAppendString(f *testing.F) {
	r := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 64; i++ {
		f.Add(randomString(r), randomString(r))
	}
	f.Add("\u2028\u2029<>&", "\xe2\x80")
	f.Fuzz(func(t *testing.T, a, b string) {
		want, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendString(nil, a); !bytes.Equal(got, want) {
			t.Fatalf("appendString(%q) = %s, want %s", a, got, want)
		}
		checkSame(t, &newsroomv1.ClassifiedArticle{Article: &newsroomv1.Article{Id: a, Body: b},
			Actors: []*newsroomv1.Actor{{Id: a, Name: b}}, WeaponCategories: []string{b}})
	})
}

// FuzzAppendFloat compares the coordinate formatting with encoding/json's.
func FuzzAppendFloat(f *testing.F) {
	r := rand.New(rand.NewPCG(9, 10))
	for i := 0; i < 64; i++ {
		f.Add(randomFloat(r))
	}
	for _, v := range []float64{0, 1e-6, 1e-7, 1e21, 1e20, -1e-320, math.MaxFloat64, math.NaN(), math.Inf(-1)} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v float64) {
		want, wantErr := json.Marshal(v)
		got, err := appendFloat([]byte{}, v)
		if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
			t.Fatalf("appendFloat(%v) error %v, json.Marshal error %v", v, err, wantErr)
		}
		if err == nil && !bytes.Equal(got, want) {
			t.Fatalf("appendFloat(%v) = %s, want %s", v, got, want)
		}
	})
}

// randomClassified makes a message that exercises every rule of the
// encoding: nil and odd timestamps, every kind of string, unknown enum
// kinds, nil and extreme points, many entities, duplicate countries, nil
// list elements, and now and then a value json.Marshal refuses.
func randomClassified(r *rand.Rand) *newsroomv1.ClassifiedArticle {
	c := &newsroomv1.ClassifiedArticle{ClassifierVersion: randomString(r), ClassifiedAt: randomTimestamp(r)}
	if r.IntN(20) != 0 {
		c.Article = &newsroomv1.Article{Id: randomString(r), Url: randomString(r), Source: randomString(r), Title: randomString(r),
			Body: randomBody(r), Language: randomString(r), PublishedAt: randomTimestamp(r), IngestedAt: randomTimestamp(r),
			Revision: randomString(r), TraceId: randomString(r)}
	}
	for range randomCount(r) {
		var a *newsroomv1.Actor
		if r.IntN(30) != 0 {
			a = &newsroomv1.Actor{Id: randomID(r), Name: randomString(r), Kind: newsroomv1.ActorKind(r.IntN(5) - 1), Mention: randomMention(r),
				Aliases: randomAliases(r)}
		}
		c.Actors = append(c.Actors, a)
	}
	for range randomCount(r) {
		var w *newsroomv1.Weapon
		if r.IntN(30) != 0 {
			w = &newsroomv1.Weapon{Id: randomID(r), Name: randomString(r), Category: randomString(r), Mention: randomMention(r),
				Aliases: randomAliases(r)}
		}
		c.Weapons = append(c.Weapons, w)
	}
	countries := []string{"", "UA", "US", "HU", "RU", "GB", "ua", "<&>", "\xff", "É"}
	for range randomCount(r) {
		var l *newsroomv1.Location
		if r.IntN(30) != 0 {
			l = &newsroomv1.Location{Id: randomID(r), Name: randomString(r), Kind: newsroomv1.LocationKind(r.IntN(7) - 1),
				CountryCode: countries[r.IntN(len(countries))], Point: randomPoint(r), Mention: randomMention(r), Aliases: randomAliases(r)}
			if r.IntN(4) == 0 {
				l.CountryCode = randomString(r)
			}
		}
		c.Locations = append(c.Locations, l)
	}
	for range randomCount(r) {
		c.WeaponCategories = append(c.WeaponCategories, randomString(r))
	}
	return c
}

// randomCount is a list length: mostly short, sometimes empty or long
// (beyond the 32 country codes AppendDocument sorts on the stack).
func randomCount(r *rand.Rand) int {
	switch r.IntN(10) {
	case 0:
		return 0
	case 1:
		return 30 + r.IntN(150)
	}
	return r.IntN(8)
}

// stringPieces are the fragments random strings are made of.
var stringPieces = func() []string {
	p := []string{"", "a", "Kyiv", "HIMARS", " ", "|", `"`, `\`, "<", ">", "&", "<script>", "\u2028", "\u2029", "é", "€", "日本",
		"😀", "\U0010FFFF", "\u00a0", "\ufeff", "\ufffd", "\x7f",
		"\xff", "\xfe", "\x80", "\xe2\x80", "\xe2\x80\xa8"[:2], "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf0\x9f\x98",
		strings.Repeat("plain ascii text ", 3)}
	for b := 0; b < 0x20; b++ {
		p = append(p, string(rune(b)))
	}
	return p
}()

func randomString(r *rand.Rand) string {
	switch r.IntN(6) {
	case 0:
		return ""
	case 1: // arbitrary bytes
		b := make([]byte, r.IntN(24))
		for i := range b {
			b[i] = byte(r.UintN(256))
		}
		return string(b)
	}
	var sb strings.Builder
	for range r.IntN(9) {
		sb.WriteString(stringPieces[r.IntN(len(stringPieces))])
	}
	return sb.String()
}

// randomBody is article-like text: long plain runs with the odd special
// character, so that the word-at-a-time scan meets them at every offset.
func randomBody(r *rand.Rand) string {
	var sb strings.Builder
	for range r.IntN(40) {
		sb.WriteString(strings.Repeat("x", r.IntN(20)))
		sb.WriteString(stringPieces[r.IntN(len(stringPieces))])
	}
	return sb.String()
}

func randomTimestamp(r *rand.Rand) *timestamppb.Timestamp {
	switch r.IntN(12) {
	case 0, 1:
		return nil
	case 2:
		return &timestamppb.Timestamp{}
	case 3: // nanoseconds with trailing zeros, or none
		return &timestamppb.Timestamp{Seconds: 1735689600 + r.Int64N(1e8), Nanos: int32(r.IntN(1000)) * []int32{1, 1000, 1e6}[r.IntN(3)]}
	case 4: // before 1970
		return &timestamppb.Timestamp{Seconds: -r.Int64N(62135596800), Nanos: int32(r.IntN(1e9))}
	case 5: // out of range nanos, which AsTime normalizes
		return &timestamppb.Timestamp{Seconds: r.Int64N(2e9), Nanos: int32(r.Uint32())}
	case 6: // near the ends of the years json.Marshal accepts
		if r.IntN(30) == 0 {
			return &timestamppb.Timestamp{Seconds: 253402300800 + r.Int64N(1e6)} // year 10000
		}
		return &timestamppb.Timestamp{Seconds: []int64{-62167219200, 253402300799}[r.IntN(2)], Nanos: int32(r.IntN(1e9))}
	}
	return &timestamppb.Timestamp{Seconds: r.Int64N(4e9), Nanos: int32(r.IntN(1e9))}
}

func randomMention(r *rand.Rand) *newsroomv1.Mention {
	switch r.IntN(5) {
	case 0:
		return nil
	case 1:
		return &newsroomv1.Mention{}
	case 2:
		return &newsroomv1.Mention{Count: int32(r.Uint32())}
	}
	m := &newsroomv1.Mention{Count: int32(1 + r.IntN(20)), FirstOffset: int32(r.IntN(5000))}
	for range r.IntN(6) {
		m.Spans = append(m.Spans, r.Uint32N(5000), []uint32{r.Uint32N(40), r.Uint32()}[r.IntN(2)])
	}
	return m
}

// randomID is a catalog-like or a generated id (which gets lookup values).
func randomID(r *rand.Rand) string {
	if r.IntN(2) == 0 {
		return "gen:person:" + randomString(r)
	}
	return randomString(r)
}

// randomAliases are none, or a few names that may repeat or fold alike.
func randomAliases(r *rand.Rand) []string {
	var out []string
	for range r.IntN(4) {
		out = append(out, []string{randomString(r), "Ada", "ADA", "Åda", ""}[r.IntN(5)])
	}
	return out
}

func randomPoint(r *rand.Rand) *newsroomv1.GeoPoint {
	if r.IntN(4) == 0 {
		return nil
	}
	return &newsroomv1.GeoPoint{Lat: randomFloat(r), Lon: randomFloat(r)}
}

func randomFloat(r *rand.Rand) float64 {
	switch r.IntN(16) {
	case 0:
		return 0
	case 1:
		return math.Copysign(0, -1)
	case 2:
		return []float64{1e-7, -1e-7, 1e-6, 9.99999e-7, 1e21, -1e21, 1e20, 999999999999999999999.0, math.MaxFloat64, 5e-324,
			math.SmallestNonzeroFloat64 * 3, 1e-300, 123456789e-15}[r.IntN(13)]
	case 3: // any exponent
		return math.Float64frombits(r.Uint64())
	case 4:
		if r.IntN(40) == 0 {
			return []float64{math.NaN(), math.Inf(1), math.Inf(-1)}[r.IntN(3)]
		}
		return -r.Float64() * 180
	case 5:
		return math.Ldexp(r.Float64(), r.IntN(160)-80)
	}
	return (r.Float64()*2 - 1) * 180 // coordinates
}

// TestDocumentSchema fails when the Document, Entity or GeoPoint fields
// change: AppendDocument writes the same fields by hand and must change
// with them (then update this list).
func TestDocumentSchema(t *testing.T) {
	tags := func(v any) []string {
		var out []string
		rt := reflect.TypeOf(v)
		for i := 0; i < rt.NumField(); i++ {
			out = append(out, rt.Field(i).Type.String()+" "+rt.Field(i).Tag.Get("json"))
		}
		return out
	}
	got := map[string][]string{"Document": tags(Document{}), "Entity": tags(Entity{}), "GeoPoint": tags(GeoPoint{})}
	want := map[string][]string{
		"Document": {"string id", "string url,omitempty", "string source,omitempty", "string title,omitempty", "string body,omitempty",
			"string language,omitempty", "*time.Time published_at,omitempty", "*time.Time ingested_at,omitempty",
			"*time.Time classified_at,omitempty", "string revision,omitempty", "string classifier_version,omitempty",
			"string trace_id,omitempty", "[]esindex.Entity actors", "[]esindex.Entity weapons", "[]esindex.Entity locations",
			"[]string weapon_categories", "[]string countries"},
		"Entity": {"string id", "string name", "string key", "string kind,omitempty", "string category,omitempty",
			"string country_code,omitempty", "*esindex.GeoPoint point,omitempty", "int32 mentions,omitempty",
			"*int32 first_offset,omitempty", "[]uint32 spans,omitempty", "[]string aliases,omitempty", "[]string lookup,omitempty"},
		"GeoPoint": {"float64 lat", "float64 lon"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("document schema changed: change AppendDocument to match, then this list (-want +got):\n%s", diff)
	}
}
