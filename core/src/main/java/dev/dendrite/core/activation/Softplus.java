package dev.dendrite.core.activation;

/** {@code g(z) = ln(1 + e^z)} (computed as {@code max(z,0) + ln(1 + e^-|z|)}), {@code g' = sigmoid(z)}. */
public final class Softplus extends ElementwiseActivation {

  @Override
  public String name() {
    return "softplus";
  }

  @Override
  public float value(float z) {
    return (float) (Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z))));
  }

  @Override
  public float derivative(float z, float y) {
    return Sigmoid.sigmoid(z);
  }
}
