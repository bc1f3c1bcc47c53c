package dev.dendrite.core.loss;

/**
 * {@code ℓ = Σ_j (p_j - t_j)²}, {@code ∂ℓ/∂p_j = 2 (p_j - t_j)}: the squared distance {@code ‖x − d(z)‖²}
 * of the lecture's variational autoencoder loss, not divided by the width as {@link MeanSquaredError} is.
 */
public final class SumSquaredError extends AbstractLoss {

  @Override
  public String name() {
    return "sse";
  }

  @Override
  double example(float[] p, int pOff, int width, float[] t, int tOff, float[] dP, float g) {
    double sum = 0;
    float k = 2f * g;
    for (int j = 0; j < width; j++) {
      float e = p[pOff + j] - t[tOff + j];
      sum += (double) e * e;
      if (dP != null) {
        dP[pOff + j] = k * e;
      }
    }
    return sum;
  }
}
