package dev.dendrite.core.tensor;

import dev.dendrite.core.init.Initializer;

/**
 * A parameter tensor a layer asks for: its local name ({@code W}, {@code b}, {@code alpha}), shape,
 * initializer, fan-in/fan-out for scaled initializers, L1/L2 penalty coefficients (0 = none), and whether
 * it is trainable. A non-trainable tensor (batch norm's running statistics) lives in the flat vector so it
 * is broadcast and saved with the weights, but its layer writes 0 into its gradient and updates it itself;
 * penalties and weight decay skip it.
 */
public record ParameterSpec(String name, Shape shape, Initializer initializer, int fanIn, int fanOut,
                            double l1, double l2, boolean trainable) {

  public ParameterSpec {
    if (l1 < 0 || l2 < 0) {
      throw new IllegalArgumentException(
          "parameter " + name + ": l1 and l2 must be >= 0, got l1=" + l1 + ", l2=" + l2);
    }
    if (!trainable && (l1 != 0 || l2 != 0)) {
      throw new IllegalArgumentException("parameter " + name + " is not trainable: it cannot carry penalties"
          + " (l1=" + l1 + ", l2=" + l2 + ")");
    }
  }

  /** A trainable tensor. */
  public ParameterSpec(String name, Shape shape, Initializer initializer, int fanIn, int fanOut,
                       double l1, double l2) {
    this(name, shape, initializer, fanIn, fanOut, l1, l2, true);
  }
}
