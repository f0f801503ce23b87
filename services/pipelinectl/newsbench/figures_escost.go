package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/elastic/go-elasticsearch/v8/esapi"

	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/pipelinectl/internal/progress"
)

// The escost phase (not run by default: BENCH_FIGURES=e2e,escost) loads
// figure 1's final documents with variants of the minimal loader, each
// changing one thing, and charges each its Elasticsearch CPU per document
// up to searchable and through the merges after: which of the index
// service's habits, or of the end-to-end run's conditions, costs
// Elasticsearch more than the minimal loader.

// loadVariant is one variant of the minimal loader, written
// "DOCSxCONC[+option…]" (see parseVariant).
type loadVariant struct {
	Docs, Conc int
	// Service writes with the index service's own bulk writer (external_gte
	// versions, _index in every action, require_alias on an alias).
	Service bool
	// External adds the service's version and version_type=external_gte.
	External bool
	// Alias writes through an alias with require_alias=true.
	Alias bool
	// Paced spreads the bulks over figure 1's duration, as documents
	// arrive end to end, instead of sending them back to back.
	Paced bool
	// Refresh sets the index's refresh_interval ("" keeps 1s).
	Refresh string
	// AsyncTranslog sets index.translog.durability=async.
	AsyncTranslog bool
	// Busy keeps one core busy with a spinning thread meanwhile.
	Busy bool
	spec string
}

func (v loadVariant) String() string { return v.spec }

// parseVariant reads "1000x2", "500x3+ext+alias", "1000x2+paced",
// "1000x2+refresh=30s", "1000x2+async", "1000x2+busy", "500x3+service".
func parseVariant(s string) (loadVariant, error) {
	parts := strings.Split(strings.TrimSpace(s), "+")
	ls, err := parseCeiling(parts[0])
	if err != nil || len(ls) != 1 {
		return loadVariant{}, fmt.Errorf("BENCH_ESCOST: %q does not start with DOCSxCONCURRENCY", s)
	}
	v := loadVariant{Docs: ls[0].Docs, Conc: ls[0].Conc, spec: strings.TrimSpace(s)}
	for _, opt := range parts[1:] {
		k, val, _ := strings.Cut(opt, "=")
		switch k {
		case "service":
			v.Service = true
		case "ext":
			v.External = true
		case "alias":
			v.Alias = true
		case "paced":
			v.Paced = true
		case "refresh":
			if _, err := time.ParseDuration(val); err != nil && val != "-1" {
				return loadVariant{}, fmt.Errorf("BENCH_ESCOST: %q: refresh=%q is not a duration or -1", s, val)
			}
			v.Refresh = val
		case "async":
			v.AsyncTranslog = true
		case "busy":
			v.Busy = true
		default:
			return loadVariant{}, fmt.Errorf("BENCH_ESCOST: %q: unknown option %q (want service, ext, alias, paced, refresh=D, async, busy)", s, opt)
		}
	}
	return v, nil
}

