#!/usr/bin/env bash
# Speed as users feel it: whole felisc processes, each against a reference
# measured in the same run (issue 17). Prints a Markdown table of medians, max
# resident sets and ratios; the README's performance table is its output.
#
#   tools/bench.sh [--quick] [BUILD_DIR]     (default: build/, configured if missing)
#
# Rows: start-up (`felisc --version` beside /bin/true); `felisc validate` of the
# real corpus beside Python's yaml.load(CSafeLoader) of the same files; and on
# generated schemas of 1,000 and 10,000 tables (tests/bench/felis_schema_gen.py,
# about 2.5 KB of Felis per table, loaded into a database with `felisc create`):
# `felisc inspect` beside `pg_dump --schema-only`, `felisc drift` (default and
# --read-only) and `felisc verify DB FILE` with nothing changed beside Alembic's
# no-change autogenerate (tests/bench/alembic_autogen.py, Debian's
# python3-alembic), and `felisc diff` of two such files (one column added)
# beside Python's load of one of them.
#
# FELISC_BENCH_SIZES=1000,10000 (table counts) and FELISC_BENCH_SKIP=REGEX (rows
# not measured) make a shorter run.
# FELISC_BENCH_BIN=BIN measures BIN instead of BUILD_DIR/felisc;
# FELISC_BENCH_BEFORE=BIN adds a "before" column: the same commands run by
# another felisc binary (e.g. one built from main), alternating with this one.
# --quick: 1,000 tables only and fewer repetitions (the ctest smoke test
# bench_quick runs it, checking only that the table is printed).
# It starts its own throwaway PostgreSQL (tools/pg-test-cluster.sh) and stops it.
# The machine may be shared: run it as `nice -n -5 tools/bench.sh`; the load
# average before and after is printed with the table.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
quick=()
if [[ "${1:-}" == --quick ]]; then
  quick=(--quick)
  shift
fi
build="${1:-$root/build}"

if [[ -z "${SDM_SCHEMAS_DIR:-}" && -d "$root/../shared/sdm_schemas" ]]; then
  SDM_SCHEMAS_DIR="$(cd "$root/../shared/sdm_schemas" && pwd)"
fi
[[ -n "${SDM_SCHEMAS_DIR:-}" ]] || { echo "bench: set SDM_SCHEMAS_DIR" >&2; exit 2; }

if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
build_type="$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt")"
if [[ "$build_type" == Debug || -z "$build_type" ]] || grep -q '^FELISC_SANITIZE:BOOL=ON' "$build/CMakeCache.txt"; then
  echo "bench: warning: $build is a ${build_type:-default} (or sanitizer) build; timings mean little" >&2
fi
cmake --build "$build" --target felisc >/dev/null
# A copy (FELISC_BENCH_BIN) keeps a rebuild during a long run from changing what is measured.
felisc="${FELISC_BENCH_BIN:-$build/felisc}"

export PYTHONDONTWRITEBYTECODE=1  # no __pycache__ in the source tree
work="$(mktemp -d /tmp/felisc-bench.XXXXXX)"
cluster="$work/cluster"
trap '"$root/tools/pg-test-cluster.sh" stop "$cluster" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
"$root/tools/pg-test-cluster.sh" start "$cluster" >/dev/null
port="$(sed -n 's/.*port=\([0-9]*\).*/\1/p' "$cluster/conninfo")"

echo "felisc $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?') ($build_type), $(nproc) cores," \
  "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/python3 "$root/tests/bench/whole_commands.py" --felisc "$felisc" --port "$port" --work "$work" \
  --corpus "$SDM_SCHEMAS_DIR/yml" "${quick[@]}" ${FELISC_BENCH_SIZES:+--sizes="$FELISC_BENCH_SIZES"} \
  ${FELISC_BENCH_SKIP:+--skip="$FELISC_BENCH_SKIP"} ${FELISC_BENCH_BEFORE:+--before "$FELISC_BENCH_BEFORE"}
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
