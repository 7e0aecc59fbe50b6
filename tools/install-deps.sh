#!/usr/bin/env bash
# Installs every Debian 12 package felisc needs to build, test and benchmark,
# then repairs the packaged pgsphere install script (tools/fix-pgsphere.sh).
#
# Idempotent and fast when nothing is missing: the package list is checked with
# dpkg-query first, and apt is touched only for what is not installed yet.
# Packages already installed are never upgraded here (--no-upgrade): upgrading
# PostgreSQL under a running server is not this script's business.
#
# Usage: tools/install-deps.sh        (as root; re-runs itself with sudo otherwise)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

packages=(
  # toolchain and build
  build-essential cmake pkg-config g++ git
  # libraries felisc links
  libyaml-dev libyaml-cpp-dev libpq-dev nlohmann-json3-dev libcli11-dev
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
)

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
  apt-get install -y -q --no-install-recommends --no-upgrade "${missing[@]}"
fi

"$here/fix-pgsphere.sh"
