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
  public final void forward(float[] z, float[] y, int rows, int cols) {
    forwardRange(z, y, 0, rows * cols);
  }

  @Override
  public final void backward(float[] z, float[] y, float[] dY, float[] dZ, int rows, int cols) {
    backwardRange(z, y, dY, dZ, 0, rows * cols);
  }

  /**
   * {@code y[i] = g(z[i])} for {@code i} in {@code [from, to)}: an elementwise activation can run on any
   * part of a batch, such as one thread's share of a layer's units in each row.
   */
  public void forwardRange(float[] z, float[] y, int from, int to) {
    for (int i = from; i < to; i++) {
      y[i] = value(z[i]);
    }
  }

  /** {@code dZ[i] = g'(z[i]) · dY[i]} for {@code i} in {@code [from, to)} ({@code dZ} may be {@code dY}). */
  public void backwardRange(float[] z, float[] y, float[] dY, float[] dZ, int from, int to) {
    for (int i = from; i < to; i++) {
      dZ[i] = derivative(z[i], y[i]) * dY[i];
    }
  }

  @Override
  public String toString() {
    return name();
  }
}
