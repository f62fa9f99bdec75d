# Shared by install.sh, start.sh and stop.sh: where the engines are installed and where they run.
# shellcheck shell=bash
engines_scripts="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$engines_scripts/versions.env"

# Installed binaries (a cache shared by every clone) and the running engines' data (one directory per clone).
ENGINES_HOME="${ENGINES_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/report-escalation-engine/engines}"
ENGINES_DATA="${ENGINES_DATA:-$(cd "$engines_scripts/../.." && pwd)/.engines}"
TEMPORAL_BIN="$ENGINES_HOME/temporal-cli-$TEMPORAL_CLI_VERSION/temporal"
TEMPORAL_TEST_SERVER_BIN="$ENGINES_HOME/temporal-test-server-$TEMPORAL_TEST_SERVER_VERSION/temporal-test-server"
KAFKA_HOME="$ENGINES_HOME/kafka-$KAFKA_VERSION"

say() { echo "engines: $*"; }
fail() {
  echo "engines: error: $*" >&2
  exit 1
}
sha256() { sha256sum "$1" | cut -d' ' -f1; }

# The directory holding initdb/pg_ctl/postgres: Debian puts them under /usr/lib/postgresql/<major>/bin.
postgres_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

# PostgreSQL refuses to run as root: as root, its files belong to the postgres user and it runs as that user.
as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
