#!/usr/bin/env bash
# Runs every test: builds both services, starts them and the gateway on test databases of the local
# PostgreSQL, and speaks GraphQL to them (see e2e-tests/).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-env.sh
scripts/db-setup.sh
# The alerting rules: valid, and each fires on what it is for and not on a healthy series (ops/prometheus).
if ! command -v promtool >/dev/null; then
  echo "make test needs promtool (Debian package prometheus) to check ops/prometheus/alerts.yml." >&2
  exit 1
fi
promtool check rules ops/prometheus/alerts.yml
(cd ops/prometheus && promtool test rules alerts.test.yml)
(cd gateway && npm ci --no-audit --no-fund --loglevel=error && npm test --silent)
(cd web && npm ci --no-audit --no-fund --loglevel=error && npm test --silent && npm run --silent build)
# Two modules at a time: users-service, orders-service and client test side by side (each slice test
# on a database of its own), then e2e-tests, which needs them all.
./mvnw -B -T 2 verify "$@"
