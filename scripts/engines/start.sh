#!/usr/bin/env bash
# Starts the real engines installed by install.sh, each on its own port with its data under $ENGINES_DATA:
# the Temporal dev server (temporal server start-dev, SQLite file), one Apache Kafka node in KRaft mode, and
# PostgreSQL. Waits until each answers, then writes $ENGINES_DATA/engines.env with the addresses the product
# and the real-engine suite read. An engine already running from this directory is kept.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=common.sh
source "$here/common.sh"

TEMPORAL_PORT="${ENGINES_TEMPORAL_PORT:-17233}"
TEMPORAL_UI_PORT="${ENGINES_TEMPORAL_UI_PORT:-18233}"
KAFKA_PORT="${ENGINES_KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${ENGINES_KAFKA_CONTROLLER_PORT:-19093}"
POSTGRES_PORT="${ENGINES_POSTGRES_PORT:-15432}"

[ -x "$TEMPORAL_BIN" ] && [ -f "$KAFKA_HOME/.complete" ] || fail "the engines are not installed in $ENGINES_HOME: run npm run engines:install"
pg_bin="$(postgres_bin)" || fail "PostgreSQL is not installed: run npm run engines:install"
mkdir -p "$ENGINES_DATA"
say "starting the real engines, data under $ENGINES_DATA"

running() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Waits until `check` succeeds; on a timeout or when the process died, shows the end of its log and fails.
wait_until() {
  local name="$1" pid_file="$2" log="$3" seconds="$4"
  shift 4
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    if ! running "$pid_file"; then tail -n 40 "$log" >&2; fail "$name exited during start (log: $log)"; fi
    if [ "$SECONDS" -ge "$deadline" ]; then tail -n 40 "$log" >&2; fail "$name did not become ready within ${seconds}s (log: $log)"; fi
    sleep 0.5
  done
}

# Refuses to start onto a port that something else holds: the tests would silently talk to the wrong server.
claim_port() {
  local name="$1" port="$2"
  if port_open "$port"; then fail "$name: port $port is already in use by another program (set ENGINES_*_PORT)"; fi
}

temporal_serving() {
  "$TEMPORAL_BIN" operator cluster health --address "127.0.0.1:$TEMPORAL_PORT" --command-timeout 2s >/dev/null 2>&1
}

# --- Temporal dev server -------------------------------------------------------------------------------------
temporal_dir="$ENGINES_DATA/temporal"
mkdir -p "$temporal_dir"
if running "$temporal_dir/pid"; then
  say "Temporal dev server: already running (pid $(cat "$temporal_dir/pid"))"
else
  claim_port "Temporal dev server" "$TEMPORAL_PORT"
  nohup "$TEMPORAL_BIN" server start-dev --ip 127.0.0.1 --port "$TEMPORAL_PORT" --ui-port "$TEMPORAL_UI_PORT" \
    --http-port "$((TEMPORAL_PORT + 10))" --metrics-port "$((TEMPORAL_PORT + 11))" \
    --db-filename "$temporal_dir/temporal.db" --log-level warn >"$temporal_dir/server.log" 2>&1 &
  echo $! >"$temporal_dir/pid"
  wait_until "Temporal dev server" "$temporal_dir/pid" "$temporal_dir/server.log" 60 temporal_serving
  say "Temporal dev server: 127.0.0.1:$TEMPORAL_PORT (UI http://127.0.0.1:$TEMPORAL_UI_PORT), pid $(cat "$temporal_dir/pid")"
fi

# --- Apache Kafka, one KRaft node (broker and controller) -----------------------------------------------------
kafka_dir="$ENGINES_DATA/kafka"
mkdir -p "$kafka_dir"
if running "$kafka_dir/pid"; then
  say "Apache Kafka: already running (pid $(cat "$kafka_dir/pid"))"
