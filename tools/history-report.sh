#!/usr/bin/env bash
# The compatibility table of a schema's history: `felisc diff --format json`
# over every consecutive pair of versions, as a Markdown table (the README's).
#
#   tools/history-report.sh [FELISC [HISTORY_DIR]]
#   tools/history-report.sh --check EXPECTED.md [FELISC [HISTORY_DIR]]
#
# FELISC defaults to build/felisc; HISTORY_DIR to history/cdb_latiss of
# $SDM_SCHEMAS_DIR (else ../shared/sdm_schemas beside the checkout), whose files
# sort oldest first. Columns: the pair, how many changes the upgrade has, its
# compatibility class, its hazards (count per kind over the upgrade's steps), the
# version bump it needs, the bump the files made (version.current), and the
# verdict. A diff that fails (exit 2 or worse) is a row saying so, and the script
# then exits 1. --check compares the table with EXPECTED.md and exits 1 when they
# differ (the test that keeps the README true). Needs jq.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
expected=""
if [[ "${1:-}" == "--check" ]]; then
  expected="${2:?--check needs the expected file}"
  shift 2
fi
felisc="${1:-$root/build/felisc}"
history="${2:-${SDM_SCHEMAS_DIR:-$root/../shared/sdm_schemas}/history/cdb_latiss}"
command -v jq >/dev/null || { echo "history-report: jq is missing (apt-get install jq)" >&2; exit 2; }
[[ -x "$felisc" ]] || { echo "history-report: no felisc at $felisc" >&2; exit 2; }

# The hazard kinds, shortened for the table.
short='{"DELETES_DATA":"deletes data","BREAKS_READERS":"breaks readers","IRREVERSIBLE":"irreversible",
  "NARROWS_TYPE":"narrows type","CAST_MAY_FAIL":"cast may fail","REWRITES_TABLE":"rewrites table",
  "ACQUIRES_ACCESS_EXCLUSIVE_LOCK":"ACCESS EXCLUSIVE","ACQUIRES_SHARE_ROW_EXCLUSIVE_LOCK":"SHARE ROW EXCLUSIVE",
  "ACQUIRES_SHARE_LOCK":"SHARE","VALIDATES_ROWS":"validates rows","BUILDS_INDEX":"builds index",
  "BACKFILL":"backfill","BACKFILL_MISSING":"backfill missing","TIMEZONE_DEPENDENT":"timezone dependent"}'

report() {
  local files=() failed=0
  mapfile -t files < <(find "$history" -maxdepth 1 -name '*.yaml' | sort)
  if (( ${#files[@]} < 2 )); then
    echo "history-report: fewer than two .yaml files in $history" >&2
    return 2
  fi
  echo "| pair | changes | class | hazards of the upgrade | bump needed | version.current | bump made | verdict |"
  echo "|---|---|---|---|---|---|---|---|"
  local i old new json status
  for ((i = 0; i + 1 < ${#files[@]}; i++)); do
    old="${files[i]}"
    new="${files[i + 1]}"
    status=0
    json="$("$felisc" diff --format json --allow-data-loss "$old" "$new" 2>/dev/null)" || status=$?
    local pair
    pair="$(basename "$old" .yaml | cut -c1-2) → $(basename "$new" .yaml | cut -c1-2) ($(basename "$new" .yaml | cut -c4-13))"
    if (( status > 1 )); then
      echo "| $pair | felisc diff failed (exit $status) | | | | | | |"
      failed=1
      continue
    fi
    jq -r --arg pair "$pair" --argjson short "$short" '
      ([.steps[].hazards[].kind] | group_by(.) | map("\($short[.[0]] // .[0]) \(length)") | join(", ")) as $hazards
      | .schema_version as $v
      | "| \($pair) | \(.steps | length) | \(.compatibility.class) | \(if $hazards == "" then "none" else $hazards end)"
        + " | \(.compatibility.bump_needed) | \($v.from // "none") → \($v.to // "none")"
        + " | \($v.bump_made // "n/a") | \($v.verdict | sub("_"; " ")) |"' <<<"$json"
  done
  return "$failed"
}

if [[ -z "$expected" ]]; then
  report
  exit
fi
actual="$(mktemp)"
trap 'rm -f "$actual"' EXIT
status=0
report >"$actual" || status=$?
if ! diff -u "$expected" "$actual"; then
  echo "history-report: the table differs from $expected; if the change is intended, regenerate it:" >&2
  echo "  tools/history-report.sh $felisc > $expected" >&2
  exit 1
fi
exit "$status"
