# Sourced by ./rnn and ./run-tests: sets JAVA_HOME to a JDK >= 21, or explains what is missing.
# Order: $JAVA_HOME if suitable, then `java` on PATH, then the usual install folders (newest wins).

RNN_MIN_JAVA=21

_rnn_java_major() { # $1 = a JDK home; prints its major version or nothing
  local home=$1 v=""
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 0
  if [ -f "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
  fi
  if [ -z "$v" ]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  v=${v#1.}            # 1.8 -> 8
  echo "${v%%[.+-]*}"
}

rnn_find_jdk() {
  local tried=() cand major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ]; then
    major=$(_rnn_java_major "$JAVA_HOME")
    if [ -n "$major" ] && [ "$major" -ge "$RNN_MIN_JAVA" ]; then return 0; fi
    tried+=("JAVA_HOME=$JAVA_HOME (version ${major:-unknown, or not a JDK})")
  fi
  if command -v javac >/dev/null 2>&1; then
    cand=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(_rnn_java_major "$cand")
    if [ -n "$major" ] && [ "$major" -ge "$RNN_MIN_JAVA" ]; then export JAVA_HOME=$cand; return 0; fi
    tried+=("javac on PATH: $cand (version ${major:-unknown})")
  fi
  for cand in /usr/lib/jvm/* /usr/java/* /usr/local/lib/jvm/* /opt/java/* /opt/jdk* /opt/*jdk* \
              "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$cand" ] || continue
    major=$(_rnn_java_major "$cand")
    [ -n "$major" ] || continue
    if [ "$major" -gt "$best_major" ]; then best=$cand; best_major=$major; fi
  done
  if [ -n "$best" ] && [ "$best_major" -ge "$RNN_MIN_JAVA" ]; then export JAVA_HOME=$best; return 0; fi
  [ -n "$best" ] && tried+=("newest JDK in the usual folders: $best (version $best_major)")
  {
    echo "rnn: no JDK $RNN_MIN_JAVA or newer was found (it is needed for --release $RNN_MIN_JAVA and the Vector API)."
    for t in "${tried[@]}"; do echo "  looked at: $t"; done
    echo "  install one (for example: apt-get install openjdk-21-jdk, or a Temurin 21+ build) and/or set JAVA_HOME to it."
  } >&2
  return 1
}

rnn_require_maven() {
  if ! command -v mvn >/dev/null 2>&1; then
    echo "rnn: Apache Maven (mvn) is needed to build the project and was not found on PATH; install it (for example: apt-get install maven)." >&2
    return 1
  fi
}

# Maven 3.8's bundled Guava calls sun.misc.Unsafe; JDK 24+ warns about it on every build.
rnn_quiet_maven_on_new_jdks() {
  local major
  major=$(_rnn_java_major "$JAVA_HOME")
  if [ -n "$major" ] && [ "$major" -ge 24 ]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
}
