package esindex_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/elastic/go-elasticsearch/v8"
	"github.com/elastic/go-elasticsearch/v8/esapi"
	"go.uber.org/zap/zaptest"
	"google.golang.org/protobuf/types/known/timestamppb"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/index/estest"
	"github.com/deskwire/newsroom/services/pipeline/retry"
)

func classified(id, title, body string, ingested time.Time, actors ...string) *newsroomv1.ClassifiedArticle {
	c := &newsroomv1.ClassifiedArticle{
		Article: &newsroomv1.Article{Id: id, Title: title, Body: body, IngestedAt: timestamppb.New(ingested)},
		Locations: []*newsroomv1.Location{{Id: "iso:HU", Name: "Hungary", Kind: newsroomv1.LocationKind_LOCATION_KIND_COUNTRY,
			CountryCode: "HU", Point: &newsroomv1.GeoPoint{Lat: 47.5, Lon: 19.04}}},
		ClassifierVersion: "test",
	}
	for _, a := range actors {
		c.Actors = append(c.Actors, &newsroomv1.Actor{Id: a, Name: a, Kind: newsroomv1.ActorKind_ACTOR_KIND_PERSON})
	}
	return c
}

func op(t *testing.T, c *newsroomv1.ClassifiedArticle) esindex.Op {
	b, err := json.Marshal(esindex.NewDocument(c))
	if err != nil {
		t.Fatal(err)
	}
	return esindex.Op{ID: c.GetArticle().GetId(), Version: esindex.Version(c), Doc: b}
}

func search(t *testing.T, es *elasticsearch.Client, index string, query map[string]any) []string {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query})
	res, err := esapi.SearchRequest{Index: []string{index}, Body: bytes.NewReader(body)}.Do(context.Background(), es)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.IsError() {
		t.Fatalf("search: %s", res.String())
	}
	var r struct {
		Hits struct {
			Hits []struct {
				ID string `json:"_id"`
			} `json:"hits"`
		} `json:"hits"`
	}
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range r.Hits.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

