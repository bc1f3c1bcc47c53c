package dev.dendrite.core.activation;

/** {@code g(z) = z}: linear output for regression, SVMs and logits. */
public final class Identity extends ElementwiseActivation {

  @Override
  public String name() {
    return "identity";
  }

  @Override
  public float value(float z) {
    return z;
  }

  @Override
  public float derivative(float z, float y) {
    return 1f;
  }

  @Override
  public void forward(float[] z, float[] y, int rows, int cols) {
    if (z != y) {
      System.arraycopy(z, 0, y, 0, rows * cols);
    }
  }

  @Override
  public void backward(float[] z, float[] y, float[] dY, float[] dZ, int rows, int cols) {
    if (dY != dZ) {
      System.arraycopy(dY, 0, dZ, 0, rows * cols);
    }
  }
}
