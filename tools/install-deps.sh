#!/usr/bin/env bash
# Installs the Debian 12 packages felisc needs, in two sets:
#
#   tools/install-deps.sh --build   build + run time only: what tools/demo.sh and
#                                   a user building the tool need
#   tools/install-deps.sh           everything: also the tests, the throwaway
#                                   PostgreSQL with pgsphere, Alembic, clang and
#                                   the packaging tools (what tools/test.sh needs);
#                                   then repairs the packaged pgsphere install
#                                   script (tools/fix-pgsphere.sh)
#
# Idempotent and fast when nothing is missing: the package list is checked with
# dpkg-query first, and apt is touched only for what is not installed yet.
# Packages already installed are never upgraded here (--no-upgrade): upgrading
# PostgreSQL under a running server is not this script's business.
#
# Installing postgresql-15 leaves no system cluster running: services are kept
# from starting during the install (a temporary policy-rc.d), and the "15 main"
# cluster Debian creates is stopped and its service disabled afterwards. The
# tests run their own throwaway cluster (tools/pg-test-cluster.sh).
#
# Usage: as root (re-runs itself with sudo otherwise)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

mode=all
case "${1:-}" in
  --build) mode=build ;;
  "" | --all) mode=all ;;
  *)
    echo "usage: install-deps.sh [--build | --all]" >&2
    exit 2
    ;;
esac

build_packages=(
  # toolchain and build (help2man: the man page)
  build-essential cmake pkg-config g++ git help2man ccache
  # libraries felisc links (libyaml and libpq are also its run-time libraries)
  libyaml-dev libyaml-cpp-dev libpq-dev nlohmann-json3-dev libcli11-dev
)
test_packages=(
  # tests and benchmarks (jq: tools/history-report.sh; cmark-gfm renders the
  # Markdown review in a test; python3-jsonschema checks JSON outputs against docs/)
  libgtest-dev libgmock-dev libbenchmark-dev jq cmark-gfm python3-jsonschema
  # the throwaway PostgreSQL the database tests run against, with pgsphere
  postgresql-15 postgresql-15-pgsphere postgresql-client-15
  # Python side: PyYAML for the parse benchmark, Alembic/SQLAlchemy/psycopg2 to
  # run the Alembic migrations felisc emits
  python3 python3-yaml python3-alembic python3-sqlalchemy python3-psycopg2
  # the sanitizer build (clang's runtime) and clang tools
  clang libclang-rt-14-dev
  # the workflow scripts' tests (tools/github/) and the Debian package (cpack, dpkg-shlibdeps)
  dpkg-dev
)
packages=("${build_packages[@]}")
[[ "$mode" == all ]] && packages+=("${test_packages[@]}")

if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then
    exec sudo -- "$0" "$@"
  fi
  echo "install-deps.sh: must run as root (and sudo is not available)" >&2
  exit 2
fi

missing=()
for package in "${packages[@]}"; do
  status="$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)"
  [[ "$status" == installed ]] || missing+=("$package")
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages already installed"
else
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # No service starts while packages install (invoke-rc.d asks policy-rc.d; 101 =
  # "action forbidden"); an existing policy-rc.d is left alone.
  policy=/usr/sbin/policy-rc.d
  own_policy=0
  if [[ ! -e "$policy" ]]; then
    printf '#!/bin/sh\n# tools/install-deps.sh: no service starts during the install\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    own_policy=1
  fi
  install_status=0
  apt-get install -y -q --no-install-recommends --no-upgrade "${missing[@]}" || install_status=$?
  ((own_policy)) && rm -f "$policy"
  ((install_status == 0)) || exit "$install_status"
fi

if [[ "$mode" == all ]]; then
  # The cluster Debian creates on install ("15 main", port 5432) is nobody's:
  # stop it if something started it, and keep systemd from starting it at boot.
  if command -v pg_lsclusters >/dev/null 2>&1; then
    pg_lsclusters --no-header 2>/dev/null | while read -r version cluster port status _; do
      if [[ "$status" == online* ]]; then
        echo "install-deps: stopping the system cluster $version/$cluster (port $port)"
        pg_ctlcluster "$version" "$cluster" stop || true
      fi
    done || true
  fi
  if [[ -d /run/systemd/system ]] && command -v systemctl >/dev/null 2>&1; then
    systemctl disable --now postgresql.service >/dev/null 2>&1 || true
  fi
  "$here/fix-pgsphere.sh"
fi
