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
  public void forwardRange(float[] z, float[] y, int from, int to) {
    if (z != y) {
      System.arraycopy(z, from, y, from, to - from);
    }
  }

  @Override
  public void backwardRange(float[] z, float[] y, float[] dY, float[] dZ, int from, int to) {
    if (dY != dZ) {
      System.arraycopy(dY, from, dZ, from, to - from);
    }
  }
}
