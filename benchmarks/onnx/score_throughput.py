#!/usr/bin/env python3
"""ONNX Runtime's Python API on a model exported by `dendrite export`: rows/s on random raw pixel rows.

    python3 benchmarks/onnx/score_throughput.py MODEL.onnx [--threads 1,2] [--batch 512] [--rows 10000] [--seconds 10]

The same batches and thread counts as ScoringThroughput (bin/bench-scoring), which times Dendrite and ONNX
Runtime's Java API; this is the serving path of a Python service. A measurement, never a test.
"""
import argparse
import time

import numpy as np
import onnxruntime as ort


def rows_per_second(path, x, batch, threads, seconds):
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    rate = 0.0
    for limit in (min(2.0, seconds), seconds):  # a warm-up pass, then the measured one
        start = time.perf_counter()
        scored = 0
        while time.perf_counter() - start < limit:
            for r in range(0, len(x), batch):
                session.run(["output"], {"features": x[r:r + batch]})
                scored += len(x[r:r + batch])
        rate = scored / (time.perf_counter() - start)
    return rate


def main():
    p = argparse.ArgumentParser()
    p.add_argument("model")
    p.add_argument("--threads", default="1,2")
    p.add_argument("--batch", type=int, default=512)
    p.add_argument("--rows", type=int, default=10000)
    p.add_argument("--seconds", type=float, default=10)
    a = p.parse_args()
    width = ort.InferenceSession(a.model, providers=["CPUExecutionProvider"]).get_inputs()[0].shape[1]
    x = np.random.default_rng(7).integers(0, 256, size=(a.rows, width)).astype(np.float32)
    print(f"onnxruntime {ort.__version__}, batch {a.batch}, {a.rows} rows, {a.seconds} s per run")
    for t in a.threads.split(","):
        rate = rows_per_second(a.model, x, a.batch, int(t), a.seconds)
        print(f"{a.model:<28} {'onnxruntime-py':<13} {int(t):7d} {rate:12.0f}")


if __name__ == "__main__":
    main()