func TestSetupBulkAndSearch(t *testing.T) {
	cfg, es := estest.Config(t)
	ctx := context.Background()
	admin := &esindex.Admin{ES: es, Cfg: cfg}
	idx, err := admin.Setup(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if idx != cfg.IndexName(1) {
		t.Fatalf("Setup created %q, want %q", idx, cfg.IndexName(1))
	}
	if again, err := admin.Setup(ctx); err != nil || again != idx {
		t.Fatalf("second Setup = %q, %v; want %q, nil", again, err, idx)
	}
	if n := primaryShards(t, es, idx); n != esindex.DefaultShards {
		t.Fatalf("%s has %d primary shards, want the default %d", idx, n, esindex.DefaultShards)
	}

	now := time.Now()
	bulk := &esindex.Bulk{ES: es, Index: cfg.Alias, Log: zaptest.NewLogger(t)}
	ops := []esindex.Op{
		op(t, classified("a1", "Leaders meet in Budapest", "The summit talks covered air defence.", now, "vladimir-putin")),
		op(t, classified("a2", "Harvest report", "Farmers expect a good wheat harvest.", now, "someone-else")),
	}
	bad := esindex.Op{ID: "bad", Version: 1, Doc: []byte(`{"id":"bad","unexpected_field":1}`)}
	rejected, err := bulk.Write(ctx, append(ops, bad))
	if err != nil {
		t.Fatal(err)
	}
	if len(rejected) != 1 || rejected[0].Op.ID != "bad" || rejected[0].Status != 400 {
		t.Fatalf("rejections = %+v, want the strict-mapping violation of \"bad\" with status 400", rejected)
	}
	if err := admin.Refresh(ctx, cfg.Alias); err != nil {
		t.Fatal(err)
	}
	if got := search(t, es, cfg.Alias, map[string]any{"term": map[string]any{"actors.id": "vladimir-putin"}}); len(got) != 1 || got[0] != "a1" {
		t.Errorf("term query on actors.id = %v, want [a1]", got)
	}
	if got := search(t, es, cfg.Alias, map[string]any{"match": map[string]any{"body": "wheat"}}); len(got) != 1 || got[0] != "a2" {
		t.Errorf("match query on body = %v, want [a2]", got)
	}
	if got := search(t, es, cfg.Alias, map[string]any{"geo_distance": map[string]any{"distance": "50km", "locations.point": map[string]any{"lat": 47.4, "lon": 19.0}}}); len(got) != 2 {
		t.Errorf("geo_distance query = %v, want both articles", got)
	}

	// An older revision never overwrites a newer one; the same revision
	// re-classified does replace it.
	older := classified("a1", "Old title", "old", now.Add(-time.Hour))
	if rej, err := bulk.Write(ctx, []esindex.Op{op(t, older)}); err != nil || len(rej) != 0 {
		t.Fatalf("writing older revision: %v %v", rej, err)
	}
	same := classified("a1", "Leaders meet in Budapest", "reclassified", now, "vladimir-putin")
	same.ClassifierVersion = "newer"
	if rej, err := bulk.Write(ctx, []esindex.Op{op(t, same)}); err != nil || len(rej) != 0 {
		t.Fatalf("writing re-classified revision: %v %v", rej, err)
	}
	_ = admin.Refresh(ctx, cfg.Alias)
	if got := search(t, es, cfg.Alias, map[string]any{"term": map[string]any{"classifier_version": "newer"}}); len(got) != 1 {
		t.Errorf("re-classified revision did not replace the document: %v", got)
	}
	if got := search(t, es, cfg.Alias, map[string]any{"match": map[string]any{"title": "old"}}); len(got) != 0 {
		t.Errorf("older revision overwrote the document: %v", got)
	}

	// Deleting works through the alias and is idempotent.
	del := esindex.Op{ID: "a2", Delete: true, Version: now.Add(time.Minute).UnixMicro()}
	for i := 0; i < 2; i++ {
		if rej, err := bulk.Write(ctx, []esindex.Op{del}); err != nil || len(rej) != 0 {
			t.Fatalf("delete %d: %v %v", i, rej, err)
		}
	}
	_ = admin.Refresh(ctx, cfg.Alias)
	if n, err := admin.Count(ctx, cfg.Alias); err != nil || n != 1 {
		t.Fatalf("count after delete = %d, %v; want 1", n, err)
	}

	// One malformed action (a negative version makes Elasticsearch refuse
	// the whole request) is isolated and rejected; the rest is written.
	mixed := []esindex.Op{op(t, classified("m1", "One", "x", now)), {ID: "m2", Version: -5, Doc: []byte(`{"id":"m2"}`)}, op(t, classified("m3", "Three", "x", now))}
	rej, err := bulk.Write(ctx, mixed)
	if err != nil || len(rej) != 1 || rej[0].Op.ID != "m2" || rej[0].Status != 400 {
		t.Fatalf("mixed batch: rejections %+v, err %v; want only m2 rejected with 400", rej, err)
	}
	_ = admin.Refresh(ctx, cfg.Alias)
	if n, _ := admin.Count(ctx, cfg.Alias); n != 3 {
		t.Fatalf("count after the mixed batch = %d, want 3 (a1, m1, m3)", n)
	}

	// With RequireAlias a write to a missing alias never creates a plain
	// index with a dynamic mapping: it waits (retries) for the alias.
	strict := &esindex.Bulk{ES: es, Index: cfg.Alias + "-missing", RequireAlias: true, Log: zaptest.NewLogger(t),
		Backoff: retry.Backoff{Min: 50 * time.Millisecond, Max: 100 * time.Millisecond}}
	sctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	rej, err = strict.Write(sctx, []esindex.Op{op(t, classified("z1", "Z", "z", now))})
	cancel()
	if err == nil || len(rej) != 0 {
		t.Fatalf("write to a missing alias: rejections %+v, err %v; want it retried until the deadline", rej, err)
	}
	if n, _ := admin.Indices(ctx); len(n) != 1 {
		t.Fatalf("indices after writing to a missing alias: %v, want only %s", n, cfg.IndexName(1))
	}

	// The alias moves atomically to a new version.
	v2 := cfg.IndexName(2)
	if err := admin.EnsureIndex(ctx, v2); err != nil {
		t.Fatal(err)
	}
	if err := admin.SwapAlias(ctx, v2); err != nil {
		t.Fatal(err)
	}
	if target, err := admin.AliasTarget(ctx); err != nil || target != v2 {
		t.Fatalf("alias target = %q, %v; want %q", target, err, v2)
	}
}

// TestIndexShards checks that INDEX_SHARDS shapes the indices Setup and
// EnsureIndex create, and that Setup leaves an existing index as it is.
func TestIndexShards(t *testing.T) {
	cfg, es := estest.Config(t)
	ctx := context.Background()
	cfg.Shards = 1
	admin := &esindex.Admin{ES: es, Cfg: cfg}
	idx, err := admin.Setup(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := primaryShards(t, es, idx); n != 1 {
		t.Fatalf("INDEX_SHARDS=1: %s has %d primary shards", idx, n)
	}
	cfg.Shards = 3
	if _, err := admin.Setup(ctx); err != nil {
		t.Fatal(err)
	}
	if n := primaryShards(t, es, idx); n != 1 {
		t.Fatalf("a second Setup with INDEX_SHARDS=3 changed %s to %d primary shards", idx, n)
	}
	next := cfg.IndexName(2)
	if err := admin.EnsureIndex(ctx, next); err != nil {
		t.Fatal(err)
	}
	if n := primaryShards(t, es, next); n != 3 {
		t.Fatalf("INDEX_SHARDS=3: %s has %d primary shards", next, n)
	}
}

// primaryShards reads the number of primary shards of index.
func primaryShards(t *testing.T, es *elasticsearch.Client, index string) int {
	t.Helper()
	res, err := esapi.IndicesGetSettingsRequest{Index: []string{index}, Name: []string{"index.number_of_shards"}}.Do(context.Background(), es)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.IsError() {
		t.Fatalf("reading settings of %s: %s", index, res.String())
	}
	var r map[string]struct {
		Settings struct {
			Index struct {
				Shards string `json:"number_of_shards"`
			} `json:"index"`
		} `json:"settings"`
	}
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(r[index].Settings.Index.Shards)
	if err != nil {
		t.Fatalf("number_of_shards of %s: %v", index, err)
	}
	return n
}
