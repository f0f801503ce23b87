package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/deskwire/newsroom/services/index/esindex"
	"github.com/deskwire/newsroom/services/pipelinectl/internal/progress"
)

// --- figures 1 and 7: end to end and memory -----------------------------------

// e2e loads the articles with `ingest load` while classify and index run,
// until every article is searchable, and records each service's peak RSS.
func (b *bench) e2e(ctx context.Context) (cpuUse, error) { return b.e2eOn(ctx, "e2e") }

// e2eOn runs figure 1 on the topics, groups and alias of stack; its
// figures are keyed by stack ("e2e", "e2e_pinned").
func (b *bench) e2eOn(ctx context.Context, stack string) (cpuUse, error) {
	env := b.stackEnv(stack)
	classify, err := b.startService(ctx, "classify", stack, env...)
	if err != nil {
		return cpuUse{}, err
	}
	defer classify.stop()
	indexers, err := b.startIndexers(ctx, stack, env...)
	if err != nil {
		return cpuUse{}, err
	}
	svcs := append([]*child{classify}, indexers...)
	if err := waitGroupStable(ctx, b.ka, b.group(stack+".classify"), 1, alive(svcs...)); err != nil {
		return cpuUse{}, err
	}
	if err := waitGroupStable(ctx, b.ka, b.group(stack+".index"), len(indexers), alive(svcs...)); err != nil {
		return cpuUse{}, err
	}
	primary := stack == "e2e" // the memory figures come from figure 1 itself
	for _, c := range svcs {
		c.sample()
		if primary {
			b.res.atLeast("rss_startup_mb_"+c.name, round(float64(c.PeakRSS())/1e6, 1))
		}
	}
	meter := newCPUMeter(b.servers, svcs...)
	start := time.Now()
	load, err := startChild("ingest-load", filepath.Join(b.cfg.Bin, "ingest"), []string{"load", b.data.File}, b.env(env...),
		filepath.Join(b.dir, stack+"-ingest-load.log"))
	if err != nil {
		return meter.stop(), err
	}
	b.track(load)
	meter.add(load)
	classified := make(chan time.Duration, 1)
	watch, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	go b.whenFull(watch, b.topic(stack+".classified"), int64(b.cfg.N), start, classified)
	p := progress.New(b.status, "end to end, searchable", int64(b.cfg.N))
	end, err := b.search.waitCount(ctx, p, b.index(stack), int64(b.cfg.N), b.phaseTimeout(), alive(append(svcs, load)...))
	p.Stop()
	if err != nil {
		return meter.stop(), err
	}
	if err := load.wait(ctx); err != nil {
		return meter.stop(), fmt.Errorf("ingest load: %w\n%s", err, load.tail(20))
	}
	use := meter.stop()
	b.chargeES(ctx, stack, b.index(stack), b.cfg.N, use)
	el := end.Sub(start)
	rate := float64(b.cfg.N) / el.Seconds()
	b.res[stack+"_articles_per_s"] = round(rate, 1)
	b.res[stack+"_seconds"] = round(el.Seconds(), 2)
	b.say("  %d articles searchable %s after ingest load started: %.0f articles/s", b.cfg.N, el.Round(time.Millisecond), rate)
	b.recordBulks(stack, b.cfg.N, indexers)
	b.res[stack+"_loaded_seconds"] = round(load.ended.Sub(start).Seconds(), 2)
	if !primary {
		// Later phases use figure 1's index services only.
		for _, c := range indexers {
			c.stop()
		}
		return use, nil
	}
	select {
	case d := <-classified:
		b.res["e2e_classified_seconds"] = round(d.Seconds(), 2)
		b.say("  stages: ingest load done after %.1fs, classify after %.1fs, all searchable after %.1fs",
			load.ended.Sub(start).Seconds(), d.Seconds(), el.Seconds())
	default:
	}
	for _, c := range append(svcs, load) {
		c.sample()
		key := "rss_peak_mb_" + strings.TrimSuffix(c.name, "-load")
		b.res.atLeast(key, round(float64(c.PeakRSS())/1e6, 1))
	}
	b.say("  peak RSS: ingest load %.0f MB, classify %.0f MB, index %.0f MB",
		b.res.num("rss_peak_mb_ingest"), b.res.num("rss_peak_mb_classify"), b.res.num("rss_peak_mb_index"))
	return use, nil
}

