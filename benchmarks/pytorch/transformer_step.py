"""PyTorch reference for Dendrite's TransformerStepBenchmark: one training step of a single
nn.TransformerEncoderLayer(d, h, f, dropout=0.0, activation="relu", batch_first=True, norm_first=False)
(Dendrite's transformer_encoder with its defaults) on random [batch, T, d] inputs, MSE against random
targets, backward, Adam (lr 1e-3); 8 fixed random batches used in turn. Prints milliseconds per step.

  transformer_step.py --shape T8-d32-h4-f64-b64 [--threads N] [--warmup S] [--rounds R] [--no-header]

Run through bin/bench-pytorch-transformer, which sets OMP_NUM_THREADS, MKL_NUM_THREADS and
OPENBLAS_NUM_THREADS to the thread count before Python starts.
"""

import argparse
import math
import os
import statistics
import sys
import time

BATCHES = 8
# Student t quantiles for a two-sided 99.9 % interval (as JMH reports), by degrees of freedom.
T999 = {1: 636.62, 2: 31.599, 3: 12.924, 4: 8.610, 5: 6.869, 6: 5.959, 7: 5.408, 8: 5.041, 9: 4.781,
        10: 4.587, 11: 4.437, 12: 4.318, 13: 4.221, 14: 4.140, 15: 4.073, 19: 3.883, 24: 3.745, 29: 3.659}


def t999(df):
    best = max(k for k in T999 if k <= df) if df >= 1 else 1
    return T999[best] if df < 30 else 3.291


def sizes(shape):
    parts = shape.split("-")
    if len(parts) != 5 or [p[0] for p in parts] != list("Tdhfb"):
        sys.exit(f"shape {shape}: expected T<n>-d<n>-h<n>-f<n>-b<n>, e.g. T8-d32-h4-f64-b64")
    return [int(p[1:]) for p in parts]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shape", default="T8-d32-h4-f64-b64")
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1)")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of warm-up (default 5)")
    parser.add_argument("--rounds", type=int, default=8, help="measured rounds (default 8)")
    parser.add_argument("--round-seconds", type=float, default=1.0, help="seconds per round (default 1)")
    parser.add_argument("--no-header", action="store_true", help="print only the table row")
    args = parser.parse_args()
    steps, model, heads, ff, batch = sizes(args.shape)

    import torch  # after the environment is settled

    torch.set_num_threads(args.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    torch.manual_seed(7)
    layer = torch.nn.TransformerEncoderLayer(model, heads, ff, dropout=0.0, activation="relu",
                                             batch_first=True, norm_first=False)
    layer.train()  # no fast path: the training graph, as Dendrite computes it
    opt = torch.optim.Adam(layer.parameters(), lr=1e-3)
    loss_fn = torch.nn.MSELoss()
    xs = torch.randn(BATCHES, batch, steps, model)
    ts = torch.randn(BATCHES, batch, steps, model)
    step = 0

    def run(seconds):
        nonlocal step
        n = 0
        start = time.perf_counter()
        end = start + seconds
        while True:
            b = step % BATCHES
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(layer(xs[b]), ts[b])
            loss.backward()
            opt.step()
            step += 1
            n += 1
            now = time.perf_counter()
            if now >= end:
                return (now - start) * 1e3 / n

    run(args.warmup)
    times = [run(args.round_seconds) for _ in range(args.rounds)]
    mean = statistics.fmean(times)
    err = t999(len(times) - 1) * statistics.stdev(times) / math.sqrt(len(times)) if len(times) > 1 else float("nan")
    if not args.no_header:
        print(f"torch {torch.__version__}, {torch.get_num_threads()} intra-op threads, "
              f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}")
        print("| implementation | shape | threads | ms/step |")
        print("|---|---|---:|---:|")
    print(f"| pytorch | {args.shape} | {args.threads} | {mean:.3f} ± {err:.3f} |")


if __name__ == "__main__":
    main()
