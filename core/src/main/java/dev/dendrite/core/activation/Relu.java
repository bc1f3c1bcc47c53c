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
      dZ[i] = z[i] > 0f ? dY[i] : 0f;
    }
  }
}
