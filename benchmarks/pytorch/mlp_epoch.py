"""PyTorch reference for Dendrite's EpochBenchmark: whole training epochs of the MLP 784-256-128-10 (ReLU,
ReLU, linear + cross-entropy on logits), Adam (lr 1e-3), batch 128, over the Fashion-MNIST training set in
the order fashion_mnist.order gives (the same batches in the same order as Dendrite), in a plain loop:
gather a batch by index, forward, backward, step. The first epoch is warm-up; the result is the median
samples/s over the measured epochs, each printed with its mean training loss.

Run through bin/bench-pytorch, which sets OMP_NUM_THREADS, MKL_NUM_THREADS and OPENBLAS_NUM_THREADS to the
thread count before Python starts.
"""

import argparse
import os
import statistics
import time

BATCH = 128


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1, help="torch.set_num_threads (default 1)")
    parser.add_argument("--epochs", type=int, default=4, help="measured epochs after one warm-up (default 4)")
    parser.add_argument("--tsv", help="append the result to this bin/bench results file")
    parser.add_argument("--name", default="pytorch", help="implementation name in the table (default pytorch)")
    args = parser.parse_args()

    import torch  # after the environment is settled
    import fashion_mnist

    torch.set_num_threads(args.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    torch.manual_seed(1)
    x, y = fashion_mnist.load("fashion-mnist")
    n = x.shape[0]
    batches = n // BATCH

    model = torch.nn.Sequential(
        torch.nn.Linear(784, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 128), torch.nn.ReLU(),
        torch.nn.Linear(128, 10))
    loss_fn = torch.nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    print(f"torch {torch.__version__}, {torch.get_num_threads()} intra-op threads, "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}, "
          f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', 'unset')}")
    rates = []
    last_loss = float("nan")
    for epoch in range(-1, args.epochs):  # epoch -1: warm-up
        rows = fashion_mnist.order(epoch + 1, n)
        loss_sum = 0.0
        start = time.perf_counter()
        for b in range(batches):
            idx = rows[b * BATCH:(b + 1) * BATCH]
            xb, yb = x[idx], y[idx]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            opt.step()
            loss_sum += loss.item() * BATCH
        seconds = time.perf_counter() - start
        last_loss = loss_sum / (batches * BATCH)
        rate = batches * BATCH / seconds
        print(f"  {'warm-up' if epoch < 0 else 'measured'} epoch {epoch + 1}: {seconds:.2f} s, "
              f"{rate:.0f} samples/s, mean loss {last_loss:.4f}")
        if epoch >= 0:
            rates.append(rate)
    median = statistics.median(rates)
    spread = (max(rates) - min(rates)) / 2
    print(f"| {args.name} (epochs) | {args.threads} | {os.environ.get('OPENBLAS_NUM_THREADS', 'unset')} | "
          f"{median:.0f} ± {spread:.0f} | {BATCH * 1e3 / median:.2f} |")
    if args.tsv:
        new = not os.path.exists(args.tsv)
        with open(args.tsv, "a", encoding="utf-8") as f:
            if new:
                f.write("# kind\timpl\ta\tb\tvalue\terror\tnote\n")
            f.write(f"epoch\t{args.name}\t{args.threads}\t{os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}\t"
                    f"{median:.4g}\t{spread:.4g}\tmedian of {args.epochs} epochs, mean loss of the last "
                    f"{last_loss:.4f}, torch {torch.__version__}, "
                    f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', 'unset')}\n")


if __name__ == "__main__":
    main()
