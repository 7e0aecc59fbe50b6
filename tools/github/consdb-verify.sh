#!/usr/bin/env bash
# Step script of ConsDB's "Generate migration scripts" workflow: proves each
# new revision with `felisc verify` on a scratch database of a PostgreSQL with
# pgsphere (the workflow's service container), before the pull request opens.
#
#   consdb-verify.sh SDM_SCHEMAS_DIR CONSDB_DIR REVISION_FILE...
#   consdb-verify.sh --prepare-head DBNAME CONSDB_DIR
#
# --prepare-head creates database DBNAME with every chain of CONSDB_DIR/alembic
# at its head (as steps 1 below do) and writes its conninfo as `conninfo` to
# $GITHUB_OUTPUT: the deployed state `felisc migrate --old-db` plans from, so
# that a revision also repairs what the database holds differently from the
# Felis file (as ConsDB's autogenerate does against a database at head).
#
# For each revision file (alembic/<name>/versions/*.py, as consdb-migrate.sh
# lists them in its `revisions` output, relative to CONSDB_DIR or absolute):
#  1. a scratch database felisc_verify_<revision> is created and prepared as
#     ConsDB's docker/alembic-setup.sql says (schema cdb, pg_sphere, roles), with
#     schema cdb_<name> at the revision's down_revision: replayed from
#     $CONSDB_REPLAY_SQL/<name>/NN_<revision>.upgrade.sql files when that folder
#     is given (its chain.tsv order), else from `alembic upgrade --sql` of the chain;
#  2. the revision's own upgrade and downgrade SQL come from Alembic offline
#     (`alembic upgrade DOWN:REV --sql`, `alembic downgrade REV:DOWN --sql`) with
#     ConsDB's version table (cdb.cdb_<name>_version);
#  3. `felisc verify` applies both in one transaction, compares the catalog with
#     the sdm_schemas file as the ConsDB profile deploys it, and rolls back;
#  4. the scratch database is dropped.
# Writes the verify reports to $GITHUB_STEP_SUMMARY and verified=N, failed=N
# to $GITHUB_OUTPUT. Exit 0 when every revision is exact, 1 otherwise, 2 on a
# usage or set-up error.
#
# Environment: FELISC_DB (libpq keyword/value conninfo of the server, a
# database to connect to for CREATE DATABASE; default: the PG* variables),
# FELISC (default felisc), FELISC_PROFILE (default consdb), CONSDB_REPLAY_SQL,
# PYTHON (default python3, with alembic and sqlalchemy).
set -uo pipefail

felisc="${FELISC:-felisc}"
profile="${FELISC_PROFILE:-consdb}"
python="${PYTHON:-python3}"
server="${FELISC_DB:-}"
summary="${GITHUB_STEP_SUMMARY:-/dev/null}"
output="${GITHUB_OUTPUT:-/dev/null}"

die() {
  echo "consdb-verify: $*" >&2
  echo "::error::$*"
  exit 2
}

