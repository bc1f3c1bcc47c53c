package dev.dendrite.core.activation;

import dev.dendrite.core.linalg.Kernels;

/** {@code g(z) = tanh z}, {@code g' = 1 - y²}. */
public final class Tanh extends ElementwiseActivation {

  @Override
  public String name() {
    return "tanh";
  }

  @Override
  public float value(float z) {
    return Kernels.tanh(z);
  }

  @Override
  public float derivative(float z, float y) {
    return 1f - y * y;
  }

  @Override
  public void forwardRange(float[] z, float[] y, int from, int to) {
    Kernels.tanh(z, y, from, to);
  }

  @Override
  public void backwardRange(float[] z, float[] y, float[] dY, float[] dZ, int from, int to) {
    for (int i = from; i < to; i++) {
      float t = y[i];
      dZ[i] = (1f - t * t) * dY[i];
    }
  }
}
