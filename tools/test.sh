#!/usr/bin/env bash
# THE test command: installs what is missing, builds, starts the throwaway
# PostgreSQL, and runs every test, twice: a Release build (build/, as a packager
# builds it, with the tests and benchmarks beside felisc) and an
# AddressSanitizer + UndefinedBehaviorSanitizer build (build-asan/, a Debug
# build at -O1, compiled niced in the background while the first tests run).
# Warnings are errors in both (FELISC_WERROR=ON; a user's build keeps them
# warnings). The Debian package is made from the Release build, installed with
# apt-get, the demo run against /usr/bin/felisc, and removed
# (tools/packaging/check-deb.sh).
#
#   sudo tools/test.sh          (as root on Debian 12; .ci/run runs exactly this)
#
# Every test runs in the Release build. Under the sanitizers, the randomised
# round trips run fewer cases (FELISC_DIFF_CASES, FELISC_DIFF_ONLINE_CASES):
# they look for memory and undefined-behaviour errors there, which the same code
# paths show on a few cases as on two hundred.
#
# PostgreSQL is started and stopped by CTest's pg_server fixture; a trap stops
# any cluster left behind, whatever happens. Exits non-zero if anything failed.
#
# Environment: SDM_SCHEMAS_DIR (default: ../shared/sdm_schemas beside the
# checkout), FELISC_JOBS (default: number of cores).
set -uo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
jobs="${FELISC_JOBS:-$(nproc)}"
build="$root/build"
build_asan="$root/build-asan"
log_dir="$(mktemp -d /tmp/felisc-test.XXXXXX)"

stop_clusters() {
  local dir
  for dir in "$build/pgtest" "$build_asan/pgtest"; do
    [[ -e "$dir" ]] && "$root/tools/pg-test-cluster.sh" stop "$dir" || true
  done
}
background_pid=""
stop_background() {
  [[ -n "$background_pid" ]] && kill -- "-$background_pid" 2>/dev/null
  return 0
}
trap 'stop_background; stop_clusters; rm -rf "$log_dir"' EXIT
trap 'echo "tools/test.sh: interrupted" >&2; exit 130' INT TERM

if [[ -z "${SDM_SCHEMAS_DIR:-}" && -d "$root/../shared/sdm_schemas" ]]; then
  SDM_SCHEMAS_DIR="$(cd "$root/../shared/sdm_schemas" && pwd)"
  export SDM_SCHEMAS_DIR
fi

# ccache (CMakeLists.txt uses it when installed): paths relative to the checkout,
# so another clone of the same sources hits the same cache entries.
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1

results=()  # "status|seconds|name" per step
failed=0
tests_passed=0
tests_failed=0

section() { printf '\n========== %s ==========\n' "$*"; }

# step NAME COMMAND...: runs one step, records its status and time.
step() {
  local name="$1" start=$SECONDS status
  shift
  section "$name"
  "$@"
  status=$?
  if ((status == 0)); then
    results+=("ok|$((SECONDS - start))|$name")
  else
    results+=("FAILED|$((SECONDS - start))|$name")
    failed=1
    echo "---------- FAILED: $name (exit $status)"
  fi
  return "$status"
}

# run_ctest BUILD_DIR: ctest with its counts added to the totals.
run_ctest() {
  local dir="$1" log="$log_dir/ctest-$(basename "$1").log" status summary total failures
  (cd "$dir" && ctest --output-on-failure --timeout 600 -j "$jobs") 2>&1 | tee "$log"
  status=${PIPESTATUS[0]}
  # "100% tests passed, 0 tests failed out of 42"
  summary="$(grep -E '[0-9]+ tests failed out of [0-9]+' "$log" | tail -n 1)"
  if [[ -n "$summary" ]]; then
    failures="$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\1/' <<<"$summary")"
    total="$(sed -E 's/.* ([0-9]+) tests failed out of ([0-9]+).*/\2/' <<<"$summary")"
    tests_passed=$((tests_passed + total - failures))
    tests_failed=$((tests_failed + failures))
  elif ((status == 0)); then
    echo "tools/test.sh: ctest in $dir ran no test" >&2
    status=1
  fi
  return "$status"
}

step "1/6 Dependencies (tools/install-deps.sh)" "$root/tools/install-deps.sh" || {
  echo "tools/test.sh: cannot go on without the dependencies" >&2
  exit 1
}
echo "g++ $(g++ -dumpfullversion), $(cmake --version | head -n 1), PostgreSQL $(/usr/lib/postgresql/15/bin/postgres --version | awk '{print $3}'), $jobs jobs"
echo "SDM_SCHEMAS_DIR=${SDM_SCHEMAS_DIR:-(not set)}"

# asan_build: the sanitizer build, niced, in the background: it fills the
# cores while ctest waits on PostgreSQL. Writes its log and exit status.
asan_build() {
  local status=0 start=$SECONDS
  {
    cmake -S "$root" -B "$build_asan" -DCMAKE_BUILD_TYPE=Debug -DFELISC_SANITIZE=ON \
      -DFELISC_BUILD_BENCHMARKS=OFF -DFELISC_WERROR=ON -DFELISC_PCH=ON &&
      nice -n 10 cmake --build "$build_asan" -j "$jobs"
  } >"$log_dir/asan.log" 2>&1 || status=$?
  echo "built in $((SECONDS - start))s (in the background)" >>"$log_dir/asan.log"
  echo "$status" >"$log_dir/asan.status"
}

# background_result NAME: the log and status of a background build.
background_result() {
  tail -n 25 "$log_dir/$1.log"
  grep -c 'warning:' "$log_dir/$1.log" | sed 's/^/warnings: /'
  return "$(cat "$log_dir/$1.status" 2>/dev/null || echo 1)"
}

start_asan_build() {
  set -m
  asan_build &
  background_pid=$!
  set +m
}

if step "2/6 Build, Release: felisc, man page, tests, benchmarks (build/)" bash -c '
    set -e
    cmake -S "$1" -B "$2" -DCMAKE_BUILD_TYPE=Release -DFELISC_SANITIZE=OFF -DFELISC_WERROR=ON -DFELISC_PCH=ON
    cmake --build "$2" -j "$3"' _ "$root" "$build" "$jobs"; then
  start_asan_build
  step "3/6 Tests, Release (ctest: unit, PostgreSQL, benchmark smoke)" run_ctest "$build"
  step "4/6 Debian package: cpack, apt-get install, demo on /usr/bin/felisc, remove" \
    "$root/tools/packaging/check-deb.sh" "$build"
else
  start_asan_build
fi
section "Waiting for the ASan + UBSan build"
wait "$background_pid"
background_pid=""
if step "5/6 Build, ASan + UBSan (build-asan/)" background_result asan; then
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  export FELISC_DIFF_CASES="${FELISC_DIFF_CASES:-40}" FELISC_DIFF_ONLINE_CASES="${FELISC_DIFF_ONLINE_CASES:-12}"
  step "6/6 Tests, ASan + UBSan (ctest: unit, PostgreSQL)" run_ctest "$build_asan"
fi

section "Summary"
for result in "${results[@]}"; do
  IFS='|' read -r status seconds name <<<"$result"
  printf '%-7s %5ss  %s\n' "$status" "$seconds" "$name"
done
printf 'total time: %ss\n' "$SECONDS"
if ((failed)); then
  echo "tools/test.sh: FAILED"
else
  echo "tools/test.sh: all steps passed"
fi
echo "tests: $tests_passed passed, $tests_failed failed"
exit "$failed"
