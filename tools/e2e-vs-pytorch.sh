#!/usr/bin/env bash
# A whole character-model run, end to end, against its PyTorch twin (../shared/bench/torch_charrnn.py,
# whose docstring says which of the platform's choices it mirrors): the same recipe, one real thread on
# both sides (OPENBLAS_NUM_THREADS=1 and torch.set_num_threads(1)), alternating, whole processes timed
# by /usr/bin/time (wall and peak resident memory). The platform's own split comes from each run's
# timings.json (docs/end-to-end.md).
# Optional: needs Debian's python3-torch and libopenblas0-pthread; the project never needs Python.
# Usage: tools/e2e-vs-pytorch.sh --text FILE [--iterations "1500 3000"] [--cell vanilla|lstm]
#        [--threads 1] [--reps 2] [--out DIR] [-- extra train options]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
torch_script=${TORCH_SCRIPT:-$here/../shared/bench/torch_charrnn.py}
[ -f "$torch_script" ] || [ -n "${TORCH_SCRIPT:-}" ] || torch_script=$here/../../shared/bench/torch_charrnn.py
text=""; iterations="1500 3000"; cell=vanilla; threads=1; reps=2; out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --text) text=$2; shift 2 ;;
    --iterations) iterations=$2; shift 2 ;;
    --cell) cell=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --reps) reps=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "e2e-vs-pytorch: unknown option '$1'; accepted: --text, --iterations, --cell, --threads, --reps, --out, -- train options" >&2; exit 2 ;;
  esac
done
[ -n "$text" ] && [ -f "$text" ] || { echo "e2e-vs-pytorch: give the text with --text FILE" >&2; exit 2; }
case "$cell" in vanilla) tcell=rnn ;; lstm) tcell=lstm ;; *) echo "e2e-vs-pytorch: --cell is vanilla or lstm, got '$cell'" >&2; exit 2 ;; esac
/usr/bin/python3 -c 'import torch' 2>/dev/null || { echo "e2e-vs-pytorch: /usr/bin/python3 cannot import torch; install python3-torch and libopenblas0-pthread" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "e2e-vs-pytorch: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
[ -n "$out" ] || out=$(mktemp -d /tmp/e2e-vs-pytorch.XXXXXX)
mkdir -p "$out"
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo "CPU: $cpu; text: $text ($(wc -c <"$text") bytes); cell $cell; $threads thread(s); results in $out"
"$here/rnn" --version >/dev/null # builds first, outside the timings
printf '%-6s %-4s %9s %9s %7s %9s %9s %7s %8s %8s\n' iters rep rnn_s torch_s ratio rnn_MB torch_MB rss× rnn_bpc torch_bpc
for it in $iterations; do
  for rep in $(seq 1 "$reps"); do
    run="$out/rnn-$cell-$it-$rep"
    rm -rf "$run"
    /usr/bin/time -o "$run.time" -f "%e %M" "$here/rnn" train -q --text "$text" --cell "$cell" --threads "$threads" \
      --validation 0.1 --stateful --steps 64 --truncation tbptt --k1 64 --k2 64 --loss-mean step --optimizer adam \
      --lr 2e-3 --policy clip-norm --threshold 5 --hidden 256 --batch 32 --iterations "$it" --eval-every 500 -o "$run" "$@" \
      >"$run.log" 2>&1
    read -r rwall rkb <"$run.time"
    rbpc=$(sed -n 's/.*= \([0-9.]*\) bits per character.*/\1/p' "$run.log" | head -1)
    tj="$out/torch-$cell-$it-$rep"
    OPENBLAS_NUM_THREADS=$threads /usr/bin/time -o "$tj.time" -f "%e %M" /usr/bin/python3 "$torch_script" train \
      --text "$text" --cell "$tcell" --iterations "$it" --eval-every 500 --threads "$threads" -o "$tj" >"$tj.log" 2>&1
    read -r twall tkb <"$tj.time"
    tbpc=$(/usr/bin/python3 -c "import json,sys; print('%.3f' % json.load(open(sys.argv[1]))['evals'][-1]['platform_bpc'])" "$tj/summary.json" 2>/dev/null || echo "?")
    awk -v it="$it" -v rep="$rep" -v rw="$rwall" -v tw="$twall" -v rk="$rkb" -v tk="$tkb" -v rb="$rbpc" -v tb="$tbpc" \
      'BEGIN { printf "%-6s %-4s %9.1f %9.1f %7.2f %9d %9d %7.2f %8s %8s\n", it, rep, rw, tw, tw / rw, rk / 1024, tk / 1024, rk / tk, rb, tb }'
  done
done
