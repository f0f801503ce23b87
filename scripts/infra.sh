#!/usr/bin/env bash
# infra.sh — run real Apache Kafka 4.x and Elasticsearch 8.19.x locally for integration tests,
# without Docker. Both servers come from Maven Central through `mvn` (maven-dependency-plugin,
# pinned); nothing else is downloaded.
#
# Usage:
#   scripts/infra.sh up     [kafka|elasticsearch|elasticsearch-secure]   fetch on first use, start,
#       wait until ready. Kafka always has a second listener (TLS + SASL/SCRAM-SHA-512) on
#       KAFKA_SECURE_PORT; elasticsearch-secure is a second node with security on (HTTPS, a
#       file-realm user) on ES_SECURE_PORT. Both use the certificates and credentials in
#       $ITEST_DIR/secure. (API keys live in the security index, whose mapping needs the
#       analysis-common module that this distribution lacks, so the node cannot issue them.)
#   scripts/infra.sh down   [kafka|elasticsearch]   stop by recorded pid (TERM, 30 s, then KILL)
#   scripts/infra.sh status [kafka|elasticsearch]   exit 0 if all requested are up, 3 otherwise
#   scripts/infra.sh reset  [kafka|elasticsearch]   stop and wipe data (alias: clean)
#   scripts/infra.sh logs   [kafka|elasticsearch]   print the tail of the server log
#   scripts/infra.sh env                            print KAFKA_BROKERS=... ELASTICSEARCH_URL=...
#   scripts/infra.sh secure-env                     print the settings that reach the secured pair
#   scripts/infra.sh fetch  [kafka|elasticsearch]   only fetch (classpath / distribution)
#   scripts/infra.sh kafka-class MAINCLASS [ARGS...]  run a Java main class on Kafka's classpath,
#       e.g. org.apache.kafka.tools.TopicCommand, org.apache.kafka.tools.ProducerPerformance
# No second argument means both servers. Every command is idempotent.
#
# Where things live (ITEST_DIR defaults to /var/tmp/itest; never under /root, because the
# Elasticsearch user must be able to reach it):
#   <repo>/.cache/kafka-lib-<KAFKA_VERSION>/   Kafka's resolved jars (git-ignored; reused)
#   ~/.m2/repository                           Maven's download cache
#   $ITEST_DIR/kafka/config/                   rendered server.properties, log4j2.properties
#   $ITEST_DIR/kafka/data/                     KRaft metadata + topic data (kept across down/up)
#   $ITEST_DIR/kafka/logs/kafka.out            broker log (previous run: kafka.out.1)
#   $ITEST_DIR/kafka/kafka.pid, version        pid and version of the running broker
#   $ITEST_DIR/elasticsearch/dist/elasticsearch-<ES_VERSION>/   unpacked distribution (ES home)
#   $ITEST_DIR/elasticsearch/data/             index data (kept across down/up)
#   $ITEST_DIR/elasticsearch/logs/itest.log    server log (also gc.log); es-cli.out: launcher
#   $ITEST_DIR/elasticsearch/run/es.pid        pid of the server JVM (written by Elasticsearch)
#   $ITEST_DIR/elasticsearch/version, java.home  version and JDK in use
#   $ITEST_DIR/elasticsearch-secure/           the secured node, laid out like elasticsearch/
#   $ITEST_DIR/secure/                         ca.pem, server.pem/.key (127.0.0.1, localhost), other-ca.pem
#                                              (a CA nobody trusts, for tests), kafka-user/-password,
#                                              es-user/-password
#
# Environment overrides (defaults in brackets):
#   KAFKA_VERSION [4.1.1]  KAFKA_PORT [9092]  KAFKA_CONTROLLER_PORT [9093]  KAFKA_HEAP [512m]
#   KAFKA_SECURE_PORT [9094]  ES_SECURE_PORT [9210]  ES_SECURE_TRANSPORT_PORT [9310]
#   KAFKA_JAVA_HOME [JAVA_HOME, java on PATH, or a JDK >= 17 under /usr/lib/jvm]
#   ES_VERSION [newest of 8.19.16 8.19.14 8.19.10 8.18.8 that resolves]  ES_PORT [9200]
#   ES_TRANSPORT_PORT [9300]  ES_JAVA_HOME [JDK 17, else 21, else Temurin 25, else any >= 17]
#   ES_HEAP_MIN [512m]  ES_HEAP_MAX [1g]  ES_USER [esitest]  ITEST_DIR [/var/tmp/itest]
#   KAFKA_START_TIMEOUT [120]  ES_START_TIMEOUT [180]  (seconds)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"

ITEST_DIR="${ITEST_DIR:-/var/tmp/itest}"
MVN_DEP_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"

