package dev.dendrite.core.random;

import java.util.random.RandomGenerator;

/**
 * A SplitMix64 generator that can be re-seeded in place, so a training step can derive its generator
 * from (seed, epoch, step, partition) without allocating. Not thread-safe.
 */
public final class Rng implements RandomGenerator {

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private long state;

  public Rng(long seed) {
    this.state = seed;
  }

  /** A generator seeded from a base seed and any number of keys (epoch, step, partition...). */
  public static Rng derive(long seed, long... keys) {
    return new Rng(mix(seed, keys));
  }

  /** Re-seeds this generator in place, as {@link #derive} would. */
  public Rng reseed(long seed, long... keys) {
    state = mix(seed, keys);
    return this;
  }

  /** Mixes a seed with keys into a new, well-spread seed. */
  public static long mix(long seed, long... keys) {
    long h = finalizeMix(seed + GOLDEN);
    for (long key : keys) {
      h = finalizeMix(h ^ finalizeMix(key + GOLDEN));
    }
    return h;
  }

  /** The generator's position; {@code new Rng(position())} continues the same sequence. */
  public long position() {
    return state;
  }

  @Override
  public long nextLong() {
    state += GOLDEN;
    return finalizeMix(state);
  }

  private static long finalizeMix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
