#!/usr/bin/env bash
# Runs every test: builds both services, starts them and the gateway on test databases of the local
# PostgreSQL, and speaks GraphQL to them (see e2e-tests/).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-env.sh
scripts/db-setup.sh
(cd gateway && npm ci --no-audit --no-fund --loglevel=error && npm test --silent)
(cd web && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build)
./mvnw -B verify "$@"
