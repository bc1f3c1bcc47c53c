package dev.dendrite.core.activation;

/** {@code g(z) = tanh z}, {@code g' = 1 - y²}. */
public final class Tanh extends ElementwiseActivation {

  @Override
  public String name() {
    return "tanh";
  }

  @Override
  public float value(float z) {
    return (float) Math.tanh(z);
  }

  @Override
  public float derivative(float z, float y) {
    return 1f - y * y;
  }

  @Override
  public void forward(float[] z, float[] y, int rows, int cols) {
    int n = rows * cols;
    for (int i = 0; i < n; i++) {
      y[i] = (float) Math.tanh(z[i]);
    }
  }

  @Override
  public void backward(float[] z, float[] y, float[] dY, float[] dZ, int rows, int cols) {
    int n = rows * cols;
    for (int i = 0; i < n; i++) {
      float t = y[i];
      dZ[i] = (1f - t * t) * dY[i];
    }
  }
}
