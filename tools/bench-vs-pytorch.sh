#!/usr/bin/env bash
# Side-by-side timing of the training step: ./rnn bench against ../shared/bench/torch_rnn_step.py,
# same workloads and thread counts, run one after the other so they never share the cores.
# Optional: needs Debian's python3-torch and libopenblas0-pthread; the project never needs Python.
# Usage: tools/bench-vs-pytorch.sh --issue21 [--reps 3] [--skip-torch]
#        tools/bench-vs-pytorch.sh [--threads "1 2"] [--only W1_H64|W1_H256|W1_H1024|W2_minchar]
#        [--cell rnn|gru|lstm] [--layers N] [--bidirectional] [--skip-torch] [--reps 3] [--avx2] [--no-sgemm]
#        (PyTorch runs with OPENBLAS_CORETYPE/L2_SIZE unset: its best here)
# Each workload runs as --reps pairs: OpenBLAS sgemm 2048x2048 on one thread through numpy
# (tools/sgemm-reference.py, the reference of the W1-1024 goal), then ./rnn bench, then PyTorch,
# back to back. A shared host speeds up and slows down by a third for seconds at a time, alike for
# all three, so each ratio and each fraction of sgemm is taken within its pair, and the median over
# the pairs is reported beside the medians of the times.
# --avx2: the JVM limited to 256-bit vectors as an AVX2-only CPU has them (-XX:UseAVX=2
# -XX:MaxVectorSize=32), the sgemm reference restricted alike (OPENBLAS_CORETYPE=Haswell), and PyTorch
# timed both at its best and with OPENBLAS_CORETYPE=Haswell.
# --cell gru|lstm times nn.GRU/nn.LSTM against the gru/lstm cells of examples/gated-cells, the plugin
# ./rnn builds and bundles (rnn-cli/target/plugins; an older build's jars in the example's target/ are
# not read).
# --layers N, --bidirectional: stacked and bidirectional layers on both sides (rnn bench --layers N
# --bidirectional against nn.RNN/GRU/LSTM(num_layers=N, bidirectional=True)); the PyTorch side is then
# the project's tools/torch_rnn_step.py, which times the reference's step with those two added.
# --issue21: issue #21's six comparisons in one go, one thread, no sgemm reference, --reps pairs each:
# W1-256 GRU, LSTM, 2-layer vanilla and bidirectional vanilla, then W1-64 GRU and LSTM.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
if [ "${1:-}" = --issue21 ]; then
  shift
  for c in "--only W1_H256 --cell gru" "--only W1_H256 --cell lstm" "--only W1_H256 --layers 2" \
      "--only W1_H256 --bidirectional" "--only W1_H64 --cell gru" "--only W1_H64 --cell lstm"; do
    # shellcheck disable=SC2086 # the case's words are options
    "$0" --threads 1 --no-sgemm $c "$@"
  done
  exit 0
fi
torch_script=${TORCH_SCRIPT:-$here/../shared/bench/torch_rnn_step.py}
# A worktree sits one folder deeper than the main checkout.
[ -f "$torch_script" ] || [ -n "${TORCH_SCRIPT:-}" ] || torch_script=$here/../../shared/bench/torch_rnn_step.py
threads="1 2"; only=""; skip_torch=0; reps=3; avx2=0; sgemm=1; cell=rnn; layers=1; bidirectional=0
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    --skip-torch) skip_torch=1; shift ;;
    --reps) reps=$2; shift 2 ;;
    --avx2) avx2=1; shift ;;
    --no-sgemm) sgemm=0; shift ;;
    --cell) cell=$2; shift 2 ;;
    --layers) layers=$2; shift 2 ;;
    --bidirectional) bidirectional=1; shift ;;
    *) echo "bench-vs-pytorch: unknown option '$1'; accepted: --threads, --only, --cell, --layers, --bidirectional, --skip-torch, --reps, --avx2, --no-sgemm" >&2; exit 2 ;;
  esac
done
case "$layers" in
  ''|*[!0-9]*|0) echo "bench-vs-pytorch: --layers must be a whole number at least 1, got '$layers'" >&2; exit 2 ;;
esac
# Both sides build the same stack; beyond one forward layer PyTorch runs the project's own script.
shape_args=(); label=$cell
if [ "$layers" != 1 ] || [ "$bidirectional" = 1 ]; then
  shape_args=(--layers "$layers"); label="$cell x$layers"
  [ "$bidirectional" = 1 ] && shape_args+=(--bidirectional) && label="$label bi"
  torch_script=$here/tools/torch_rnn_step.py
fi
if [ "$skip_torch" = 0 ] && ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "bench-vs-pytorch: /usr/bin/python3 cannot import torch; install python3-torch and libopenblas0-pthread, or pass --skip-torch" >&2
  exit 2
