"""PyTorch reference for Dendrite's RecurrentStepBenchmark: one training step of nn.LSTM or nn.GRU (128 units,
batch_first) over Fashion-MNIST images read as 28 steps of 28 pixels, the last hidden state into
Linear(128, 10) and cross-entropy on the logits, Adam (lr 1e-3), batch 128, on the first 16 batches of the
epoch-0 order (fashion_mnist.py) used in turn. Appends a result line to bin/bench's TSV file.
"""

import argparse
import math
import os
import statistics
import time

BATCH = 128
BATCHES = 16


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cell", choices=["lstm", "gru"], default="lstm")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--warmup", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--round-seconds", type=float, default=1.0)
    parser.add_argument("--tsv")
    parser.add_argument("--name", default="pytorch")
    args = parser.parse_args()

    import torch
    import fashion_mnist

    torch.set_num_threads(args.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    torch.manual_seed(7)
    x, y = fashion_mnist.load("fashion-mnist")
    rows = fashion_mnist.order(0, x.shape[0])[:BATCHES * BATCH]
    xs = x[rows].reshape(BATCHES, BATCH, 28, 28).contiguous()
    ys = y[rows].reshape(BATCHES, BATCH).contiguous()

    rnn = (torch.nn.GRU if args.cell == "gru" else torch.nn.LSTM)(28, 128, batch_first=True)
    head = torch.nn.Linear(128, 10)
    params = list(rnn.parameters()) + list(head.parameters())
    opt = torch.optim.Adam(params, lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    step = 0

    def run(seconds):
        nonlocal step
        n = 0
        start = time.perf_counter()
        end = start + seconds
        while True:
            b = step % BATCHES
            opt.zero_grad(set_to_none=True)
            out, _ = rnn(xs[b])
            loss = loss_fn(head(out[:, -1, :]), ys[b])
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
    err = 3.291 * statistics.stdev(rates) / math.sqrt(len(rates))  # about JMH's 99.9 % half-width
    blas = os.environ.get("OPENBLAS_NUM_THREADS", "unset")
    print(f"| {args.name} {args.cell} | {args.threads} | {blas} | {mean:.0f} ± {err:.0f} | {BATCH * 1e3 / mean:.2f} |")
    if args.tsv:
        new = not os.path.exists(args.tsv)
        with open(args.tsv, "a", encoding="utf-8") as f:
            if new:
                f.write("# kind\timpl\ta\tb\tvalue\terror\tnote\n")
            f.write(f"rnn-{args.cell}\t{args.name}\t{args.threads}\t{blas}\t{mean:.4g}\t{err:.4g}\t"
                    f"torch {torch.__version__}, nn.{args.cell.upper()} 128, batch 128\n")


if __name__ == "__main__":
    main()
