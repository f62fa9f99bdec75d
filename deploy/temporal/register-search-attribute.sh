#!/bin/sh
# Registers the custom search attribute the API uses to find a platform's running cases: `Platform`, type
# Keyword, in the engine's namespace. Idempotent, so it runs on every deployment: the compose one-shot and the
# Kubernetes Job both run this script with the `temporal` CLI of the temporalio/admin-tools image.
# The apps add the attribute themselves at start when their credentials allow it (and stop naming this command
# when not); this script does it with an operator's credentials, for clusters where the apps have no such right.
set -eu

address="${TEMPORAL_ADDRESS:?TEMPORAL_ADDRESS (host:port of the Temporal frontend) is required}"
namespace="${TEMPORAL_NAMESPACE:-default}"
attempts="${REGISTER_ATTEMPTS:-60}"

# `Platform` listed with type Keyword: matches the CLI's table ("Platform  Keyword") and its JSON
# ("Platform": "INDEXED_VALUE_TYPE_KEYWORD").
has_platform_keyword() {
  temporal operator search-attribute list --namespace "$namespace" --address "$address" 2>/dev/null \
    | grep -iEq '(^|[^A-Za-z0-9_])Platform([^A-Za-z0-9_].*)?keyword'
}

# The namespace may still be being registered (auto-setup does it in the background): wait for it.
attempt=1
until temporal operator namespace describe --namespace "$namespace" --address "$address" >/dev/null 2>&1; do
  if [ "$attempt" -ge "$attempts" ]; then
    echo "namespace \"$namespace\" is not reachable at $address after $attempts attempts" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 2
done

if has_platform_keyword; then
  echo "search attribute Platform (Keyword) is already registered in namespace \"$namespace\""
  exit 0
fi

# Fails (and so does this script) when Platform exists with another type: that needs an operator's decision.
temporal operator search-attribute create --namespace "$namespace" --address "$address" --name Platform --type Keyword

# The frontend's namespace cache takes a moment to show a new attribute; the API needs it to be usable.
attempt=1
until has_platform_keyword; do
  if [ "$attempt" -ge "$attempts" ]; then
    echo "search attribute Platform was created but is not listed in namespace \"$namespace\"" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 2
done
echo "search attribute Platform (Keyword) registered in namespace \"$namespace\""
