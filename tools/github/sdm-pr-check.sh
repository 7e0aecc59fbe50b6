#!/usr/bin/env bash
# Step script of the sdm_schemas pull-request workflow (tools/github/workflows/
# sdm-schemas-pr.yml): validates the schema files the pull request changes and
# writes, for each, the review of its migration from the base branch.
#
#   sdm-pr-check.sh [BASE]        (run at the top of an sdm_schemas checkout)
#
# BASE: the base commit (default: the pull request's base.sha from
# $GITHUB_EVENT_PATH, else origin/main). Writes:
#   stdout                 `felisc validate --format github` annotations
#   $GITHUB_STEP_SUMMARY   the Markdown review of every changed file
#   $FELISC_COMMENT_FILE   the same Markdown, for the pull-request comment
#                          (default: felisc-review.md in $RUNNER_TEMP or /tmp)
#   $GITHUB_OUTPUT         changed=N, invalid=N, data_loss=N, strict_failures=N,
#                          comment_file=PATH
# Exit status: 0 all good; 1 an invalid file, data loss without the label
# $FELISC_DATA_LOSS_LABEL (default allow-data-loss) on the pull request, or a
# version bump too small with FELISC_STRICT=true; 2 a usage or tool error.
#
# Environment: FELISC (default: felisc on PATH), FELISC_STRICT (true/false),
# FELISC_DATA_LOSS_LABEL.
set -uo pipefail

felisc="${FELISC:-felisc}"
strict="${FELISC_STRICT:-false}"
label="${FELISC_DATA_LOSS_LABEL:-allow-data-loss}"
summary="${GITHUB_STEP_SUMMARY:-/dev/null}"
output="${GITHUB_OUTPUT:-/dev/null}"
event="${GITHUB_EVENT_PATH:-}"
comment="${FELISC_COMMENT_FILE:-${RUNNER_TEMP:-/tmp}/felisc-review.md}"
work="$(mktemp -d "${RUNNER_TEMP:-/tmp}/felisc-pr.XXXXXX")"
trap 'rm -rf "$work"' EXIT

die() {
  echo "sdm-pr-check: $*" >&2
  echo "::error::sdm-pr-check: $*"
  exit 2
}

# The pull request's base commit and labels, from the event payload.
event_field() {
  [[ -n "$event" && -f "$event" ]] || return 0
  python3 -c 'import json, sys
data = json.load(open(sys.argv[1]))
pr = data.get("pull_request") or {}
if sys.argv[2] == "base": print((pr.get("base") or {}).get("sha", ""))
else: print("\n".join(l.get("name", "") for l in pr.get("labels") or []))' "$event" "$1"
}

base="${1:-$(event_field base)}"
[[ -n "$base" ]] || base=origin/main
git rev-parse --verify -q "$base^{commit}" >/dev/null || die "base '$base' is not a commit here (fetch-depth: 0?)"
merge_base="$(git merge-base "$base" HEAD)" || die "no merge base between $base and HEAD"
labels="$(event_field labels)"
has_label=0
grep -qxF -- "$label" <<<"$labels" && has_label=1

# The schema files the pull request adds or changes, wherever sdm_schemas keeps
# them (yml/ before 2024-10-25, then python/lsst/sdm_schemas/schemas/, since
# 2025-02-26 python/lsst/sdm/schemas/; yml is then a link, which git lists as a
# link, not as files).
mapfile -t changed < <(git diff --name-only --diff-filter=AMR "$merge_base" HEAD -- \
  'yml/*.yaml' 'python/lsst/sdm_schemas/schemas/*.yaml' 'python/lsst/sdm/schemas/*.yaml' | sort)
echo "changed=${#changed[@]}" >>"$output"
echo "comment_file=$comment" >>"$output"

# The formats the workflows read are --format github and --format markdown
# (felisc 0.2). An older felisc without them still gets a usable result: its
# clang-style diagnostics become annotations, its review text a diff block.
# (The help is read whole first: `grep -q` in a pipe would stop reading early, and
# under pipefail felisc's SIGPIPE would make the answer a coin toss.)
has_format() {
  local help
  help="$("$felisc" "$1" --help 2>/dev/null)"
  [[ "$help" == *"$2"* ]]
}
github_format=0
markdown_format=0
has_format validate github && github_format=1
has_format diff markdown && markdown_format=1

{
  echo "## felisc: schema review"
  echo
  echo "Base: \`$(git rev-parse --short "$merge_base")\`; ${#changed[@]} schema file(s) changed."
  echo
} >"$comment"

