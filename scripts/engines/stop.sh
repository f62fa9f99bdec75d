#!/usr/bin/env bash
# Stops the engines that start.sh started from $ENGINES_DATA (and only those: it goes by their pid files and
# PostgreSQL's data directory). Data stays; start.sh starts them again on it.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=common.sh
source "$here/common.sh"

stop_pid_file() {
  local name="$1" pid_file="$2"
  if [ ! -f "$pid_file" ]; then return; fi
  local pid
  pid="$(cat "$pid_file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    local deadline=$((SECONDS + 30))
    while kill -0 "$pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.3; done
    if kill -0 "$pid" 2>/dev/null; then
      say "$name did not stop within 30s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    say "$name stopped (pid $pid)"
  fi
  rm -f "$pid_file"
}

stop_pid_file "Apache Kafka" "$ENGINES_DATA/kafka/pid"
stop_pid_file "Temporal dev server" "$ENGINES_DATA/temporal/pid"

if [ -f "$ENGINES_DATA/postgres/data/PG_VERSION" ]; then
  pg_bin="$(postgres_bin)" || fail "PostgreSQL is not installed"
  if as_postgres "$pg_bin/pg_ctl" status -D "$ENGINES_DATA/postgres/data" >/dev/null 2>&1; then
    as_postgres "$pg_bin/pg_ctl" stop -m fast -D "$ENGINES_DATA/postgres/data" >/dev/null
    say "PostgreSQL stopped"
  fi
fi