KAFKA_VERSION="${KAFKA_VERSION:-4.1.1}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP="${KAFKA_HEAP:-512m}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-120}"
KAFKA_LIB="$REPO_DIR/.cache/kafka-lib-$KAFKA_VERSION"
KAFKA_DIR="$ITEST_DIR/kafka"
KAFKA_DATA="$KAFKA_DIR/data"
KAFKA_PIDFILE="$KAFKA_DIR/kafka.pid"
KAFKA_OUT="$KAFKA_DIR/logs/kafka.out"
KAFKA_MAIN="kafka.Kafka"
KAFKA_SECURE_PORT="${KAFKA_SECURE_PORT:-9094}"
SECURE_DIR="$ITEST_DIR/secure"
ES_SECURE_PORT="${ES_SECURE_PORT:-9210}"
ES_SECURE_TRANSPORT_PORT="${ES_SECURE_TRANSPORT_PORT:-9310}"
# ES_SECURE=1 (set by `up elasticsearch-secure`) runs the elasticsearch functions on the secured node.
ES_SECURE="${ES_SECURE:-0}"

ES_VERSIONS_DEFAULT="8.19.16 8.19.14 8.19.10 8.18.8"
ES_PORT="${ES_PORT:-9200}"
ES_TRANSPORT_PORT="${ES_TRANSPORT_PORT:-9300}"
ES_HEAP_MIN="${ES_HEAP_MIN:-512m}"
ES_HEAP_MAX="${ES_HEAP_MAX:-1g}"
ES_USER="${ES_USER:-esitest}"
ES_START_TIMEOUT="${ES_START_TIMEOUT:-180}"
ES_DIR="$ITEST_DIR/elasticsearch"
ES_TEMPLATE="$SCRIPT_DIR/elasticsearch/elasticsearch.yml"
if [[ "$ES_SECURE" == 1 ]]; then
  ES_PORT="$ES_SECURE_PORT" ES_TRANSPORT_PORT="$ES_SECURE_TRANSPORT_PORT"
  ES_DIR="$ITEST_DIR/elasticsearch-secure"
  ES_TEMPLATE="$SCRIPT_DIR/elasticsearch/elasticsearch-secure.yml"
fi
ES_DATA="$ES_DIR/data"
ES_LOGS="$ES_DIR/logs"
ES_PIDFILE="$ES_DIR/run/es.pid"
ES_CLI_OUT="$ES_DIR/logs/es-cli.out"
ES_MAIN="org.elasticsearch.bootstrap.Elasticsearch"

STOP_TIMEOUT=30

# ---------------------------------------------------------------------------------------------
# helpers

log() { printf 'infra: %s\n' "$*" >&2; }
die() { printf 'infra: ERROR: %s\n' "$*" >&2; exit 1; }

# tail_log FILE [LINES]: print the tail of a log file to stderr, framed.
tail_log() {
  local file="$1" n="${2:-60}"
  if [[ -f "$file" ]]; then
    printf -- '----- last %s lines of %s -----\n' "$n" "$file" >&2
    tail -n "$n" "$file" >&2 || true
    printf -- '----- end of %s -----\n' "$file" >&2
  else
    printf 'infra: (no log file at %s)\n' "$file" >&2
  fi
}

# tail_new FILE OFFSET [LINES]: like tail_log, but only what was appended after byte OFFSET
# (so a failed start does not show an earlier run's lines).
tail_new() {
  local file="$1" off="$2" n="${3:-60}"
  if [[ ! -f "$file" ]] || (($(stat -c %s "$file") <= off)); then
    printf 'infra: (nothing new in %s)\n' "$file" >&2
    return 0
  fi
  printf -- '----- last %s new lines of %s -----\n' "$n" "$file" >&2
  tail -c +"$((off + 1))" "$file" | tail -n "$n" >&2 || true
  printf -- '----- end of %s -----\n' "$file" >&2
}

# file_size FILE: size in bytes, 0 when missing.
file_size() { if [[ -f "$1" ]]; then stat -c %s "$1"; else echo 0; fi; }

# port_open PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
port_open() {
  timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
}

# pid_is PIDFILE MARKER: print the recorded pid and succeed when that process is alive and its
# command line contains MARKER (so a recycled pid is never mistaken for our server).
pid_is() {
  local pidfile="$1" marker="$2" pid
  [[ -r "$pidfile" ]] || return 1
  pid="$(tr -dc '0-9' <"$pidfile")"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker" || return 1
  printf '%s\n' "$pid"
}

# stop_pid NAME PIDFILE MARKER: SIGTERM the recorded pid, wait up to STOP_TIMEOUT s, SIGKILL
# that same pid if it is still alive. Removes the pid file.
stop_pid() {
  local name="$1" pidfile="$2" marker="$3" pid i
  if ! pid="$(pid_is "$pidfile" "$marker")"; then
    rm -f "$pidfile"
    log "$name: not running"
    return 0
  fi
  log "$name: stopping pid $pid (SIGTERM)"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < STOP_TIMEOUT * 5; i++)); do
    [[ -d "/proc/$pid" ]] || break
    sleep 0.2
  done
  if [[ -d "/proc/$pid" ]] && pid_is "$pidfile" "$marker" >/dev/null 2>&1; then
    log "$name: pid $pid still alive after ${STOP_TIMEOUT}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      [[ -d "/proc/$pid" ]] || break
      sleep 0.2
    done
  fi
  [[ -d "/proc/$pid" ]] && die "$name: pid $pid did not exit"
  rm -f "$pidfile"
  log "$name: stopped"
}

