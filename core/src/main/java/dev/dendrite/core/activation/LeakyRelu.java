package dev.dendrite.core.activation;

/** {@code g(z) = z if z > 0 else slope·z}, {@code g' = 1 or slope}. */
public final class LeakyRelu extends ElementwiseActivation {

  private final float slope;

  public LeakyRelu(float slope) {
    if (!(slope >= 0f && slope < 1f)) {
      throw new IllegalArgumentException("leaky_relu slope must be in [0, 1), got " + slope);
    }
    this.slope = slope;
  }

  public float slope() {
    return slope;
  }

  @Override
  public String name() {
    return "leaky_relu(" + slope + ")";
  }

  @Override
  public float value(float z) {
    return z > 0f ? z : slope * z;
  }

  @Override
  public float derivative(float z, float y) {
    return z > 0f ? 1f : slope;
  }
}
