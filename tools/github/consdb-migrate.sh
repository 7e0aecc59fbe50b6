#!/usr/bin/env bash
# Step script of ConsDB's "Generate migration scripts" workflow
# (tools/github/workflows/consdb-migrate.yml): the branch and commit of an
# sdm_schemas change in, one Alembic revision per changed cdb_* schema out.
#
#   consdb-migrate.sh SDM_SCHEMAS_DIR CONSDB_DIR
#
# The sdm_schemas branch and commit come as in ConsDB's migrate.yaml: the
# repository_dispatch payload (client_payload.branch_name, .commit_sha) or the
# workflow_dispatch inputs (inputs.branch_name, .commit_sha) in
# $GITHUB_EVENT_PATH, or BRANCH_NAME / COMMIT_SHA in the environment. The
# branch must be tickets/DM-NNNNN[-...]; the ticket goes into the revision
# messages and the pull request title.
#
# SDM_SCHEMAS_DIR is checked out at the commit; the base is where the branch
# left main (git merge-base with $FELISC_BASE, default origin/main, else main).
# Writes:
#   CONSDB_DIR/alembic/<name>/versions/*.py   the new revisions (felisc migrate)
#   $GITHUB_OUTPUT        ticket, title, branch (BRANCH-migrate), commit_message,
#                         count, revisions (space-separated, relative to CONSDB_DIR)
#   $GITHUB_STEP_SUMMARY  what was written
# Exit 0 also when nothing changed (count=0); non-zero as felisc migrate exits.
#
# Environment: FELISC (default felisc), FELISC_PROFILE (default: consdb, the
# installed profile), FELISC_BASE, FELISC_OLD_DB (conninfo of a database at
# the head of the chains, e.g. from consdb-verify.sh --prepare-head: planned
# from with --old-db), FELISC_MIGRATE_ARGS (more options, e.g.
# --allow-data-loss or --rename ...; split at spaces).
set -euo pipefail

felisc="${FELISC:-felisc}"
profile="${FELISC_PROFILE:-consdb}"
summary="${GITHUB_STEP_SUMMARY:-/dev/null}"
output="${GITHUB_OUTPUT:-/dev/null}"
event="${GITHUB_EVENT_PATH:-}"

die() {
  echo "consdb-migrate: $*" >&2
  echo "::error::$*"
  exit 2
}

(($# == 2)) || die "usage: consdb-migrate.sh SDM_SCHEMAS_DIR CONSDB_DIR"
sdm="$(cd "$1" && pwd)" || die "no directory $1"
consdb="$(cd "$2" && pwd)" || die "no directory $2"

# Branch and commit, as ConsDB's workflow takes them.
event_field() {
  [[ -n "$event" && -f "$event" ]] || return 0
  python3 -c 'import json, sys
data = json.load(open(sys.argv[1]))
for source in (data.get("client_payload"), data.get("inputs")):
    if source and source.get(sys.argv[2]):
        print(source[sys.argv[2]])
        break' "$event" "$1"
}
branch="${BRANCH_NAME:-$(event_field branch_name)}"
commit="${COMMIT_SHA:-$(event_field commit_sha)}"
[[ -n "$branch" && -n "$commit" ]] || die "Branch name and commit SHA must be provided."
[[ "$branch" =~ ^tickets/DM-[0-9]+([a-zA-Z0-9-]*)?$ ]] ||
  die "Bad branch name: $branch (migrations are only generated for branches tickets/DM-[number](-[alphanumeric-]*))"
ticket="$(sed -E 's|^tickets/(DM-[0-9]+).*|\1|' <<<"$branch")"

head="$(git -C "$sdm" rev-parse HEAD)"
git -C "$sdm" rev-parse -q --verify "$commit^{commit}" >/dev/null || die "commit $commit is not in $sdm"
[[ "$(git -C "$sdm" rev-parse "$commit^{commit}")" == "$head" ]] ||
  die "$sdm is at $head, not at $commit (check it out at the commit)"
main="${FELISC_BASE:-}"
if [[ -z "$main" ]]; then
  for candidate in origin/main main; do
    if git -C "$sdm" rev-parse -q --verify "$candidate^{commit}" >/dev/null; then
      main="$candidate"
      break
    fi
  done
fi
[[ -n "$main" ]] || die "no main branch in $sdm (fetch-depth: 0?)"
base="$(git -C "$sdm" merge-base "$main" HEAD)" || die "no merge base of $main and $commit"

# The revisions written are the files that were not there before.
list_revisions() { (cd "$consdb" && find alembic -path '*/versions/*.py' -type f | sort); }
before="$(mktemp)"
trap 'rm -f "$before"' EXIT
list_revisions >"$before"

echo "felisc migrate: $branch ($commit) against $main (merge base $base)"
options=(--sdm-schemas "$sdm" --base "$base" --alembic-dir "$consdb/alembic" --profile "$profile"
  -m "$ticket: migrate schema changes from sdm_schemas $(git -C "$sdm" rev-parse --short HEAD)")
[[ -n "${FELISC_OLD_DB:-}" ]] && options+=(--old-db "$FELISC_OLD_DB")
read -r -a extra <<<"${FELISC_MIGRATE_ARGS:-}"
"$felisc" migrate "${options[@]}" "${extra[@]}"

mapfile -t written < <(list_revisions | comm -13 "$before" -)
{
  echo "ticket=$ticket"
  echo "title=$ticket: Migrate schema changes"
  echo "branch=$branch-migrate"
  echo "commit_message=Migrate schema changes from $ticket"
  echo "count=${#written[@]}"
  echo "revisions=${written[*]}"
} >>"$output"
{
  echo "## felisc migrate: $ticket"
  echo
  echo "sdm_schemas \`$branch\` at \`$(git -C "$sdm" rev-parse --short HEAD)\`, base \`$(git -C "$sdm" rev-parse --short "$base")\`."
  echo
  if ((${#written[@]} == 0)); then
    echo "No schema change: no revision written."
  else
    echo "| revision file |"
    echo "| --- |"
    for file in "${written[@]}"; do echo "| \`$file\` |"; done
  fi
  echo
} >>"$summary"
echo "consdb-migrate: ${#written[@]} revision(s) written"
