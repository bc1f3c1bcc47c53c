package dev.dendrite.core.train;

import dev.dendrite.core.random.Rng;

/**
 * Where the random draws of a training step come from: every generator is derived from (seed, epoch,
 * step, partition) and a salt that keeps draws of different purposes apart, never from earlier draws,
 * so a resumed or retried step draws the same numbers. {@link LocalTrainer} and every Spark runner use
 * these (a single JVM is partition 0 of 1), so one partition on Spark draws exactly what one JVM draws.
 */
public final class StepRandom {

  /** Salt of an epoch's row order (see {@link EpochSampler#order}). */
  public static final long SHUFFLE_SALT = 0x5A3B1E;
  /** Salt of the dropout masks of one partition's share of one step. */
  public static final long DROPOUT_SALT = 0xD409;

  private StepRandom() {
  }

  /** {@code rng} reseeded for the dropout masks of {@code partition}'s share of step {@code step} of {@code epoch}. */
  public static Rng dropout(Rng rng, long seed, int epoch, int step, int partition) {
    return rng.reseed(seed, DROPOUT_SALT, epoch, step, partition);
  }
}
