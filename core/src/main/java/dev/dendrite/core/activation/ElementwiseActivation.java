package dev.dendrite.core.activation;

/**
 * An activation applied to each element on its own: {@code y = g(z)}, {@code dZ = g'(z) · dY}.
 * Subclasses on the hot path override the loops so the JIT sees one receiver per loop.
 */
public abstract class ElementwiseActivation implements Activation {

  /** {@code g(z)}. */
  public abstract float value(float z);

  /** {@code g'(z)}, given also {@code y = g(z)} (cheaper for sigmoid, tanh, ELU). */
  public abstract float derivative(float z, float y);

  @Override
  public void forward(float[] z, float[] y, int rows, int cols) {
    int n = rows * cols;
    for (int i = 0; i < n; i++) {
      y[i] = value(z[i]);
    }
  }

  @Override
  public void backward(float[] z, float[] y, float[] dY, float[] dZ, int rows, int cols) {
    int n = rows * cols;
    for (int i = 0; i < n; i++) {
      dZ[i] = derivative(z[i], y[i]) * dY[i];
    }
  }

  @Override
  public String toString() {
    return name();
  }
}
