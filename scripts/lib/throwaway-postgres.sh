# Sourced by the benchmarks that need a clinic store (bench-clinic.sh, bench-push.sh): starts a
# throw-away PostgreSQL from Debian's packages as Tests/BackstrideTestSupport/PostgresTestServer.swift
# does (initdb with trust authentication, a Unix socket in a temporary folder and no TCP port,
# fsync=off: the data is thrown away), and stops it and removes its folder at exit.
#
#   . scripts/lib/throwaway-postgres.sh
#   start_postgres [DATABASE]     # sets $pg_url (postgres://postgres@/DATABASE?host=FOLDER&port=5432),
#                                 # $pg_folder, and `pg_psql ARGS…` runs psql on $pg_url
#
# PG_FOLDER_PARENT (default /tmp) is where the cluster's folder goes (it must hold the whole store);
# PG_SHARED_BUFFERS (default 2GB) sizes PostgreSQL's cache. Composes with live-gaitd.sh: source
# this file after it, and the exit trap stops PostgreSQL after whatever trap was set before.
pg_folder=""
pg_url=""
pg_bin=""
pg_owner=()

_pg_previous_trap="$(trap -p EXIT | sed -E "s/^trap -- '(.*)' EXIT$/\1/")"
stop_postgres() {
  [ -n "$pg_folder" ] || return 0
  "${pg_owner[@]}" "$pg_bin/pg_ctl" -D "$pg_folder/data" stop -m fast > /dev/null 2>&1 ||
    "${pg_owner[@]}" "$pg_bin/pg_ctl" -D "$pg_folder/data" stop -m immediate > /dev/null 2>&1 || true
  rm -rf "$pg_folder"
  pg_folder=""
}
# The earlier trap first (it stops gaitd, which holds connections), then PostgreSQL.
trap "${_pg_previous_trap:+$_pg_previous_trap; }stop_postgres" EXIT

# psql on the benchmark's database, quiet, stopping at the first error.
pg_psql() {
  "${pg_bin:-/usr/bin}/psql" "$pg_url" -v ON_ERROR_STOP=1 -qAt "$@"
}

start_postgres() {
  pg_database="${1:-backstride}"
  pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -n 1)"
  if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
    echo "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb); scripts/install-system-packages.sh installs it" >&2
    return 1
  fi
  # A short path: a Unix socket's path is at most 107 bytes.
  pg_folder="$(mktemp -d "${PG_FOLDER_PARENT:-/tmp}/backstride-pg-XXXXXX")"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$pg_folder"
    pg_owner=(runuser -u postgres --)
  fi
  "${pg_owner[@]}" "$pg_bin/initdb" -D "$pg_folder/data" -U postgres -A trust -E UTF8 --locale=C --no-sync > "$pg_folder/initdb.log" 2>&1 || {
    cat "$pg_folder/initdb.log" >&2
    return 1
  }
  "${pg_owner[@]}" "$pg_bin/pg_ctl" -D "$pg_folder/data" -l "$pg_folder/server.log" -w -t 60 start -o \
    "-k $pg_folder -c listen_addresses= -p 5432 -c fsync=off -c full_page_writes=off -c synchronous_commit=off \
     -c shared_buffers=${PG_SHARED_BUFFERS:-2GB} -c max_connections=200 -c max_wal_size=1GB" > /dev/null || {
    echo "PostgreSQL did not start; its log:" >&2
    cat "$pg_folder/server.log" >&2
    return 1
  }
  "$pg_bin/psql" -h "$pg_folder" -p 5432 -U postgres -d postgres -v ON_ERROR_STOP=1 -q -c "CREATE DATABASE $pg_database" > /dev/null
  pg_url="postgres://postgres@/$pg_database?host=$pg_folder&port=5432"
}
