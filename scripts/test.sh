#!/usr/bin/env bash
# Runs every test: builds both services, starts them and the gateway on test databases of the local
# PostgreSQL, and speaks GraphQL to them (see e2e-tests/).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-env.sh
scripts/db-setup.sh
(cd gateway && npm ci --no-audit --no-fund --loglevel=error && npm test --silent)
(cd web && npm ci --no-audit --no-fund --loglevel=error && npm test --silent && npm run --silent build)
# Two modules at a time: users-service, orders-service and client test side by side (each slice test
# on a database of its own), then e2e-tests, which needs them all.
./mvnw -B -T 2 verify "$@"
