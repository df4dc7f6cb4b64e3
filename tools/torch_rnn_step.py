#!/usr/bin/python3
"""PyTorch timing of the training step `rnn bench` times, with stacked and bidirectional layers.

The single-layer cases are those of ../shared/bench/torch_rnn_step.py (the reference; this script
times the same step the same way); --layers N and --bidirectional add nn.RNN's num_layers and
bidirectional=True, with the readout nn.Linear(D*H, O) reading the top layer, as `rnn bench
--layers N --bidirectional` builds it. Optional, for tools/bench-vs-pytorch.sh: the project never
needs Python. Install: apt-get install python3-torch libopenblas0-pthread; run with /usr/bin/python3.

One step: forward over the sequence, softmax cross-entropy at every step (mean over batch*time),
full BPTT, clip_grad_norm_(1.0), SGD(lr=0.01), float32, h0 = 0.
FLOPs: forward = T*B*(sum over layers and directions of 2*G*H*(I_l + H) + 2*O*D*H), I_0 = I and
I_l = D*H above; step = 3 x forward (the reference's count for one layer).

Usage: OPENBLAS_NUM_THREADS=N OMP_NUM_THREADS=N /usr/bin/python3 torch_rnn_step.py --threads N
       [--only W1_H64|W1_H256|W1_H1024|W2_minchar] [--cell rnn|gru|lstm] [--layers N] [--bidirectional]
Prints one JSON line per workload.
"""
import argparse
import json
import os
import time

WARMUP = 5
MIN_STEPS = 20
TARGET_REP_SECONDS = 2.0
REPS = 3
GATES = {"rnn": 1, "gru": 3, "lstm": 4}
WORKLOADS = {
    "W1_H64": dict(B=32, T=100, I=64, H=64, O=64, onehot=False),
    "W1_H256": dict(B=32, T=100, I=64, H=256, O=64, onehot=False),
    "W1_H1024": dict(B=32, T=100, I=64, H=1024, O=64, onehot=False),
    "W2_minchar": dict(B=1, T=25, I=65, H=128, O=65, onehot=True),
}


def flops_per_step(B, T, I, H, O, gates, layers, dirs):
    weights = 0
    for layer in range(layers):
        width = I if layer == 0 else dirs * H
        weights += dirs * gates * H * (width + H)
    weights += O * dirs * H
    fwd = T * B * 2 * weights
    return fwd, 3 * fwd


def run(name, B, T, I, H, O, onehot, cell, layers, bidirectional, threads):
    import torch
    import torch.nn as nn

    dirs = 2 if bidirectional else 1
    kinds = {"rnn": lambda: nn.RNN(I, H, num_layers=layers, nonlinearity="tanh", batch_first=True, bidirectional=bidirectional),
             "gru": lambda: nn.GRU(I, H, num_layers=layers, batch_first=True, bidirectional=bidirectional),
             "lstm": lambda: nn.LSTM(I, H, num_layers=layers, batch_first=True, bidirectional=bidirectional)}

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.rnn = kinds[cell]()
            self.fc = nn.Linear(dirs * H, O)

        def forward(self, x):
            h, _ = self.rnn(x)
            return self.fc(h)

    model = Net()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()
    g = torch.Generator().manual_seed(1)
    if onehot:
        x = torch.nn.functional.one_hot(torch.randint(0, I, (B, T), generator=g), I).to(torch.float32)
    else:
        x = torch.randn(B, T, I, generator=g)
    y = torch.randint(0, O, (B, T), generator=g)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x).reshape(B * T, O), y.reshape(B * T))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        return loss

    first_loss = float(step())
    medians, all_ts = [], []
    for _ in range(REPS):
        t0 = time.perf_counter()
        for _ in range(WARMUP):
            step()
        est = (time.perf_counter() - t0) / WARMUP
        n = max(MIN_STEPS, min(2000, int(TARGET_REP_SECONDS / est)))
        ts = []
        for _ in range(n):
            s = time.perf_counter()
            step()
            ts.append(time.perf_counter() - s)
        all_ts.extend(ts)
        ts.sort()
        medians.append(ts[len(ts) // 2])
    last_loss = float(step())
    medians.sort()
    med = medians[len(medians) // 2]
    _, tot = flops_per_step(B, T, I, H, O, GATES[cell], layers, dirs)
    print(json.dumps(dict(system="pytorch", torch=torch.__version__, workload=name, cell=cell, layers=layers,
                          bidirectional=bidirectional, threads=threads, B=B, T=T, I=I, H=H, O=O,
                          ms_median=med * 1e3, ms_min_of_medians=medians[0] * 1e3, ms_max_of_medians=medians[-1] * 1e3,
                          ms_mean_all=sum(all_ts) / len(all_ts) * 1e3, reps=REPS, warmup=WARMUP,
                          gflop_per_step=tot / 1e9, gflops=tot / med / 1e9,
                          loss_first=round(first_loss, 4), loss_last=round(last_loss, 4),
                          env_OPENBLAS_NUM_THREADS=os.environ.get("OPENBLAS_NUM_THREADS"),
                          torch_num_threads=torch.get_num_threads())), flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--threads", type=int, required=True, help="torch threads (set OPENBLAS_NUM_THREADS alike)")
    p.add_argument("--only", choices=sorted(WORKLOADS), help="one workload (default: all)")
    p.add_argument("--cell", choices=sorted(GATES), default="rnn")
    p.add_argument("--layers", type=int, default=1, help="num_layers (default 1)")
    p.add_argument("--bidirectional", action="store_true")
    a = p.parse_args()
    if a.layers < 1:
        p.error("--layers must be at least 1")
    import torch
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    for name, w in WORKLOADS.items():
        if a.only in (None, name):
            run(name, cell=a.cell, layers=a.layers, bidirectional=a.bidirectional, threads=a.threads, **w)


if __name__ == "__main__":
    main()
