package dev.dendrite.core.train;

import dev.dendrite.core.random.Rng;

/**
 * Decides which examples of a block form each mini-batch of an epoch. Every epoch the block's rows are
 * put in a seeded random order that depends only on (seed, epoch, partition) — never on earlier epochs,
 * so a resumed or retried computation sees the same order — and the epoch's {@code steps} batches are
 * consecutive slices of that order, spread evenly: step s takes rows
 * {@code [floor(s·n/steps), floor((s+1)·n/steps))}. Batch sizes therefore differ by at most one, every
 * row is used once per epoch, and the batch size never has to divide the data or the partition count.
 *
 * <p>Block {@code p} of {@code P} (its share of the data) shifts its slice boundaries by {@code p/P} of
 * a step: step s takes rows {@code [floor(s·n/steps + p/P), floor((s+1)·n/steps + p/P))}. A block with
 * fewer rows than the epoch has steps (more partitions than the batch size) then gives its rows to
 * different steps than its neighbours instead of all blocks giving theirs to the same few steps and
 * leaving the others empty. When the P blocks hold n rows each, the shifted slices add up to exactly the
 * single-JVM slices of the n·P rows, for every step (Hermite's identity:
 * {@code Σ_p floor(x + p/P) = floor(P·x)}). Share 0 of 1 is the single-JVM slicing.
 *
 * <p>It is the one sampler of both trainers: {@link LocalTrainer} samples its data as share 0 of 1,
 * each Spark partition as its share of the blocks, so one partition on Spark takes exactly the rows a
 * single JVM takes, step by step.
 */
public final class EpochSampler {

  private final int[] order;
  private final int share;
  private final int shares;
  private final Rng rng = new Rng(0);

  /** A sampler for a block of {@code n} examples that holds all the data (share 0 of 1). */
  public EpochSampler(int n) {
    this(n, 0, 1);
  }

  /** A sampler for block {@code share} of {@code shares} (a partition), holding {@code n} examples. */
  public EpochSampler(int n, int share, int shares) {
    if (n < 0) {
      throw new IllegalArgumentException("a block cannot have " + n + " examples");
    }
    checkShare(share, shares);
    this.order = new int[n];
    this.share = share;
    this.shares = shares;
  }

  private static void checkShare(int share, int shares) {
    if (shares < 1 || share < 0 || share >= shares) {
      throw new IllegalArgumentException("share " + share + " of " + shares + " is not a share: expected 0 <= share"
          + " < shares");
    }
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
   * The first row (in epoch order) of step {@code step} for block {@code share} of {@code shares}, holding
   * {@code n} rows: {@code floor(step·n/steps + share/shares)}, computed without overflow.
   */
  public static int sliceStart(int n, int step, int steps, int share, int shares) {
    checkShare(share, shares);
    long whole = (long) n * step;
    long quotient = whole / steps;
    long remainder = whole % steps; // floor(q + (r·P + p·steps) / (steps·P)), each part fits a long
    return (int) (quotient + (remainder * shares + (long) share * steps) / ((long) steps * shares));
  }

  /** The number of rows step {@code step} takes from block {@code share} of {@code shares}, of {@code n} rows. */
  public static int sliceSize(int n, int step, int steps, int share, int shares) {
    return sliceStart(n, step + 1, steps, share, shares) - sliceStart(n, step, steps, share, shares);
  }

  /** The number of rows step {@code step} takes from this sampler's block. */
  public int sliceSize(int step, int steps) {
    return sliceSize(order.length, step, steps, share, shares);
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
      rng.reseed(seed, StepRandom.SHUFFLE_SALT, epoch, partition);
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
    int size = sliceSize(order.length, step, steps, share, shares);
    gather(src, width, step, steps, dst, 0, size);
    return size;
  }

  /** Rows {@code [from, to)} of {@link #gather}'s slice, into the same places of {@code dst}. */
  public void gather(float[] src, int width, int step, int steps, float[] dst, int from, int to) {
    int start = sliceStart(order.length, step, steps, share, shares);
    for (int r = from; r < to; r++) {
      System.arraycopy(src, order[start + r] * width, dst, r * width, width);
    }
  }
}