# java_major JAVA_HOME: print the major version of the JDK at JAVA_HOME.
java_major() {
  local home="$1" v=""
  if [[ -r "$home/release" ]]; then
    v="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release" | head -n 1)"
  fi
  if [[ -z "$v" ]]; then
    v="$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)"
  fi
  v="${v#1.}"
  printf '%s\n' "${v%%[.+-]*}"
}

# pick_jdk MIN CANDIDATE...: print the first candidate home with an executable bin/java whose
# major version is at least MIN.
pick_jdk() {
  local min="$1" home major
  shift
  for home in "$@"; do
    [[ -n "$home" && -x "$home/bin/java" ]] || continue
    major="$(java_major "$home" 2>/dev/null || true)"
    [[ "$major" =~ ^[0-9]+$ ]] || continue
    if ((major >= min)); then
      printf '%s\n' "$home"
      return 0
    fi
  done
  return 1
}

# path_jdk: the JDK home of `java` on PATH, if any.
path_jdk() {
  local j
  j="$(command -v java 2>/dev/null)" || return 0
  j="$(readlink -f "$j")"
  dirname "$(dirname "$j")"
}

kafka_java() {
  local home
  if [[ -n "${KAFKA_JAVA_HOME:-}" ]]; then
    home="$(pick_jdk 17 "$KAFKA_JAVA_HOME")" || die "KAFKA_JAVA_HOME=$KAFKA_JAVA_HOME is not a JDK >= 17"
  else
    # shellcheck disable=SC2046
    home="$(pick_jdk 17 "${JAVA_HOME:-}" "$(path_jdk)" /usr/lib/jvm/java-17-openjdk-* \
      /usr/lib/jvm/java-21-openjdk-* /usr/lib/jvm/temurin-*-jdk-* /usr/lib/jvm/*)" ||
      die "kafka: no JDK >= 17 found (set KAFKA_JAVA_HOME; apt-get install openjdk-17-jdk-headless)"
  fi
  printf '%s\n' "$home/bin/java"
}

