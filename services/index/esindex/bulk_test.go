package esindex

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
)

func TestEncodeActions(t *testing.T) {
	ops := []Op{
		{ID: "plain-id", Version: 1734000000000001, Doc: []byte(`{"title":"a"}`)},
		{ID: `odd "id" \ with é and` + "\x01", Version: 7, Doc: []byte(`{"title":"b"}`)},
		{ID: "gone", Version: 9, Delete: true},
	}
	tests := []struct {
		name         string
		index        string
		requireAlias bool
	}{
		{"alias", "articles", true},
		{"index", "articles-v2", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &Bulk{Index: tt.index, RequireAlias: tt.requireAlias}
			bt, bad := b.batch(nil, ops)
			body, sent := bt.body, bt.Ops()
			if len(sent) != len(ops) || bad != nil {
				t.Fatalf("encode sent %d of %d ops, rejected %v", len(sent), len(ops), bad)
			}
			if !bytes.HasSuffix(body, []byte("\n")) {
				t.Fatal("a _bulk body must end with a newline")
			}
			var lines []map[string]any
			sc := bufio.NewScanner(bytes.NewReader(body))
			for sc.Scan() {
				var m map[string]any
				if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
					t.Fatalf("line %q is not JSON: %v", sc.Text(), err)
				}
				lines = append(lines, m)
			}
			meta := func(id string, version float64) map[string]any {
				m := map[string]any{"_index": tt.index, "_id": id, "version": version, "version_type": "external_gte"}
				if tt.requireAlias {
					m["require_alias"] = true
				}
				return m
			}
			want := []map[string]any{
				{"index": meta("plain-id", 1734000000000001)}, {"title": "a"},
				{"index": meta(ops[1].ID, 7)}, {"title": "b"},
				{"delete": meta("gone", 9)},
			}
			if diff := cmp.Diff(want, lines); diff != "" {
				t.Errorf("bulk body (-want +got):\n%s", diff)
			}
			if cap(body) < len(body) || cap(body) > len(body)+len(ops)*actionBytes {
				t.Errorf("body of %d bytes has capacity %d: not allocated once", len(body), cap(body))
			}
		})
	}
}

// TestEncodeSources checks that ops carrying the classified article are
// encoded straight into the body as AppendDocument encodes them, and that
// one that cannot be encoded is left out of the body and rejected, with
// the ops around it still sent in order.
func TestEncodeSources(t *testing.T) {
	article := func(id string, lat float64) *newsroomv1.ClassifiedArticle {
		return &newsroomv1.ClassifiedArticle{Article: &newsroomv1.Article{Id: id, Title: "t <" + id + ">", Body: "b\n\u2028"},
			Locations: []*newsroomv1.Location{{Id: "l", Name: "L", Point: &newsroomv1.GeoPoint{Lat: lat, Lon: 30.5}}}}
	}
	for _, tt := range []struct {
		name     string
		ops      []Op
		wantSent []string
		wantBad  []string
	}{
		{"all encodable", []Op{
			{ID: "a", Version: 1, Source: article("a", 50)},
			{ID: "d", Version: 2, Delete: true},
			{ID: "b", Version: 3, Doc: []byte(`{"title":"b"}`)},
			{ID: "c", Version: 4, Source: article("c", -1e-7)},
		}, []string{"a", "d", "b", "c"}, nil},
		{"NaN in the middle", []Op{
			{ID: "a", Version: 1, Source: article("a", 50)},
			{ID: "nan", Version: 2, Source: article("nan", math.NaN())},
			{ID: "c", Version: 3, Source: article("c", 1)},
			{ID: "inf", Version: 4, Source: article("inf", math.Inf(1))},
		}, []string{"a", "c"}, []string{"nan", "inf"}},
		{"only unencodable", []Op{{ID: "nan", Version: 1, Source: article("nan", math.NaN())}}, nil, []string{"nan"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := &Bulk{Index: "articles", RequireAlias: true}
			bt, bad := b.batch(nil, tt.ops)
			body, sent := bt.body, bt.Ops()
			var gotSent, gotBad []string
			var want []byte
			for _, op := range sent {
				gotSent = append(gotSent, op.ID)
				doc, err := op.Document()
				if err != nil {
					t.Fatal(err)
				}
				want, _, _ = appendAction(want, b.Index, b.RequireAlias, Op{ID: op.ID, Version: op.Version, Delete: op.Delete, Doc: doc})
			}
			for _, r := range bad {
				gotBad = append(gotBad, r.Op.ID)
				if r.Status != StatusUnencodable || !strings.HasPrefix(r.Reason, "json: unsupported value: ") {
					t.Errorf("rejection of %s: status %d, reason %q", r.Op.ID, r.Status, r.Reason)
				}
			}
			if diff := cmp.Diff(tt.wantSent, gotSent); diff != "" {
				t.Errorf("sent (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.wantBad, gotBad); diff != "" {
				t.Errorf("rejected (-want +got):\n%s", diff)
			}
			if !bytes.Equal(body, want) {
				t.Errorf("body is not the sent ops' actions and documents:\n got: %q\nwant: %q", body, want)
			}
		})
	}
}

func TestOpDocument(t *testing.T) {
	c := &newsroomv1.ClassifiedArticle{Article: &newsroomv1.Article{Id: "a", Title: "x"}}
	want, err := json.Marshal(NewDocument(c))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := (Op{ID: "a", Source: c}).Document(); err != nil || !bytes.Equal(got, want) {
		t.Errorf("Document() of a Source op = %s, %v; want %s", got, err, want)
	}
	if got, _ := (Op{ID: "a", Doc: []byte(`{}`), Source: c}).Document(); string(got) != `{}` {
		t.Errorf("Document() with Doc set = %s, want Doc", got)
	}
	c.Locations = []*newsroomv1.Location{{Point: &newsroomv1.GeoPoint{Lat: math.NaN()}}}
	if _, err := (Op{ID: "a", Source: c}).Document(); err == nil {
		t.Error("Document() of a NaN coordinate gave no error")
	}
}

func TestChunkEnd(t *testing.T) {
	doc := func(n int) Op { return Op{ID: "x", Doc: make([]byte, n)} }
	source := &newsroomv1.ClassifiedArticle{Article: &newsroomv1.Article{Id: "s", Body: strings.Repeat("b", 1000)}}
	ops := []Op{doc(800), doc(800), {ID: "d", Delete: true}, doc(5000), doc(100), {ID: "s", Source: source}}
	// Sizes with actionBytes (200): 1000, 1000, 200, 5200, 300, and the
	// Source's hint plus 200.
	srcSize := documentSizeHint(source) + actionBytes
	for _, tc := range []struct {
		start, max, want int
	}{
		{0, 2000, 2},                // exactly full
		{0, 1999, 1},                // one byte short of the second
		{0, 2200, 3},                // the delete fits too
		{2, 1000, 3},                // the next op is larger than max alone
		{3, 100, 4},                 // an op larger than max goes alone
		{4, 300 + srcSize, 6},       // a Source op counts by its hint
		{4, 300 + srcSize - 1, 5},   // …and is cut by it
		{0, 1 << 30, len(ops)},      // everything
		{len(ops) - 1, 1, len(ops)}, // the last op alone
	} {
		if got := chunkEnd(ops, tc.start, tc.max); got != tc.want {
			t.Errorf("chunkEnd(from %d, max %d) = %d, want %d", tc.start, tc.max, got, tc.want)
		}
	}
}
