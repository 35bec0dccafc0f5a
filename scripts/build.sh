#!/usr/bin/env bash
# What `make run` and `make run-scaled` do before they start anything: PostgreSQL set up, the gateway's
# and the web page's packages installed, the page built, both services packaged.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-env.sh
scripts/db-setup.sh
(cd gateway && npm ci --no-audit --no-fund --loglevel=error)
(cd web && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build)
./mvnw -B -q -DskipTests package
