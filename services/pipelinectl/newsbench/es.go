package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/elastic/go-elasticsearch/v8"
	"github.com/elastic/go-elasticsearch/v8/esapi"

	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/pipelinectl/internal/progress"
)

// search is the benchmark's Elasticsearch client.
type search struct {
	es *elasticsearch.Client
	// shards of the indices the benchmark creates itself (INDEX_SHARDS, as
	// the services it starts read it).
	shards int
	// poll is how often waitCount asks for the count (default 50ms).
	poll time.Duration
}

func (s *search) do(ctx context.Context, req esapi.Request, what string) ([]byte, int, error) {
	res, err := req.Do(ctx, s.es)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", what, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, res.StatusCode, fmt.Errorf("%s: reading response: %w", what, err)
	}
	if res.IsError() && res.StatusCode != http.StatusNotFound {
		return b, res.StatusCode, fmt.Errorf("%s: %s: %.300s", what, res.Status(), b)
	}
	return b, res.StatusCode, nil
}

// count returns the searchable documents of index (0 while it is missing).
func (s *search) count(ctx context.Context, index string) (int64, error) {
	b, status, err := s.do(ctx, esapi.CountRequest{Index: []string{index}}, "counting "+index)
	if err != nil || status == http.StatusNotFound {
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

// createIndex creates index with the pipeline's settings and mapping.
func (s *search) createIndex(ctx context.Context, index string) error {
	a := &esindex.Admin{ES: s.es, Cfg: &esindex.Config{Alias: index, Version: 1, Shards: s.shards}}
	return a.EnsureIndex(ctx, index)
}

// deleteByPrefix deletes the indices and index templates whose names start
// with prefix, by name.
func (s *search) deleteByPrefix(ctx context.Context, prefix string) ([]string, error) {
	b, _, err := s.do(ctx, esapi.CatIndicesRequest{Index: []string{prefix + "*"}, H: []string{"index"}, Format: "json",
		ExpandWildcards: "all"}, "listing indices")
	if err != nil {
		return nil, err
	}
	var rows []struct {
		Index string `json:"index"`
	}
	_ = json.Unmarshal(b, &rows)
	var gone []string
	for _, r := range rows {
		if !strings.HasPrefix(r.Index, prefix) {
			continue
		}
		if _, _, err := s.do(ctx, esapi.IndicesDeleteRequest{Index: []string{r.Index}}, "deleting "+r.Index); err != nil {
			return gone, err
		}
		gone = append(gone, r.Index)
	}
	b, status, err := s.do(ctx, esapi.IndicesGetIndexTemplateRequest{Name: prefix + "*"}, "listing index templates")
	if err != nil || status == http.StatusNotFound {
		return gone, err
	}
	var tpl struct {
		IndexTemplates []struct {
			Name string `json:"name"`
		} `json:"index_templates"`
	}
	_ = json.Unmarshal(b, &tpl)
	for _, t := range tpl.IndexTemplates {
		if !strings.HasPrefix(t.Name, prefix) {
			continue
		}
		if _, _, err := s.do(ctx, esapi.IndicesDeleteIndexTemplateRequest{Name: t.Name}, "deleting template "+t.Name); err != nil {
			return gone, err
		}
		gone = append(gone, "template "+t.Name)
	}
	return gone, nil
}

// deleteIndex deletes one index.
func (s *search) deleteIndex(ctx context.Context, index string) error {
	_, _, err := s.do(ctx, esapi.IndicesDeleteRequest{Index: []string{index}}, "deleting "+index)
	return err
}

// waitCount polls the searchable count of index until it reaches n, printing
// progress; alive reports a failed process that will never get there.
func (s *search) waitCount(ctx context.Context, p *progress.Meter, index string, n int64, timeout time.Duration, alive func() error) (time.Time, error) {
	deadline := time.Now().Add(timeout)
	var lastErr error
	for {
		c, err := s.count(ctx, index)
		now := time.Now()
		if err != nil {
			lastErr = err
		} else {
			p.Set(c)
			if c >= n {
				return now, nil
			}
		}
		if alive != nil {
			if err := alive(); err != nil {
				return now, err
			}
		}
		if now.After(deadline) {
			return now, fmt.Errorf("%s: %d of %d documents searchable after %s (last error: %v)", index, p.Count(), n, timeout, lastErr)
		}
		if err := sleep(ctx, cmp.Or(s.poll, 50*time.Millisecond)); err != nil {
			return now, err
		}
	}
}

// bulkBodies renders ops as minimal _bulk bodies of docs actions each:
// a plain index action with the id, no versioning.
func bulkBodies(ops []esindex.Op, docs int) [][]byte {
	var out [][]byte
	for start := 0; start < len(ops); start += docs {
		end := min(start+docs, len(ops))
		var b bytes.Buffer
		for _, op := range ops[start:end] {
			id, _ := json.Marshal(op.ID)
			b.WriteString(`{"index":{"_id":`)
			b.Write(id)
			b.WriteString("}}\n")
			b.Write(op.Doc)
			b.WriteByte('\n')
		}
		out = append(out, b.Bytes())
	}
	return out
}

// bulkLoad sends the bodies to index with conc requests in flight.
func (s *search) bulkLoad(ctx context.Context, index string, bodies [][]byte, conc int, p *progress.Meter) error {
	work := make(chan []byte)
	errc := make(chan error, conc)
	var wg sync.WaitGroup
	for w := 0; w < conc; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for body := range work {
				if err := s.bulk(ctx, index, body); err != nil {
					errc <- err
					for range work {
					}
					return
				}
				p.Add(int64(bytes.Count(body, []byte{'\n'}) / 2))
			}
		}()
	}
	var err error
loop:
	for _, b := range bodies {
		select {
		case work <- b:
		case err = <-errc:
			break loop
		case <-ctx.Done():
			err = ctx.Err()
			break loop
		}
	}
	close(work)
	wg.Wait()
	close(errc)
	if e, ok := <-errc; ok && err == nil {
		err = e
	}
	return err
}

