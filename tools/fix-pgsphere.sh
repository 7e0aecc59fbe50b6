#!/usr/bin/env bash
# Repairs Debian 12's pgsphere install script so that CREATE EXTENSION pg_sphere
# works on current PostgreSQL 15.
#
# Why: postgresql-15-pgsphere (1.1.1+2021-11-10, extension version 1.2.0) ends
# pg_sphere--1.2.0.sql with "a minimal set of backwards-compatible operators for
# GAVO DaCHS": two `CREATE OPERATOR @` on (bigint, smoc) and (spoint, smoc) that
# name `@>` as their commutator, although `@>` is already the commutator of
# `<@`. PostgreSQL 15.19 and later check commutator pairs and reject them:
#   ERROR:  commutator operator @> is already the commutator of operator <@
# so CREATE EXTENSION fails on an up-to-date Debian 12 (15.18 still accepts it).
# Upstream pgsphere has removed these two obsolete operators; we do the same.
# Nothing in felisc uses them (`<@` is the real operator).
#
# What: the packaged script is kept as pg_sphere--1.2.0.sql.orig and replaced by
# a copy with exactly those two CREATE OPERATOR blocks removed; every other byte
# is unchanged (checked below). Idempotent: a script without the blocks is left
# alone, and a fresh one (after a package reinstall or upgrade) is fixed again.
#
# After a repair (or always, with --verify) the result is checked on a throwaway
# cluster (tools/pg-test-cluster.sh): CREATE EXTENSION pg_sphere, then a query.
#
# Usage: tools/fix-pgsphere.sh [--verify] [EXTENSION_DIR]   (default: PostgreSQL 15's)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
always_verify=0
if [[ "${1:-}" == --verify ]]; then
  always_verify=1
  shift
fi
ext_dir="${1:-/usr/share/postgresql/15/extension}"
script="$ext_dir/pg_sphere--1.2.0.sql"
original="$script.orig"

if [[ ! -f "$script" ]]; then
  echo "fix-pgsphere: $script not found: is postgresql-15-pgsphere installed?" >&2
  exit 1
fi

# Prints its input without the CREATE OPERATOR @ blocks that stand between the
# GAVO DaCHS comment and the "-- debugging" comment.
strip_gavo_operators() {
  awk '
    /^-- a minimal set of backwards-compatible operators for GAVO DaCHS/ { in_gavo = 1 }
    in_gavo && /^-- debugging/ { in_gavo = 0 }
    in_gavo && /^CREATE OPERATOR @ \($/ { skipping = 1 }
    skipping { if ($0 ~ /^\);$/) skipping = 0; next }
    { print }
  ' "$1"
}

# CREATE EXTENSION pg_sphere and a polygon, on a cluster of its own.
verify() {
  local cluster="$work/cluster" result
  chmod 755 "$work"  # the postgres user must reach the cluster directory
  "$here/pg-test-cluster.sh" start "$cluster" >/dev/null
  if ! result="$(psql "$(cat "$cluster/conninfo")" -X -q -A -t -v ON_ERROR_STOP=1 \
    -c "CREATE EXTENSION pg_sphere" -c "SELECT spoly '{(0d,0d),(1d,0d),(1d,1d)}'" 2>&1)"; then
    "$here/pg-test-cluster.sh" stop "$cluster" >/dev/null
    echo "fix-pgsphere: CREATE EXTENSION pg_sphere still fails:" >&2
    echo "$result" >&2
    return 1
  fi
  "$here/pg-test-cluster.sh" stop "$cluster" >/dev/null
  echo "fix-pgsphere: verified: CREATE EXTENSION pg_sphere works, spoly = $result"
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
strip_gavo_operators "$script" >"$work/fixed.sql"
if cmp -s "$script" "$work/fixed.sql"; then
  echo "fix-pgsphere: $script has no GAVO DaCHS operators (already fixed)"
  if ((always_verify)); then verify; fi
  exit 0
fi

# The difference must be exactly the two blocks: only deleted lines, 2 x 9 of
# them, each an operator @ on smoc. Anything else means the package changed and
# this script needs a look, so refuse rather than install a wrong file.
diff --unchanged-line-format= --old-line-format='-%L' --new-line-format='+%L' \
  "$script" "$work/fixed.sql" >"$work/diff" || true
expected='-CREATE OPERATOR @ (
-   LEFTARG    = bigint,
-   RIGHTARG   = smoc,
-   PROCEDURE  = healpix_subset_smoc,
-   COMMUTATOR = '"'"'@>'"'"',
-   NEGATOR    = '"'"'!<@'"'"',
-   RESTRICT   = contsel,
-   JOIN       = contjoinsel
-);
-CREATE OPERATOR @ (
-   LEFTARG    = spoint,
-   RIGHTARG   = smoc,
-   PROCEDURE  = spoint_subset_smoc,
-   COMMUTATOR = '"'"'@>'"'"',
-   NEGATOR    = '"'"'!<@'"'"',
-   RESTRICT   = contsel,
-   JOIN       = contjoinsel
-);'
if [[ "$(cat "$work/diff")" != "$expected" ]]; then
  echo "fix-pgsphere: unexpected content in $script; the difference would be:" >&2
  cat "$work/diff" >&2
  exit 1
fi

cp -p "$script" "$original"
cp "$work/fixed.sql" "$work/install.sql"
chmod --reference="$original" "$work/install.sql"
mv -f "$work/install.sql" "$script"
echo "fix-pgsphere: removed the 2 obsolete GAVO DaCHS operators from $script (original kept as $original)"
verify
