#!/usr/bin/python3
"""OpenBLAS sgemm through numpy: C = A.B for float32 n x n matrices (default 2048), the reference the
performance goals compare a whole training step with. Run with OPENBLAS_NUM_THREADS=1 for one thread,
and OPENBLAS_CORETYPE=Haswell to restrict OpenBLAS to AVX2 (256-bit) kernels.
Install: apt-get install python3-numpy libopenblas0-pthread; run with /usr/bin/python3.
Prints one JSON line: GFLOP/s (2 n^3 / time) of the fastest and the median of --reps timed products,
after one untimed product."""
import argparse
import json
import os
import time

import numpy as np

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument("--n", type=int, default=2048)
p.add_argument("--reps", type=int, default=9)
args = p.parse_args()
rng = np.random.default_rng(0)
a = rng.standard_normal((args.n, args.n), dtype=np.float32)
b = rng.standard_normal((args.n, args.n), dtype=np.float32)
c = np.empty((args.n, args.n), dtype=np.float32)
np.matmul(a, b, out=c)
times = []
for _ in range(args.reps):
    t0 = time.perf_counter()
    np.matmul(a, b, out=c)
    times.append(time.perf_counter() - t0)
times.sort()
flops = 2.0 * args.n ** 3
print(json.dumps({"system": "numpy-openblas-sgemm", "n": args.n, "reps": args.reps,
                  "gflops_best": flops / times[0] / 1e9, "gflops_median": flops / times[len(times) // 2] / 1e9,
                  "numpy": np.__version__, "env_OPENBLAS_NUM_THREADS": os.environ.get("OPENBLAS_NUM_THREADS"),
                  "env_OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE")}))
