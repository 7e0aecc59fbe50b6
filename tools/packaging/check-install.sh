#!/usr/bin/env bash
# Test of `cmake --install` (a ctest test, tests/CMakeLists.txt): installs the
# build into a temporary prefix and checks what a user gets there.
#
#   tools/packaging/check-install.sh BUILD_DIR [--profile-by-name]
#
# Checks PREFIX/bin/felisc, the profiles in PREFIX/share/felisc/profiles/, the
# man page (share/man/man1/felisc.1.gz, from help2man) and bash completion
# (share/bash-completion/completions/felisc), and that the installed felisc
# compiles a real schema with the installed ConsDB profile. With
# --profile-by-name, `--profile consdb` (the name, found relative to the
# binary's prefix) is used instead of the installed file's path.
set -uo pipefail

build="${1:?usage: check-install.sh BUILD_DIR [--profile-by-name]}"
by_name=0
[[ "${2:-}" == --profile-by-name ]] && by_name=1
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
sdm_dir="${SDM_SCHEMAS_DIR:-$root/../shared/sdm_schemas}"
prefix="$(mktemp -d /tmp/felisc-install.XXXXXX)"
trap 'rm -rf "$prefix"' EXIT

failures=0
check() {
  local description="$1"
  shift
  if "$@"; then echo "ok:   $description"; else
    echo "FAIL: $description"
    failures=$((failures + 1))
  fi
}

cmake --install "$build" --prefix "$prefix" >"$prefix.log" 2>&1 || {
  cat "$prefix.log"
  rm -f "$prefix.log"
  echo "FAIL: cmake --install"
  exit 1
}
rm -f "$prefix.log"

check "bin/felisc runs" bash -c '"$1" --version >/dev/null' _ "$prefix/bin/felisc"
check "the ConsDB profile" test -f "$prefix/share/felisc/profiles/consdb.yaml"
check "only real profiles installed (no test fixtures)" \
  test "$(find "$prefix/share/felisc/profiles" -type f | wc -l)" = 1
man="$prefix/share/man/man1/felisc.1.gz"
check "the man page" test -f "$man"
check "the man page is felisc's help" bash -c "zcat '$man' | grep -q 'migrate' && zcat '$man' | grep -q '^\.TH FELISC'"
check "the man page documents each command's options" bash -c "zcat '$man' | grep -q '^\.SS verify' && zcat '$man' | grep -q -- '--alembic-dir'"
completion="$prefix/share/bash-completion/completions/felisc"
check "bash completion" test -f "$completion"
# The completion offers the commands of the installed binary (bash-completion's
# _init_completion stubbed to set the command line: only the felisc part is
# under test).
check "completion: commands" bash -c '
  _init_completion() { words=("$felisc" ""); cword=1; cur=""; prev="$felisc"; }
  source "$1"
  felisc="$2"
  _felisc
  printf "%s\n" "${COMPREPLY[@]}" | grep -qx migrate && printf "%s\n" "${COMPREPLY[@]}" | grep -qx validate
' _ "$completion" "$prefix/bin/felisc"
check "completion: options of a command" bash -c '
  _init_completion() { words=("$felisc" diff --al); cword=2; cur=--al; prev=diff; }
  source "$1"
  felisc="$2"
  _felisc
  printf "%s\n" "${COMPREPLY[@]}" | grep -qx -- --allow-data-loss
' _ "$completion" "$prefix/bin/felisc"

profile="$prefix/share/felisc/profiles/consdb.yaml"
((by_name)) && profile=consdb
out="$(mktemp)"
status=0
(cd / && "$prefix/bin/felisc" create --profile "$profile" "$sdm_dir/yml/cdb_latiss.yaml") >"$out" 2>&1 || status=$?
check "installed felisc create --profile $profile cdb_latiss.yaml" test "$status" = 0
check "  ... writes the deployed views (visit1)" grep -q 'CREATE VIEW.*visit1' "$out"
((failures)) && head -n 20 "$out"
rm -f "$out"

if ((failures)); then
  echo "check-install: $failures check(s) failed"
  exit 1
fi
echo "check-install: all checks passed"