else
  claim_port "Apache Kafka" "$KAFKA_PORT"
  claim_port "Apache Kafka controller" "$KAFKA_CONTROLLER_PORT"
  cat >"$kafka_dir/server.properties" <<EOF
# Written by scripts/engines/start.sh: one node that is broker and controller, single-replica internal topics.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$kafka_dir/logs
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
EOF
  cat >"$kafka_dir/log4j.properties" <<EOF
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.FileAppender
log4j.appender.file.File=$kafka_dir/server.log
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
EOF
  kafka_java=(java -Xms256m -Xmx1g -cp "$KAFKA_HOME/libs/*" "-Dlog4j.configuration=file:$kafka_dir/log4j.properties")
  if [ ! -f "$kafka_dir/logs/meta.properties" ]; then
    cluster_id="$("${kafka_java[@]}" kafka.tools.StorageTool random-uuid)"
    "${kafka_java[@]}" kafka.tools.StorageTool format --cluster-id "$cluster_id" --config "$kafka_dir/server.properties" >"$kafka_dir/format.log" 2>&1 \
      || { cat "$kafka_dir/format.log" >&2; fail "formatting Kafka's storage failed"; }
  fi
  : >"$kafka_dir/server.log"
  nohup "${kafka_java[@]}" kafka.Kafka "$kafka_dir/server.properties" >"$kafka_dir/stdout.log" 2>&1 &
  echo $! >"$kafka_dir/pid"
  wait_until "Apache Kafka" "$kafka_dir/pid" "$kafka_dir/server.log" 90 grep -q "Kafka Server started" "$kafka_dir/server.log"
  say "Apache Kafka $KAFKA_VERSION: 127.0.0.1:$KAFKA_PORT, pid $(cat "$kafka_dir/pid")"
fi

# --- PostgreSQL ----------------------------------------------------------------------------------------------
postgres_dir="$ENGINES_DATA/postgres"
mkdir -p "$postgres_dir"
[ "$(id -u)" = 0 ] && chown postgres: "$postgres_dir"
if as_postgres "$pg_bin/pg_ctl" status -D "$postgres_dir/data" >/dev/null 2>&1; then
  say "PostgreSQL: already running"
else
  claim_port "PostgreSQL" "$POSTGRES_PORT"
  if [ ! -f "$postgres_dir/data/PG_VERSION" ]; then
    as_postgres "$pg_bin/initdb" -D "$postgres_dir/data" -U postgres --auth=trust --encoding=UTF8 >"$postgres_dir/initdb.log" 2>&1 \
      || { cat "$postgres_dir/initdb.log" >&2; fail "initdb failed"; }
  fi
  as_postgres "$pg_bin/pg_ctl" start -w -t 60 -D "$postgres_dir/data" -l "$postgres_dir/server.log" \
    -o "-c listen_addresses=127.0.0.1 -p $POSTGRES_PORT -c unix_socket_directories='' -c max_connections=200 -c fsync=off" >/dev/null \
    || { tail -n 40 "$postgres_dir/server.log" >&2; fail "PostgreSQL did not start"; }
  say "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $3}'): 127.0.0.1:$POSTGRES_PORT"
fi

cat >"$ENGINES_DATA/engines.env" <<EOF
# Written by scripts/engines/start.sh: where the real engines listen. Source it, or let the tests read it.
TEMPORAL_ADDRESS=127.0.0.1:$TEMPORAL_PORT
KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT
DATABASE_URL=postgresql://postgres@127.0.0.1:$POSTGRES_PORT/postgres
TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:$POSTGRES_PORT/postgres
TEMPORAL_CLI_PATH=$TEMPORAL_BIN
TEMPORAL_TEST_SERVER_PATH=$TEMPORAL_TEST_SERVER_BIN
KAFKA_HOME=$KAFKA_HOME
ENGINES_DATA=$ENGINES_DATA
EOF
say "ready; addresses in $ENGINES_DATA/engines.env"
