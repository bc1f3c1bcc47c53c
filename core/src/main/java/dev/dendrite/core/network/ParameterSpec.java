package dev.dendrite.core.network;

import dev.dendrite.core.init.Initializer;

/**
 * A parameter tensor a layer asks for: its local name ({@code W}, {@code b}, {@code alpha}), shape,
 * initializer, fan-in/fan-out for scaled initializers, and L1/L2 penalty coefficients (0 = none).
 */
public record ParameterSpec(String name, Shape shape, Initializer initializer, int fanIn, int fanOut,
                            double l1, double l2) {

  public ParameterSpec {
    if (l1 < 0 || l2 < 0) {
      throw new IllegalArgumentException(
          "parameter " + name + ": l1 and l2 must be >= 0, got l1=" + l1 + ", l2=" + l2);
    }
  }
}