invalid=0
data_loss=0
strict_failures=0
if ((${#changed[@]} == 0)); then
  echo "No schema file changed." >>"$comment"
else
  # 1. Validation, as workflow annotations on the changed lines.
  status=0
  if ((github_format)); then
    "$felisc" validate --format github "${changed[@]}" || status=$?
  else
    "$felisc" validate "${changed[@]}" 2>"$work/validate.txt" || status=$?
    sed -nE 's/^([^:]+):([0-9]+):([0-9]+): (error|warning): (.*)$/::\4 file=\1,line=\2,col=\3::\5/p' \
      "$work/validate.txt"
  fi
  case "$status" in
    0) ;;
    1) invalid=1 ;;
    *) die "felisc validate failed (exit $status)" ;;
  esac

  # 2. For each changed file, the review of its migration from the base.
  for file in "${changed[@]}"; do
    {
      echo "### \`$file\`"
      echo
    } >>"$comment"
    old="$(git ls-tree --name-only "$merge_base" -- "$file")"
    if [[ -z "$old" ]]; then
      echo "New schema file: no migration to review." >>"$comment"
      echo >>"$comment"
      continue
    fi
    status=0
    if ((markdown_format)); then
      "$felisc" diff --format markdown --allow-data-loss "$merge_base:$file" "$file" >"$work/review.md" \
        2>"$work/diff.err" || status=$?
    else
      "$felisc" diff --format text --allow-data-loss "$merge_base:$file" "$file" >"$work/review.txt" \
        2>"$work/diff.err" || status=$?
      # The +/-/~ markers at the line start, so that GitHub colours the block.
      { echo '```diff'; sed -E 's/^ +([-+~] )/\1/' "$work/review.txt"; echo '```'; } >"$work/review.md"
    fi
    if ((status > 1)) || grep -q ': error: ' "$work/diff.err"; then
      # An invalid side is already an annotation; the review cannot be made.
      cat "$work/diff.err" >&2
      ((invalid)) || die "felisc diff $file failed (exit $status)"
      echo "Not reviewed: the file is invalid (see the annotations)." >>"$comment"
      echo >>"$comment"
      continue
    fi
    cat "$work/review.md" >>"$comment"
    echo >>"$comment"

    # Data loss: the same plan without --allow-data-loss is refused (exit 3).
    status=0
    "$felisc" diff --format sql "$merge_base:$file" "$file" >/dev/null 2>&1 || status=$?
    if ((status == 3)); then
      data_loss=$((data_loss + 1))
      if ((has_label)); then
        echo "> [!WARNING]" >>"$comment"
        echo "> This migration loses data; accepted by the \`$label\` label." >>"$comment"
      else
        echo "::error file=$file::the migration from the base loses data; add the '$label' label to accept it"
        echo "> [!CAUTION]" >>"$comment"
        echo "> This migration loses data. Add the \`$label\` label to accept it." >>"$comment"
      fi
      echo >>"$comment"
    fi
    # --strict: the version bump must be at least what the change needs.
    if [[ "$strict" == true ]]; then
      status=0
      "$felisc" diff --strict --allow-data-loss --format sql "$merge_base:$file" "$file" >/dev/null \
        2>"$work/strict.err" || status=$?
      # Exit 4 (felisc 0.2), or an error that names --strict (0.1 exits 1).
      if ((status == 4)) || { ((status != 0)) && grep -q -- '(--strict)' "$work/strict.err"; }; then
        strict_failures=$((strict_failures + 1))
        message="$(grep -m1 'error' "$work/strict.err" | sed -E 's/^.*error: //')"
        echo "::error file=$file::${message:-the version bump is too small for this change (--strict)}"
        echo "> [!CAUTION]" >>"$comment"
        echo "> --strict: ${message:-the version bump is too small for this change}" >>"$comment"
        echo >>"$comment"
      fi
    fi
  done
fi

cat "$comment" >>"$summary"
{
  echo "invalid=$invalid"
  echo "data_loss=$data_loss"
  echo "strict_failures=$strict_failures"
} >>"$output"

fail=0
((invalid)) && {
  echo "sdm-pr-check: invalid schema files" >&2
  fail=1
}
((data_loss > 0 && !has_label)) && {
  echo "sdm-pr-check: $data_loss migration(s) lose data and the pull request has no '$label' label" >&2
  fail=1
}
((strict_failures > 0)) && {
  echo "sdm-pr-check: $strict_failures file(s) fail --strict" >&2
  fail=1
}
exit "$fail"
