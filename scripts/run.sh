#!/usr/bin/env bash
# Runs the whole system locally with development data: prepares PostgreSQL, builds and starts
# users-service (:8081) and orders-service (:8082) with the dev profile, on 127.0.0.1 only, the web page
# (:3000), then the gateway (:4000) in the foreground. Ctrl-C stops everything. Logs of the others go to .run/.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-env.sh
. scripts/processes.sh
scripts/build.sh

mkdir -p .run
pids=()
stop() { for pid in "${pids[@]}"; do stop_tree "$pid"; done; wait 2>/dev/null || true; }
trap stop EXIT INT TERM

# TRACING=1 (make run TRACING=1): a Zipkin server on :9411 (ZIPKIN_PORT), and every process exports its
# spans to it (README.md, "Tracing"). Otherwise tracing stays off unless OTEL_TRACES_EXPORTER is set.
if [ "${TRACING:-}" = 1 ]; then
  scripts/zipkin.sh start .run/zipkin "${ZIPKIN_PORT:-9411}"
  trap 'stop; scripts/zipkin.sh stop .run/zipkin' EXIT INT TERM
  export OTEL_TRACES_EXPORTER=zipkin
  export OTEL_EXPORTER_ZIPKIN_ENDPOINT="http://127.0.0.1:${ZIPKIN_PORT:-9411}/api/v2/spans"
fi

export SPRING_PROFILES_ACTIVE="${SPRING_PROFILES_ACTIVE:-dev}"
private_subgraphs
export ORDERS_URL="${ORDERS_URL:-http://127.0.0.1:${ORDERS_PORT:-8082}/graphql}"
# A heap that fits the measured need (docs/operations.md, "Memory"); JAVA_OPTS replaces it.
export JAVA_OPTS="${JAVA_OPTS:--Xmx512m}"
for service in users orders; do
  # The first run after a build also builds the service's start-up cache (scripts/aot-cache.sh).
  args=$(scripts/aot-cache.sh "$service")
  # shellcheck disable=SC2086 # several options and arguments
  "$JAVA_HOME/bin/java" $JAVA_OPTS $args > ".run/$service-service.log" 2>&1 &
  pids+=($!)
done

# Health and metrics are on the management ports, not the GraphQL ones.
wait_healthy users-service "http://127.0.0.1:${USERS_MANAGEMENT_PORT:-9081}/actuator/health"
wait_healthy orders-service "http://127.0.0.1:${ORDERS_MANAGEMENT_PORT:-9082}/actuator/health"

# The page finds the gateway on its own host at port 4000 unless told otherwise.
if [ -n "${GATEWAY_PORT:-}" ] && [ -z "${GATEWAY_PUBLIC_URL:-}" ]; then
  export GATEWAY_PUBLIC_URL="http://localhost:$GATEWAY_PORT/graphql"
fi
(cd web && exec node server.mjs) > .run/web.log 2>&1 &
pids+=($!)

echo "Web page on http://localhost:${WEB_PORT:-3000}, gateway on http://localhost:${GATEWAY_PORT:-4000}/graphql$([ "${TRACING:-}" = 1 ] && echo ", traces on http://localhost:${ZIPKIN_PORT:-9411}") (Ctrl-C stops everything)"
(cd gateway && exec npm start) &
pids+=($!)
wait "${pids[-1]}"
