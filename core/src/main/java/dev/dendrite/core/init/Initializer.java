package dev.dendrite.core.init;

import java.util.random.RandomGenerator;

/** Fills a parameter tensor, {@code values[offset, offset + length)}, given its fan-in and fan-out. */
public interface Initializer {

  void fill(float[] values, int offset, int length, int fanIn, int fanOut, RandomGenerator rng);

  /** The name used in configs and model files, e.g. {@code he_normal} or {@code constant(0.1)}. */
  String name();
}
