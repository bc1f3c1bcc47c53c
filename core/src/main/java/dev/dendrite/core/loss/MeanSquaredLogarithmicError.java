package dev.dendrite.core.loss;

/**
 * {@code ℓ = (1/W) Σ_j (ln(1 + p_j) - ln(1 + t_j))²}. Targets must be ≥ 0; predictions below 0 are
 * clamped to 0 (as Keras does), where the gradient is 0.
 */
public final class MeanSquaredLogarithmicError extends AbstractLoss {

  @Override
  public String name() {
    return "msle";
  }

  @Override
  double example(float[] p, int pOff, int width, float[] t, int tOff, float[] dP, float g) {
    double sum = 0;
    float k = 2f * g / width;
    for (int j = 0; j < width; j++) {
      float target = t[tOff + j];
      if (!(target >= 0f)) {
        throw new IllegalArgumentException("msle target " + target + " at column " + j + " must be >= 0");
      }
      float pred = p[pOff + j];
      float clamped = Math.max(pred, 0f);
      double e = Math.log1p(clamped) - Math.log1p(target);
      sum += e * e;
      if (dP != null) {
        dP[pOff + j] = pred > 0f ? (float) (k * e / (1.0 + clamped)) : 0f;
      }
    }
    return sum / width;
  }
}
