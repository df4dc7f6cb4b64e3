#!/usr/bin/env bash
# Re-measures, from the current code, every figure in a marked block of README.md and docs/*.md
# (<!-- figures:NAME --> … <!-- /figures:NAME -->) and rewrites the blocks in place. The test
# TestFigures fails while a cheap block disagrees with a fresh measurement beyond 2%.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/rnn" plugins >/dev/null   # builds rnn-cli (and rnn-study) when sources changed
. "$root/tools/jdk.sh"
rnn_find_jdk
exec "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -cp "$root/rnn-cli/target/rnn-cli.jar:$root/rnn-cli/target/lib/*" \
  org.bptt.study.figures.Figures "$root/README.md" "$root"/docs/*.md
