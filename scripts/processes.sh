# Sourced by scripts/run.sh, scripts/run-scaled.sh, scripts/kafka.sh and scripts/zipkin.sh: starting and
# stopping the local processes.

# stop_tree PID: stops PID and everything it started (npm start's gateway runs as npm's grandchild,
# which a signal to npm alone would leave running).
stop_tree() {
  command -v pgrep >/dev/null || echo "pgrep (procps) is missing: processes started by $1 may keep running" >&2
  local child
  for child in $(pgrep -P "$1" 2>/dev/null); do stop_tree "$child"; done
  kill "$1" 2>/dev/null || true
}

# stop_pidfile DIR [SECONDS]: stops the process whose id is in DIR/pid (SECONDS, 10 unless given, to end,
# then killed) and forgets it: how kafka.sh and zipkin.sh stop what they started in the background.
stop_pidfile() {
  if [ -f "$1/pid" ] && kill -0 "$(cat "$1/pid")" 2>/dev/null; then
    kill "$(cat "$1/pid")"
    for _ in $(seq 1 $(( ${2:-10} * 5 ))); do kill -0 "$(cat "$1/pid")" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$(cat "$1/pid")" 2>/dev/null || true
  fi
  rm -f "$1/pid"
}

# wait_healthy NAME URL: waits up to three minutes for URL to answer 200; else points at .run/NAME.log.
wait_healthy() {
  for _ in $(seq 1 180); do
    curl -fs "$2" >/dev/null 2>&1 && { echo "$1 is up"; return 0; }
    sleep 1
  done
  echo "$1 did not become healthy; see .run/$1.log" >&2; exit 1
}

# private_subgraphs: the subgraphs listen on 127.0.0.1 only (GraphQL and the management port), the
# gateway finds them there, and it signs its requests with a secret made for this run (they refuse
# GraphQL without it): everything a client reaches goes through the gateway's limits. Set
# SERVER_ADDRESS, MANAGEMENT_SERVER_ADDRESS or GATEWAY_HMAC_SECRET to choose otherwise.
private_subgraphs() {
  export SERVER_ADDRESS="${SERVER_ADDRESS:-127.0.0.1}"
  export MANAGEMENT_SERVER_ADDRESS="${MANAGEMENT_SERVER_ADDRESS:-127.0.0.1}"
  export USERS_URL="${USERS_URL:-http://127.0.0.1:${USERS_PORT:-8081}/graphql}"
  export GATEWAY_HMAC_SECRET="${GATEWAY_HMAC_SECRET:-$(openssl rand -hex 32)}"
}