// startIndexers starts the configured number of index services on one
// consumer group.
func (b *bench) startIndexers(ctx context.Context, phase string, env ...string) ([]*child, error) {
	var out []*child
	for i := 0; i < b.cfg.IndexInstances; i++ {
		c, err := b.startService(ctx, "index", fmt.Sprintf("%s%d", phase, i), env...)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// --- figure 2: the index stage alone -------------------------------------------

// metricSum reads a service's /metrics and sums the samples of the metric
// named name over all its label sets.
func metricSum(addr, name string) (float64, error) {
	res, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	var sum float64
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		line := sc.Text()
		rest, ok := strings.CutPrefix(line, name)
		if !ok || rest == "" || (rest[0] != ' ' && rest[0] != '{') {
			continue
		}
		if i := strings.LastIndexByte(rest, ' '); i >= 0 {
			v, err := strconv.ParseFloat(rest[i+1:], 64)
			if err != nil {
				return 0, fmt.Errorf("%s: %q: %w", name, line, err)
			}
			sum += v
		}
	}
	return sum, sc.Err()
}

// consumed reads a service's consumed-records counter from /metrics.
func consumed(addr string) (float64, error) {
	return metricSum(addr, "newsroom_messages_consumed_total")
}

// recordBulks stores, under prefix, how many bulk requests the index
// services sent and their mean size and latency: Elasticsearch's cost per
// document depends on them.
func (b *bench) recordBulks(prefix string, docs int, indexers []*child) {
	var count, secs float64
	for _, c := range indexers {
		n, err1 := metricSum(c.addr, "newsroom_bulk_seconds_count")
		s, err2 := metricSum(c.addr, "newsroom_bulk_seconds_sum")
		if err := errors.Join(err1, err2); err != nil {
			b.say("  reading bulk metrics of %s: %v", c.name, err)
			return
		}
		count, secs = count+n, secs+s
	}
	if count == 0 {
		return
	}
	b.res[prefix+"_bulk_requests"] = count
	b.res[prefix+"_bulk_docs_avg"] = round(float64(docs)/count, 1)
	b.res[prefix+"_bulk_ms_avg"] = round(secs/count*1000, 1)
	b.say("  %.0f bulk requests: %.0f documents and %.0f ms each on average", count, float64(docs)/count, secs/count*1000)
}

// indexAlone starts an index service on its own group and alias over the
// classified topic figure 1 filled, and times it from its first record to
// the last document searchable.
func (b *bench) indexAlone(ctx context.Context) (cpuUse, error) {
	return b.indexAloneOn(ctx, "e2e", "index")
}

// indexAloneOn runs figure 2 over the classified topic of stack; its
// figures are keyed by key ("index", "index_pinned").
func (b *bench) indexAloneOn(ctx context.Context, stack, key string) (cpuUse, error) {
	alias := b.index(key)
	env := []string{"TOPIC_RAW=" + b.topic(stack+".raw"), "TOPIC_CLASSIFIED=" + b.topic(stack+".classified"), "TOPIC_DLQ=" + b.topic(stack+".dlq"),
		"INDEX_GROUP=" + b.group(key+".alone"), "INDEX_ALIAS=" + alias}
	meter := newCPUMeter(b.servers)
	indexers, err := b.startIndexers(ctx, key, env...)
	for _, c := range indexers {
		defer c.stop()
		meter.add(c)
	}
	if err != nil {
		return meter.stop(), err
	}
	var first time.Time
	deadline := time.Now().Add(2 * time.Minute)
	for first.IsZero() {
		for _, c := range indexers {
			if n, err := consumed(c.addr); err == nil && n > 0 {
				first = time.Now()
			}
		}
		if !first.IsZero() {
			break
		}
		if err := alive(indexers...)(); err != nil {
			return meter.stop(), err
		}
		if time.Now().After(deadline) {
			return meter.stop(), errors.New("the index service consumed nothing in 2 minutes")
		}
		if err := sleep(ctx, 10*time.Millisecond); err != nil {
			return meter.stop(), err
		}
	}
	p := progress.New(b.status, "index stage, searchable", int64(b.cfg.N))
	end, err := b.search.waitCount(ctx, p, alias, int64(b.cfg.N), b.phaseTimeout(), alive(indexers...))
	p.Stop()
	use := meter.stop()
	if err != nil {
		return use, err
	}
	rate := float64(b.cfg.N) / end.Sub(first).Seconds()
	b.res[key+"_docs_per_s"] = round(rate, 1)
	b.chargeES(ctx, key, alias, b.cfg.N, use)
	b.recordBulks(key, b.cfg.N, indexers)
	for _, c := range indexers {
		b.res.atLeast("rss_peak_mb_"+key+"_alone", round(float64(c.PeakRSS())/1e6, 1))
		c.stop()
	}
	b.say("  %d documents searchable %s after the first record: %.0f docs/s", b.cfg.N, end.Sub(first).Round(time.Millisecond), rate)
	if _, err := b.search.deleteByPrefix(ctx, alias+"-"); err != nil {
		b.say("  deleting %s: %v", alias, err)
	}
	return use, nil
}

// --- ceiling of figures 1 and 2 ------------------------------------------------

// finalOps reads the documents the index service wrote, once.
func (b *bench) finalOps(ctx context.Context) ([]esindex.Op, error) {
	if b.ops != nil {
		return b.ops, nil
	}
	ka, err := b.freshAdmin()
	if err != nil {
		return nil, err
	}
	ops, err := readOps(ctx, &b.cfg.Kafka, ka, b.topic("e2e.classified"))
	if err != nil {
		return nil, err
	}
	if len(ops) != b.cfg.N {
		return nil, fmt.Errorf("the classified topic holds %d articles, want %d", len(ops), b.cfg.N)
	}
	b.ops = ops
	return ops, nil
}

// ceiling bulk-loads the final documents into fresh indices with the same
// mapping and settings, with each loader setting, until all are
// searchable; the best rate is the ceiling of figures 1 and 2.
func (b *bench) ceiling(ctx context.Context) (cpuUse, error) {
	ops, err := b.finalOps(ctx)
	if err != nil {
		return cpuUse{}, err
	}
	var docBytes int64
	for _, op := range ops {
		docBytes += int64(len(op.Doc))
	}
	b.res["document_bytes_avg"] = round(float64(docBytes)/float64(len(ops)), 0)
	settings, _ := parseCeiling(b.cfg.Ceiling)
	return b.ceilingOf(ctx, ops, settings, "e2e_ceiling", "ceiling")
}

// waited is what waitCount returned.
type waited struct {
	end time.Time
	err error
}

// ceilingOf loads ops with each setting of the minimal loader and keeps
// the best rate under key+"_articles_per_s" and its Elasticsearch cost
// under esKey.
func (b *bench) ceilingOf(ctx context.Context, ops []esindex.Op, settings []loaderSetting, key, esKey string) (cpuUse, error) {
	best, bestUse, bestCost := 0.0, cpuUse{}, esCost{}
	var runs []map[string]any
	for i, s := range settings {
		if i > 0 {
			if waited, ok, err := b.settle(ctx); err != nil || !ok {
				b.say("  settling: waited %s (%v)", waited.Round(time.Second), err)
			}
		}
		name := b.index(fmt.Sprintf("%s-%d", esKey, i))
		if err := b.search.createIndex(ctx, name); err != nil {
			return bestUse, err
		}
		bodies := bulkBodies(ops, s.Docs)
		meter := newCPUMeter(b.servers)
		p := progress.New(b.status, "minimal loader "+s.String()+", sent", int64(len(ops)))
		start := time.Now()
		// Poll for the count while loading, as figures 1 and 2 poll while
		// the pipeline writes: both pay Elasticsearch for the same
		// _count requests (about 0.7 ms of its CPU each).
		waitCtx, stopWaiting := context.WithCancel(ctx)
		searchable := make(chan waited, 1)
		go func() {
			end, err := b.search.waitCount(waitCtx, progress.New(io.Discard, "", 0), name, int64(len(ops)), b.phaseTimeout(), nil)
			searchable <- waited{end, err}
		}()
		err := b.search.bulkLoad(ctx, name, bodies, s.Conc, p)
		p.Stop()
		if err != nil {
			stopWaiting()
			<-searchable
			return bestUse, err
		}
		w := <-searchable
		stopWaiting()
		end, err := w.end, w.err
		use := meter.stop()
		if err != nil {
			return bestUse, err
		}
		rate := float64(len(ops)) / end.Sub(start).Seconds()
		b.say("  minimal loader %s: %.0f docs/s (%s)", s, rate, use)
		run := map[string]any{"setting": s.String(), "docs_per_s": round(rate, 1)}
		cost, err := b.esTail(ctx, name, len(ops), use.Seconds["elasticsearch"])
		if err == nil {
			run["es_ms_per_doc"] = round(cost.MsPerDoc(), 3)
			b.say("    Elasticsearch: %s", cost)
		}
		runs = append(runs, run)
		if rate > best {
			best, bestUse, bestCost = rate, use, cost
			b.res[key+"_config"] = s.String()
		}
		if err := b.search.deleteIndex(ctx, name); err != nil {
			return bestUse, err
		}
	}
	b.res[key+"_articles_per_s"] = round(best, 1)
	b.res[key+"_runs"] = runs
	if bestCost.Docs > 0 {
		b.recordESCost(esKey, bestCost)
	}
	return bestUse, nil
}
