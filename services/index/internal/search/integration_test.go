package search

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/segmentio/kafka-go"
	"go.uber.org/zap/zaptest"
	"google.golang.org/protobuf/types/known/timestamppb"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/index/estest"
	"github.com/deskwire/newsroom/services/index/indexer"
	"github.com/deskwire/newsroom/services/pipeline/kafkatest"
	"github.com/deskwire/newsroom/services/pipeline/record"
	"github.com/deskwire/newsroom/services/pipeline/stream"
)

type article struct {
	id, title, body string
	published       string
	ingested        time.Time
	actors          [][2]string // id, name
	weapons         [][3]string // id, name, category
	locations       []*newsroomv1.Location
	categories      []string
}

var (
	budapest = &newsroomv1.Location{Id: "geo:3054643", Name: "Budapest", Kind: newsroomv1.LocationKind_LOCATION_KIND_CITY,
		CountryCode: "HU", Point: &newsroomv1.GeoPoint{Lat: 47.4979, Lon: 19.0402}}
	moscow = &newsroomv1.Location{Id: "geo:524901", Name: "Moscow", Kind: newsroomv1.LocationKind_LOCATION_KIND_CITY,
		CountryCode: "RU", Point: &newsroomv1.GeoPoint{Lat: 55.75, Lon: 37.62}}
	putin    = [2]string{"vladimir-putin", "Vladimir Putin"}
	zelensky = [2]string{"volodymyr-zelensky", "Volodymyr Zelensky"}
)

