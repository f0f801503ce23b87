// Package estest connects tests to the real Elasticsearch that
// scripts/infra.sh runs, with unique index names that are deleted after the
// test. Like kafkatest, a missing server fails the test under INTEGRATION=1.
package estest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/elastic/go-elasticsearch/v8"
	"github.com/elastic/go-elasticsearch/v8/esapi"

	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/pipeline/kafkatest"
)

// URL returns the test cluster's URL after checking it answers.
func URL(t testing.TB) string {
	t.Helper()
	kafkatest.SkipShort(t)
	url := os.Getenv("ELASTICSEARCH_URL")
	if url == "" {
		url = "http://127.0.0.1:9200"
	}
	cfg := esindex.Config{URL: url, Alias: "x", Version: 1}
	es, err := cfg.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := esindex.Ping(ctx, es); err != nil {
		kafkatest.Unavailable(t, "Elasticsearch", url, err)
	}
	return url
}

// Config returns index settings with a unique alias for this test; every
// index under it is deleted when the test ends.
func Config(t testing.TB) (*esindex.Config, *elasticsearch.Client) {
	t.Helper()
	cfg := &esindex.Config{URL: URL(t), Alias: Alias(t), Version: 1}
	es, err := cfg.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		res, err := esapi.IndicesDeleteRequest{Index: []string{cfg.Alias + "-v*"}}.Do(context.Background(), es)
		if err == nil {
			res.Body.Close()
		}
		res, err = esapi.IndicesDeleteIndexTemplateRequest{Name: cfg.Alias + "-template"}.Do(context.Background(), es)
		if err == nil {
			res.Body.Close()
		}
	})
	return cfg, es
}

// Alias returns a unique, valid index alias for the test.
func Alias(t testing.TB) string {
	n := strings.ToLower(strings.ReplaceAll(kafkatest.Unique(t, "idx"), ".", "-"))
	return fmt.Sprintf("t-%s", strings.TrimPrefix(n, "test-"))
}
