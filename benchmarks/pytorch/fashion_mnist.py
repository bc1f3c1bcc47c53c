"""The benchmark's input on PyTorch's side, identical to Dendrite's FashionMnistBatches: the Fashion-MNIST
training set with pixels scaled to [0, 1], visited in epoch e at position i at row (a_e * i + c_e) mod n.
Reads the IDX files that bin/fetch-data puts in data/fashion-mnist with gzip and torch.frombuffer only.
"""

import gzip
import os
import struct

import torch

MULTIPLIERS = [7919, 12347, 22307, 39419, 47981, 52951, 31337, 17389]  # as FashionMnistBatches.MULTIPLIERS
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "fashion-mnist")


def _idx(path):
    with gzip.open(path, "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = struct.unpack(">" + "I" * dims, raw[4:4 + 4 * dims])
    return torch.frombuffer(bytearray(raw[4 + 4 * dims:]), dtype=torch.uint8).reshape(shape)


def load(data="fashion-mnist"):
    """(x [n, 784] float32, y [n] int64): the real training set, or 60 000 uniform rows for data='random'."""
    if data == "random":
        g = torch.Generator().manual_seed(7)
        return (torch.rand(60000, 784, generator=g, dtype=torch.float32),
                torch.randint(0, 10, (60000,), generator=g))
    if data != "fashion-mnist":
        raise ValueError(f"data must be fashion-mnist or random, got {data}")
    images = os.path.join(DATA, "train-images-idx3-ubyte.gz")
    if not os.path.exists(images):
        raise SystemExit(f"{images} is missing: run bin/fetch-data first")
    x = _idx(images).reshape(-1, 784).to(torch.float32) / 255.0
    y = _idx(os.path.join(DATA, "train-labels-idx1-ubyte.gz")).to(torch.int64)
    return x, y


def order(epoch, n):
    """The rows of one epoch, in visiting order (a permutation of range(n))."""
    a = MULTIPLIERS[epoch % len(MULTIPLIERS)]
    c = epoch * 9973 % n
    return (torch.arange(n, dtype=torch.int64) * a + c) % n