es_java_home() {
  if [[ -n "${ES_JAVA_HOME:-}" ]]; then
    pick_jdk 17 "$ES_JAVA_HOME" || die "ES_JAVA_HOME=$ES_JAVA_HOME is not a JDK >= 17"
    return 0
  fi
  # Elasticsearch 8.19 runs on 17+; prefer the distribution JDK 17, fall back to newer ones.
  pick_jdk 17 /usr/lib/jvm/java-17-openjdk-* /usr/lib/jvm/java-21-openjdk-* \
    /usr/lib/jvm/temurin-25-jdk-* /usr/lib/jvm/temurin-*-jdk-* "$(path_jdk)" /usr/lib/jvm/* ||
    die "elasticsearch: no JDK >= 17 found (set ES_JAVA_HOME)"
}

need_mvn() {
  command -v mvn >/dev/null 2>&1 || die "mvn not found (apt-get install maven)"
}

# mvn_quiet LOGFILE ARGS...: run Maven in batch mode, output to LOGFILE.
mvn_quiet() {
  local logfile="$1"
  shift
  mvn -B -ntp -Dstyle.color=never "$@" >"$logfile" 2>&1
}

# render TEMPLATE DEST KEY=VALUE...: copy TEMPLATE to DEST replacing @KEY@ with VALUE.
render() {
  local src="$1" dst="$2" kv expr=()
  shift 2
  for kv in "$@"; do
    expr+=(-e "s|@${kv%%=*}@|${kv#*=}|g")
  done
  sed "${expr[@]}" "$src" >"$dst.tmp"
  if grep -q '@[A-Z_]*@' "$dst.tmp"; then
    die "unreplaced placeholder in $dst: $(grep -o '@[A-Z_]*@' "$dst.tmp" | head -n 1)"
  fi
  mv -f "$dst.tmp" "$dst"
}

# lock: serialise up/down/reset across concurrent callers (fd 9; closed for the servers).
lock() {
  mkdir -p "$ITEST_DIR"
  chmod 0755 "$ITEST_DIR"
  if command -v flock >/dev/null 2>&1; then
    exec 9>"$ITEST_DIR/.infra.lock"
    flock -w 600 9 || die "could not lock $ITEST_DIR/.infra.lock within 600 s"
  fi
}

# ---------------------------------------------------------------------------------------------
# Certificates and credentials of the secured listener and node

# secure_material: create, once, a CA, a server certificate for 127.0.0.1 and localhost signed
# by it, a second CA that signs nothing (tests use it as an untrusted CA), and random passwords.
secure_material() {
  [[ -f "$SECURE_DIR/.complete" ]] && return 0
  command -v openssl >/dev/null 2>&1 || {
    log "installing openssl"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl) >/dev/null ||
      die "openssl is needed for the test certificates: install Debian's openssl package"
  }
  log "secure: creating test certificates and credentials in $SECURE_DIR"
  rm -rf "$SECURE_DIR"
  mkdir -p "$SECURE_DIR"
  chmod 0755 "$SECURE_DIR"
  (
    cd "$SECURE_DIR"
    local ext
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=newsroom test CA" \
      -keyout ca.key -out ca.pem 2>/dev/null
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=untrusted test CA" \
      -keyout other-ca.key -out other-ca.pem 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout server.key.rsa -out server.csr 2>/dev/null
    ext="$(mktemp)"
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n' >"$ext"
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 \
      -extfile "$ext" -out server.pem 2>/dev/null
    rm -f "$ext" server.csr
    # Kafka's PEM key store wants the key in PKCS#8.
    openssl pkcs8 -topk8 -nocrypt -in server.key.rsa -out server.key
    rm -f server.key.rsa
    cat server.key server.pem >server-keystore.pem
    printf 'newsroom\n' >kafka-user
    printf 'newsroom\n' >es-user
    openssl rand -hex 16 >kafka-password
    openssl rand -hex 16 >es-password
    chmod 0644 ./*.pem
    chmod 0600 ./*.key server-keystore.pem kafka-password es-password
  ) || die "secure: creating certificates in $SECURE_DIR failed"
  touch "$SECURE_DIR/.complete"
}

secret() { tr -d '\n' <"$SECURE_DIR/$1"; }

# kafka_scram_user: (re)set the SCRAM-SHA-512 credential of the test user through the plain
# listener; idempotent.
kafka_scram_user() {
  local java out
  java="$(kafka_java)"
  if ! out="$("$java" -Xmx256m -Dlog4j2.configurationFile="$KAFKA_DIR/config/tools-log4j2.properties" \
    -cp "$KAFKA_LIB/*" kafka.admin.ConfigCommand --bootstrap-server "127.0.0.1:$KAFKA_PORT" --alter \
    --add-config "SCRAM-SHA-512=[password=$(secret kafka-password)]" \
    --entity-type users --entity-name "$(secret kafka-user)" 2>&1)"; then
    printf '%s\n' "$out" | grep -v password >&2
    die "kafka: creating the SCRAM user failed"
  fi
}

# ---------------------------------------------------------------------------------------------
# Kafka

kafka_fetch() {
  [[ -f "$KAFKA_LIB/.complete" ]] && return 0
  need_mvn
  local tmp="$KAFKA_LIB.tmp.$$" mlog
  mkdir -p "$REPO_DIR/.cache"
  mlog="$REPO_DIR/.cache/mvn-kafka-$KAFKA_VERSION.log"
  log "kafka: resolving org.apache.kafka:kafka_2.13:$KAFKA_VERSION with mvn into $KAFKA_LIB"
  rm -rf "$tmp"
  if ! mvn_quiet "$mlog" -f "$SCRIPT_DIR/kafka/pom.xml" -Dkafka.version="$KAFKA_VERSION" \
    "$MVN_DEP_PLUGIN:copy-dependencies" -DincludeScope=runtime -DoutputDirectory="$tmp"; then
    rm -rf "$tmp"
    tail_log "$mlog" 40
    die "kafka: mvn could not resolve Kafka $KAFKA_VERSION (log: $mlog)"
  fi
  ls "$tmp"/kafka_2.13-"$KAFKA_VERSION".jar >/dev/null 2>&1 || die "kafka: kafka_2.13 jar missing in $tmp"
  touch "$tmp/.complete"
  if [[ -f "$KAFKA_LIB/.complete" ]]; then
    rm -rf "$tmp" # a concurrent caller finished first
  else
    rm -rf "$KAFKA_LIB"
    mv -T "$tmp" "$KAFKA_LIB"
  fi
  log "kafka: $(find "$KAFKA_LIB" -name '*.jar' | wc -l) jars in $KAFKA_LIB"
}

kafka_running() { pid_is "$KAFKA_PIDFILE" "$KAFKA_MAIN"; }

kafka_ready() {
  [[ -f "$KAFKA_OUT" ]] && grep -q 'Kafka Server started' "$KAFKA_OUT" && port_open "$KAFKA_PORT"
}

kafka_render_config() {
  mkdir -p "$KAFKA_DIR/config" "$KAFKA_DIR/logs" "$KAFKA_DATA"
  render "$SCRIPT_DIR/kafka/server.properties" "$KAFKA_DIR/config/server.properties" \
    "KAFKA_PORT=$KAFKA_PORT" "KAFKA_CONTROLLER_PORT=$KAFKA_CONTROLLER_PORT" \
    "KAFKA_DATA_DIR=$KAFKA_DATA" "KAFKA_SECURE_PORT=$KAFKA_SECURE_PORT" "SECURE_DIR=$SECURE_DIR"
  cp -f "$SCRIPT_DIR/kafka/log4j2.properties" "$KAFKA_DIR/config/log4j2.properties"
  cp -f "$SCRIPT_DIR/kafka/tools-log4j2.properties" "$KAFKA_DIR/config/tools-log4j2.properties"
}

# kafka_format: format the data dir only when it is not formatted yet (keeps topics across
# restarts). StorageTool lives in kafka.tools up to 4.1 and in org.apache.kafka.tools later.
kafka_format() {
  [[ -f "$KAFKA_DATA/meta.properties" ]] && return 0
  local java cid out cls
  java="$(kafka_java)"
  # A cluster id is 16 random bytes in URL-safe base64 without padding.
  cid="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
  log "kafka: formatting $KAFKA_DATA (cluster id $cid)"
  for cls in kafka.tools.StorageTool org.apache.kafka.tools.StorageTool; do
    if out="$("$java" -Xmx256m -Dlog4j2.configurationFile="$KAFKA_DIR/config/tools-log4j2.properties" \
      -cp "$KAFKA_LIB/*" "$cls" format --ignore-formatted -t "$cid" \
      -c "$KAFKA_DIR/config/server.properties" 2>&1)"; then
      printf '%s\n' "$cid" >"$KAFKA_DIR/cluster.id"
      return 0
    fi
    grep -qE 'Could not find or load main class|ClassNotFoundException' <<<"$out" || break
  done
  printf '%s\n' "$out" >&2
  die "kafka: formatting $KAFKA_DATA failed"
}

kafka_up() {
  local pid java i
  if pid="$(kafka_running)"; then
    if kafka_wait_ready "$pid"; then
      log "kafka: already running (pid $pid, 127.0.0.1:$KAFKA_PORT)"
      return 0
    fi
    die "kafka: pid $pid is alive but not ready"
  fi
  rm -f "$KAFKA_PIDFILE"
  if port_open "$KAFKA_PORT"; then
    die "kafka: 127.0.0.1:$KAFKA_PORT is taken by a process infra.sh did not start ($KAFKA_PIDFILE has no live broker)"
  fi
  kafka_fetch
  secure_material
  kafka_render_config
  kafka_format
  java="$(kafka_java)"
  [[ -f "$KAFKA_OUT" ]] && mv -f "$KAFKA_OUT" "$KAFKA_OUT.1"
  log "kafka: starting $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT (java: $java)"
  # setsid: own session, so the broker outlives the caller's terminal / process group.
  # The inner shell records its own pid, then execs java (same pid).
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$KAFKA_PIDFILE" \
    "$java" -Xms"$KAFKA_HEAP" -Xmx"$KAFKA_HEAP" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \
    -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$KAFKA_DIR/config/log4j2.properties" \
    -Dkafka.logs.dir="$KAFKA_DIR/logs" \
    -cp "$KAFKA_LIB/*" "$KAFKA_MAIN" "$KAFKA_DIR/config/server.properties" \
    >"$KAFKA_OUT" 2>&1 </dev/null 9>&- &
  for ((i = 0; i < 50; i++)); do
    [[ -s "$KAFKA_PIDFILE" ]] && break
    sleep 0.1
  done
  printf '%s\n' "$KAFKA_VERSION" >"$KAFKA_DIR/version"
  pid="$(tr -dc '0-9' <"$KAFKA_PIDFILE" 2>/dev/null || true)"
  [[ -n "$pid" ]] || die "kafka: broker did not record its pid"
  if ! kafka_wait_ready "$pid"; then
    tail_log "$KAFKA_OUT" 60
    if [[ -d "/proc/$pid" ]]; then
      die "kafka: broker (pid $pid) not ready after ${KAFKA_START_TIMEOUT}s; still running, stop it with: $0 down kafka"
    fi
    rm -f "$KAFKA_PIDFILE"
    die "kafka: broker failed to start (log: $KAFKA_OUT; if its data is damaged, '$0 reset kafka' wipes it)"
  fi
  kafka_scram_user
  log "kafka: ready (pid $pid, 127.0.0.1:$KAFKA_PORT; TLS + SCRAM-SHA-512 on 127.0.0.1:$KAFKA_SECURE_PORT)"
}

# kafka_wait_ready PID: wait until the broker logged "Kafka Server started" and accepts TCP.
kafka_wait_ready() {
  local pid="$1" deadline=$((SECONDS + KAFKA_START_TIMEOUT))
  while ((SECONDS < deadline)); do
    kafka_ready && return 0
    [[ -d "/proc/$pid" ]] || return 1
    sleep 0.5
  done
  return 1
}

kafka_down() { stop_pid kafka "$KAFKA_PIDFILE" "$KAFKA_MAIN"; }

kafka_status() {
  local pid
  if pid="$(kafka_running)" && port_open "$KAFKA_PORT"; then
    printf 'kafka: running pid=%s addr=127.0.0.1:%s version=%s data=%s log=%s\n' "$pid" "$KAFKA_PORT" \
      "$(cat "$KAFKA_DIR/version" 2>/dev/null || echo '?')" "$KAFKA_DATA" "$KAFKA_OUT"
    return 0
  fi
  if [[ -n "${pid:-}" ]]; then
    printf 'kafka: starting pid=%s addr=127.0.0.1:%s (port not answering)\n' "$pid" "$KAFKA_PORT"
  else
    printf 'kafka: stopped addr=127.0.0.1:%s\n' "$KAFKA_PORT"
  fi
  return 3
}

kafka_reset() {
  kafka_down
  log "kafka: wiping $KAFKA_DATA"
  rm -rf "$KAFKA_DATA" "$KAFKA_DIR/cluster.id"
}

kafka_class() {
  [[ $# -ge 1 ]] || die "usage: $0 kafka-class MAINCLASS [ARGS...]"
  local java
  if [[ ! -f "$KAFKA_LIB/.complete" ]]; then
    lock
    kafka_fetch
    if command -v flock >/dev/null 2>&1; then
      flock -u 9
      exec 9>&-
    fi
  fi
  java="$(kafka_java)"
  mkdir -p "$KAFKA_DIR/config"
  cp -f "$SCRIPT_DIR/kafka/tools-log4j2.properties" "$KAFKA_DIR/config/tools-log4j2.properties"
  # shellcheck disable=SC2086
  exec "$java" ${KAFKA_TOOLS_OPTS:--Xmx512m} -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$KAFKA_DIR/config/tools-log4j2.properties" \
    -cp "$KAFKA_LIB/*" "$@"
}

# ---------------------------------------------------------------------------------------------
# Elasticsearch

es_home_of() { printf '%s/dist/elasticsearch-%s\n' "$ES_DIR" "$1"; }

# es_try_fetch VERSION: fetch and unpack one version; fails when Maven cannot resolve it.
es_try_fetch() {
  local v="$1" home tmp mlog
  home="$(es_home_of "$v")"
  [[ -f "$home/.unpacked" ]] && return 0
  need_mvn
  tmp="$ES_DIR/dist/.unpack.$$"
  mlog="$ES_DIR/dist/mvn-$v.log"
  mkdir -p "$ES_DIR/dist"
  rm -rf "$ES_DIR/dist"/.unpack.* # leftovers of an interrupted run (callers hold the lock)
  log "elasticsearch: fetching org.elasticsearch.distribution.integ-test-zip:elasticsearch:$v:zip with mvn"
  if ! mvn_quiet "$mlog" -f "$SCRIPT_DIR/elasticsearch/pom.xml" -Des.build.dir="$ES_DIR/dist/.mvn" \
    "$MVN_DEP_PLUGIN:unpack" \
    -Dartifact="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$v:zip" \
    -DoutputDirectory="$tmp" -DoverWriteReleases=true; then
    rm -rf "$tmp" "$ES_DIR/dist/.mvn"
    log "elasticsearch: $v did not resolve (log: $mlog)"
    return 1
  fi
  rm -rf "$ES_DIR/dist/.mvn"
  [[ -x "$tmp/elasticsearch-$v/bin/elasticsearch" ]] || {
    rm -rf "$tmp"
    die "elasticsearch: unpacked $v but bin/elasticsearch is missing"
  }
  rm -rf "$home"
  mv "$tmp/elasticsearch-$v" "$home"
  rm -rf "$tmp"
  chmod -R u+rwX,go+rX "$home"
  chmod 0755 "$home"/bin/*
  touch "$home/.unpacked"
  log "elasticsearch: unpacked $v into $home"
}

# es_pick_version: ES_VERSION if set; else the newest already unpacked default version; else the
# first default version Maven resolves.
es_pick_version() {
  local v
  if [[ -n "${ES_VERSION:-}" ]]; then
    es_try_fetch "$ES_VERSION" || die "elasticsearch: ES_VERSION=$ES_VERSION does not resolve (see $ES_DIR/dist/mvn-$ES_VERSION.log)"
    printf '%s\n' "$ES_VERSION"
    return 0
  fi
  for v in $ES_VERSIONS_DEFAULT; do
    if [[ -f "$(es_home_of "$v")/.unpacked" ]]; then
      printf '%s\n' "$v"
      return 0
    fi
  done
  for v in $ES_VERSIONS_DEFAULT; do
    if es_try_fetch "$v"; then
      printf '%s\n' "$v"
      return 0
    fi
  done
  die "elasticsearch: none of $ES_VERSIONS_DEFAULT resolved through mvn (logs: $ES_DIR/dist/mvn-*.log)"
}

es_running() { pid_is "$ES_PIDFILE" "$ES_MAIN"; }

# es_http PATH: print the HTTP status code of GET http://127.0.0.1:$ES_PORT$PATH (000 if none).
es_http() {
  local path="$1" code
  if [[ "$ES_SECURE" == 1 ]]; then
    code="$(curl -s -o /dev/null -m 15 -w '%{http_code}' --cacert "$SECURE_DIR/ca.pem" \
      -u "$(secret es-user):$(secret es-password)" "https://127.0.0.1:$ES_PORT$path" 2>/dev/null || true)"
    printf '%s\n' "${code:-000}"
    return 0
  fi
  if command -v curl >/dev/null 2>&1; then
    code="$(curl -s -o /dev/null -m 15 -w '%{http_code}' "http://127.0.0.1:$ES_PORT$path" 2>/dev/null || true)"
    printf '%s\n' "${code:-000}"
    return 0
  fi
  code="$(timeout 15 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$0" || exit 1
    printf "GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n" "$1" >&3
    IFS=" " read -r _ status _ <&3 && printf "%s\n" "$status"' "$ES_PORT" "$path" 2>/dev/null || true)"
  printf '%s\n' "${code:-000}"
}

es_ready() {
  [[ "$(es_http '/_cluster/health?wait_for_status=yellow&timeout=5s')" == 200 ]]
}

# es_wait_ready PID: wait until cluster health is at least yellow.
es_wait_ready() {
  local pid="$1" deadline=$((SECONDS + ES_START_TIMEOUT))
  while ((SECONDS < deadline)); do
    es_ready && return 0
    [[ -d "/proc/$pid" ]] || return 1
    sleep 1
  done
  return 1
}

es_ensure_user() {
  ((EUID == 0)) || return 0
  if ! id -u "$ES_USER" >/dev/null 2>&1; then
    log "elasticsearch: creating system user $ES_USER"
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$ES_USER"
  fi
}

es_up() {
  local pid v home jhome log_off rc=0
  if pid="$(es_running)"; then
    if es_wait_ready "$pid"; then
      log "elasticsearch: already running (pid $pid, $(es_scheme)://127.0.0.1:$ES_PORT)"
      return 0
    fi
    die "elasticsearch: pid $pid is alive but cluster health is not yellow"
  fi
  rm -f "$ES_PIDFILE"
  if port_open "$ES_PORT"; then
    die "elasticsearch: 127.0.0.1:$ES_PORT is taken by a process infra.sh did not start ($ES_PIDFILE has no live server)"
  fi
  mkdir -p "$ES_DIR"
  v="$(es_pick_version)"
  home="$(es_home_of "$v")"
  jhome="$(es_java_home)"
  es_ensure_user
  mkdir -p "$ES_DATA" "$ES_LOGS" "$ES_DIR/run" "$ES_DIR/tmp"
  render "$ES_TEMPLATE" "$home/config/elasticsearch.yml" \
    "ES_PORT=$ES_PORT" "ES_TRANSPORT_PORT=$ES_TRANSPORT_PORT" \
    "ES_DATA_DIR=$ES_DATA" "ES_LOGS_DIR=$ES_LOGS"
  [[ "$ES_SECURE" == 1 ]] && es_secure_config "$home"
  printf '%s\n' "$v" >"$ES_DIR/version"
  printf '%s\n' "$jhome" >"$ES_DIR/java.home"
  if ((EUID == 0)); then
    # The user needs to write config/ (keystore), data/, logs/, run/ and tmp/.
    chown -R "$ES_USER:" "$ES_DIR"
  fi
  chmod 0755 "$ES_DIR" "$ES_DIR/dist"
  [[ -f "$ES_CLI_OUT" ]] && mv -f "$ES_CLI_OUT" "$ES_CLI_OUT.1"
  log_off="$(file_size "$ES_LOGS/itest.log")"
  log "elasticsearch: starting $v on http://127.0.0.1:$ES_PORT (ES_JAVA_HOME=$jhome, Java $(java_major "$jhome"))"
  # -d: the launcher waits until the server is started, then detaches; -p: server JVM pid.
  # setsid -w: own session (outlives the caller), but wait for the launcher's exit code.
  # Elasticsearch refuses to run as root: as root, switch to ES_USER (no login shell needed).
  local as_user=()
  ((EUID == 0)) && as_user=(runuser -u "$ES_USER" --)
  (
    cd "$home"
    exec setsid -w "${as_user[@]}" env -i PATH=/usr/bin:/bin HOME="$ES_DIR" LANG=C.UTF-8 \
      ES_JAVA_HOME="$jhome" ES_TMPDIR="$ES_DIR/tmp" \
      ES_JAVA_OPTS="-Xms$ES_HEAP_MIN -Xmx$ES_HEAP_MAX -XX:-HeapDumpOnOutOfMemoryError" \
      "$home/bin/elasticsearch" -d -p "$ES_PIDFILE"
  ) >"$ES_CLI_OUT" 2>&1 </dev/null 9>&- || rc=$?
  if ((rc != 0)); then
    tail_log "$ES_CLI_OUT" 40
    tail_new "$ES_LOGS/itest.log" "$log_off" 40
    die "elasticsearch: launcher exited with status $rc (logs: $ES_CLI_OUT, $ES_LOGS/itest.log)"
  fi
  pid="$(tr -dc '0-9' <"$ES_PIDFILE" 2>/dev/null || true)"
  if [[ -z "$pid" ]]; then
    tail_log "$ES_CLI_OUT" 40
    tail_new "$ES_LOGS/itest.log" "$log_off" 40
    die "elasticsearch: server wrote no pid file ($ES_PIDFILE)"
  fi
  if ! es_wait_ready "$pid"; then
    tail_new "$ES_LOGS/itest.log" "$log_off" 60
    if [[ -d "/proc/$pid" ]]; then
      die "elasticsearch: server (pid $pid) not yellow after ${ES_START_TIMEOUT}s; still running, stop it with: $0 down elasticsearch"
    fi
    die "elasticsearch: server failed to start (logs: $ES_CLI_OUT, $ES_LOGS/itest.log; if its data is damaged, '$0 reset elasticsearch' wipes it)"
  fi
  log "elasticsearch: ready (pid $pid, $(es_scheme)://127.0.0.1:$ES_PORT)"
}

es_scheme() { if [[ "$ES_SECURE" == 1 ]]; then echo https; else echo http; fi; }

# es_secure_config HOME: the secured node's certificates and its file-realm user (superuser).
es_secure_config() {
  local home="$1" users=()
  secure_material
  mkdir -p "$home/config/certs"
  cp -f "$SECURE_DIR/ca.pem" "$SECURE_DIR/server.pem" "$SECURE_DIR/server.key" "$home/config/certs/"
  ((EUID == 0)) && users=(runuser -u "$ES_USER" --)
  ((EUID == 0)) && chown -R "$ES_USER:" "$home/config"
  es_users() {
    (cd "$home" && "${users[@]}" env -i PATH=/usr/bin:/bin HOME="$ES_DIR" ES_JAVA_HOME="$(es_java_home)" \
      bin/elasticsearch-users "$@")
  }
  # useradd fails when the user exists; passwd then sets the current password.
  es_users useradd "$(secret es-user)" -p "$(secret es-password)" -r superuser >/dev/null 2>&1 ||
    es_users passwd "$(secret es-user)" -p "$(secret es-password)" >/dev/null ||
    die "elasticsearch: creating the file-realm user failed"
}

es_down() { stop_pid elasticsearch "$ES_PIDFILE" "$ES_MAIN"; }

es_status() {
  local pid
  if pid="$(es_running)" && port_open "$ES_PORT"; then
    printf 'elasticsearch: running pid=%s addr=http://127.0.0.1:%s version=%s java=%s data=%s log=%s\n' \
      "$pid" "$ES_PORT" "$(cat "$ES_DIR/version" 2>/dev/null || echo '?')" \
      "$(cat "$ES_DIR/java.home" 2>/dev/null || echo '?')" "$ES_DATA" "$ES_LOGS/itest.log"
    return 0
  fi
  if [[ -n "${pid:-}" ]]; then
    printf 'elasticsearch: starting pid=%s addr=http://127.0.0.1:%s (port not answering)\n' "$pid" "$ES_PORT"
  else
    printf 'elasticsearch: stopped addr=http://127.0.0.1:%s\n' "$ES_PORT"
  fi
  return 3
}

es_reset() {
  es_down
  log "elasticsearch: wiping $ES_DATA"
  rm -rf "$ES_DATA"
}

es_fetch() { es_pick_version >/dev/null; }

# ---------------------------------------------------------------------------------------------
# main

usage() {
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# targets WHICH: expand the optional second argument into the list of servers.
targets() {
  case "${1:-}" in
    "" | all) echo "kafka elasticsearch" ;;
    kafka) echo kafka ;;
    elasticsearch | es) echo elasticsearch ;;
    elasticsearch-secure) echo elasticsearch-secure ;;
    *) die "unknown server '$1' (expected kafka, elasticsearch or elasticsearch-secure)" ;;
  esac
}

fn_prefix() { [[ "$1" == kafka ]] && echo kafka || echo es; }

main() {
  local cmd="${1:-}" which s rc=0
  [[ -n "$cmd" ]] || usage
  shift
  case "$cmd" in
    up | down | reset | clean | fetch | status | logs)
      if [[ "${1:-}" == elasticsearch-secure && "$ES_SECURE" != 1 ]]; then
        ES_SECURE=1 exec "$0" "$cmd" elasticsearch
      fi
      ;;
  esac
  case "$cmd" in
    up | down | reset | clean | fetch)
      which="$(targets "${1:-}")"
      lock
      [[ "$cmd" == clean ]] && cmd=reset
      for s in $which; do
        "$(fn_prefix "$s")_$cmd"
      done
      ;;
    status)
      which="$(targets "${1:-}")"
      for s in $which; do
        "$(fn_prefix "$s")_status" || rc=$?
      done
      return "$rc"
      ;;
    logs)
      which="$(targets "${1:-}")"
      for s in $which; do
        if [[ "$s" == kafka ]]; then tail_log "$KAFKA_OUT" "${LINES_N:-60}"; else tail_log "$ES_LOGS/itest.log" "${LINES_N:-60}"; fi
      done
      ;;
    env)
      printf 'KAFKA_BROKERS=127.0.0.1:%s\nELASTICSEARCH_URL=http://127.0.0.1:%s\n' "$KAFKA_PORT" "$ES_PORT"
      ;;
    secure-env)
      printf 'KAFKA_BROKERS=127.0.0.1:%s\nKAFKA_TLS_ENABLED=true\nKAFKA_TLS_CA_FILE=%s\n' "$KAFKA_SECURE_PORT" "$SECURE_DIR/ca.pem"
      printf 'KAFKA_SASL_MECHANISM=SCRAM-SHA-512\nKAFKA_SASL_USERNAME=%s\nKAFKA_SASL_PASSWORD_FILE=%s\n' "$(secret kafka-user)" "$SECURE_DIR/kafka-password"
      printf 'ELASTICSEARCH_URL=https://127.0.0.1:%s\nELASTICSEARCH_CA_FILE=%s\n' "$ES_SECURE_PORT" "$SECURE_DIR/ca.pem"
      printf 'ELASTICSEARCH_USERNAME=%s\nELASTICSEARCH_PASSWORD_FILE=%s\n' "$(secret es-user)" "$SECURE_DIR/es-password"
      ;;
    kafka-class) kafka_class "$@" ;;
    -h | --help | help) usage ;;
    *) usage ;;
  esac
}

main "$@"
