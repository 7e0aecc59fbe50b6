#!/usr/bin/env bash
# THE test command: installs what is missing, builds, starts the throwaway
# PostgreSQL, and runs every test, twice: a RelWithDebInfo build (build/) and an
# AddressSanitizer + UndefinedBehaviorSanitizer build (build-asan/). Warnings
# are errors in all its builds (FELISC_WERROR=ON; a user's build keeps them
# warnings). Beside them, as users and packagers build it: a Release and a
# Debug build of felisc alone from clean folders (build-release/,
# build-debug/; built niced in the background while the first tests run), and
# the Debian package from the Release build, installed with apt-get, the demo
# run against /usr/bin/felisc, and removed (tools/packaging/check-deb.sh).
#
#   sudo tools/test.sh          (as root on Debian 12; .ci/run runs exactly this)
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
build_release="$root/build-release"
build_debug="$root/build-debug"
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

step "1/8 Dependencies (tools/install-deps.sh)" "$root/tools/install-deps.sh" || {
  echo "tools/test.sh: cannot go on without the dependencies" >&2
  exit 1
}
echo "g++ $(g++ -dumpfullversion), $(cmake --version | head -n 1), PostgreSQL $(/usr/lib/postgresql/15/bin/postgres --version | awk '{print $3}'), $jobs jobs"
echo "SDM_SCHEMAS_DIR=${SDM_SCHEMAS_DIR:-(not set)}"

# user_builds: the Release (felisc and its man page: all, tests off, as a
# packager builds it) and the Debug (felisc only, default options) builds, each
# from a clean folder, one after the other, niced: they fill the cores while
# ctest waits on PostgreSQL. Warnings are errors here too (FELISC_WERROR=ON), so
# "builds cleanly" is checked. Each writes its log and exit status.
user_builds() {
  local status start=$SECONDS
  rm -rf "$build_release" "$build_debug"
  status=0
  {
    cmake -S "$root" -B "$build_release" -DCMAKE_BUILD_TYPE=Release -DFELISC_WERROR=ON \
      -DFELISC_BUILD_TESTS=OFF &&
      nice -n 10 cmake --build "$build_release" -j "$jobs"
  } >"$log_dir/release.log" 2>&1 || status=$?
  echo "built in $((SECONDS - start))s (in the background)" >>"$log_dir/release.log"
  echo "$status" >"$log_dir/release.status"
  status=0
  start=$SECONDS
  {
    cmake -S "$root" -B "$build_debug" -DCMAKE_BUILD_TYPE=Debug -DFELISC_WERROR=ON &&
      nice -n 10 cmake --build "$build_debug" -j "$jobs" --target felisc
  } >"$log_dir/debug.log" 2>&1 || status=$?
  echo "built in $((SECONDS - start))s (in the background)" >>"$log_dir/debug.log"
  echo "$status" >"$log_dir/debug.status"
}

# user_build_result NAME: the log and status of one of the user_builds.
user_build_result() {
  tail -n 25 "$log_dir/$1.log"
  grep -c 'warning:' "$log_dir/$1.log" | sed 's/^/warnings: /'
  return "$(cat "$log_dir/$1.status" 2>/dev/null || echo 1)"
}

if step "2/8 Build, RelWithDebInfo (build/)" bash -c '
    set -e
    cmake -S "$1" -B "$2" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFELISC_SANITIZE=OFF -DFELISC_WERROR=ON
    cmake --build "$2" -j "$3"' _ "$root" "$build" "$jobs"; then
  set -m
  user_builds &
  background_pid=$!
  set +m
  step "3/8 Tests, RelWithDebInfo (ctest: unit, PostgreSQL, benchmark smoke)" run_ctest "$build"
else
  set -m
  user_builds &
  background_pid=$!
  set +m
fi
section "Waiting for the Release and Debug builds"
wait "$background_pid"
background_pid=""
step "4/8 Build, Release as a packager builds it: felisc and man page (build-release/)" user_build_result release
step "5/8 Build, Debug with default options: felisc (build-debug/)" user_build_result debug
if [[ "$(cat "$log_dir/release.status" 2>/dev/null)" == 0 ]]; then
  step "6/8 Debian package: cpack, apt-get install, demo on /usr/bin/felisc, remove" \
    "$root/tools/packaging/check-deb.sh" "$build_release"
fi

if step "7/8 Build, ASan + UBSan (build-asan/)" bash -c '
    set -e
    cmake -S "$1" -B "$2" -DCMAKE_BUILD_TYPE=Debug -DFELISC_SANITIZE=ON -DFELISC_BUILD_BENCHMARKS=OFF -DFELISC_WERROR=ON
    cmake --build "$2" -j "$3"' _ "$root" "$build_asan" "$jobs"; then
  export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:strict_string_checks=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  step "8/8 Tests, ASan + UBSan (ctest: unit, PostgreSQL)" run_ctest "$build_asan"
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
