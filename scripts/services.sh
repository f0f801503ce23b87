#!/usr/bin/env bash
# services.sh — run the three services in the background for `make up` / `make demo`.
#
#   scripts/services.sh up      start ingest, classify and index (only those not running)
#   scripts/services.sh down    stop them (SIGTERM, then SIGKILL after 30 s)
#   scripts/services.sh status  show pid, address and health of each
#
# Pids and logs live in .run/ (git-ignored): .run/<service>.pid, .run/<service>.log.
# The services read their usual environment (KAFKA_BROKERS, ELASTICSEARCH_URL, ...; see README).
set -euo pipefail
REPO_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN="$REPO_DIR/.run"
BIN="$REPO_DIR/bin"
SERVICES=(ingest classify index)
declare -A PORT=([ingest]=8081 [classify]=8082 [index]=8083)
mkdir -p "$RUN"

alive() { [[ -f "$RUN/$1.pid" ]] && kill -0 "$(cat "$RUN/$1.pid")" 2>/dev/null; }
healthy() { curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:${PORT[$1]}/healthz" 2>/dev/null; }

up() {
  for s in "${SERVICES[@]}"; do
    [[ -x "$BIN/$s" ]] || { echo "services: $BIN/$s is missing: run 'make build'" >&2; exit 1; }
    if alive "$s"; then echo "$s: already running (pid $(cat "$RUN/$s.pid"))"; continue; fi
    [[ -f "$RUN/$s.log" ]] && mv -f "$RUN/$s.log" "$RUN/$s.log.1"
    nohup "$BIN/$s" serve >"$RUN/$s.log" 2>&1 </dev/null &
    echo $! >"$RUN/$s.pid"
    echo "$s: started (pid $!, log .run/$s.log)"
  done
  for s in "${SERVICES[@]}"; do
    for _ in $(seq 1 120); do
      healthy "$s" && break
      if ! alive "$s"; then echo "services: $s exited; last lines of .run/$s.log:" >&2; tail -n 30 "$RUN/$s.log" >&2; exit 1; fi
      sleep 0.5
    done
    healthy "$s" || { echo "services: $s is not healthy after 60 s; last lines of .run/$s.log:" >&2; tail -n 30 "$RUN/$s.log" >&2; exit 1; }
    echo "$s: healthy on 127.0.0.1:${PORT[$s]}"
  done
}

down() {
  for s in "${SERVICES[@]}"; do
    if ! alive "$s"; then rm -f "$RUN/$s.pid"; continue; fi
    pid=$(cat "$RUN/$s.pid")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then echo "$s: still running after 30 s, killing" >&2; kill -KILL "$pid" 2>/dev/null || true; fi
    rm -f "$RUN/$s.pid"
    echo "$s: stopped"
  done
}

status() {
  rc=0
  for s in "${SERVICES[@]}"; do
    if alive "$s"; then
      h=unhealthy; healthy "$s" && h=healthy
      echo "$s: running (pid $(cat "$RUN/$s.pid"), 127.0.0.1:${PORT[$s]}, $h)"
    else
      echo "$s: stopped"; rc=3
    fi
  done
  return $rc
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  *) echo "usage: scripts/services.sh up|down|status" >&2; exit 2 ;;
esac
