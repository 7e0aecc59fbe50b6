#!/usr/bin/env bash
# Writes a help2man include file with one section per felisc command, from each
# command's own --help, so that the man page documents every option.
#
#   tools/packaging/man-commands.sh FELISC OUT
set -euo pipefail

felisc="$1"
out="$2"
commands="$("$felisc" --help | awk '/^Subcommands:/ {on = 1; next} on && /^  [a-z]/ {print $1}')"
{
  echo "[COMMANDS]"
  for command in $commands; do
    echo ".SS $command"
    echo ".nf"
    # roff: a backslash is written \e, a line starting with . or ' is protected by \&.
    "$felisc" "$command" --help | sed -e 's/\\/\\e/g' -e "s/^\([.']\)/\\\\\&\1/" -e '/^Usage:/s|: [^ ]*/felisc|: felisc|'
    echo ".fi"
  done
} >"$out.tmp"
mv "$out.tmp" "$out"
