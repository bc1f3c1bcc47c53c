package dev.dendrite.core.activation;

import dev.dendrite.core.linalg.Kernels;

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

  /** The logistic function, {@link Kernels#sigmoid(float)}: the same bits as the batch form. */
  public static float sigmoid(float z) {
    return Kernels.sigmoid(z);
  }

  @Override
  public float derivative(float z, float y) {
    return y * (1f - y);
  }

  @Override
  public void forwardRange(float[] z, float[] y, int from, int to) {
    Kernels.sigmoid(z, y, from, to);
  }

  @Override
  public void backwardRange(float[] z, float[] y, float[] dY, float[] dZ, int from, int to) {
    for (int i = from; i < to; i++) {
      float s = y[i];
      dZ[i] = s * (1f - s) * dY[i];
    }
  }
}
