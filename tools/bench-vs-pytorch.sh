#!/usr/bin/env bash
# Side-by-side timing of the training step: ./rnn bench against ../shared/bench/torch_rnn_step.py,
# same workloads and thread counts, run one after the other so they never share the cores.
# Optional: needs Debian's python3-torch and libopenblas0-pthread; the project never needs Python.
# Usage: tools/bench-vs-pytorch.sh [--threads "1 2"] [--only W1_H64|W1_H256|W1_H1024|W2_minchar]
#        [--cell rnn|gru|lstm] [--skip-torch] [--reps 3]
#        (PyTorch runs with OPENBLAS_CORETYPE/L2_SIZE unset: its best here)
# --cell gru|lstm times nn.GRU/nn.LSTM against the gru/lstm cells of examples/gated-cells, loaded
# from its target/ folder with --plugins (./rnn builds it with the platform).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
torch_script=${TORCH_SCRIPT:-$here/../shared/bench/torch_rnn_step.py}
threads="1 2"; only=""; skip_torch=0; reps=3; cell=rnn
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --skip-torch) skip_torch=1; shift ;;
    --reps) reps=$2; shift 2 ;;
    --cell) cell=$2; shift 2 ;;
    *) echo "bench-vs-pytorch: unknown option '$1'; accepted: --threads, --only, --cell, --skip-torch, --reps" >&2; exit 2 ;;
  esac
done
if [ "$skip_torch" = 0 ] && ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "bench-vs-pytorch: /usr/bin/python3 cannot import torch; install python3-torch and libopenblas0-pthread, or pass --skip-torch" >&2
  exit 2
fi

# The same step in both: the script's nn.RNN is our vanilla cell; gru and lstm come from the example plugin.
case "$cell" in
  rnn|vanilla) cell=rnn; rnn_bench() { "$here/rnn" bench "$@"; } ;;
  gru|lstm)
    # ./rnn builds the example plugin with the platform (rnn-cli's tests use its jar).
    rnn_bench() { "$here/rnn" bench --plugins "$here/examples/gated-cells/target" --cell "$cell" "$@"; } ;;
  *) echo "bench-vs-pytorch: unknown cell '$cell'; accepted: rnn, gru, lstm" >&2; exit 2 ;;
esac

workloads="W1_H64 W1_H256 W1_H1024 W2_minchar"
[ -n "$only" ] && workloads=$only
for t in $threads; do
  for w in $workloads; do
    case "$w" in
      W1_H64)   args="--input 64 --hidden 64 --output 64 --batch 32 --steps 100 --iterations 200 --warmup 20" ;;
      W1_H256)  args="--input 64 --hidden 256 --output 64 --batch 32 --steps 100 --iterations 60 --warmup 10" ;;
      W1_H1024) args="--input 64 --hidden 1024 --output 64 --batch 32 --steps 100 --iterations 20 --warmup 5" ;;
      W2_minchar) args="--input 65 --hidden 128 --output 65 --batch 1 --steps 25 --one-hot --iterations 3000 --warmup 300" ;;
      *) echo "bench-vs-pytorch: unknown workload '$w'; accepted: W1_H64 W1_H256 W1_H1024 W2_minchar" >&2; exit 2 ;;
    esac
    ms=()
    for r in $(seq "$reps"); do
      ms+=("$(rnn_bench $args --threads "$t" --json | sed -E 's/.*"ms_per_step" *: *([0-9.eE+-]+).*/\1/')")
    done
    rnn_med=$(printf '%s\n' "${ms[@]}" | sort -g | sed -n "$(( (reps + 1) / 2 ))p")
    torch_med=""
    if [ "$skip_torch" = 0 ]; then
      torch_med=$(env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS="$t" OMP_NUM_THREADS="$t" \
        /usr/bin/python3 "$torch_script" --threads "$t" --only "$w" --cell "$cell" | sed -E 's/.*"ms_median": ([0-9.eE+-]+).*/\1/')
    fi
    awk -v c="$cell" -v w="$w" -v t="$t" -v r="$rnn_med" -v p="$torch_med" -v all="${ms[*]}" 'BEGIN {
      if (p == "") printf "%-4s %-10s threads=%s rnn %.3f ms (runs: %s)\n", c, w, t, r, all;
      else printf "%-4s %-10s threads=%s rnn %.3f ms (runs: %s)  pytorch %.3f ms  ratio %.2fx\n", c, w, t, r, all, p, p / r }'
  done
done