func (s *search) bulk(ctx context.Context, index string, body []byte) error {
	b, _, err := s.do(ctx, esapi.BulkRequest{Index: index, Body: bytes.NewReader(body)}, "bulk to "+index)
	if err != nil {
		return err
	}
	var r struct {
		Errors bool `json:"errors"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return fmt.Errorf("bulk to %s: %w", index, err)
	}
	if r.Errors {
		return fmt.Errorf("bulk to %s: items failed: %.500s", index, b)
	}
	return nil
}

// indexDoc indexes one document and returns once Elasticsearch acknowledged
// it (no refresh): the direct-indexing baseline of the latency figure.
func (s *search) indexDoc(ctx context.Context, index, id string, doc []byte) error {
	_, _, err := s.do(ctx, esapi.IndexRequest{Index: index, DocumentID: id, Body: bytes.NewReader(doc)}, "indexing "+id)
	return err
}

// visible returns which of ids are searchable in index.
func (s *search) visible(ctx context.Context, index string, ids []string) ([]string, error) {
	q, _ := json.Marshal(map[string]any{
		"size": len(ids), "_source": false,
		"query": map[string]any{"ids": map[string]any{"values": ids}},
	})
	b, status, err := s.do(ctx, esapi.SearchRequest{Index: []string{index}, Body: bytes.NewReader(q)}, "searching "+index)
	if err != nil || status == http.StatusNotFound {
		return nil, err
	}
	var r struct {
		Hits struct {
			Hits []struct {
				ID string `json:"_id"`
			} `json:"hits"`
		} `json:"hits"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("searching %s: %w", index, err)
	}
	out := make([]string, len(r.Hits.Hits))
	for i, h := range r.Hits.Hits {
		out[i] = h.ID
	}
	return out, nil
}

// indexed returns which of ids index holds, searchable or not: a realtime
// multi-get sees a document as soon as Elasticsearch acknowledged it.
func (s *search) indexed(ctx context.Context, index string, ids []string) ([]string, error) {
	q, _ := json.Marshal(map[string]any{"ids": ids})
	b, status, err := s.do(ctx, esapi.MgetRequest{Index: index, Body: bytes.NewReader(q), Source: []string{"false"}, Realtime: &realtime},
		"getting from "+index)
	if err != nil || status == http.StatusNotFound {
		return nil, err
	}
	var r struct {
		Docs []struct {
			ID    string `json:"_id"`
			Found bool   `json:"found"`
		} `json:"docs"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("getting from %s: %w", index, err)
	}
	var out []string
	for _, d := range r.Docs {
		if d.Found {
			out = append(out, d.ID)
		}
	}
	return out, nil
}

var realtime = true
