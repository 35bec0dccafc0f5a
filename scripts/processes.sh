# Sourced by scripts/run.sh and scripts/run-scaled.sh: starting and stopping the local processes.

# stop_tree PID: stops PID and everything it started (npm start's gateway runs as npm's grandchild,
# which a signal to npm alone would leave running).
stop_tree() {
  command -v pgrep >/dev/null || echo "pgrep (procps) is missing: processes started by $1 may keep running" >&2
  local child
  for child in $(pgrep -P "$1" 2>/dev/null); do stop_tree "$child"; done
  kill "$1" 2>/dev/null || true
}

# wait_healthy NAME URL: waits up to three minutes for URL to answer 200; else points at .run/NAME.log.
wait_healthy() {
  for _ in $(seq 1 180); do
    curl -fs "$2" >/dev/null 2>&1 && { echo "$1 is up"; return 0; }
    sleep 1
  done
  echo "$1 did not become healthy; see .run/$1.log" >&2; exit 1
}
