package dev.dendrite.core.loss;

/**
 * Loops a per-example loss over a batch, applying example weights and naming the row of a bad target.
 */
abstract class AbstractLoss implements Loss {

  /**
   * One example's loss {@code ℓ(p, t)}; when {@code dP} is not null also writes
   * {@code dP[pOff + j] = g · ∂ℓ/∂p_j}. Throws {@link IllegalArgumentException} for a bad target.
   */
  abstract double example(float[] p, int pOff, int width, float[] t, int tOff, float[] dP, float g);

  /** One example's fused loss and {@code dZ = g · ∂ℓ/∂z}; only for losses that fuse. */
  double fusedExample(float[] z, float[] y, int off, int width, float[] t, int tOff, float[] dZ, float g) {
    throw new UnsupportedOperationException(name() + " has no fused gradient");
  }

  @Override
  public int targetWidth(int outputs) {
    return outputs;
  }

  @Override
  public double value(float[] pred, int width, float[] targets, int tOffset, float[] weights,
                      int wOffset, int batch) {
    return loop(pred, null, width, targets, tOffset, weights, wOffset, batch, 0f, null, false);
  }

  @Override
  public double gradient(float[] pred, int width, float[] targets, int tOffset, float[] weights,
                         int wOffset, int batch, float scale, float[] dPred) {
    return loop(pred, null, width, targets, tOffset, weights, wOffset, batch, scale, dPred, false);
  }

  @Override
  public double fusedGradient(float[] z, float[] y, int width, float[] targets, int tOffset,
                              float[] weights, int wOffset, int batch, float scale, float[] dZ) {
    return loop(z, y, width, targets, tOffset, weights, wOffset, batch, scale, dZ, true);
  }

  private double loop(float[] a, float[] y, int width, float[] targets, int tOffset, float[] weights,
                      int wOffset, int batch, float scale, float[] d, boolean fused) {
    int tw = targetWidth(width);
    double sum = 0;
    for (int r = 0; r < batch; r++) {
      float w = weights == null ? 1f : weights[wOffset + r];
      int off = r * width;
      int tOff = tOffset + r * tw;
      double l;
      try {
        l = fused
            ? fusedExample(a, y, off, width, targets, tOff, d, scale * w)
            : example(a, off, width, targets, tOff, d, scale * w);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(name() + ": example " + r + " of the batch: " + e.getMessage(), e);
      }
      sum += w * l;
    }
    return sum;
  }

  /** Hinge-style labels: accepts -1/+1 and converts 0 to -1; anything else is an error. */
  static float signLabel(float t) {
    if (t == 1f) {
      return 1f;
    }
    if (t == -1f || t == 0f) {
      return -1f;
    }
    throw new IllegalArgumentException("label " + t + " is not a binary label (use -1/+1 or 0/1)");
  }

  @Override
  public String toString() {
    return name();
  }
}
