package esindex

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"

	"github.com/elastic/go-elasticsearch/v8"
	"github.com/elastic/go-elasticsearch/v8/esapi"
)

// kw is a keyword field; txt a text field with a keyword sub-field.
var (
	kw  = map[string]any{"type": "keyword"}
	txt = map[string]any{"type": "text", "fields": map[string]any{"keyword": map[string]any{"type": "keyword", "ignore_above": 256}}}
)

// Mapping is the strict mapping of an articles index with the standard
// analyzer on title and body: what the Elasticsearch core provides.
func Mapping() map[string]any { return MappingWith("") }

// MappingWith is the strict mapping of an articles index whose title and
// body use analyzer ("" for the standard one; see TextAnalyzer): entity ids
// are keywords for exact filters and facets, names are text with a keyword
// sub-field, coordinates geo_point. The fields are the same whatever the
// analyzer.
func MappingWith(analyzer string) map[string]any {
	text := map[string]any{"type": "text"}
	if analyzer != "" {
		text = map[string]any{"type": "text", "analyzer": analyzer}
	}
	entity := func(extra map[string]any) map[string]any {
		p := map[string]any{
			"id":       kw,
			"name":     txt,
			"key":      kw, // "id|name", for facets that show names
			"mentions": map[string]any{"type": "integer"},
			// Where the entity is first named (title + "\n" + body); read
			// back, never searched.
			"first_offset": map[string]any{"type": "integer", "index": false},
			// Every mention, delta-coded numbers (Entity.Spans): in _source
			// only, not even parsed, since every document carries dozens.
			"spans": map[string]any{"type": "object", "enabled": false},
			// A generated entity's other names, and "<folded form>|<id>"
			// values by which search resolves a name or alias to its id.
			"aliases": kw,
			"lookup":  kw,
		}
		for k, v := range extra {
			p[k] = v
		}
		return map[string]any{"properties": p}
	}
	return map[string]any{
		"dynamic": "strict",
		"properties": map[string]any{
			"id":                 kw,
			"url":                kw,
			"source":             kw,
			"title":              text,
			"body":               text,
			"language":           kw,
			"published_at":       map[string]any{"type": "date"},
			"ingested_at":        map[string]any{"type": "date"},
			"classified_at":      map[string]any{"type": "date"},
			"revision":           kw,
			"classifier_version": kw,
			"trace_id":           kw,
			"actors":             entity(map[string]any{"kind": kw}),
			"weapons":            entity(map[string]any{"category": kw}),
			"locations":          entity(map[string]any{"kind": kw, "country_code": kw, "point": map[string]any{"type": "geo_point"}}),
			"weapon_categories":  kw,
			"countries":          kw,
		},
	}
}

// Settings are the index settings for shards primary shards and replicas
// copies of each (Config sets both: two shards and no replicas by default).
func Settings(shards, replicas int) map[string]any {
	return map[string]any{
		"number_of_shards":   shards,
		"number_of_replicas": replicas,
		"refresh_interval":   RefreshInterval,
		"analysis": map[string]any{
			"normalizer": map[string]any{"lowercase": map[string]any{"type": "custom", "filter": []string{"lowercase"}}},
		},
	}
}

// Admin manages indices and the alias.
type Admin struct {
	ES  *elasticsearch.Client
	Cfg *Config

	analyzer *string // detected once, see TextAnalyzer
}

