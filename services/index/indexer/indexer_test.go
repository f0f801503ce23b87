package indexer

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/segmentio/kafka-go"
	"go.uber.org/zap/zaptest"
	"google.golang.org/protobuf/types/known/timestamppb"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
	"github.com/deskwire/newsroom/services/classify/classifier/classifiertest"
	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/index/estest"
	"github.com/deskwire/newsroom/services/pipeline/record"
	"github.com/deskwire/newsroom/services/pipeline/stream"
)

func classified(t *testing.T, id string, ingested time.Time, edit func(*newsroomv1.ClassifiedArticle)) kafka.Message {
	t.Helper()
	c := &newsroomv1.ClassifiedArticle{
		Article: &newsroomv1.Article{Id: id, Title: "Title " + id, Body: "Body", IngestedAt: timestamppb.New(ingested), TraceId: "0123456789abcdef0123456789abcdef"},
		Actors:  []*newsroomv1.Actor{{Id: "vladimir-putin", Name: "Vladimir Putin", Kind: newsroomv1.ActorKind_ACTOR_KIND_PERSON}},
	}
	if edit != nil {
		edit(c)
	}
	m, err := record.EncodeClassified(c)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestOps(t *testing.T) {
	ingested := time.Date(2025, 10, 16, 8, 0, 0, 123456000, time.UTC)
	deleted := ingested.Add(time.Hour)
	recordTime := ingested.Add(2 * time.Hour)

	headerless := record.Tombstone("t2", "", deleted)
	headerless.Headers = nil
	headerless.Time = recordTime
	timeless := record.Tombstone("t3", "", deleted)
	timeless.Headers = nil
	mismatched := classified(t, "a2", ingested, nil)
	mismatched.Key = []byte("other")
	noKey := classified(t, "a3", ingested, nil)
	noKey.Key = nil
	longID := strings.Repeat("x", 513)

	batch := []kafka.Message{
		classified(t, "a1", ingested, nil),
		record.Tombstone("t1", "trace", deleted),
		headerless,
		timeless,
		{Key: []byte("poison"), Value: []byte("not protobuf \xff\xff")},
		mismatched,
		noKey,
		classified(t, longID, ingested, nil),
		classified(t, "nan", ingested, func(c *newsroomv1.ClassifiedArticle) {
			c.Locations = []*newsroomv1.Location{{Id: "x", Name: "X", Point: &newsroomv1.GeoPoint{Lat: math.NaN()}}}
		}),
		classified(t, "old", time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC), nil),
	}
	ops, failures := Ops(batch)

	type opSummary struct {
		ID      string
		Delete  bool
		Version int64
		Tag     int
	}
	var gotOps []opSummary
	for _, op := range ops {
		gotOps = append(gotOps, opSummary{op.ID, op.Delete, op.Version, op.Tag})
	}
	wantOps := []opSummary{
		{"a1", false, ingested.UnixMicro(), 0},
		{"t1", true, deleted.UnixMicro(), 1},
		{"t2", true, recordTime.UnixMicro(), 2},
	}
	if diff := cmp.Diff(wantOps, gotOps); diff != "" {
		t.Errorf("ops (-want +got):\n%s", diff)
	}
	var doc map[string]any
	raw, err := ops[0].Document()
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("document is not JSON: %v", err)
	}
	if doc["id"] != "a1" || doc["trace_id"] != "0123456789abcdef0123456789abcdef" {
		t.Errorf("document id/trace_id = %v/%v", doc["id"], doc["trace_id"])
	}

	type failSummary struct {
		Key, Reason, Err string
	}
	var gotFails []failSummary
	for _, f := range failures {
		gotFails = append(gotFails, failSummary{string(f.Msg.Key), f.Reason, f.Err.Error()})
	}
	wantFails := []failSummary{
		{"t3", ReasonInvalid, "tombstone has neither a deleted-at header nor a record time"},
		{"poison", ReasonDecode, ""},
		{"other", ReasonDecode, `decoding classified article: id "a2" does not match record key "other"`},
		{"", ReasonInvalid, "record has no key (the article id)"},
		{longID, ReasonInvalid, "article id is 513 bytes long: Elasticsearch allows 512"},
		// Its document has no JSON form (TestUnencodableDocumentDeadLettered).
		{"nan", ReasonInvalid, "encoding document nan: json: unsupported value: NaN"},
		{"old", ReasonInvalid, "article old was ingested before 1970: no valid version"},
	}
	if len(gotFails) != len(wantFails) {
		t.Fatalf("failures = %+v, want %d", gotFails, len(wantFails))
	}
	for i, w := range wantFails {
		g := gotFails[i]
		if g.Key != w.Key || g.Reason != w.Reason || (w.Err != "" && g.Err != w.Err) || g.Err == "" {
			t.Errorf("failure %d = %+v, want %+v", i, g, w)
		}
	}
}

