#!/usr/bin/env bash
# How fast `felisc inspect` reads a large schema, against `pg_dump --schema-only`.
#
#   tools/bench-inspect.sh [BUILD_DIR]      (default: build/, configured if missing)
#
# Starts a throwaway PostgreSQL 15 cluster (tools/pg-test-cluster.sh), loads the
# synthetic schema of tests/bench/inspect_schema_gen.py at each size of
# $BENCH_INSPECT_SIZES (default "1000 10000" tables; 10 columns, 4 constraints,
# 3 indexes and 4 comments per table, a view per 10 tables), each in a database of
# its own (pg_dump reads the whole database's catalog, so other schemas would
# slow it down), then times, best of $BENCH_INSPECT_RUNS (default 3):
#   felisc inspect DB --schema bench --format json   (catalog -> model -> JSON)
#   felisc inspect DB --schema bench --format yaml   (... -> Felis file, with its checks)
#   pg_dump --schema-only -n bench DB
# and prints the times, the ratio pg_dump / felisc (target: >= 1, i.e. felisc no
# slower), and how each grows from the smallest size to the largest.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
sizes="${BENCH_INSPECT_SIZES:-1000 10000}"
runs="${BENCH_INSPECT_RUNS:-3}"
pg_bin="/usr/lib/postgresql/15/bin"

if [[ ! -f "$build/CMakeCache.txt" ]]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
build_type="$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt")"
if [[ "$build_type" == Debug || -z "$build_type" ]] || grep -q '^FELISC_SANITIZE:BOOL=ON' "$build/CMakeCache.txt"; then
  echo "bench-inspect: warning: $build is a ${build_type:-default} (or sanitizer) build; timings mean little" >&2
fi
cmake --build "$build" -j "$(nproc)" --target felisc >/dev/null
felisc="$build/felisc"

cluster="$(mktemp -d /tmp/felisc-bench-inspect.XXXXXX)"
trap '"$root/tools/pg-test-cluster.sh" stop "$cluster" >/dev/null 2>&1 || true' EXIT
"$root/tools/pg-test-cluster.sh" start "$cluster" >/dev/null
server="$(cat "$cluster/conninfo")"  # host=127.0.0.1 port=N user=postgres dbname=postgres
port="$(sed -n 's/.*port=\([0-9]*\).*/\1/p' <<<"$server")"

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Best wall time in ms of "$@" over $runs runs; the command's output is discarded.
best_of() {
  local best=999999999 start elapsed
  for _ in $(seq "$runs"); do
    start="$(now_ms)"
    "$@" >/dev/null 2>&1 || { echo "bench-inspect: failed: $*" >&2; exit 1; }
    elapsed=$(($(now_ms) - start))
    ((elapsed < best)) && best=$elapsed
  done
  echo "$best"
}

declare -A json_ms yaml_ms dump_ms
printf '%8s %9s %12s %12s %14s %9s\n' tables columns "inspect json" "inspect yaml" "pg_dump -s" "ratio"
for n in $sizes; do
  db="bench_$n"
  "$pg_bin/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "CREATE DATABASE $db" >/dev/null
  python3 "$root/tests/bench/inspect_schema_gen.py" "$n" bench |
    "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d "$db" >/dev/null
  "$pg_bin/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d "$db" -c "VACUUM ANALYZE" >/dev/null
  columns="$("$pg_bin/psql" -X -qAt -h 127.0.0.1 -p "$port" -U postgres -d "$db" -c \
    "SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
     WHERE c.relnamespace = 'bench'::regnamespace AND c.relkind = 'r' AND a.attnum > 0")"
  conninfo="host=127.0.0.1 port=$port user=postgres dbname=$db"
  json_ms[$n]="$(best_of "$felisc" inspect "$conninfo" --schema bench --format json)"
  yaml_ms[$n]="$(best_of "$felisc" inspect "$conninfo" --schema bench --format yaml)"
  dump_ms[$n]="$(best_of "$pg_bin/pg_dump" --schema-only -n bench -h 127.0.0.1 -p "$port" -U postgres "$db")"
  ratio="$(python3 -c "print(f'{${dump_ms[$n]} / max(${json_ms[$n]}, 1):.1f}x')")"
  printf '%8s %9s %10s ms %10s ms %12s ms %9s\n' "$n" "$columns" "${json_ms[$n]}" "${yaml_ms[$n]}" \
    "${dump_ms[$n]}" "$ratio"
done

read -r -a all <<<"$sizes"
if ((${#all[@]} > 1)); then
  small="${all[0]}" large="${all[-1]}"
  python3 - "$small" "$large" "${json_ms[$small]}" "${json_ms[$large]}" "${yaml_ms[$small]}" \
    "${yaml_ms[$large]}" "${dump_ms[$small]}" "${dump_ms[$large]}" <<'EOF'
import sys
small, large = int(sys.argv[1]), int(sys.argv[2])
js, jl, ys, yl, ds, dl = (max(float(x), 1.0) for x in sys.argv[3:])
print(f"growth from {small} to {large} tables ({large / small:.0f}x): "
      f"inspect json {jl / js:.1f}x, inspect yaml {yl / ys:.1f}x, pg_dump {dl / ds:.1f}x")
verdict = "ok" if dl >= jl else "BELOW TARGET"
print(f"at {large} tables: pg_dump / inspect json = {dl / jl:.1f}x, pg_dump / inspect yaml = {dl / yl:.1f}x "
      f"(target >= 1.0x: {verdict})")
EOF
fi
