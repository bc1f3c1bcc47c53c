"""PyTorch reference for Dendrite's TrainingStepBenchmark: one training step of the MLP 784-256-128-10
(ReLU, ReLU, linear + cross-entropy on logits = softmax + sparse categorical CE), Adam (lr 1e-3), batch 128,
on the first 16 Fashion-MNIST batches of the epoch-0 order (fashion_mnist.py), used in turn exactly as the
JMH benchmark uses them; --data random (uniform pixels) is a labelled extra. Prints samples/s in the same
table format as bin/bench and can append a result line to bin/bench's TSV file.

Run through bin/bench-pytorch, which sets OMP_NUM_THREADS, MKL_NUM_THREADS and OPENBLAS_NUM_THREADS to the
thread count before Python starts (OpenBLAS reads its variable when the library loads).
"""

import argparse
import math
import os
import statistics
import sys
import time

BATCH = 128
INPUTS = 784
CLASSES = 10
BATCHES = 16

# Student t quantiles for a two-sided 99.9 % interval (as JMH reports), by degrees of freedom.
T999 = {1: 636.62, 2: 31.599, 3: 12.924, 4: 8.610, 5: 6.869, 6: 5.959, 7: 5.408, 8: 5.041, 9: 4.781,
        10: 4.587, 11: 4.437, 12: 4.318, 13: 4.221, 14: 4.140, 15: 4.073, 19: 3.883, 24: 3.745, 29: 3.659}


def t999(df):
    best = max(k for k in T999 if k <= df) if df >= 1 else 1
    return T999[best] if df < 30 else 3.291


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1)")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds of warm-up (default 5)")
    parser.add_argument("--rounds", type=int, default=8, help="measured rounds (default 8)")
    parser.add_argument("--round-seconds", type=float, default=1.0, help="seconds per round (default 1)")
    parser.add_argument("--tsv", help="append the result to this bin/bench results file")
    parser.add_argument("--no-header", action="store_true", help="print only the table row")
    parser.add_argument("--name", default="pytorch", help="implementation name in the table (default pytorch)")
    parser.add_argument("--data", default="fashion-mnist", choices=["fashion-mnist", "random"],
                        help="the real training images (default) or uniform random pixels")
    args = parser.parse_args()

    blas_threads = os.environ.get("OPENBLAS_NUM_THREADS", "unset")
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        if os.environ.get(var) != str(args.threads):
            print(f"warning: {var}={os.environ.get(var, 'unset')} but --threads {args.threads}; "
                  "run through bin/bench-pytorch to set them consistently", file=sys.stderr)

    import torch  # after the environment is settled

    torch.set_num_threads(args.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass  # already set in this process
    torch.manual_seed(7)

    model = torch.nn.Sequential(
        torch.nn.Linear(INPUTS, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 128), torch.nn.ReLU(),
        torch.nn.Linear(128, CLASSES))
    loss_fn = torch.nn.CrossEntropyLoss()  # log-softmax + NLL, mean over the batch
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    import fashion_mnist
    x, y = fashion_mnist.load(args.data)
    rows = fashion_mnist.order(0, x.shape[0])[:BATCHES * BATCH]
    xs = x[rows].reshape(BATCHES, BATCH, INPUTS).contiguous()
    ys = y[rows].reshape(BATCHES, BATCH).contiguous()

    step = 0

    def run(seconds):
        nonlocal step
        n = 0
        start = time.perf_counter()
        end = start + seconds
        while True:
            b = step % BATCHES
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xs[b]), ys[b])
            loss.backward()
            opt.step()
            step += 1
            n += 1
            now = time.perf_counter()
            if now >= end:
                return n * BATCH / (now - start)

    run(args.warmup)
    rates = [run(args.round_seconds) for _ in range(args.rounds)]
    mean = statistics.fmean(rates)
    err = t999(len(rates) - 1) * statistics.stdev(rates) / math.sqrt(len(rates)) if len(rates) > 1 else float("nan")

    if not args.no_header:
        print(f"torch {torch.__version__}, {torch.get_num_threads()} intra-op threads, OPENBLAS_NUM_THREADS={blas_threads}, data {args.data}")
        print("| implementation | JVM/torch threads | BLAS threads | samples/s | ms/step | vs fastest PyTorch, same cores |")
        print("|---|---:|---:|---:|---:|---:|")
    print(f"| {args.name} | {args.threads} | {blas_threads} | {mean:.0f} ± {err:.0f} | {BATCH * 1e3 / mean:.2f} | - |")
    if args.tsv:
        new = not os.path.exists(args.tsv)
        with open(args.tsv, "a", encoding="utf-8") as f:
            if new:
                f.write("# kind\timpl\ta\tb\tvalue\terror\tnote\n")
            kind = "train-random" if args.data == "random" else "train"
            f.write(f"{kind}\t{args.name}\t{args.threads}\t{blas_threads}\t{mean:.4g}\t{err:.4g}\t"
                    f"torch {torch.__version__}, OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', 'unset')}, MLP 784-256-128-10, Adam, batch 128\n")


if __name__ == "__main__":
    main()