func parseVariants(s string) ([]loadVariant, error) {
	var out []loadVariant
	for _, p := range strings.Split(s, ",") {
		if strings.TrimSpace(p) == "" {
			continue
		}
		v, err := parseVariant(p)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// variantBodies renders ops as bulk bodies of v.Docs actions each: plain
// index actions with the id, plus the service's version when v.External.
func variantBodies(ops []esindex.Op, v loadVariant) [][]byte {
	if !v.External {
		return bulkBodies(ops, v.Docs)
	}
	var out [][]byte
	for start := 0; start < len(ops); start += v.Docs {
		var b bytes.Buffer
		for _, op := range ops[start:min(start+v.Docs, len(ops))] {
			id, _ := json.Marshal(op.ID)
			fmt.Fprintf(&b, `{"index":{"_id":%s,"version":%d,"version_type":"external_gte"}}`+"\n", id, op.Version)
			b.Write(op.Doc)
			b.WriteByte('\n')
		}
		out = append(out, b.Bytes())
	}
	return out
}

// escost runs every variant of BENCH_ESCOST over figure 1's documents.
func (b *bench) escost(ctx context.Context) (cpuUse, error) {
	ops, err := b.finalOps(ctx)
	if err != nil {
		return cpuUse{}, err
	}
	variants, _ := parseVariants(b.cfg.ESCost)
	var rows []map[string]any
	var last cpuUse
	for i, v := range variants {
		if i > 0 {
			if waited, ok, err := b.settle(ctx); err != nil || !ok {
				b.say("  settling after %s: waited %s (%v)", variants[i-1], waited.Round(time.Second), err)
			}
		}
		cost, use, rate, err := b.loadVariant(ctx, fmt.Sprintf("escost-%d", i), ops, v)
		if err != nil {
			return last, fmt.Errorf("variant %s: %w", v, err)
		}
		last = use
		b.say("  %-24s %5.0f docs/s, %s", v, rate, cost)
		rows = append(rows, map[string]any{"variant": v.String(), "docs_per_s": round(rate, 1), "es_ms_per_doc": round(cost.MsPerDoc(), 3),
			"es": cost, "cpu": use})
	}
	b.res["escost_runs"] = rows
	return last, nil
}

// loadVariant loads ops into a fresh index the way v says, until all are
// searchable and merged.
func (b *bench) loadVariant(ctx context.Context, name string, ops []esindex.Op, v loadVariant) (esCost, cpuUse, float64, error) {
	index, target := b.index(name), b.index(name)
	if err := b.search.createIndex(ctx, index); err != nil {
		return esCost{}, cpuUse{}, 0, err
	}
	defer func() { _ = b.search.deleteIndex(context.Background(), index) }()
	if err := b.search.tuneIndex(ctx, index, v); err != nil {
		return esCost{}, cpuUse{}, 0, err
	}
	if v.Alias || v.Service {
		target = index + "-alias"
		if err := b.search.addAlias(ctx, index, target); err != nil {
			return esCost{}, cpuUse{}, 0, err
		}
	}
	var pace time.Duration
	if v.Paced {
		secs := b.res.num("e2e_seconds")
		if !(secs > 0) {
			return esCost{}, cpuUse{}, 0, fmt.Errorf("paced needs figure 1's duration (run e2e first)")
		}
		pace = time.Duration(secs * float64(time.Second) * float64(v.Docs) / float64(len(ops)))
	}
	if v.Busy {
		stop := spin()
		defer stop()
	}
	meter := newCPUMeter(b.servers)
	p := progress.New(io.Discard, "", 0)
	defer p.Stop()
	start := time.Now()
	var err error
	switch {
	case v.Service:
		err = b.serviceLoad(ctx, target, ops, v, pace)
	case pace > 0:
		err = b.search.pacedLoad(ctx, target, variantBodies(ops, v), v.Conc, pace, v.Alias)
	default:
		err = b.search.bulkLoadOpts(ctx, target, variantBodies(ops, v), v.Conc, p, v.Alias)
	}
	if err != nil {
		return esCost{}, meter.stop(), 0, err
	}
	end, err := b.search.waitCount(ctx, p, index, int64(len(ops)), b.phaseTimeout(), nil)
	use := meter.stop()
	if err != nil {
		return esCost{}, use, 0, err
	}
	rate := float64(len(ops)) / end.Sub(start).Seconds()
	cost, err := b.esTail(ctx, index, len(ops), use.Seconds["elasticsearch"])
	return cost, use, rate, err
}

// serviceLoad writes ops with the index service's bulk writer, v.Conc
// batches of v.Docs in flight.
func (b *bench) serviceLoad(ctx context.Context, alias string, ops []esindex.Op, v loadVariant, pace time.Duration) error {
	w := &esindex.Bulk{ES: b.search.es, Index: alias, RequireAlias: true, Log: b.log}
	sem := make(chan struct{}, v.Conc)
	errc := make(chan error, 1)
	var failed atomic.Bool
	next := time.Now()
	for start := 0; start < len(ops) && !failed.Load(); start += v.Docs {
		if pace > 0 {
			if err := sleep(ctx, time.Until(next)); err != nil {
				return err
			}
			next = next.Add(pace)
		}
		sem <- struct{}{}
		chunk := ops[start:min(start+v.Docs, len(ops))]
		go func() {
			defer func() { <-sem }()
			rej, err := w.Write(ctx, chunk)
			if err == nil && len(rej) > 0 {
				err = fmt.Errorf("%d documents rejected: %s", len(rej), rej[0].Reason)
			}
			if err != nil && failed.CompareAndSwap(false, true) {
				errc <- err
			}
		}()
	}
	for i := 0; i < v.Conc; i++ {
		sem <- struct{}{}
	}
	select {
	case err := <-errc:
		return err
	default:
		return nil
	}
}

// pacedLoad sends one body every pace, at most conc in flight.
func (s *search) pacedLoad(ctx context.Context, index string, bodies [][]byte, conc int, pace time.Duration, requireAlias bool) error {
	sem := make(chan struct{}, conc)
	errc := make(chan error, len(bodies))
	next := time.Now()
	for _, body := range bodies {
		if err := sleep(ctx, time.Until(next)); err != nil {
			return err
		}
		next = next.Add(pace)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem }()
			if err := s.bulkOpts(ctx, index, body, requireAlias); err != nil {
				errc <- err
			}
		}()
	}
	for i := 0; i < conc; i++ {
		sem <- struct{}{}
	}
	close(errc)
	return <-errc
}

