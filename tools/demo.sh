#!/usr/bin/env bash
# The first command of the README: installs what is missing, builds felisc, and
# runs its main job on bundled files (no database needed).
#
#   sudo tools/demo.sh          (as root on Debian 12)
#
# It installs the build and run-time packages only (tools/install-deps.sh
# --build: no PostgreSQL, no test libraries). With FELISC_BIN set to an
# installed felisc (e.g. FELISC_BIN=/usr/bin/felisc from the Debian package),
# it installs and builds nothing and runs the demo with that binary.
#
# The main job is the migration between two versions of a Felis schema,
# fixtures/demo/old.yaml -> fixtures/demo/new.yaml (a column added, a constraint
# renamed, a description changed).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
build="$root/build"
felisc="${FELISC_BIN:-$build/felisc}"
out="$build"

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

if [[ -n "${FELISC_BIN:-}" ]]; then
  out="$(mktemp -d /tmp/felisc-demo.XXXXXX)"
  trap 'rm -rf "$out"' EXIT
  section "Using $FELISC_BIN ($("$FELISC_BIN" --version))"
else
  section "Dependencies (tools/install-deps.sh --build)"
  tools/install-deps.sh --build

  section "Building felisc (build/)"
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build" -j "$(nproc)" --target felisc
fi

section "Validating both versions"
run_felisc validate fixtures/demo/old.yaml fixtures/demo/new.yaml

section "PostgreSQL DDL of the new version"
run_felisc create fixtures/demo/new.yaml

section "Migration from old.yaml to new.yaml: review text"
run_felisc diff --format text fixtures/demo/old.yaml fixtures/demo/new.yaml

section "Migration from old.yaml to new.yaml: upgrade SQL ($out/demo-up.sql) and downgrade ($out/demo-down.sql)"
run_felisc diff -o "$out/demo-up.sql" --down-output "$out/demo-down.sql" \
  fixtures/demo/old.yaml fixtures/demo/new.yaml
printf -- '--- upgrade\n'
cat "$out/demo-up.sql"
printf -- '--- downgrade\n'
cat "$out/demo-down.sql"
