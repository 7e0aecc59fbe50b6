#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the database tests.
#
#   tools/pg-test-cluster.sh start DIR   creates and starts a cluster, writes DIR/conninfo
#   tools/pg-test-cluster.sh stop DIR    stops it and removes DIR (no-op if DIR is absent)
#   tools/pg-test-cluster.sh status DIR  exit 0 when the cluster in DIR is running
#
# The server listens on 127.0.0.1 only, on a free port picked at random (retried on
# a collision), with its socket inside the cluster directory. Durability is off
# (fsync, synchronous_commit, full_page_writes) since the data is thrown away.
# Authentication: trust for everyone except the role felisc_password, which must
# give its password over TCP (for tests of password connections).
#
# Files written in DIR:
#   conninfo           host=127.0.0.1 port=N user=postgres dbname=postgres
#   conninfo_password  the same for felisc_password, password included
#   cluster_dir        where data/, the socket and server.log are (DIR itself, or
#                      a /tmp directory when the postgres user cannot reach DIR)
#
# initdb refuses to run as root, so as root the server runs as the `postgres` OS
# user (the Debian package creates it). Set FELISC_PG_BINDIR to use other binaries.
set -euo pipefail

bindir="${FELISC_PG_BINDIR:-/usr/lib/postgresql/15/bin}"
psql_bin="/usr/lib/postgresql/15/bin/psql"
[[ -x "$psql_bin" ]] || psql_bin="psql"
readonly password_role="felisc_password" password="felisc-test-password"

die() {
  echo "pg-test-cluster: $*" >&2
  exit 1
}

usage() {
  echo "usage: $0 start|stop|status DIR" >&2
  exit 2
}

# Runs a command as the cluster's owner: postgres when we are root, else ourselves.
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# True when something already accepts TCP connections on 127.0.0.1:$1.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

cluster_dir_of() {
  local dir="$1"
  if [[ -f "$dir/cluster_dir" ]]; then cat "$dir/cluster_dir"; else echo "$dir"; fi
}

is_running() {
  local cluster
  cluster="$(cluster_dir_of "$1")"
  [[ -f "$cluster/data/postmaster.pid" ]] && as_owner "$bindir/pg_ctl" -D "$cluster/data" status >/dev/null 2>&1
}

cmd_stop() {
  local dir="$1" cluster pid
  [[ -e "$dir" ]] || return 0
  # Never remove a directory that is not one of ours.
  if [[ -n "$(ls -A "$dir")" && ! -e "$dir/initdb.log" && ! -e "$dir/cluster_dir" && ! -e "$dir/data" ]]; then
    die "$dir is not a test cluster directory; not removing it"
  fi
  cluster="$(cluster_dir_of "$dir")"
  if [[ -f "$cluster/data/postmaster.pid" ]]; then
    # Immediate mode: no shutdown checkpoint, the data is thrown away anyway.
    if ! as_owner "$bindir/pg_ctl" -D "$cluster/data" -m immediate -w -t 30 stop >/dev/null 2>&1; then
      # Still running: stop the postmaster by its own pid.
      pid="$(head -n 1 "$cluster/data/postmaster.pid" 2>/dev/null || true)"
      if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
        kill -QUIT "$pid" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      fi
    fi
  fi
  if [[ "$cluster" != "$dir" ]]; then rm -rf "$cluster"; fi
  rm -rf "$dir"
  echo "pg-test-cluster: stopped and removed $dir"
}