prepare_head=""
if [[ "${1:-}" == --prepare-head ]]; then
  (($# == 3)) || die "usage: consdb-verify.sh --prepare-head DBNAME CONSDB_DIR"
  prepare_head="$2"
  consdb="$(cd "$3" && pwd)" || die "no directory $3"
  shift 3
else
  (($# >= 2)) || die "usage: consdb-verify.sh SDM_SCHEMAS_DIR CONSDB_DIR REVISION_FILE..."
  sdm="$(cd "$1" && pwd)" || die "no directory $1"
  consdb="$(cd "$2" && pwd)" || die "no directory $2"
  shift 2
fi
work="$(mktemp -d "${RUNNER_TEMP:-/tmp}/felisc-verify.XXXXXX")"
scratch_databases=()
cleanup() {
  local db
  for db in "${scratch_databases[@]}"; do
    psql "$server" -q -X -c "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

# field FILE NAME: the string an Alembic revision file assigns to NAME.
field() {
  sed -nE "s/^$2(: [^=]+)? = ['\"]([0-9a-zA-Z_]+)['\"].*/\\2/p" "$1" | head -n 1
}

# The schema file at the checked-out commit, wherever sdm_schemas keeps it.
schema_file() {
  local dir
  for dir in python/lsst/sdm/schemas python/lsst/sdm_schemas/schemas yml; do
    [[ -f "$sdm/$dir/$1.yaml" ]] && {
      echo "$sdm/$dir/$1.yaml"
      return
    }
  done
  return 1
}

# alembic_sql NAME ARGS...: Alembic offline SQL for ConsDB's chain NAME. ConsDB's
# own env.py needs felis and ConsDB's packages to import; offline SQL needs
# none of that, only the version table it keeps: cdb.cdb_<name>_version.
alembic_sql() {
  local name="$1" project="$work/alembic-$1"
  shift
  if [[ ! -d "$project" ]]; then
    mkdir -p "$project"
    printf '[alembic]\nscript_location = %s\nversion_locations = %s\n' \
      "$project" "$consdb/alembic/$name/versions" >"$project/alembic.ini"
    cat >"$project/env.py" <<PY
from alembic import context

context.configure(url="postgresql://", literal_binds=True, dialect_opts={"paramstyle": "named"},
                  version_table="cdb_${name}_version", version_table_schema="cdb")
with context.begin_transaction():
    context.run_migrations()
PY
  fi
  PYTHONPATH="$consdb/python${PYTHONPATH:+:$PYTHONPATH}" "$python" -m alembic -c "$project/alembic.ini" "$@"
}

# create_database DB: an empty database set up as ConsDB's docker/alembic-setup.sql.
create_database() {
  local conn="$server dbname=$1"
  psql "$server" -q -X -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$1\"" || return 1
  # Roles are per cluster: "already exists" on a second run is expected.
  psql "$conn" -q -X -f "$consdb/docker/alembic-setup.sql" >/dev/null 2>&1
  psql "$conn" -q -X -v ON_ERROR_STOP=1 -c "CREATE EXTENSION IF NOT EXISTS pg_sphere" \
    -c "CREATE SCHEMA IF NOT EXISTS cdb" || return 1
}

# prepare DB NAME DOWN: schema cdb_NAME in DB as ConsDB's chain NAME leaves it at
# DOWN ("heads": its head).
prepare() {
  local db="$1" name="$2" down="$3" conn="$server dbname=$1" file n revision replay
  replay="${CONSDB_REPLAY_SQL:+$CONSDB_REPLAY_SQL/$name}"
  psql "$conn" -q -X -v ON_ERROR_STOP=1 -c "CREATE SCHEMA IF NOT EXISTS cdb_$name" || return 1
  if [[ -n "$replay" && -f "$replay/chain.tsv" ]]; then
    [[ "$down" == heads ]] && down="$(tail -n 1 "$replay/chain.tsv" | cut -f 2)"
    while IFS=$'\t' read -r n revision _; do
      file="$(printf '%s/%02d_%s.upgrade.sql' "$replay" "$n" "$revision")"
      psql "$conn" -q -X -v ON_ERROR_STOP=1 -f "$file" >/dev/null || return 1
      [[ "$revision" == "$down" ]] && break
    done <"$CONSDB_REPLAY_SQL/chain.tsv"
    # The replayed SQL carries no version-table statements; Alembic's would.
    psql "$conn" -q -X -v ON_ERROR_STOP=1 \
      -c "CREATE TABLE cdb.cdb_${name}_version (version_num varchar(32) PRIMARY KEY)" \
      -c "INSERT INTO cdb.cdb_${name}_version VALUES ('$down')" || return 1
  else
    [[ "$down" == heads ]] && down=head
    alembic_sql "$name" upgrade "$down" --sql >"$work/chain.sql" || return 1
    psql "$conn" -q -X -v ON_ERROR_STOP=1 -f "$work/chain.sql" >/dev/null || return 1
  fi
}

if [[ -n "$prepare_head" ]]; then
  create_database "$prepare_head" || die "cannot create $prepare_head"
  for versions in "$consdb"/alembic/*/versions; do
    name="$(basename "$(dirname "$versions")")"
    prepare "$prepare_head" "$name" heads || die "cannot bring cdb_$name in $prepare_head to its head"
    echo "consdb-verify: $prepare_head: cdb_$name at its head"
  done
  echo "conninfo=$server dbname=$prepare_head" >>"$output"
  exit 0
fi

verified=0
failed=0
echo "## felisc verify" >>"$summary"
for revision_file in "$@"; do
  [[ "$revision_file" == /* ]] || revision_file="$consdb/$revision_file"
  [[ -f "$revision_file" ]] || die "no revision file $revision_file"
  name="$(basename "$(dirname "$(dirname "$revision_file")")")"
  revision="$(field "$revision_file" revision)"
  down="$(field "$revision_file" down_revision)"
  [[ -n "$revision" && -n "$down" ]] || die "$revision_file: no revision / down_revision (a first revision is not verified here)"
  target="$(schema_file "cdb_$name")" || die "no cdb_$name.yaml in $sdm"
  db="felisc_verify_$revision"
  echo "consdb-verify: $name $down -> $revision on $db"

  create_database "$db" || die "cannot create $db"
  scratch_databases+=("$db")
  prepare "$db" "$name" "$down" || die "cannot prepare $db at $down"
  alembic_sql "$name" upgrade "$down:$revision" --sql >"$work/up.sql" || die "alembic upgrade --sql failed"
  alembic_sql "$name" downgrade "$revision:$down" --sql >"$work/down.sql" || die "alembic downgrade --sql failed"
  status=0
  "$felisc" verify "$server dbname=$db" --upgrade "$work/up.sql" --downgrade "$work/down.sql" \
    --target "$target" --schema "cdb_$name" --profile "$profile" >"$work/report.txt" 2>&1 || status=$?
  cat "$work/report.txt"
  {
    echo
    echo "### \`${revision_file#"$consdb"/}\` ($down -> $revision): $( ((status == 0)) && echo exact || echo "NOT exact (exit $status)")"
    echo
    echo '```'
    cat "$work/report.txt"
    echo '```'
  } >>"$summary"
  if ((status == 0)); then
    verified=$((verified + 1))
  else
    failed=$((failed + 1))
    echo "::error file=${revision_file#"$consdb"/}::felisc verify: the revision is not exact (exit $status)"
  fi
  psql "$server" -q -X -c "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1 || true
done
{
  echo "verified=$verified"
  echo "failed=$failed"
} >>"$output"
((failed == 0))
