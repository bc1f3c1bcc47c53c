package dev.dendrite.core.activation;

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
  public void forward(float[] z, float[] y, int rows, int cols) {
    int n = rows * cols;
    for (int i = 0; i < n; i++) {
      y[i] = Math.max(z[i], 0f);
    }
  }

  @Override
  public void backward(float[] z, float[] y, float[] dY, float[] dZ, int rows, int cols) {
    int n = rows * cols;
    for (int i = 0; i < n; i++) {
      // Same result as `z > 0 ? dY : 0`, but selecting int bits lets the JIT emit a conditional move:
      // the sign of z is random in training, and a branch on it mispredicted half the time (2x slower).
      int bits = Float.floatToRawIntBits(dY[i]);
      dZ[i] = Float.intBitsToFloat(z[i] > 0f ? bits : 0);
    }
  }
}
