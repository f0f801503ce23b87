package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/deskwire/newsroom/services/classify/classifier"
	"github.com/deskwire/newsroom/services/classify/extract"
	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/ingest/article"
	"github.com/deskwire/newsroom/services/pipeline/catalog"
	"github.com/deskwire/newsroom/services/pipelinectl/internal/progress"
)

// Warming Elasticsearch up: a freshly started Elasticsearch compiles its
// indexing code while it runs, and the first phase that writes to it paid
// for that (measured at N = 10,000 on a node started a minute before: 2.07
// ms of its CPU per document in figure 1, 1.06 in figure 2, 0.72 in the
// ceiling, 0.41–0.48 once warm, in whatever order). Before the first phase
// that writes to it, the benchmark indexes BENCH_ES_WARMUP of the run's
// articles, classified in process as classify would, into a throwaway
// index, so that no figure is charged for the JVM's warm-up.

// warmES runs the warm-up once per run.
func (b *bench) warmES(ctx context.Context) error {
	if b.warmed || b.cfg.ESWarmup <= 0 {
		return nil
	}
	b.warmed = true
	start := time.Now()
	cpu0 := b.esCPU()
	ops, err := warmupOps(b.data.File, min(b.cfg.ESWarmup, b.cfg.N))
	if err != nil {
		return err
	}
	index := b.index("warmup")
	if err := b.search.createIndex(ctx, index); err != nil {
		return err
	}
	defer func() { _ = b.search.deleteIndex(context.Background(), index) }()
	p := progress.New(io.Discard, "", 0)
	defer p.Stop()
	if err := b.search.bulkLoad(ctx, index, bulkBodies(ops, 1000), 2, p); err != nil {
		return fmt.Errorf("warming Elasticsearch up: %w", err)
	}
	if _, err := b.search.waitCount(ctx, p, index, int64(len(ops)), b.phaseTimeout(), nil); err != nil {
		return fmt.Errorf("warming Elasticsearch up: %w", err)
	}
	b.res["es_warmup_docs"] = len(ops)
	b.res["es_warmup_cpu_s"] = round(b.esCPU()-cpu0, 2)
	b.say("  warmed Elasticsearch up with %d documents in %s (%.1f CPU-s)", len(ops), time.Since(start).Round(time.Millisecond), b.esCPU()-cpu0)
	if waited, ok, err := b.settle(ctx); err != nil || !ok {
		b.say("  settling after the warm-up: waited %s (%v)", waited.Round(time.Second), err)
	}
	return nil
}

// warmupOps classifies the first n articles of the NDJSON file as ingest
// and classify would and returns their documents.
func warmupOps(path string, n int) ([]esindex.Op, error) {
	cat, err := catalog.LoadOverlay("", "")
	if err != nil {
		return nil, fmt.Errorf("loading catalogs for the warm-up: %w", err)
	}
	ex := extract.New(cat)
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading articles for the warm-up: %w", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	now := time.Now()
	ops := make([]esindex.Op, 0, n)
	for len(ops) < n && sc.Scan() {
		in, err := article.Decode(sc.Bytes())
		if err != nil {
			return nil, fmt.Errorf("warm-up article %d: %w", len(ops)+1, err)
		}
		doc, id, err := appendClassified(nil, ex, in, now)
		if err != nil {
			return nil, fmt.Errorf("warm-up article %d: %w", len(ops)+1, err)
		}
		ops = append(ops, esindex.Op{ID: id, Doc: doc})
	}
	return ops, sc.Err()
}

// appendClassified builds in as ingest builds it, classifies it as classify
// does and appends the document the index service would write; it returns
// the article's id too.
func appendClassified(dst []byte, ex *extract.Extractor, in article.Input, ingested time.Time) ([]byte, string, error) {
	a, err := article.Build(in, ingested, "")
	if err != nil {
		return dst, "", fmt.Errorf("building the article: %w", err)
	}
	dst, err = esindex.AppendDocument(dst, classifier.Classify(ex, a, ingested.Add(time.Second)))
	if err != nil {
		return dst, "", fmt.Errorf("encoding article %s: %w", a.GetId(), err)
	}
	return dst, a.GetId(), nil
}
