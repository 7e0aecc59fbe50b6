#!/usr/bin/env bash
# How much faster felisc reads the sdm_schemas corpus than Python loads it.
#
#   tools/bench-parse.sh [BUILD_DIR]        (default: build/, configured if missing)
#
# felisc side: felisc_bench's BM_ReadCorpus, i.e. compiler::readFelisFile (read,
# parse, resolve, validate) on every yml/*.yaml, best of 5 repetitions.
# Python side: yaml.load(f, Loader=yaml.CSafeLoader) on the same files (the
# fastest PyYAML loader, libyaml underneath; Felis itself uses the slower
# safe_load), best of 5 passes, measured here in the same run.
# Prints e.g. "felisc parse+validate: 48 ms; PyYAML CSafeLoader load: 370 ms; ratio 7.7x (target >= 7x)".
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
readonly target_ratio=7

if [[ -z "${SDM_SCHEMAS_DIR:-}" && -d "$root/../shared/sdm_schemas" ]]; then
  SDM_SCHEMAS_DIR="$(cd "$root/../shared/sdm_schemas" && pwd)"
fi
[[ -n "${SDM_SCHEMAS_DIR:-}" ]] || { echo "bench-parse: set SDM_SCHEMAS_DIR" >&2; exit 2; }
export SDM_SCHEMAS_DIR
corpus="$SDM_SCHEMAS_DIR/yml"

if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
build_type="$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt")"
if [[ "$build_type" == Debug || -z "$build_type" ]] || grep -q '^FELISC_SANITIZE:BOOL=ON' "$build/CMakeCache.txt"; then
  echo "bench-parse: warning: $build is a ${build_type:-default} (or sanitizer) build; timings mean little" >&2
fi
cmake --build "$build" -j "$(nproc)" --target felisc_bench >/dev/null

out="$(mktemp)"
trap 'rm -f "$out"' EXIT
"$build/tests/bench/felisc_bench" --benchmark_filter='^BM_ReadCorpus$' --benchmark_repetitions=5 \
  --benchmark_format=json --benchmark_out="$out" --benchmark_out_format=json >/dev/null

python3 - "$out" "$corpus" "$target_ratio" <<'EOF'
import glob, json, sys, time
import yaml

report, corpus, target = sys.argv[1], sys.argv[2], float(sys.argv[3])
runs = [b for b in json.load(open(report))["benchmarks"]
        if b["name"].startswith("BM_ReadCorpus") and b.get("run_type") == "iteration"]
scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}
felisc_ms = min(b["real_time"] * scale[b["time_unit"]] for b in runs)
rejected = int(runs[0].get("files_with_errors", 0))
files = sorted(glob.glob(corpus + "/*.yaml"))

best = float("inf")
for _ in range(5):
    start = time.perf_counter()
    for name in files:
        with open(name, encoding="utf-8") as f:
            yaml.load(f, Loader=yaml.CSafeLoader)
    best = min(best, time.perf_counter() - start)
python_ms = best * 1e3

ratio = python_ms / felisc_ms
print(f"corpus: {len(files)} files in {corpus}")
if rejected:
    print(f"warning: felisc rejected {rejected} of the files; their timing is not a full read")
verdict = "" if ratio >= target else "  BELOW TARGET"
print(f"felisc parse+validate: {felisc_ms:.0f} ms; PyYAML CSafeLoader load: {python_ms:.0f} ms; "
      f"ratio {ratio:.1f}x (target >= {target:g}x){verdict}")
EOF
