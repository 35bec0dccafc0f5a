#!/usr/bin/env bash
# Prepares a local PostgreSQL for ordergraph, idempotently:
#   - wal_level=logical (Debezium reads the write-ahead log) and pg_stat_statements loaded; restarts
#     the local cluster only if one has to change, which needs a Debian-style cluster (pg_ctlcluster);
#   - the databases named by USERS_DB and ORDERS_DB (default users, orders), plus any given as arguments.
# Tables are created by the services' Flyway migrations, not here.
set -euo pipefail

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
psql_admin() { psql -X -v ON_ERROR_STOP=1 -d postgres -Atq "$@"; }

for _ in $(seq 1 30); do psql_admin -c 'select 1' >/dev/null 2>&1 && break; sleep 1; done
psql_admin -c 'select 1' >/dev/null || { echo "PostgreSQL is not reachable at $PGHOST:$PGPORT as $PGUSER" >&2; exit 1; }

preload=$(psql_admin -c 'show shared_preload_libraries')
if [ "$(psql_admin -c 'show wal_level')" != "logical" ] || [[ "$preload" != *pg_stat_statements* ]]; then
  echo "Setting wal_level=logical and loading pg_stat_statements (needs a PostgreSQL restart)"
  psql_admin -c "alter system set wal_level = logical"
  # pg_stat_statements lets operators (and the tests) see which statements reach each database.
  [[ "$preload" == *pg_stat_statements* ]] || \
    psql_admin -c "alter system set shared_preload_libraries = '${preload:+$preload,}pg_stat_statements'"
  version=$(psql_admin -c "show server_version_num" | cut -c1-2)
  if command -v pg_ctlcluster >/dev/null; then
    pg_ctlcluster --skip-systemctl-redirect "$version" main restart
  else
    echo "Restart PostgreSQL yourself so that wal_level=logical takes effect." >&2; exit 1
  fi
  for _ in $(seq 1 30); do psql_admin -c 'select 1' >/dev/null 2>&1 && break; sleep 1; done
  [ "$(psql_admin -c 'show wal_level')" = "logical" ] || { echo "wal_level is still not logical" >&2; exit 1; }
fi

for db in "${USERS_DB:-users}" "${ORDERS_DB:-orders}" "$@"; do
  if [ -z "$(psql_admin -c "select 1 from pg_database where datname = '$db'")" ]; then
    echo "Creating database $db"
    psql_admin -c "create database \"$db\""
  fi
done
echo "PostgreSQL ready at $PGHOST:$PGPORT (wal_level=logical)"
