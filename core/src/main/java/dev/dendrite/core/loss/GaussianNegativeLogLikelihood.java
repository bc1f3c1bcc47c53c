package dev.dendrite.core.loss;

/**
 * Gaussian negative log-likelihood for a network that predicts, per target, a mean μ and a
 * log-variance s: outputs {@code [μ_1..μ_k, s_1..s_k]} (width 2k), targets width k.
 * {@code ℓ = (1/k) Σ_j ½ [ln 2π + s_j + (t_j - μ_j)² e^{-s_j}]};
 * {@code ∂ℓ/∂μ_j = -(t_j - μ_j) e^{-s_j} / k}, {@code ∂ℓ/∂s_j = ½ (1 - (t_j - μ_j)² e^{-s_j}) / k}.
 */
public final class GaussianNegativeLogLikelihood extends AbstractLoss {

  private static final double LOG_2PI = Math.log(2 * Math.PI);

  @Override
  public String name() {
    return "gaussian_nll";
  }

  @Override
  public int targetWidth(int outputs) {
    if (outputs % 2 != 0) {
      throw new IllegalArgumentException("gaussian_nll needs an even number of outputs (means then "
          + "log-variances), got " + outputs);
    }
    return outputs / 2;
  }

  @Override
  double example(float[] p, int pOff, int width, float[] t, int tOff, float[] dP, float g) {
    int k = width / 2;
    double sum = 0;
    float scale = g / k;
    for (int j = 0; j < k; j++) {
      float mu = p[pOff + j];
      float logVar = p[pOff + k + j];
      float e = t[tOff + j] - mu;
      double precision = Math.exp(-logVar);
      double sq = e * e * precision;
      sum += 0.5 * (LOG_2PI + logVar + sq);
      if (dP != null) {
        dP[pOff + j] = (float) (-scale * e * precision);
        dP[pOff + k + j] = (float) (0.5 * scale * (1 - sq));
      }
    }
    return sum / k;
  }
}