func (a *Admin) do(ctx context.Context, req esapi.Request, what string, okStatus ...int) ([]byte, int, error) {
	res, err := req.Do(ctx, a.ES)
	if err != nil {
		return nil, 0, refusedConnection(fmt.Errorf("%s: %w", what, err))
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	for _, s := range okStatus {
		if res.StatusCode == s {
			return body, res.StatusCode, nil
		}
	}
	if res.IsError() {
		return body, res.StatusCode, refusedStatus(res.StatusCode, fmt.Errorf("%s: %s: %s", what, res.Status(), truncate(body, 500)))
	}
	return body, res.StatusCode, nil
}

func truncate(b []byte, n int) string {
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}

// EnsureTemplate installs the index template for <alias>-v* indices.
func (a *Admin) EnsureTemplate(ctx context.Context) error {
	analyzer, err := a.TextAnalyzer(ctx)
	if err != nil {
		return err
	}
	body, _ := json.Marshal(map[string]any{
		"index_patterns": []string{a.Cfg.Alias + "-v*"},
		"priority":       100,
		"template":       map[string]any{"settings": Settings(a.Cfg.shards(), a.Cfg.Replicas), "mappings": MappingWith(analyzer)},
		"_meta":          map[string]any{"managed_by": "newsroom pipeline"},
	})
	_, _, err = a.do(ctx, esapi.IndicesPutIndexTemplateRequest{Name: a.Cfg.Alias + "-template", Body: bytes.NewReader(body)}, "installing index template")
	return err
}

// EnsureIndex creates index name (from the template) when it does not exist.
func (a *Admin) EnsureIndex(ctx context.Context, name string) error {
	_, status, err := a.do(ctx, esapi.IndicesExistsRequest{Index: []string{name}}, "checking index "+name, http.StatusNotFound)
	if err != nil {
		return err
	}
	if status == http.StatusOK {
		return a.ExtendMapping(ctx, name)
	}
	analyzer, err := a.TextAnalyzer(ctx)
	if err != nil {
		return err
	}
	body, _ := json.Marshal(map[string]any{"settings": Settings(a.Cfg.shards(), a.Cfg.Replicas), "mappings": MappingWith(analyzer)})
	b, status, err := a.do(ctx, esapi.IndicesCreateRequest{Index: name, Body: bytes.NewReader(body)}, "creating index "+name, http.StatusBadRequest)
	if err != nil {
		return err
	}
	if status == http.StatusBadRequest && !strings.Contains(string(b), "resource_already_exists_exception") {
		return fmt.Errorf("creating index %s: %s", name, truncate(b, 500))
	}
	return nil
}

// AliasTarget returns the index the alias points at, or "" when the alias
// does not exist.
func (a *Admin) AliasTarget(ctx context.Context) (string, error) {
	b, status, err := a.do(ctx, esapi.IndicesGetAliasRequest{Name: []string{a.Cfg.Alias}}, "reading alias "+a.Cfg.Alias, http.StatusNotFound)
	if err != nil {
		return "", err
	}
	if status == http.StatusNotFound {
		return "", nil
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return "", fmt.Errorf("reading alias %s: %w", a.Cfg.Alias, err)
	}
	if len(m) != 1 {
		return "", fmt.Errorf("alias %s points at %d indices, want 1", a.Cfg.Alias, len(m))
	}
	for idx := range m {
		return idx, nil
	}
	return "", nil
}

// Setup installs the template and, when the alias is missing, creates
// articles-v<Version> and points the alias at it. Idempotent.
func (a *Admin) Setup(ctx context.Context) (string, error) {
	if err := a.EnsureTemplate(ctx); err != nil {
		return "", err
	}
	target, err := a.AliasTarget(ctx)
	if err != nil {
		return "", err
	}
	if target != "" {
		return target, a.ExtendMapping(ctx, target)
	}
	name := a.Cfg.IndexName(a.Cfg.Version)
	if err := a.EnsureIndex(ctx, name); err != nil {
		return "", err
	}
	if err := a.SwapAlias(ctx, name); err != nil {
		return "", err
	}
	return name, nil
}

// SwapAlias points the alias at index in one atomic request, removing it from
// any other index.
func (a *Admin) SwapAlias(ctx context.Context, index string) error {
	body, _ := json.Marshal(map[string]any{"actions": []any{
		map[string]any{"remove": map[string]any{"index": a.Cfg.Alias + "-v*", "alias": a.Cfg.Alias, "must_exist": false}},
		map[string]any{"add": map[string]any{"index": index, "alias": a.Cfg.Alias}},
	}})
	_, _, err := a.do(ctx, esapi.IndicesUpdateAliasesRequest{Body: bytes.NewReader(body)}, "pointing alias "+a.Cfg.Alias+" at "+index)
	return err
}

// DeleteIndex drops an index.
func (a *Admin) DeleteIndex(ctx context.Context, index string) error {
	_, _, err := a.do(ctx, esapi.IndicesDeleteRequest{Index: []string{index}}, "deleting index "+index, http.StatusNotFound)
	return err
}

// Refresh makes recent writes to index searchable.
func (a *Admin) Refresh(ctx context.Context, index string) error {
	_, _, err := a.do(ctx, esapi.IndicesRefreshRequest{Index: []string{index}}, "refreshing "+index)
	return err
}

// Count returns the number of documents in index.
func (a *Admin) Count(ctx context.Context, index string) (int64, error) {
	b, _, err := a.do(ctx, esapi.CountRequest{Index: []string{index}}, "counting "+index)
	if err != nil {
		return 0, err
	}
	var r struct {
		Count int64 `json:"count"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return 0, fmt.Errorf("counting %s: %w", index, err)
	}
	return r.Count, nil
}

// Indices lists the versioned indices of the alias, sorted by name.
func (a *Admin) Indices(ctx context.Context) ([]string, error) {
	b, _, err := a.do(ctx, esapi.IndicesGetRequest{Index: []string{a.Cfg.Alias + "-v*"}, FilterPath: []string{"*.settings.index.provided_name"}}, "listing indices")
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("listing indices: %w", err)
	}
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out, nil
}
