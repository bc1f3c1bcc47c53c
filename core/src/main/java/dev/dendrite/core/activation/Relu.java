package dev.dendrite.core.activation;

import dev.dendrite.core.linalg.Kernels;

/** {@code g(z) = max(0, z)}, {@code g' = 1 if z > 0 else 0} (0 taken at z = 0). */
public final class Relu extends ElementwiseActivation {

  @Override
  public String name() {
    return "relu";
  }

  @Override
  public float value(float z) {
    return z > 0f ? z : 0f;
  }

  @Override
  public float derivative(float z, float y) {
    return z > 0f ? 1f : 0f;
  }

  @Override
  public void forwardRange(float[] z, float[] y, int from, int to) {
    for (int i = from; i < to; i++) {
      y[i] = Math.max(z[i], 0f);
    }
  }

  @Override
  public void backwardRange(float[] z, float[] y, float[] dY, float[] dZ, int from, int to) {
    Kernels.reluBackward(z, dY, dZ, from, to);
  }
}
