#!/usr/bin/env bash
# Runs the system as it runs when it outgrows one process (docs/operations.md, "Scaling out"): a Kafka broker
# (single-node KRaft on localhost:9092, from Apache Kafka's jars: scripts/kafka.sh), users-service
# (:8081), two orders-service replicas (:8082 and :8083) that elect one reader of the replication slot
# and both serve every change from the topic, a gateway in front of each (:4000 -> :8082, :4001 -> :8083),
# and the web page (:3000, on :4000). Ctrl-C stops everything. Logs go to .run/.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-env.sh
. scripts/processes.sh
scripts/build.sh

mkdir -p .run
export KAFKA_BOOTSTRAP_SERVERS="${KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}"
if [ "$KAFKA_BOOTSTRAP_SERVERS" = "localhost:9092" ]; then
  scripts/kafka.sh start .run/kafka 9092
fi
pids=()
stop() {
  for pid in "${pids[@]}"; do stop_tree "$pid"; done
  wait 2>/dev/null || true
  [ "$KAFKA_BOOTSTRAP_SERVERS" = "localhost:9092" ] && scripts/kafka.sh stop .run/kafka
}
trap stop EXIT INT TERM

export SPRING_PROFILES_ACTIVE="${SPRING_PROFILES_ACTIVE:-dev}"
export JAVA_OPTS="${JAVA_OPTS:--Xmx512m}"
private_subgraphs
start_java() { # name, then environment assignments
  local name="$1"; shift
  local service="${name%%-*}"
  args=$(scripts/aot-cache.sh "$service")
  # shellcheck disable=SC2086 # several options and arguments
  env "$@" "$JAVA_HOME/bin/java" $JAVA_OPTS $args > ".run/$name.log" 2>&1 &
  pids+=($!)
}
# Each subgraph's health and metrics are on its management port (:9081, :9082, :9083).
start_java users-service USERS_PORT=8081 USERS_MANAGEMENT_PORT=9081
start_java orders-8082 ORDERS_PORT=8082 ORDERS_MANAGEMENT_PORT=9082
wait_healthy orders-8082 http://127.0.0.1:9082/actuator/health
start_java orders-8083 ORDERS_PORT=8083 ORDERS_MANAGEMENT_PORT=9083
wait_healthy users-service http://127.0.0.1:9081/actuator/health
wait_healthy orders-8083 http://127.0.0.1:9083/actuator/health

(cd gateway && exec env GATEWAY_PORT=4001 ORDERS_URL=http://127.0.0.1:8083/graphql npm start) > .run/gateway-4001.log 2>&1 &
pids+=($!)
(cd web && exec node server.mjs) > .run/web.log 2>&1 &
pids+=($!)
echo "Gateways on http://localhost:4000/graphql (replica :8082) and http://localhost:4001/graphql (replica :8083),"
echo "web page on http://localhost:${WEB_PORT:-3000}; roles: curl -s localhost:9082/actuator/health | jq .components.changeCapture (Ctrl-C stops everything)"
(cd gateway && exec env GATEWAY_PORT=4000 ORDERS_URL=http://127.0.0.1:8082/graphql npm start) &
pids+=($!)
wait "${pids[-1]}"