func (a article) record(t *testing.T) kafka.Message {
	t.Helper()
	pub, err := time.Parse(time.DateOnly, a.published)
	if err != nil {
		t.Fatal(err)
	}
	c := &newsroomv1.ClassifiedArticle{
		Article: &newsroomv1.Article{Id: a.id, Title: a.title, Body: a.body, Url: "https://example.test/" + a.id, Source: "example.test",
			Language: "en", PublishedAt: timestamppb.New(pub), IngestedAt: timestamppb.New(a.ingested), TraceId: record.NewTraceID()},
		Locations: a.locations, WeaponCategories: a.categories, ClassifierVersion: "test+1", ClassifiedAt: timestamppb.Now(),
	}
	for _, x := range a.actors {
		c.Actors = append(c.Actors, &newsroomv1.Actor{Id: x[0], Name: x[1], Kind: newsroomv1.ActorKind_ACTOR_KIND_PERSON,
			Mention: &newsroomv1.Mention{Count: 1}})
	}
	for _, x := range a.weapons {
		c.Weapons = append(c.Weapons, &newsroomv1.Weapon{Id: x[0], Name: x[1], Category: x[2]})
	}
	m, err := record.EncodeClassified(c)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// searchResult is the part of a search answer the test reads.
type searchResult struct {
	Total  int64 `json:"total"`
	Hits   []Hit `json:"hits"`
	Facets Facets
}

func (r searchResult) ids() []string {
	var ids []string
	for _, h := range r.Hits {
		ids = append(ids, h.ID)
	}
	slices.Sort(ids)
	return ids
}

// TestIndexAndSearch runs the indexer on a unique topic, group and index
// against the real Kafka and Elasticsearch, and searches through the
// handler: the index service end to end, minus main.
func TestIndexAndSearch(t *testing.T) {
	kcfg := kafkatest.Config(t)
	// One partition keeps the records in order: once the last one is
	// searchable, everything before it was handled.
	kcfg.Partitions = 1
	ecfg, es := estest.Config(t)
	log := zaptest.NewLogger(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()

	client, err := stream.NewClient(kcfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := client.EnsureTopics(ctx, stream.TopicSpec{Name: kcfg.TopicClassified}, stream.TopicSpec{Name: kcfg.TopicDLQ}); err != nil {
		t.Fatal(err)
	}
	admin := &esindex.Admin{ES: es, Cfg: ecfg}
	if _, err := admin.Setup(ctx); err != nil {
		t.Fatal(err)
	}

	now := time.Now().Truncate(time.Microsecond)
	a1 := article{id: "a1", title: "Leaders to meet in Budapest", body: "Putin and Zelensky discussed Tomahawk cruise missiles before the summit.",
		published: "2025-10-16", ingested: now, actors: [][2]string{putin, zelensky},
		weapons: [][3]string{{"tomahawk", "Tomahawk", "cruise missile"}}, locations: []*newsroomv1.Location{budapest}, categories: []string{"cruise missile"}}
	a2 := article{id: "a2", title: "Air defence for Hungary", body: "Patriot batteries were discussed in Budapest while Putin watched.",
		published: "2025-10-10", ingested: now, actors: [][2]string{putin},
		weapons: [][3]string{{"patriot", "Patriot", "air defense"}}, locations: []*newsroomv1.Location{budapest}, categories: []string{"air defense"}}
	a3 := article{id: "a3", title: "Analyst speaks", body: "Jane Doe, an analyst in Moscow, commented.",
		published: "2025-10-01", ingested: now, actors: [][2]string{{"gen:person:jane-doe", "Jane Doe"}}, locations: []*newsroomv1.Location{moscow}}
	a4 := article{id: "a4", title: "Retracted story", body: "This story about Putin will be retracted.",
		published: "2025-10-02", ingested: now, actors: [][2]string{putin}}
	rejected := article{id: "bad-geo", title: "Off the map", body: "Coordinates out of range.", published: "2025-10-03", ingested: now,
		locations: []*newsroomv1.Location{{Id: "geo:0", Name: "Nowhere", Point: &newsroomv1.GeoPoint{Lat: 123, Lon: 456}}}}
	// A body longer than the highlighter's default limit of 1,000,000
	// characters (ingest allows 1 MiB) must not fail the search.
	big := article{id: "big", title: "Long read", body: strings.Repeat("filler ", 142_872) + "Kalibr", published: "2025-10-20", ingested: now}
	poison := kafka.Message{Key: []byte("poison"), Value: []byte("\xff\xfe not a protobuf"),
		Headers: []kafka.Header{{Key: record.HeaderSchema, Value: []byte(record.SchemaClassified)}}}

	w := client.NewWriter(kcfg.TopicClassified)
	defer w.Close()
	in := &stream.Producer{W: w, Topic: kcfg.TopicClassified, Log: log}
	if err := in.Write(ctx, a1.record(t), a2.record(t), a3.record(t), a4.record(t), big.record(t), rejected.record(t), poison); err != nil {
		t.Fatal(err)
	}

	reader, err := client.NewReader(kafkatest.Name(t, "group"), kcfg.TopicClassified)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	dw := client.NewWriter(kcfg.TopicDLQ)
	defer dw.Close()
	ix := &indexer.Indexer{
		Reader:      reader,
		Bulk:        &esindex.Bulk{ES: es, Index: ecfg.Alias, Log: log},
		DeadLetters: &stream.DeadLetters{Stage: indexer.Stage, P: &stream.Producer{W: dw, Topic: kcfg.TopicDLQ, Log: log}},
		Log:         log, MaxDocs: 3, FlushInterval: 50 * time.Millisecond, Grace: 5 * time.Second,
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- ix.Run(runCtx) }()

	h := &Handler{ES: es, Index: ecfg.Alias, Catalog: testCatalog, Log: log, MaxSize: 100}
	get := func(t *testing.T, query string) (int, searchResult) {
		t.Helper()
		rec := serve(t, h, "", "/v1/search?"+query)
		var r searchResult
		if rec.Code == http.StatusOK {
			if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
				t.Fatalf("decoding %s: %v", rec.Body, err)
			}
		}
		return rec.Code, r
	}
	waitFor := func(what, query string, ok func(searchResult) bool) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			code, r := get(t, query)
			if code == http.StatusOK && ok(r) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: last answer %d %+v", what, code, r)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	start := time.Now()
	waitFor("five documents indexed", "size=0", func(r searchResult) bool { return r.Total == 5 })
	t.Logf("first batch searchable after %s (includes joining the consumer group)", time.Since(start))

	// A retraction, a re-delivery of a1 and an older revision of a2.
	older := a2
	older.title, older.ingested = "Outdated headline", now.Add(-time.Hour)
	start = time.Now()
	if err := in.Write(ctx, a1.record(t), older.record(t), record.Tombstone("a4", "", now.Add(time.Minute))); err != nil {
		t.Fatal(err)
	}
	waitFor("retraction applied", "actor=Putin", func(r searchResult) bool { return r.Total == 2 })
	t.Logf("retraction searchable after %s", time.Since(start))

	t.Run("searches", func(t *testing.T) {
		tests := []struct {
			query string
			want  []string
		}{
			{"actor=vladimir-putin", []string{"a1", "a2"}},
			{"actor=Putin", []string{"a1", "a2"}},
			{"actor=vladimir+putin", []string{"a1", "a2"}},
			{"actor=PUTIN", []string{"a1", "a2"}},
			{"actor=Putin&actor=Zelenskyy", []string{"a1"}},
			{"actor=Jane+Doe", []string{"a3"}},
			{"actor=jane+doe", []string{"a3"}},
			{"actor=gen:person:jane-doe", []string{"a3"}},
			{"weapon=Tomahawk", []string{"a1"}},
			{"weapon=BGM-109", []string{"a1"}},
			{"weapon=Patriot&location=Budapest", []string{"a2"}},
			{"location=budapest", []string{"a1", "a2"}},
			{"location=Moscow", []string{"a3"}},
			{"category=Cruise+Missile", []string{"a1"}},
			{"country=hu", []string{"a1", "a2"}},
			{"country=RU", []string{"a3"}},
			{"q=tomahawk+summit", []string{"a1"}},
			{"q=filler", []string{"big"}},
			{"q=kalibr", []string{"big"}},
			{"q=Outdated", nil},
			{"from=2025-10-10&to=2025-10-16", []string{"a1", "a2"}},
			{"to=2025-10-10", []string{"a2", "a3"}},
			{"from=2025-10-20T00:00:00Z", []string{"big"}},
			{"actor=Nobody+Atall", nil},
			{"weapon=Zircon", nil},
			{"actor=Putin&location=Moscow", nil},
			{"q=" + url.QueryEscape(`"}} OR * ~ \ (`), nil},
		}
		for _, tt := range tests {
			code, r := get(t, tt.query)
			if code != http.StatusOK {
				t.Errorf("%s: status %d, want 200", tt.query, code)
				continue
			}
			if diff := cmp.Diff(tt.want, r.ids()); diff != "" || r.Total != int64(len(tt.want)) {
				t.Errorf("%s: total %d, ids (-want +got):\n%s", tt.query, r.Total, diff)
			}
		}
	})

	t.Run("hits and facets", func(t *testing.T) {
		_, r := get(t, "actor=Putin&weapon=Tomahawk")
		if len(r.Hits) != 1 {
			t.Fatalf("hits = %+v", r.Hits)
		}
		hit := r.Hits[0]
		if hit.Title != a1.title || hit.URL != "https://example.test/a1" || hit.PublishedAt == nil || len(hit.Actors) != 2 ||
			len(hit.Weapons) != 1 || hit.Locations[0].Name != "Budapest" || hit.Locations[0].Point == nil {
			t.Errorf("hit = %+v", hit)
		}
		if !strings.Contains(hit.Snippet, "<em>Putin</em>") || !strings.Contains(hit.Snippet, "<em>Tomahawk</em>") {
			t.Errorf("snippet %q does not highlight the entities", hit.Snippet)
		}
		_, r = get(t, "location=Budapest")
		want := Facets{
			Actors:     []EntityFacet{{ID: "vladimir-putin", Name: "Vladimir Putin", Count: 2}, {ID: "volodymyr-zelensky", Name: "Volodymyr Zelensky", Count: 1}},
			Weapons:    []EntityFacet{{ID: "patriot", Name: "Patriot", Count: 1}, {ID: "tomahawk", Name: "Tomahawk", Count: 1}},
			Locations:  []EntityFacet{{ID: "geo:3054643", Name: "Budapest", Count: 2}},
			Categories: []ValueFacet{{Value: "air defense", Count: 1}, {Value: "cruise missile", Count: 1}},
			Countries:  []ValueFacet{{Value: "HU", Name: "Hungary", Count: 2}},
		}
		if diff := cmp.Diff(want, r.Facets); diff != "" {
			t.Errorf("facets (-want +got):\n%s", diff)
		}
	})

	t.Run("re-delivery and older revision leave one current document", func(t *testing.T) {
		if err := admin.Refresh(ctx, ecfg.Alias); err != nil {
			t.Fatal(err)
		}
		if n, err := admin.Count(ctx, ecfg.Alias); err != nil || n != 4 {
			t.Errorf("documents = %d, %v; want 4 (a1, a2, a3, big)", n, err)
		}
		_, r := get(t, "weapon=Patriot")
		if len(r.Hits) != 1 || r.Hits[0].Title != a2.title {
			t.Errorf("a2 = %+v, want the newer revision's title %q", r.Hits, a2.title)
		}
	})

	t.Run("malformed parameters", func(t *testing.T) {
		for _, q := range []string{"size=abc", "size=1000", "from=someday", "actorz=Putin", "page=0"} {
			if code, _ := get(t, q); code != http.StatusBadRequest {
				t.Errorf("%s: status %d, want 400", q, code)
			}
		}
	})

	t.Run("dead letters carry the reason", func(t *testing.T) {
		got := readDLQ(t, ctx, client, kcfg.TopicDLQ, 2)
		want := map[string][2]string{"poison": {indexer.ReasonDecode, ""}, "bad-geo": {indexer.ReasonESRejected, "400"}}
		for key, w := range want {
			m, ok := got[key]
			if !ok {
				t.Errorf("no dead letter for %s (got %v)", key, slices.Collect(mapsKeys(got)))
				continue
			}
			h := map[string]string{}
			for _, x := range m.Headers {
				h[x.Key] = string(x.Value)
			}
			if h[stream.HeaderDLQStage] != "index" || h[stream.HeaderDLQReason] != w[0] || h[stream.HeaderDLQTopic] != kcfg.TopicClassified ||
				h[stream.HeaderDLQOffset] == "" || !strings.Contains(h[stream.HeaderDLQError], w[1]) {
				t.Errorf("dead letter %s headers = %v, want stage index, reason %s, original topic %s", key, h, w[0], kcfg.TopicClassified)
			}
		}
	})

	stop()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("indexer stopped with %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Error("indexer did not stop within 10s of cancel")
	}
}

func mapsKeys(m map[string]kafka.Message) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// readDLQ reads the dead-letter topic until want records arrived.
func readDLQ(t *testing.T, ctx context.Context, client *stream.Client, topic string, want int) map[string]kafka.Message {
	t.Helper()
	r, err := client.NewReader(kafkatest.Name(t, "dlq"), topic)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got := map[string]kafka.Message{}
	rctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	for len(got) < want {
		m, err := r.FetchMessage(rctx)
		if err != nil {
			t.Fatalf("read %d of %d dead letters: %v", len(got), want, err)
		}
		got[string(m.Key)] = m
	}
	return got
}
