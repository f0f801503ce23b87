package esindex_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/elastic/go-elasticsearch/v8/esapi"
	"go.uber.org/zap/zaptest"

	newsroomv1 "github.com/deskwire/newsroom/proto/newsroomv1"
	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/index/estest"
)

// TestTextAnalyzer checks the detection against the real cluster: new
// indices get the english analyzer exactly when the cluster has it, and the
// mapping stays the same otherwise. The local cluster runs without the
// analysis-common module, so there the standard analyzer is the answer.
func TestTextAnalyzer(t *testing.T) {
	cfg, es := estest.Config(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin := &esindex.Admin{ES: es, Cfg: cfg}
	got, err := admin.TextAnalyzer(ctx)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(map[string]any{"analyzer": "english", "text": "drones"})
	res, err := esapi.IndicesAnalyzeRequest{Body: bytes.NewReader(body)}.Do(ctx, es)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	want := ""
	if res.StatusCode == 200 {
		want = esindex.EnglishAnalyzer
	}
	if got != want {
		t.Errorf("TextAnalyzer = %q, want %q (_analyze with english answered %d)", got, want, res.StatusCode)
	}
	index, err := admin.Setup(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if a, err := admin.IndexAnalyzer(ctx, index); err != nil || a != want {
		t.Errorf("index %s has analyzer %q, %v; want %q", index, a, err, want)
	}
	t.Logf("cluster's english analyzer: %v", want != "")
}

// TestSetupExtendsAnOlderMapping writes a document with first offsets into
// an index created by a version whose mapping lacked them: Setup adds the
// field instead of the strict mapping rejecting the document.
func TestSetupExtendsAnOlderMapping(t *testing.T) {
	cfg, es := estest.Config(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	old := esindex.Mapping()
	for _, ent := range []string{"actors", "weapons", "locations"} {
		props := old["properties"].(map[string]any)[ent].(map[string]any)["properties"].(map[string]any)
		for _, f := range []string{"first_offset", "spans", "aliases", "lookup"} {
			delete(props, f)
		}
	}
	body, _ := json.Marshal(map[string]any{"settings": esindex.Settings(esindex.DefaultShards, 0), "mappings": old,
		"aliases": map[string]any{cfg.Alias: map[string]any{}}})
	res, err := esapi.IndicesCreateRequest{Index: cfg.IndexName(1), Body: bytes.NewReader(body)}.Do(ctx, es)
	if err != nil || res.IsError() {
		t.Fatalf("creating the old index: %v %v", err, res)
	}
	res.Body.Close()

	admin := &esindex.Admin{ES: es, Cfg: cfg}
	if _, err := admin.Setup(ctx); err != nil {
		t.Fatal(err)
	}
	c := classified("a1", "t", "b", time.Now(), "p")
	c.Actors[0].Mention = &newsroomv1.Mention{Count: 1, FirstOffset: 4, Spans: []uint32{4, 5}}
	c.Actors[0].Id, c.Actors[0].Aliases = "gen:person:p", []string{"P"}
	bulk := &esindex.Bulk{ES: es, Index: cfg.Alias, RequireAlias: true, Log: zaptest.NewLogger(t)}
	rej, err := bulk.Write(ctx, []esindex.Op{{ID: "a1", Version: esindex.Version(c), Source: c}})
	if err != nil || len(rej) > 0 {
		t.Fatalf("writing into the extended index: %v %+v", err, rej)
	}
	res, err = esapi.GetRequest{Index: cfg.Alias, DocumentID: "a1"}.Do(ctx, es)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(res.Body)
	for _, want := range []string{`"first_offset":4`, `"spans":[4,5]`, `"aliases":["P"]`, `"lookup":["p|gen:person:p"]`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("stored document %s lacks %s", buf.String(), want)
		}
	}
}
