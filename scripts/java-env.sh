# Sourced by the scripts: picks a JDK 21+ for the build and the services.
# Keeps JAVA_HOME when it already points at 21+; otherwise looks for one under /usr/lib/jvm.
java_major() { "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}' | cut -d. -f1; }

if [ -z "${JAVA_HOME:-}" ] || [ "$(java_major "$JAVA_HOME/bin/java")" -lt 21 ] 2>/dev/null; then
  if command -v java >/dev/null && [ "$(java_major java)" -ge 21 ]; then
    JAVA_HOME=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
  else
    JAVA_HOME=
    for candidate in /usr/lib/jvm/*; do
      if [ -x "$candidate/bin/java" ] && [ "$(java_major "$candidate/bin/java")" -ge 21 ]; then
        JAVA_HOME=$candidate; break
      fi
    done
  fi
fi
if [ -z "${JAVA_HOME:-}" ]; then
  echo "ordergraph needs a JDK 21 or newer; set JAVA_HOME to one." >&2
  exit 1
fi
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
