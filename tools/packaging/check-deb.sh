#!/usr/bin/env bash
# The Debian package, as tools/test.sh checks it: built with CPack from a
# Release build, its Depends only run-time libraries, installed on this machine
# with apt-get, the demo run against /usr/bin/felisc, and removed again.
#
#   tools/packaging/check-deb.sh BUILD_DIR        (as root; BUILD_DIR built)
set -uo pipefail

build="$(cd "${1:?usage: check-deb.sh BUILD_DIR}" && pwd)"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# What the installed binary may depend on: the C and C++ runtimes, libyaml, libpq.
allowed='^(libc6|libgcc-s1|libstdc\+\+6|libyaml-0-2|libpq5)$'

failures=0
check() {
  local description="$1"
  shift
  if "$@"; then echo "ok:   $description"; else
    echo "FAIL: $description"
    failures=$((failures + 1))
  fi
}

if dpkg-query -W -f='${db:Status-Status}' felisc 2>/dev/null | grep -q installed; then
  echo "check-deb: a felisc package is already installed; not touching it" >&2
  exit 1
fi

rm -f "$build"/felisc_*.deb
(cd "$build" && cpack -G DEB) || {
  echo "FAIL: cpack"
  exit 1
}
deb="$(ls "$build"/felisc_*.deb)"
echo "package: $deb ($(du -h "$deb" | cut -f 1))"
depends="$(dpkg-deb -f "$deb" Depends)"
echo "Depends: $depends"
check "Depends are only run-time libraries" bash -c '
  tr "," "\n" <<<"$1" | sed -E "s/^ +//; s/ .*//" | grep -Evq "$2" && exit 1; [[ -n "$1" ]]' _ "$depends" "$allowed"
check "Depends has libyaml and libpq" bash -c '[[ "$1" == *libyaml-0-2* && "$1" == *libpq5* ]]' _ "$depends"
contents="$(dpkg-deb -c "$deb")"
for file in ./usr/bin/felisc ./usr/share/felisc/profiles/consdb.yaml ./usr/share/man/man1/felisc.1.gz \
  ./usr/share/bash-completion/completions/felisc; do
  check "the package holds $file" grep -q " $file\$" <<<"$contents"
done

export DEBIAN_FRONTEND=noninteractive
if apt-get install -y -q "$deb"; then
  echo "ok:   apt-get install $deb"
  check "/usr/bin/felisc runs" /usr/bin/felisc --version
  check "the demo on /usr/bin/felisc" env FELISC_BIN=/usr/bin/felisc "$root/tools/demo.sh"
  check "the installed profile works" bash -c \
    '/usr/bin/felisc create --profile /usr/share/felisc/profiles/consdb.yaml "$1" >/dev/null' _ \
    "${SDM_SCHEMAS_DIR:-$root/../shared/sdm_schemas}/yml/cdb_latiss.yaml"
  apt-get remove -y -q --purge felisc
  check "removed: no /usr/bin/felisc" test ! -e /usr/bin/felisc
else
  echo "FAIL: apt-get install $deb"
  failures=$((failures + 1))
fi

if ((failures)); then
  echo "check-deb: $failures check(s) failed"
  exit 1
fi
echo "check-deb: all checks passed"
