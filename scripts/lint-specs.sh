#!/usr/bin/env bash
# Lint every OpenAPI spec under spec/*.yaml with three checks:
#   1. a strict YAML parse (PyYAML, duplicate mapping keys rejected: progenitor's
#      openapiv3 deserializer silently keeps the last of two duplicate path keys),
#   2. openapi-spec-validator (OpenAPI 3.0 schema validation),
#   3. redocly lint (rules from redocly.yaml at the repository root).
# The linters are installed on first use into .tools/ (gitignored):
#   .tools/venv  python venv with openapi-spec-validator + PyYAML (pip)
#   .tools/node  npm prefix with @redocly/cli
# Versions are pinned below; a stamp file per tool makes re-runs skip the install.
# Exit status is non-zero if any spec fails any check.
set -euo pipefail

OSV_VERSION="0.9.0"
PYYAML_VERSION="6.0.2"
REDOCLY_VERSION="2.77.0"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
tools="$root/.tools"
venv="$tools/venv"
node_prefix="$tools/node"

py_stamp="$venv/.installed-osv-$OSV_VERSION-pyyaml-$PYYAML_VERSION"
if [[ ! -f "$py_stamp" ]]; then
  echo "==> installing openapi-spec-validator $OSV_VERSION into .tools/venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    "openapi-spec-validator==$OSV_VERSION" "PyYAML==$PYYAML_VERSION"
  touch "$py_stamp"
fi

redocly="$node_prefix/node_modules/.bin/redocly"
node_stamp="$node_prefix/.installed-redocly-$REDOCLY_VERSION"
if [[ ! -f "$node_stamp" || ! -x "$redocly" ]]; then
  echo "==> installing @redocly/cli $REDOCLY_VERSION into .tools/node" >&2
  mkdir -p "$node_prefix"
  npm install --prefix "$node_prefix" --no-audit --no-fund --loglevel=error \
    "@redocly/cli@$REDOCLY_VERSION" >&2
  touch "$node_stamp"
fi

# Keep redocly quiet and offline apart from the lint itself.
export REDOCLY_TELEMETRY=off
export REDOCLY_SUPPRESS_UPDATE_NOTICE=true

shopt -s nullglob
specs=(spec/*.yaml)
if (( ${#specs[@]} == 0 )); then
  echo "no spec/*.yaml files to lint" >&2
  exit 0
fi

status=0
for spec in "${specs[@]}"; do
  echo "==> $spec"
  echo "--- yaml (strict, no duplicate keys)"
  if ! "$venv/bin/python" - "$spec" <<'PY'
import sys, yaml

class StrictLoader(yaml.SafeLoader):
    pass

def construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)

StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
try:
    with open(sys.argv[1]) as f:
        yaml.load(f, Loader=StrictLoader)
except yaml.YAMLError as e:
    print(f"{sys.argv[1]}: YAML error: {e}")
    sys.exit(1)
print(f"{sys.argv[1]}: OK")
PY
  then status=1; fi
  echo "--- openapi-spec-validator"
  if ! "$venv/bin/openapi-spec-validator" "$spec"; then status=1; fi
  echo "--- redocly lint"
  if ! "$redocly" lint --config redocly.yaml "$spec"; then status=1; fi
done

if (( status != 0 )); then
  echo "==> lint FAILED" >&2
else
  echo "==> all specs passed"
fi
exit "$status"