// TestOpsDocuments checks that every index op of a batch carries its
// record's document, exactly json.Marshal(NewDocument(c)), for long escaped
// bodies and many entities, with nothing of the article decoded before it
// (each record is decoded into one reused message), and that articles
// without a JSON form (an infinite coordinate) are failures.
func TestOpsDocuments(t *testing.T) {
	ingested := time.Date(2025, 10, 16, 8, 0, 0, 123456000, time.UTC)
	var batch []kafka.Message
	for i := range 60 {
		id := "a" + strconv.Itoa(i)
		batch = append(batch, classified(t, id, ingested, func(c *newsroomv1.ClassifiedArticle) {
			switch i % 4 {
			case 1: // six bytes of JSON for each byte of the record
				c.Article.Body = strings.Repeat("\x01<", 2000+i)
			case 2: // many entities
				for j := range 100 + i {
					c.Locations = append(c.Locations, &newsroomv1.Location{Id: "l" + strconv.Itoa(j), Name: "L", CountryCode: "UA",
						Point: &newsroomv1.GeoPoint{Lat: 1e-7 * float64(j), Lon: -180}})
				}
			case 3:
				if i%8 == 3 {
					c.Locations = []*newsroomv1.Location{{Id: "x", Name: "X", Point: &newsroomv1.GeoPoint{Lon: math.Inf(1)}}}
				}
			}
		}))
	}
	// As Handle builds its request, in memory an earlier batch used, which
	// must not show either.
	bulk := &esindex.Bulk{Index: "articles"}
	bt := esindex.NewBatch(bytes.Repeat([]byte("stale"), 1000), len(batch))
	failures := decode(batch, func(op esindex.Op, c *newsroomv1.ClassifiedArticle) error { return bulk.Add(bt, op, c) })
	ops := bt.Ops()
	if len(ops)+len(failures) != len(batch) {
		t.Fatalf("%d ops and %d failures from %d records", len(ops), len(failures), len(batch))
	}
	opsOnly, opsFailures := Ops(batch)
	if diff := cmp.Diff(ops, opsOnly); diff != "" || len(opsFailures) != len(failures) {
		t.Errorf("Ops gives other ops than Handle's batch (-batch +Ops):\n%s", diff)
	}
	for i, op := range ops {
		c, err := record.DecodeClassified(batch[op.Tag])
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(esindex.NewDocument(c))
		if err != nil {
			t.Fatalf("op %d (%s): json.Marshal: %v, but Ops encoded it", i, op.ID, err)
		}
		if op.Source != nil || !bytes.Equal(op.Doc, want) {
			t.Fatalf("op %d (%s): document is not json.Marshal(NewDocument(c))\n got: %.200s\nwant: %.200s", i, op.ID, op.Doc, want)
		}
	}
	for _, f := range failures {
		c, err := record.DecodeClassified(f.Msg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := json.Marshal(esindex.NewDocument(c)); err == nil || f.Reason != ReasonInvalid {
			t.Errorf("%s failed (%s: %v) but json.Marshal encodes it", f.Msg.Key, f.Reason, f.Err)
		}
	}
	if len(failures) != 8 {
		t.Errorf("%d articles without a JSON document, want 8", len(failures))
	}
}

// TestHandleReusesMemory hands an indexer that reuses its buffers a batch
// of large articles, then smaller ones, then large ones again: every
// request body holds each record's own document, exactly
// json.Marshal(NewDocument(c)), with nothing of an earlier batch or record.
func TestHandleReusesMemory(t *testing.T) {
	ingested := time.Date(2025, 10, 16, 8, 0, 0, 0, time.UTC)
	batch := func(prefix string, large bool) []kafka.Message {
		var out []kafka.Message
		for i := range 20 {
			out = append(out, classified(t, prefix+strconv.Itoa(i), ingested, func(c *newsroomv1.ClassifiedArticle) {
				if !large {
					c.Actors = nil
					return
				}
				c.Article.Body = strings.Repeat("body <", 300+i)
				for j := range 10 + i {
					c.Locations = append(c.Locations, &newsroomv1.Location{Id: "l" + strconv.Itoa(j), Name: "L", CountryCode: "UA",
						Point: &newsroomv1.GeoPoint{Lat: float64(j), Lon: 30}, Aliases: []string{"alias"}})
				}
			}))
		}
		return out
	}
	batches := [][]kafka.Message{batch("large-", true), batch("small-", false), batch("again-", true)}
	want := map[string][]byte{}
	for _, b := range batches {
		for _, m := range b {
			c, err := record.DecodeClassified(m)
			if err != nil {
				t.Fatal(err)
			}
			if want[string(m.Key)], err = json.Marshal(esindex.NewDocument(c)); err != nil {
				t.Fatal(err)
			}
		}
	}
	es := &estest.Bulk{Keep: true}
	ix := &Indexer{Bulk: &esindex.Bulk{ES: es.Client(t), Index: "articles", Buffers: esindex.NewBuffers(1), Log: zaptest.NewLogger(t)},
		DeadLetters: &stream.DeadLetters{Stage: Stage}, Log: zaptest.NewLogger(t)}
	for _, b := range batches {
		if err := ix.Handle(context.Background(), b); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string][]byte{}
	for _, body := range es.Bodies {
		lines := bytes.Split(bytes.TrimSuffix(body, []byte("\n")), []byte("\n"))
		for i := 0; i+1 < len(lines); i += 2 {
			var action struct {
				Index struct {
					ID string `json:"_id"`
				} `json:"index"`
			}
			if err := json.Unmarshal(lines[i], &action); err != nil {
				t.Fatalf("action line %q: %v", lines[i], err)
			}
			got[action.Index.ID] = lines[i+1]
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d documents sent, want %d", len(got), len(want))
	}
	for id, doc := range want {
		if !bytes.Equal(got[id], doc) {
			t.Errorf("document %s:\n got: %.200s\nwant: %.200s", id, got[id], doc)
		}
	}
}

// TestOpsDevSet decodes the development set's classified records, with the
// real extractor's entities and spans, into one reused message, forwards
// and then backwards (so that each record follows others of other shapes):
// every document is the one its record decoded afresh encodes.
func TestOpsDevSet(t *testing.T) {
	batch := slices.Clone(classifiertest.Dev(t).Classified)
	backwards := slices.Clone(batch)
	slices.Reverse(backwards)
	batch = append(batch, backwards...)
	ops, failures := Ops(batch)
	if len(failures) > 0 || len(ops) != len(batch) {
		t.Fatalf("%d ops, %d failures from %d records", len(ops), len(failures), len(batch))
	}
	for _, op := range ops {
		c, err := record.DecodeClassified(batch[op.Tag])
		if err != nil {
			t.Fatal(err)
		}
		want, err := esindex.AppendDocument(nil, c)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(op.Doc, want) {
			t.Fatalf("%s: document differs from its record's decoded afresh\n got: %s\nwant: %s", op.ID, op.Doc, want)
		}
	}
}

// TestBodyHintCoversDev checks that the bulk body Handle sizes up front
// holds the dev set's documents and their action lines without growing.
func TestBodyHintCoversDev(t *testing.T) {
	batch := classifiertest.Dev(t).Classified
	records, docs := 0, 0
	for _, m := range batch {
		records += len(m.Value)
	}
	ops, failures := Ops(batch)
	if len(failures) > 0 {
		t.Fatalf("%d failures", len(failures))
	}
	for _, op := range ops {
		docs += len(op.Doc) + len(op.ID) + 120 // the action line with its index name and version
	}
	if hint := esindex.BodyHint(records, len(batch)); hint < docs {
		t.Errorf("BodyHint = %d for %d records of %d bytes, want at least the %d bytes of their bulk body", hint, len(batch), records, docs)
	}
}
