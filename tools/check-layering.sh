#!/usr/bin/env bash
# The layering check: every #include "..." of a library's sources names a
# header of the same library or of a library below it, so includes (and links)
# only run downward and no cycle can form:
#
#   compiler/cli -> compiler/verify -> compiler/catalog -> schema_model
#   compiler/verify -> emitters/alembic -> emitters -> diff_engine -> schema_model
#   compiler/cli -> compiler/felis -> schema_model
#
# Usage: tools/check-layering.sh [SOURCE_DIR]. Prints each offending include as
# file:line: error: ..., exits 1 if there is one. tests/ may include anything.
set -euo pipefail
root="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
cd "$root"

# library -> the libraries it may include (itself always).
declare -A allowed=(
  [schema_model]=""
  [diff_engine]="schema_model"
  [emitters]="diff_engine schema_model"
  [emitters/alembic]="emitters diff_engine schema_model"
  [compiler/felis]="schema_model"
  [compiler/catalog]="schema_model"
  [compiler/verify]="compiler/catalog emitters/alembic emitters diff_engine schema_model"
  [compiler/cli]="compiler/verify compiler/catalog compiler/felis emitters/alembic emitters diff_engine schema_model"
)

# The library a path belongs to: its folder.
library_of() { dirname "$1"; }

status=0
for library in "${!allowed[@]}"; do
  for file in "$library"/*.h "$library"/*.cpp; do
    [[ -e "$file" ]] || continue
    while IFS=: read -r line include; do
      target="$(library_of "$include")"
      [[ "$target" == "$library" ]] && continue
      ok=0
      for lower in ${allowed[$library]}; do
        [[ "$target" == "$lower" ]] && ok=1 && break
      done
      if ((!ok)); then
        if [[ -z "${allowed[$target]+set}" ]]; then
          echo "$file:$line: error: #include \"$include\" is not a header of any library" >&2
        else
          echo "$file:$line: error: $library may not include $target (\"$include\"): includes run downward only" >&2
        fi
        status=1
      fi
    done < <(grep -n '^#include "' "$file" | sed -E 's/^([0-9]+):#include "([^"]+)".*/\1:\2/')
  done
done
# Every folder with sources is a library the table knows.
while IFS= read -r dir; do
  [[ -n "${allowed[$dir]+set}" ]] || { echo "$dir: error: sources in a folder that is no library of the table" >&2; status=1; }
done < <(find schema_model diff_engine emitters compiler -name '*.cpp' -printf '%h\n' | sort -u)
((status == 0)) && echo "check-layering: every include runs downward"
exit "$status"
