#!/usr/bin/env bash
# A single-node Apache Kafka broker in KRaft mode (broker and controller in one process), started from
# Apache Kafka's jars on Maven Central: what `make run-scaled` and the scale-out tests use where there is
# no Docker. The jars are resolved once (scripts/kafka/pom.xml) into scripts/kafka/target/libs.
# Usage: scripts/kafka.sh start|stop|restart DIR PORT   (defaults: .run/kafka and 9092; the controller
# listens on PORT+1). The data stays in DIR across restarts; delete DIR for an empty broker.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-env.sh
. scripts/processes.sh
action="${1:?usage: scripts/kafka.sh start|stop|restart [dir] [port]}"
dir="$(mkdir -p "${2:-.run/kafka}" && cd "${2:-.run/kafka}" && pwd)"
port="${3:-9092}"
libs="scripts/kafka/target/libs"

stop() { stop_pidfile "$dir" 20; }

start() {
  local sum; sum=$(sha256sum scripts/kafka/pom.xml | cut -d' ' -f1)
  if [ "$(cat "$libs/.resolved" 2>/dev/null)" != "$sum" ]; then
    rm -rf "$libs"
    ./mvnw -B -q -f scripts/kafka/pom.xml dependency:copy-dependencies -DoutputDirectory=target/libs -DincludeScope=runtime
    echo "$sum" > "$libs/.resolved"
  fi
  cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@localhost:$((port + 1))
listeners=PLAINTEXT://localhost:$port,CONTROLLER://localhost:$((port + 1))
advertised.listeners=PLAINTEXT://localhost:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.num.partitions=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
group.initial.rebalance.delay.ms=0
PROPS
  cat > "$dir/log4j2.properties" <<PROPS
rootLogger.level=WARN
rootLogger.appenderRef.file.ref=file
appender.file.type=File
appender.file.name=file
appender.file.fileName=$dir/server.log
appender.file.layout.type=PatternLayout
appender.file.layout.pattern=%d %p %c{1} %m%n
logger.kafka.name=kafka
logger.kafka.level=INFO
PROPS
  local java=("$JAVA_HOME/bin/java" -Xmx512m -Dlog4j2.configurationFile="$dir/log4j2.properties" -cp "$libs/*")
  if [ ! -f "$dir/data/meta.properties" ]; then
    "${java[@]}" kafka.tools.StorageTool format -t "$("${java[@]}" kafka.tools.StorageTool random-uuid)" \
      -c "$dir/server.properties" --ignore-formatted >/dev/null
  fi
  "${java[@]}" kafka.Kafka "$dir/server.properties" > "$dir/stdout.log" 2>&1 &
  echo $! > "$dir/pid"
  for _ in $(seq 1 150); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "Kafka on localhost:$port (data in $dir)"; return 0; fi
    kill -0 "$(cat "$dir/pid")" 2>/dev/null || { echo "Kafka exited; see $dir/stdout.log and $dir/server.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "Kafka did not listen on $port within 30 s; see $dir/server.log" >&2; exit 1
}

case "$action" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  *) echo "usage: scripts/kafka.sh start|stop|restart [dir] [port]" >&2; exit 2 ;;
esac
