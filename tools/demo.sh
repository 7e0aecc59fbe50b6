#!/usr/bin/env bash
# The first command of the README: installs what is missing, builds felisc, and
# runs its main job on bundled files (no database needed).
#
#   sudo tools/demo.sh          (as root on Debian 12)
#
# The main job is the migration between two versions of a Felis schema,
# fixtures/demo/old.yaml -> fixtures/demo/new.yaml (a column added, a constraint
# renamed, a description changed).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
build="$root/build"
felisc="$build/felisc"

section() { printf '\n========== %s ==========\n' "$*"; }

# Runs a felisc command, echoing it first. Exit code 1 means "findings" (e.g. an
# invalid file) and is shown, not fatal; anything above is.
run_felisc() {
  local status=0
  printf '$ felisc %s\n' "$*"
  "$felisc" "$@" || status=$?
  if ((status > 1)); then
    echo "demo.sh: felisc $1 failed (exit $status)" >&2
    exit "$status"
  fi
  printf '(exit %d)\n' "$status"
}

section "Dependencies (tools/install-deps.sh)"
tools/install-deps.sh

section "Building felisc (build/)"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$(nproc)" --target felisc

section "Validating both versions"
run_felisc validate fixtures/demo/old.yaml fixtures/demo/new.yaml

section "PostgreSQL DDL of the new version"
run_felisc create fixtures/demo/new.yaml

section "Migration from old.yaml to new.yaml: review text"
run_felisc diff --format text fixtures/demo/old.yaml fixtures/demo/new.yaml

section "Migration from old.yaml to new.yaml: upgrade SQL (build/demo-up.sql) and downgrade (build/demo-down.sql)"
run_felisc diff -o "$build/demo-up.sql" --down-output "$build/demo-down.sql" \
  fixtures/demo/old.yaml fixtures/demo/new.yaml
printf -- '--- upgrade\n'
cat "$build/demo-up.sql"
printf -- '--- downgrade\n'
cat "$build/demo-down.sql"
