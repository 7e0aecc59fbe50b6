#!/usr/bin/env bash
# Fuzzes felisc with libFuzzer (tests/fuzz/*_fuzz.cpp): builds the targets with
# clang (ASan + UBSan + coverage) in their own build directory, runs each target
# for SECONDS (all targets in parallel), then merges what the run found into the
# corpus under fixtures/fuzz/<target>/, which the normal build replays as a test.
#
#   tools/fuzz.sh [SECONDS] [TARGET...]     TARGET: reader, diff (default: both)
#
# Exits non-zero when a target crashed (an invariant trap, a sanitizer report, a
# leak, a timeout or running out of memory), naming the reproducer; replay it with
#   $BUILD/tests/fuzz/<binary> <reproducer>
#
# Environment: FELISC_FUZZ_BUILD_DIR (default /tmp/build-fuzz),
# FELISC_FUZZ_LOG_DIR (default $FELISC_FUZZ_BUILD_DIR/logs), FELISC_JOBS (build
# jobs, default 2), FELISC_FUZZ_NO_MERGE=1 (leave fixtures/fuzz untouched).
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-3600}"
[[ $# -gt 0 ]] && shift
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(reader diff)
build="${FELISC_FUZZ_BUILD_DIR:-/tmp/build-fuzz}"
logs="${FELISC_FUZZ_LOG_DIR:-$build/logs}"

if ! [[ "$seconds" =~ ^[0-9]+$ ]]; then
  echo "usage: tools/fuzz.sh [SECONDS] [reader|diff...]" >&2
  exit 2
fi

binaryOf() {
  case "$1" in
    reader) echo felis_reader_fuzz ;;
    diff) echo diff_fuzz ;;
    *) return 1 ;;
  esac
}
for target in "${targets[@]}"; do
  if ! binaryOf "$target" >/dev/null; then
    echo "tools/fuzz.sh: unknown target '$target' (reader, diff)" >&2
    exit 2
  fi
done

# -O1 with assertions: the usual libFuzzer trade between speed and checks.
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -DFELISC_FUZZ=ON -DFELISC_BUILD_TESTS=OFF \
  -DFELISC_BUILD_BENCHMARKS=OFF -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" >/dev/null || exit 2
binaries=()
for target in "${targets[@]}"; do binaries+=("$(binaryOf "$target")"); done
cmake --build "$build" -j"${FELISC_JOBS:-2}" --target "${binaries[@]}" || exit 2

mkdir -p "$logs"
pids=()
for target in "${targets[@]}"; do
  binary="$build/tests/fuzz/$(binaryOf "$target")"
  work="$build/corpus/$target"
  artifacts="$build/artifacts/$target/"
  mkdir -p "$work" "$artifacts"
  # New inputs go to the work corpus (the first directory); the seeds are read only.
  "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -dict="$root/fixtures/fuzz/felis.dict" -artifact_prefix="$artifacts" \
    "$work" "$root/fixtures/fuzz/$target" >"$logs/$target.log" 2>&1 &
  pids+=($!)
  echo "tools/fuzz.sh: $target running for ${seconds}s (pid $!), log $logs/$target.log"
done

status=0
for i in "${!targets[@]}"; do
  target="${targets[$i]}"
  wait "${pids[$i]}"
  rc=$?
  log="$logs/$target.log"
  done_line="$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -n 1)"
  [[ -z "$done_line" ]] && done_line="$(grep -E '^#[0-9]+[[:space:]]' "$log" | tail -n 1)"
  execs="$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$log" | grep -oE '[0-9]+$')"
  echo "== $target: exit $rc; executions ${execs:-?}; last: ${done_line:-none}"
  if [[ $rc -ne 0 ]]; then
    status=1
    reproducer="$(grep -oE 'Test unit written to [^ ]+' "$log" | tail -n 1 | sed 's/Test unit written to //')"
    echo "== $target: CRASH; reproducer: ${reproducer:-see $log}"
    grep -m 1 -E 'fuzz invariant violated|ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error' "$log"
  fi
  if [[ "${FELISC_FUZZ_NO_MERGE:-0}" != 1 ]]; then
    # Keep only inputs that add coverage to what fixtures/fuzz/<target>/ has.
    before=$(find "$root/fixtures/fuzz/$target" -type f | wc -l)
    "$build/tests/fuzz/$(binaryOf "$target")" -merge=1 -rss_limit_mb=2048 -timeout=10 \
      "$root/fixtures/fuzz/$target" "$build/corpus/$target" >"$logs/$target-merge.log" 2>&1 ||
      echo "== $target: merge failed, see $logs/$target-merge.log"
    after=$(find "$root/fixtures/fuzz/$target" -type f | wc -l)
    echo "== $target: corpus fixtures/fuzz/$target: $before -> $after files," \
      "$(du -sh --apparent-size "$root/fixtures/fuzz/$target" | cut -f1)"
  fi
done
exit $status
