#!/usr/bin/env bash
# Prepares the peer that `make bench PEER=postgraphile` measures beside ordergraph: PostGraphile's npm
# packages (e2e-tests/peer/postgraphile, from its lock file) and wal2json for the running PostgreSQL
# (Debian's postgresql-<major>-wal2json, installed when it is missing and this runs as root). Never fails:
# what it cannot prepare it says, and the benchmark (PeerBenchmark) then skips the peer saying why.
set -uo pipefail
cd "$(dirname "$0")/.."
peer="${1:-}"
if [ "$peer" != "postgraphile" ]; then
  echo "bench-peer: unknown peer '$peer' (the one known is postgraphile)" >&2
  exit 1
fi
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"

major=$(psql -X -Atq -d postgres -c "show server_version_num" 2>/dev/null | cut -c1-2)
if [ -z "$major" ]; then
  echo "bench-peer: PostgreSQL is not reachable at $PGHOST:$PGPORT; the peer will be skipped" >&2
elif dpkg -s "postgresql-$major-wal2json" >/dev/null 2>&1; then
  : # installed
elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "bench-peer: installing postgresql-$major-wal2json (PostGraphile's live queries read changes through it)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "postgresql-$major-wal2json" >/dev/null \
    || echo "bench-peer: could not install postgresql-$major-wal2json; the peer will be skipped" >&2
else
  echo "bench-peer: wal2json is missing: apt-get install postgresql-$major-wal2json (as root); the peer will be skipped" >&2
fi

peer_dir=e2e-tests/peer/postgraphile
# npm ci starts from nothing each time: only when the packages are missing or the lock file changed since.
if [ ! -f "$peer_dir/node_modules/.package-lock.json" ] || [ "$peer_dir/package-lock.json" -nt "$peer_dir/node_modules/.package-lock.json" ]; then
  (cd "$peer_dir" && npm ci --no-audit --no-fund --loglevel=error) \
    || echo "bench-peer: npm ci in $peer_dir failed; the peer will be skipped" >&2
fi
exit 0
