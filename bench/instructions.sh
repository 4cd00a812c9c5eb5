#!/bin/bash
# Instructions per traced call of one case, deterministic enough for A/B decisions on a noisy
# machine (bench/profile-notes.md, "Instruction counts"): bundles <src dir> with esbuild, runs
# bench/instructions/harness.mjs under `valgrind --tool=callgrind` with `node --predictable`
# for N1 and N2 calls (after 30 000 warm-up calls) and prints (Ir(N2) - Ir(N1)) / (N2 - N1).
#
#   bench/instructions.sh <src dir> <case> <kind> [N1 N2]
#   case: none | als-floor | courier | sampled-only | unsampled | als-floor-uns
#   kind: traceSync | tracePromise | traceCallback        NODE=<binary> picks another Node.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
src=$(cd "$1" && pwd); kase=$2; kind=$3; n1=${4:-40000}; n2=${5:-120000}
tmp=$(mktemp -d "$root/.instructions.XXXX")
trap 'rm -rf "$tmp"' EXIT
"$root/node_modules/.bin/esbuild" "$src/index.ts" --bundle --platform=node --format=esm \
  --external:@sentry/core --outfile="$tmp/lib.mjs" --log-level=warning
cp "$root/bench/instructions/harness.mjs" "$tmp/harness.mjs"
count() {
  valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.$1" "${NODE:-node}" --expose-gc --predictable \
    "$tmp/harness.mjs" "$tmp/lib.mjs" "$kase" "$kind" "$1" >/dev/null 2>&1
  grep -E '^(summary|totals):' "$tmp/cg.$1" | head -1 | awk '{print $2}'
}
a=$(count "$n1"); b=$(count "$n2")
echo "$kase $kind $(( (b - a) / (n2 - n1) )) instructions per call"
