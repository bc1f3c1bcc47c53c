package dev.dendrite.core.loss;

/** {@code ℓ = (1/W) Σ_j |p_j - t_j|}, {@code ∂ℓ/∂p_j = sign(p_j - t_j) / W} (0 at equality). */
public final class MeanAbsoluteError extends AbstractLoss {

  @Override
  public String name() {
    return "mae";
  }

  @Override
  double example(float[] p, int pOff, int width, float[] t, int tOff, float[] dP, float g) {
    double sum = 0;
    float k = g / width;
    for (int j = 0; j < width; j++) {
      float e = p[pOff + j] - t[tOff + j];
      sum += Math.abs(e);
      if (dP != null) {
        dP[pOff + j] = k * Math.signum(e);
      }
    }
    return sum / width;
  }
}