# Chooses where the cluster lives: DIR when its owner can write there, else a
# private directory under /tmp (e.g. a checkout under /root, which postgres
# cannot enter). Unix socket paths must also stay short (107 bytes at most).
choose_cluster_dir() {
  local dir="$1"
  if [[ $(id -u) -eq 0 ]]; then chown postgres: "$dir"; fi
  if as_owner test -w "$dir" -a -x "$dir" 2>/dev/null && ((${#dir} < 80)); then
    echo "$dir"
    return
  fi
  local fallback
  fallback="$(mktemp -d /tmp/felisc-pgtest.XXXXXX)"
  if [[ $(id -u) -eq 0 ]]; then chown postgres: "$fallback"; fi
  echo "$fallback" >"$dir/cluster_dir"
  echo "$fallback"
}

write_config() {
  local cluster="$1"
  as_owner tee -a "$cluster/data/postgresql.conf" >/dev/null <<EOF

# felisc throwaway test cluster (tools/pg-test-cluster.sh)
listen_addresses = '127.0.0.1'
unix_socket_directories = '$cluster'
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
max_connections = 100
timezone = 'UTC'
lc_messages = 'C'
logging_collector = off
EOF
  as_owner tee "$cluster/data/pg_hba.conf" >/dev/null <<EOF
# TYPE  DATABASE  USER              ADDRESS        METHOD
local   all       all                              trust
host    all       $password_role    127.0.0.1/32   scram-sha-256
host    all       all               127.0.0.1/32   trust
EOF
}

# Starts the server on a free random port; prints the port. Retries on collision
# (another server may take the port between our check and our bind).
start_server() {
  local cluster="$1" attempt port
  for attempt in $(seq 1 20); do
    port=$((20000 + RANDOM % 30000))
    port_in_use "$port" && continue
    rm -f "$cluster/server.log"
    if as_owner "$bindir/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 60 \
      -o "-p $port" start >/dev/null 2>&1; then
      echo "$port"
      return 0
    fi
    if ! grep -q "could not bind\|could not create any TCP/IP sockets\|Address already in use" \
      "$cluster/server.log" 2>/dev/null; then
      echo "pg-test-cluster: the server did not start (attempt $attempt); its log:" >&2
      cat "$cluster/server.log" >&2 || true
      return 1
    fi
  done
  echo "pg-test-cluster: no free port found after 20 attempts" >&2
  return 1
}

cmd_start() {
  local dir="$1" cluster port
  [[ -x "$bindir/initdb" ]] || die "no PostgreSQL binaries in $bindir (run tools/install-deps.sh)"
  if [[ -e "$dir" ]]; then
    echo "pg-test-cluster: replacing the leftover cluster in $dir"
    cmd_stop "$dir"
  fi
  mkdir -p "$dir"
  dir="$(cd "$dir" && pwd)"
  cluster="$(choose_cluster_dir "$dir")"

  if ! as_owner "$bindir/initdb" -D "$cluster/data" -U postgres -A trust -E UTF8 --locale=C \
    --no-sync --no-instructions >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    die "initdb failed"
  fi
  write_config "$cluster"
  if ! port="$(start_server "$cluster")"; then
    cmd_stop "$dir" >/dev/null
    die "could not start PostgreSQL"
  fi

  # Roles ConsDB's schemas grant to; a login role that needs a password.
  if ! "$psql_bin" -X -q -v ON_ERROR_STOP=1 -h "$cluster" -p "$port" -U postgres -d postgres >/dev/null <<EOF; then
CREATE ROLE usdf NOLOGIN;
CREATE ROLE oods NOLOGIN;
CREATE ROLE $password_role LOGIN PASSWORD '$password';
EOF
    cmd_stop "$dir" >/dev/null
    die "could not create the test roles"
  fi

  echo "host=127.0.0.1 port=$port user=postgres dbname=postgres" >"$dir/conninfo"
  echo "host=127.0.0.1 port=$port user=$password_role password=$password dbname=postgres" \
    >"$dir/conninfo_password"
  chmod a+r "$dir/conninfo" "$dir/conninfo_password"
  echo "pg-test-cluster: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($dir)"
}

[[ $# -eq 2 ]] || usage
case "$1" in
  start) cmd_start "$2" ;;
  stop) cmd_stop "$2" ;;
  status) is_running "$2" ;;
  *) usage ;;
esac
