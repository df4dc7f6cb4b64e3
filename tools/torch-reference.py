#!/usr/bin/env python3
"""Makes the PyTorch reference files in golden/torch/ (run once; the tests never need Python).

For each model: NAME.safetensors (its state_dict, under the attribute names its module gave
it), NAME.npz (x float32 [N, T, I], y = PyTorch's readouts [N, T, O], target [N, T, O]) and
NAME-sgd.safetensors (the state_dict after one SGD step, lr 0.1, on
L = (1/N) sum_{n,t} 0.5 ||y - target||^2, PyTorch's autograd).

    /usr/bin/python3 tools/torch-reference.py golden/torch
"""
import json
import struct
import sys
from pathlib import Path

import numpy as np
import torch
from torch import nn

N, T, I, H, O = 3, 6, 3, 5, 4
LR = 0.1


def save_safetensors(path, tensors, metadata=None):
    """The format written by hand (the safetensors package need not be installed)."""
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, t in tensors.items():
        a = t.detach().cpu().numpy().astype("<f4")
        b = a.tobytes()
        header[name] = {"dtype": "F32", "shape": list(a.shape), "data_offsets": [offset, offset + len(b)]}
        blobs.append(b)
        offset += len(b)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


class Net(nn.Module):
    """A recurrent module and a readout under the given attribute names (nested with dots)."""

    def __init__(self, rnn_path, head_path, rnn, head):
        super().__init__()
        self.rnn_path, self.head_path = rnn_path, head_path
        self._put(rnn_path, rnn)
        self._put(head_path, head)

    def _put(self, path, module):
        parts = path.split(".")
        owner = self
        for p in parts[:-1]:
            if not hasattr(owner, p):
                owner.add_module(p, nn.Module())
            owner = getattr(owner, p)
        owner.add_module(parts[-1], module)

    def _get(self, path):
        m = self
        for p in path.split("."):
            m = getattr(m, p)
        return m

    def forward(self, x):
        h, _ = self._get(self.rnn_path)(x)
        return self._get(self.head_path)(h)


def models():
    yield "rnn_tanh", "encoder", "head", nn.RNN(I, H, batch_first=True), {"nonlinearity": "tanh"}
    yield "rnn_relu", "rnn", "fc", nn.RNN(I, H, nonlinearity="relu", batch_first=True), None
    yield "gru", "body.gru", "out", nn.GRU(I, H, batch_first=True), None
    yield "lstm", "lstm", "decoder", nn.LSTM(I, H, batch_first=True), None
    # For stacked and bidirectional networks.
    yield "rnn_tanh_2layer", "rnn", "fc", nn.RNN(I, H, num_layers=2, batch_first=True), None
    yield "rnn_relu_bidir", "rnn", "fc", nn.RNN(I, H, nonlinearity="relu", bidirectional=True, batch_first=True), None
    yield "gru_bidir", "encoder", "head", nn.GRU(I, H, bidirectional=True, batch_first=True), None
    yield "lstm_2layer_bidir", "lstm", "fc", nn.LSTM(I, H, num_layers=2, bidirectional=True, batch_first=True), None
    yield "gru_3layer", "gru", "fc", nn.GRU(I, H, num_layers=3, batch_first=True), None


def main(out):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for k, (name, rnn_path, head_path, rnn, meta) in enumerate(models()):
        torch.manual_seed(1000 + k)
        dirs = 2 if rnn.bidirectional else 1
        head = nn.Linear(H * dirs, O)
        # Default initialization, then a spread that makes every gate and bias matter.
        with torch.no_grad():
            for p in list(rnn.parameters()) + list(head.parameters()):
                p.uniform_(-0.6, 0.6)
        net = Net(rnn_path, head_path, rnn, head)
        x = torch.randn(N, T, I)
        target = torch.randn(N, T, O)
        sd = {k2: v.clone() for k2, v in net.state_dict().items()}
        save_safetensors(out / f"{name}.safetensors", sd, meta)
        y = net(x)
        loss = 0.5 * ((y - target) ** 2).sum() / N
        net.zero_grad()
        loss.backward()
        with torch.no_grad():
            for p in net.parameters():
                p -= LR * p.grad
        save_safetensors(out / f"{name}-sgd.safetensors", dict(net.state_dict()))
        np.savez(out / f"{name}.npz", x=x.numpy().astype(np.float32), y=y.detach().numpy().astype(np.float32),
                 target=target.numpy().astype(np.float32))
        print(name, list(sd.keys()), float(loss))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "golden/torch")
