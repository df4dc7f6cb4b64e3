#!/usr/bin/env bash
# Re-measures, from the current code, every figure in a marked block of README.md and docs/*.md
# (<!-- figures:NAME --> … <!-- /figures:NAME -->) and rewrites the blocks in place. The test
# TestFigures fails while a cheap block disagrees with a fresh measurement beyond 2%.
#
#   tools/figures.sh          the cheap blocks (seconds)
#   tools/figures.sh --slow   also the training runs' blocks (the default run's paragraph and the
#                             saturating example: a default `rnn train` each, about a minute unloaded;
#                             the trained-flow table of docs/diagnostics.md: two short runs) and the
#                             irnn and pascanu tables, each from a fresh
#                             `rnn experiment NAME --json` (10-15 minutes each on 2 cores)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/rnn" plugins >/dev/null   # builds rnn-cli (and rnn-study) when sources changed
. "$root/tools/jdk.sh"
rnn_find_jdk
args=()
if [[ "${1:-}" == "--slow" ]]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  args+=(--slow)
  for e in irnn pascanu; do
    # A fresh folder each time: an experiment continues the runs it finds in its folder.
    "$root/rnn" experiment "$e" --json -o "$work/$e" >"$work/$e.json"
    args+=(--result "$work/$e.json")
  done
elif [[ $# -gt 0 ]]; then
  echo "figures.sh: unknown argument '$1'; accepted: --slow, or nothing" >&2
  exit 2
fi
"$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
  -cp "$root/rnn-cli/target/rnn-cli.jar:$root/rnn-cli/target/lib/*" \
  org.bptt.study.figures.Figures "${args[@]}" "$root/README.md" "$root"/docs/*.md