fi

# The vector width of the run, and OpenBLAS restricted to the same width for the sgemm reference.
width_opts=""; blas_env=(-u OPENBLAS_CORETYPE)
if [ "$avx2" = 1 ]; then
  width_opts="-XX:UseAVX=2 -XX:MaxVectorSize=32"; blas_env=(OPENBLAS_CORETYPE=Haswell)
fi
echo "CPU: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1); load average: $(cut -d' ' -f1-3 /proc/loadavg)${width_opts:+; JVM: $width_opts}"
sgemm() {
  env -u OPENBLAS_L2_SIZE "${blas_env[@]}" OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 \
    /usr/bin/python3 "$here/tools/sgemm-reference.py" | sed -E 's/.*"gflops_best": ([0-9.eE+-]+).*/\1/'
}
torch_ms() { # threads, workload, then env assignments for OpenBLAS
  local t=$1 w=$2; shift 2
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$@" OPENBLAS_NUM_THREADS="$t" OMP_NUM_THREADS="$t" \
    /usr/bin/python3 "$torch_script" --threads "$t" --only "$w" --cell "$cell" "${shape_args[@]}" | sed -E 's/.*"ms_median": ([0-9.eE+-]+).*/\1/'
}
median() { printf '%s\n' "$@" | sort -g | sed -n "$(( ($# + 1) / 2 ))p"; }

# The same step in both: the script's nn.RNN is our vanilla cell; gru and lstm come from the example plugin.
case "$cell" in
  rnn|vanilla) cell=rnn; plugin_args=() ;;
  gru|lstm) plugin_args=(--cell "$cell") ;;
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
    ms=(); torch=(); haswell=(); gf=(); ratios=(); fractions=()
    for r in $(seq "$reps"); do
      if [ "$sgemm" = 1 ]; then gf+=("$(printf '%.1f' "$(sgemm)")"); fi
      json=$(RNN_JAVA_OPTS="${RNN_JAVA_OPTS:-} $width_opts" "$here/rnn" bench "${plugin_args[@]}" "${shape_args[@]}" $args --threads "$t" --no-peak --json)
      ms+=("$(printf '%.4g' "$(sed -E 's/.*"ms_per_step" *: *([0-9.eE+-]+).*/\1/' <<<"$json")")")
      gflop=$(sed -E 's/.*"gflop_per_step" *: *([0-9.eE+-]+).*/\1/' <<<"$json")
      if [ "$skip_torch" = 0 ]; then
        torch+=("$(printf '%.4g' "$(torch_ms "$t" "$w")")")
        ratios+=("$(awk -v p="${torch[-1]}" -v r="${ms[-1]}" 'BEGIN { printf "%.2f", p / r }')")
        if [ "$avx2" = 1 ]; then haswell+=("$(printf '%.4g' "$(torch_ms "$t" "$w" OPENBLAS_CORETYPE=Haswell)")"); fi
      fi
      if [ "$sgemm" = 1 ]; then
        fractions+=("$(awk -v g="$gflop" -v r="${ms[-1]}" -v s="${gf[-1]}" 'BEGIN { printf "%.2f", g / (r / 1e3) / s }')")
      fi
    done
    rnn_med=$(median "${ms[@]}")
    if [ "$skip_torch" = 1 ]; then
      printf '%-4s %-10s threads=%s rnn %.3f ms (runs: %s)\n' "$label" "$w" "$t" "$rnn_med" "${ms[*]}"
    else
      printf '%-4s %-10s threads=%s rnn %.3f ms  pytorch %.3f ms  ratio %.2fx (median of pairs: %s)\n' \
        "$label" "$w" "$t" "$rnn_med" "$(median "${torch[@]}")" "$(median "${ratios[@]}")" "${ratios[*]}"
      echo "           runs, rnn: ${ms[*]}; pytorch: ${torch[*]}"
      if [ "$avx2" = 1 ]; then
        awk -v h="$(median "${haswell[@]}")" -v r="$rnn_med" -v all="${haswell[*]}" \
          'BEGIN { printf "           pytorch with OPENBLAS_CORETYPE=Haswell %.3f ms (runs: %s), ratio of medians %.2fx\n", h, all, h / r }'
      fi
    fi
    if [ "$sgemm" = 1 ]; then
      awk -v g="$gflop" -v r="$rnn_med" -v f="$(median "${fractions[@]}")" -v fs="${fractions[*]}" -v gs="${gf[*]}" -v c="${width_opts:+ (OPENBLAS_CORETYPE=Haswell)}" \
        'BEGIN { printf "           rnn %.1f GFLOP/s; %.2f of one-thread sgemm 2048%s (median of pairs: %s; sgemm %s GFLOP/s)\n", g / (r / 1e3), f, c, fs, gs }'
    fi
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
