#!/usr/bin/env bash
# bench.sh — the benchmarks of issue 7 against the real local Kafka and Elasticsearch:
# every figure next to its ceiling, measured in one run on this machine.
#
#   make bench                    build, start Kafka and Elasticsearch, run this script
#   BENCH_N=2000 make bench       a quick look (default 50000 articles)
#
# It runs the classify micro-benchmarks (figure 4: the classify step against a plain
# multi-pattern scan, one core), then bin/newsbench for the rest: producer and consumer
# against Kafka's own performance tools, end to end and the index stage against a minimal
# bulk loader, reindex, latency against direct indexing, peak memory. The table goes to
# stdout, the figures to bench-results.json, logs to .cache/bench/<run>/.
#
# Settings (environment): BENCH_N, BENCH_FIGURES (producer,consumer,e2e,index,ceiling,reindex,
# latency,search), BENCH_LATENCY_DURATION [30s], BENCH_LATENCY_RATE [50], BENCH_CEILING, BENCH_KEEP,
# BENCH_SEARCH_SIZES [10000,100000,300000], BENCH_SEARCH_REQUESTS [2000], BENCH_SEARCH_CLIENTS [1],
# BENCH_GOBENCH_TIME [2s]; the services' own settings (BULK_FLUSH_INTERVAL, KAFKA_WRITER_*, …)
# pass through to the services the benchmark starts. `bin/newsbench run -h` lists them all.
# `bin/newsbench clean` deletes what an interrupted run left behind.
set -euo pipefail
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_DIR"
SHARED="${SHARED:-$(cd "$REPO_DIR/.." && pwd)/shared}"
export SHARED_DIR="${SHARED_DIR:-$SHARED}"
export NEWSROOM_BIN="${NEWSROOM_BIN:-$REPO_DIR/bin}"
export BENCH_SOURCE="${BENCH_SOURCE:-$SHARED_DIR/eval/dev/articles.jsonl}"
export BENCH_INFRA="$REPO_DIR/scripts/infra.sh"
export LOG_LEVEL="${LOG_LEVEL:-info}"

[[ -f "$BENCH_SOURCE" ]] || { echo "bench: no $BENCH_SOURCE (the articles whose text the benchmark re-uses): set SHARED_DIR" >&2; exit 1; }
for b in ingest classify index pipelinectl; do
  [[ -x "$NEWSROOM_BIN/$b" ]] || { echo "bench: $NEWSROOM_BIN/$b is missing: run make build" >&2; exit 1; }
done
scripts/infra.sh status >/dev/null || { echo "bench: Kafka and Elasticsearch must run: make infra-up" >&2; exit 1; }

mkdir -p .cache/bench
go build -trimpath -o "$NEWSROOM_BIN/newsbench" ./services/pipelinectl/newsbench

echo "== classify CPU (figure 4): go test -bench, one core, three interleaved rounds (newsbench keeps the best)"
GOBENCH=.cache/bench/gobench.txt
: >"$GOBENCH"
for round in 1 2 3; do
  (cd services/classify && go test -run '^$' -bench '^Benchmark(ClassifyStep|CeilingScan|Extract)$' \
    -benchtime "${BENCH_GOBENCH_TIME:-2s}" -count 1 -cpu 1 ./extract) 2>&1 | tee -a "$GOBENCH" ||
    echo "bench: the classify benchmarks failed (round $round); figure 4 may be missing" >&2
done

exec "$NEWSROOM_BIN/newsbench" run --gobench "$GOBENCH" --out "$REPO_DIR/bench-results.json"
