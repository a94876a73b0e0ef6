#!/usr/bin/env bash
# `cargo xtask regen` as a maintainer meets it (BENCHMARKS.md, "Regeneration as a maintainer
# runs it"): a fresh clone of this repository with its own empty target dir, then
#   1. the first `cargo xtask regen` (compiles the generator stack, then regenerates): wall
#      time and CPU time (user+sys, from GNU time);
#   2. `cargo xtask regen` again, warm, --runs times: process wall time and the "regen took"
#      line that xtask prints.
# Extra arguments go to cargo before the alias, e.g. to try a profile setting:
#
#   bash scripts/regen-bench.sh
#   bash scripts/regen-bench.sh --config 'profile.dev.package.progenitor-impl.opt-level=2'
#
#   REV=958949d bash scripts/regen-bench.sh   # another commit (here: before issue 17)
#
# Crates come from ~/.cargo (fetched beforehand: `cargo fetch`); the clone goes to
# $REGEN_BENCH_DIR (default /tmp/regen-bench) and is removed first. On a shared machine, read
# the CPU time beside the wall time. Changes no tracked file.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DIR="${REGEN_BENCH_DIR:-/tmp/regen-bench}"
RUNS="${RUNS:-3}"
[ -x /usr/bin/time ] || { echo "needs GNU time (/usr/bin/time; Debian: apt-get install time)" >&2; exit 1; }

rm -rf "$DIR"
git clone -q "$ROOT" "$DIR"
cd "$DIR"
[ -z "${REV:-}" ] || git checkout -q "$REV"
cargo fetch --locked -q
echo "commit $(git rev-parse --short HEAD); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

/usr/bin/time -o "$DIR/.time" -f "%e %U %S" cargo "$@" xtask regen >"$DIR/.cold.log" 2>&1
read -r wall user sys <"$DIR/.time"
printf 'cold: %s s wall, %s CPU-s (user %s + sys %s)\n' "$wall" \
    "$(python3 -c "print(round($user + $sys, 1))")" "$user" "$sys"

for i in $(seq "$RUNS"); do
    /usr/bin/time -o "$DIR/.time" -f "%e" cargo "$@" xtask regen >"$DIR/.warm.log" 2>&1
    printf 'warm %d: %s s wall, %s\n' "$i" "$(cat "$DIR/.time")" "$(grep -o 'regen took.*' "$DIR/.warm.log")"
done
echo "load at the end $(cut -d' ' -f1-3 /proc/loadavg)"
