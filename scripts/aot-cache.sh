#!/usr/bin/env bash
# Prepares a service to start from JDK 25's ahead-of-time cache (JEP 483/514): its jar is extracted to
# <service>/target/app/ (the cache needs plain jars on the class path), then started once, with the
# caller's environment, until its application context is ready (spring.context.exit=onRefresh), while
# the JVM records the classes it loaded and linked. With the cache, orders-service is up in about 6 s
# instead of 16 (docs/benchmarks.md). Done again only when the jar changed. Needs PostgreSQL (the
# training run connects and migrates as the service does); without JDK 25 or on failure the service
# simply starts without the cache.
# Usage: scripts/aot-cache.sh users|orders
# Prints the java arguments that start the service (with the cache when there is one); JVM options
# (JAVA_OPTS) go before them, and the training run uses the same.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/java-env.sh
service="$1-service"
jar="$service/target/$service.jar"
app="$service/target/app"
cache="$app/$service.aot"
plain="-jar $jar"

if [ "$(java_major "$JAVA_HOME/bin/java")" -lt 25 ]; then echo "$plain"; exit 0; fi
sum=$(sha256sum "$jar" | cut -d' ' -f1)
if [ ! -f "$cache" ] || [ "$(cat "$app/source.sha256" 2>/dev/null)" != "$sum" ]; then
  rm -rf "$app"
  mkdir -p "$app"
  "$JAVA_HOME/bin/java" -Djarmode=tools -jar "$jar" extract --force --destination "$app" >/dev/null
  # shellcheck disable=SC2086 # JAVA_OPTS holds several options
  if "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} -XX:AOTCacheOutput="$cache" -Dspring.context.exit=onRefresh -jar "$app/$service.jar" \
      > "$app/training.log" 2>&1 && [ -f "$cache" ]; then
    echo "$sum" > "$app/source.sha256"
  else
    echo "AOT cache for $service not built (see $app/training.log); it starts without one" >&2
    rm -f "$cache"
    echo "$plain"; exit 0
  fi
fi
echo "-XX:AOTCache=$cache -jar $app/$service.jar"
