#!/usr/bin/env bash
# Serves a mock of one API from its spec on 127.0.0.1, for the examples (README.md, "Running
# the examples against a local mock"):
#
#   bash scripts/mock.sh bluejeans         # spec/bluejeans.yaml on http://127.0.0.1:4010
#   bash scripts/mock.sh purecloud-oauth   # spec/purecloud-oauth.yaml on http://127.0.0.1:4010
#   PORT=4011 bash scripts/mock.sh ...     # another port
#
# The mock is Prism (@stoplight/prism-cli): it answers each operation with the example or
# schema of its spec, and checks the request (parameters, body, credentials) against it.
# It is installed on first use into .tools/node (gitignored), pinned below, as
# scripts/lint-specs.sh installs redocly. Needs Node.js and npm. Stop it with Ctrl-C.
set -euo pipefail

PRISM_VERSION="5.16.0"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
api="${1:-}"
spec="spec/$api.yaml"
if [[ -z "$api" || ! -f "$spec" ]]; then
  echo "usage: bash scripts/mock.sh <api>   (one of: $(cd spec && ls *.yaml | sed 's/\.yaml$//' | tr '\n' ' '))" >&2
  exit 2
fi

node_prefix="$root/.tools/node"
prism="$node_prefix/node_modules/.bin/prism"
stamp="$node_prefix/.installed-prism-$PRISM_VERSION"
if [[ ! -f "$stamp" || ! -x "$prism" ]]; then
  echo "==> installing @stoplight/prism-cli $PRISM_VERSION into .tools/node" >&2
  mkdir -p "$node_prefix"
  npm install --prefix "$node_prefix" --no-audit --no-fund --loglevel=error \
    "@stoplight/prism-cli@$PRISM_VERSION" >&2
  touch "$stamp"
fi

exec "$prism" mock --host 127.0.0.1 --port "${PORT:-4010}" "$spec"
