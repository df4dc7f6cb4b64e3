#!/usr/bin/env bash
# Builds the distribution without running the tests: target/dist/rnn-VERSION.tar.gz and .zip
# (bin/rnn, bin/rnn.cmd, lib/, plugins/ with GRU and LSTM, conf/jvm.properties, completion/, docs/,
# LICENSE, NOTICE). Takes a few minutes from a clean tree; extra arguments go to Maven (-o, say).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. tools/jdk.sh
rnn_find_jdk
rnn_quiet_maven_on_new_jdks
rnn_require_maven
echo "dist: building rnn-dist and what it needs (tests skipped; ./run-tests runs them)..." >&2
mvn -B -q -ntp -pl rnn-dist -am package -Dmaven.test.skip=true "$@"
mkdir -p target/dist
version=$(sed -n '/<artifactId>rnn-parent<\/artifactId>/{n;s/.*<version>\(.*\)<\/version>.*/\1/p;q}' pom.xml)
for f in "rnn-$version.tar.gz" "rnn-$version.zip"; do
  cp "rnn-dist/target/$f" target/dist/
  echo "target/dist/$f"
done
