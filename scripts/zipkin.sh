#!/usr/bin/env bash
# A Zipkin server (UI and API, spans kept in memory), from its jar on Maven Central: the trace viewer of
# `make run TRACING=1` and of the tracing tests. The jar is resolved once into scripts/zipkin/target.
# Usage: scripts/zipkin.sh start|stop [DIR] [PORT]   (defaults: .run/zipkin and 9411)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-env.sh
. scripts/processes.sh
action="${1:?usage: scripts/zipkin.sh start|stop [dir] [port]}"
dir="$(mkdir -p "${2:-.run/zipkin}" && cd "${2:-.run/zipkin}" && pwd)"
port="${3:-9411}"
version=3.5.1
jar="scripts/zipkin/target/zipkin-server-$version-exec.jar"

stop() { stop_pidfile "$dir"; }

start() {
  if [ ! -f "$jar" ]; then
    ./mvnw -B -q -N dependency:copy -Dartifact="io.zipkin:zipkin-server:$version:jar:exec" -DoutputDirectory=scripts/zipkin/target
  fi
  QUERY_PORT="$port" "$JAVA_HOME/bin/java" -Xmx256m -jar "$jar" > "$dir/zipkin.log" 2>&1 &
  echo $! > "$dir/pid"
  for _ in $(seq 1 300); do
    if curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1; then echo "Zipkin on http://localhost:$port"; return 0; fi
    kill -0 "$(cat "$dir/pid")" 2>/dev/null || { echo "Zipkin exited; see $dir/zipkin.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "Zipkin did not answer on $port within 60 s; see $dir/zipkin.log" >&2; exit 1
}

case "$action" in
  start) stop; start ;;
  stop) stop ;;
  *) echo "usage: scripts/zipkin.sh start|stop [dir] [port]" >&2; exit 2 ;;
esac
