package dev.dendrite.core.activation;

/** {@code g(z) = 1 / (1 + e^-z)}, {@code g' = y (1 - y)}; evaluated without overflow for large |z|. */
public final class Sigmoid extends ElementwiseActivation {

  @Override
  public String name() {
    return "sigmoid";
  }

  @Override
  public float value(float z) {
    return sigmoid(z);
  }

  /** The logistic function, stable for any z. */
  public static float sigmoid(float z) {
    if (z >= 0f) {
      return (float) (1.0 / (1.0 + Math.exp(-z)));
    }
    double e = Math.exp(z);
    return (float) (e / (1.0 + e));
  }

  @Override
  public float derivative(float z, float y) {
    return y * (1f - y);
  }

  @Override
  public void forwardRange(float[] z, float[] y, int from, int to) {
    for (int i = from; i < to; i++) {
      y[i] = sigmoid(z[i]);
    }
  }

  @Override
  public void backwardRange(float[] z, float[] y, float[] dY, float[] dZ, int from, int to) {
    for (int i = from; i < to; i++) {
      float s = y[i];
      dZ[i] = s * (1f - s) * dY[i];
    }
  }
}
