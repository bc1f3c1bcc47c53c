package dev.dendrite.core.train;

import dev.dendrite.core.random.Rng;

/**
 * Decides which examples of a block form each mini-batch of an epoch. Every epoch the block's rows are
 * put in a seeded random order that depends only on (seed, epoch, partition) — never on earlier epochs,
 * so a resumed or retried computation sees the same order — and the epoch's {@code steps} batches are
 * consecutive slices of that order, spread evenly: step s takes rows
 * {@code [floor(s·n/steps), floor((s+1)·n/steps))}. Batch sizes therefore differ by at most one, every
 * row is used once per epoch, and the batch size never has to divide the data or the partition count.
 */
public final class EpochSampler {

  private final int[] order;
  private final Rng rng = new Rng(0);

  /** A sampler for a block of {@code n} examples. */
  public EpochSampler(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("a block cannot have " + n + " examples");
    }
    this.order = new int[n];
  }

  /** The number of steps in an epoch of {@code total} examples with (global) batch size {@code batch}. */
  public static int stepsPerEpoch(long total, int batch) {
    if (batch <= 0) {
      throw new IllegalArgumentException("batch size must be > 0, got " + batch);
    }
    if (total <= 0) {
      throw new IllegalArgumentException("no training examples");
    }
    return (int) Math.min(Integer.MAX_VALUE, (total + batch - 1) / batch);
  }

  /** The first row (in epoch order) of step {@code step} for a block of {@code n} rows. */
  public static int sliceStart(int n, int step, int steps) {
    return (int) ((long) n * step / steps);
  }

  /** The number of rows step {@code step} takes from a block of {@code n} rows. */
  public static int sliceSize(int n, int step, int steps) {
    return sliceStart(n, step + 1, steps) - sliceStart(n, step, steps);
  }

  /**
   * Puts the block's rows in the order of this (seed, epoch, partition), or in their stored order when
   * {@code shuffle} is false; returns that order (a live array, valid until the next call).
   */
  public int[] order(long seed, long epoch, long partition, boolean shuffle) {
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    if (shuffle) {
      rng.reseed(seed, 0x5A3B1E, epoch, partition);
      for (int i = order.length - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    return order;
  }

  /**
   * Copies the rows of step {@code step} (in the current order) from {@code src [n, width]} into
   * {@code dst [slice, width]}; returns the slice size.
   */
  public int gather(float[] src, int width, int step, int steps, float[] dst) {
    int start = sliceStart(order.length, step, steps);
    int size = sliceSize(order.length, step, steps);
    for (int r = 0; r < size; r++) {
      System.arraycopy(src, order[start + r] * width, dst, r * width, width);
    }
    return size;
  }
}
