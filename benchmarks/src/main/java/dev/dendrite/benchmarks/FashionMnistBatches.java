package dev.dendrite.benchmarks;

import dev.dendrite.core.data.Dataset;
import dev.dendrite.core.data.FashionMnist;
import dev.dendrite.core.random.Rng;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The benchmark's input: the Fashion-MNIST training set with pixels scaled to [0, 1], visited in an order
 * that PyTorch's side ({@code benchmarks/pytorch/fashion_mnist.py}) computes identically, so both sides
 * train on the same batches in the same order.
 *
 * <p>Epoch {@code e} visits row {@code (a_e · i + c_e) mod n} at position {@code i}: an affine map with
 * {@code a_e} prime to {@code n} is a permutation, and a large multiplier scatters consecutive positions
 * over the whole set, so gathering a batch touches rows as far apart as a shuffle would. It is written
 * out in both languages in a few lines instead of exchanging a permutation file.
 *
 * <p>{@code random} data (uniform pixels, random labels) is kept as a labelled extra: Debian's PyTorch
 * spends most of a step in Adam's {@code sqrt}/{@code div} slow path on such inputs, which no real data set
 * triggers, so it must never be the headline comparison.
 */
final class FashionMnistBatches {

  /** Multipliers of the epoch orders; each shares no factor with 60 000 = 2⁵·3·5⁴. */
  static final int[] MULTIPLIERS = {7919, 12347, 22307, 39419, 47981, 52951, 31337, 17389};

  final float[] x;      // [n, 784], pixels / 255
  final float[] labels; // [n]
  final int n;
  final int width;

  private FashionMnistBatches(float[] x, float[] labels, int width) {
    this.x = x;
    this.labels = labels;
    this.width = width;
    this.n = labels.length;
  }

  /** {@code fashion-mnist}: the real training set; {@code random}: 60 000 uniform rows of 784 (seed 7). */
  static FashionMnistBatches load(String data) {
    if (data.equals("random")) {
      Rng rng = new Rng(7);
      int n = 60_000;
      float[] x = new float[n * 784];
      for (int i = 0; i < x.length; i++) {
        x[i] = rng.nextFloat();
      }
      float[] labels = new float[n];
      for (int i = 0; i < n; i++) {
        labels[i] = rng.nextInt(10);
      }
      return new FashionMnistBatches(x, labels, 784);
    }
    if (!data.equals("fashion-mnist")) {
      throw new IllegalArgumentException("data must be fashion-mnist or random, got " + data);
    }
    Dataset train;
    try {
      train = FashionMnist.train();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    float[] x = train.features().clone();
    for (int i = 0; i < x.length; i++) {
      x[i] /= 255f;
    }
    float[] labels = new float[train.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = train.label(i);
    }
    return new FashionMnistBatches(x, labels, train.featureWidth());
  }

  /** The row visited at position {@code i} of epoch {@code epoch}. */
  int row(int epoch, int i) {
    long a = MULTIPLIERS[epoch % MULTIPLIERS.length];
    long c = (long) epoch * 9973 % n;
    return (int) ((a * i + c) % n);
  }

  /** Full batches per epoch (the remainder of {@code n / batch} rows is dropped, on both sides). */
  int batchesPerEpoch(int batch) {
    return n / batch;
  }

  /** Copies batch {@code b} of epoch {@code epoch} into {@code xb [batch, width]} and {@code yb [batch]}. */
  void gather(int epoch, int b, int batch, float[] xb, float[] yb) {
    gatherRows(epoch, b, batch, xb, yb, 0, batch);
  }

  /** Rows {@code [from, to)} of {@link #gather}'s batch, into the same places of {@code xb} and {@code yb}. */
  void gatherRows(int epoch, int b, int batch, float[] xb, float[] yb, int from, int to) {
    for (int r = from; r < to; r++) {
      int row = row(epoch, b * batch + r);
      System.arraycopy(x, row * width, xb, r * width, width);
      yb[r] = labels[row];
    }
  }
}