// bulkLoadOpts is bulkLoad with require_alias when requireAlias.
func (s *search) bulkLoadOpts(ctx context.Context, index string, bodies [][]byte, conc int, p *progress.Meter, requireAlias bool) error {
	if !requireAlias {
		return s.bulkLoad(ctx, index, bodies, conc, p)
	}
	return s.pacedLoad(ctx, index, bodies, conc, 0, true)
}

func (s *search) bulkOpts(ctx context.Context, index string, body []byte, requireAlias bool) error {
	if !requireAlias {
		return s.bulk(ctx, index, body)
	}
	ra := true
	b, _, err := s.do(ctx, esapi.BulkRequest{Index: index, Body: bytes.NewReader(body), RequireAlias: &ra}, "bulk to "+index)
	if err != nil {
		return err
	}
	if bytes.Contains(b[:min(len(b), 64)], []byte(`"errors":true`)) {
		return fmt.Errorf("bulk to %s: items failed: %.500s", index, b)
	}
	return nil
}

// tuneIndex applies v's refresh interval and translog durability.
func (s *search) tuneIndex(ctx context.Context, index string, v loadVariant) error {
	set := map[string]any{}
	if v.Refresh != "" {
		set["index.refresh_interval"] = v.Refresh
	}
	if v.AsyncTranslog {
		set["index.translog.durability"] = "async"
	}
	if len(set) == 0 {
		return nil
	}
	body, _ := json.Marshal(set)
	_, _, err := s.do(ctx, esapi.IndicesPutSettingsRequest{Index: []string{index}, Body: bytes.NewReader(body)}, "setting "+index)
	return err
}

func (s *search) addAlias(ctx context.Context, index, alias string) error {
	_, _, err := s.do(ctx, esapi.IndicesPutAliasRequest{Index: []string{index}, Name: alias}, "aliasing "+index)
	return err
}

// spin keeps one thread busy until the returned stop is called: another
// process's work on the second core.
func spin() (stop func()) {
	var done atomic.Bool
	go func() {
		runtime.LockOSThread()
		x := 0
		for !done.Load() {
			for i := 0; i < 1e5; i++ {
				x += i
			}
		}
		_ = strconv.Itoa(x)
	}()
	return func() { done.Store(true) }
}

// defaultESCost changes one thing at a time from the minimal loader's
// 1000x2: the index service's writer, its versioning, its alias, its bulk
// size and requests in flight, documents trickling in at figure 1's rate,
// the refresh interval, translog durability, a busy second core; 1000x2
// again at the end shows the drift over the phase.
const defaultESCost = "1000x2,500x3+service,1000x2+ext,1000x2+alias,1000x1,1000x3,500x2,1000x2+paced,500x3+service+paced," +
	"1000x2+paced+refresh=5s,1000x2+async,1000x2+busy,1000x2"
