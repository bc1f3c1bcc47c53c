package dev.dendrite.core.activation;

/** {@code g(z) = atan z}, {@code g' = 1 / (1 + z²)}. */
public final class Arctan extends ElementwiseActivation {

  @Override
  public String name() {
    return "arctan";
  }

  @Override
  public float value(float z) {
    return (float) Math.atan(z);
  }

  @Override
  public float derivative(float z, float y) {
    return 1f / (1f + z * z);
  }
}
