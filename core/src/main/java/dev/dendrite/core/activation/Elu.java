package dev.dendrite.core.activation;

/** {@code g(z) = z if z > 0 else alpha (e^z - 1)}, {@code g' = 1 or y + alpha}. */
public final class Elu extends ElementwiseActivation {

  private final float alpha;

  public Elu(float alpha) {
    if (!(alpha > 0f)) {
      throw new IllegalArgumentException("elu alpha must be > 0, got " + alpha);
    }
    this.alpha = alpha;
  }

  public float alpha() {
    return alpha;
  }

  @Override
  public String name() {
    return "elu(" + alpha + ")";
  }

  @Override
  public float value(float z) {
    return z > 0f ? z : (float) (alpha * Math.expm1(z));
  }

  @Override
  public float derivative(float z, float y) {
    return z > 0f ? 1f : y + alpha;
  }
}
