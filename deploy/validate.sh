#!/usr/bin/env bash
# Validates the deployment files without a container engine or a cluster (see deploy/README.md, "What is
# validated"). Prints every check; exits non-zero when one fails.
#
#   bash deploy/validate.sh             # everything, fetching the Kubernetes schema packages once
#   K8S_SCHEMA=off bash deploy/validate.sh   # no download: the schema checks are reported as skipped
#
# Needs the repository's node_modules (npm ci) and its dist/ (built by npm ci; built here when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -d node_modules ]]; then
  echo "node_modules is missing: run npm ci first" >&2
  exit 1
fi
if [[ ! -f dist/apps/api/src/main.js || ! -f dist/apps/worker/src/main.js ]]; then
  echo "== dist/ is missing: npm run build"
  npm run --silent build
fi

# The Kubernetes schemas come from two npm packages, installed into a cache outside the repository (never
# into its node_modules or package.json): kubernetes-models validates each resource against the API's JSON
# schema, kubernetes-types lets tsc catch unknown and mistyped fields.
K8S_MODELS_VERSION=5.1.0
K8S_TYPES_VERSION=1.30.0
if [[ "${K8S_SCHEMA:-on}" != off ]]; then
  schema_dir="${K8S_SCHEMA_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/report-escalation-engine/k8s-schema-$K8S_MODELS_VERSION-$K8S_TYPES_VERSION}"
  if [[ ! -d "$schema_dir/node_modules/kubernetes-models" || ! -d "$schema_dir/node_modules/kubernetes-types" ]]; then
    echo "== fetching kubernetes-models@$K8S_MODELS_VERSION and kubernetes-types@$K8S_TYPES_VERSION into $schema_dir"
    mkdir -p "$schema_dir"
    if ! npm install --prefix "$schema_dir" --no-save --no-package-lock --no-audit --no-fund --ignore-scripts --loglevel=error \
      "kubernetes-models@$K8S_MODELS_VERSION" "kubernetes-types@$K8S_TYPES_VERSION" >/dev/null; then
      echo "   could not fetch them: the schema checks will be skipped" >&2
    fi
  fi
  if [[ -d "$schema_dir/node_modules/kubernetes-models" && -d "$schema_dir/node_modules/kubernetes-types" ]]; then
    export K8S_SCHEMA_DIR="$schema_dir"
  fi
fi

exec node deploy/validate/validate.mjs
