package dev.dendrite.core.loss;

import dev.dendrite.core.activation.Activation;
import dev.dendrite.core.activation.Softmax;

/**
 * Categorical cross-entropy with one-hot (or probability) targets: {@code ℓ = -Σ_j t_j ln p_j}, p clipped
 * below at 1e-7. Behind softmax the fused gradient is {@code dZ = p (Σ_j t_j) - t}, i.e. {@code p - t}.
 */
public final class CategoricalCrossEntropy extends AbstractLoss {

  @Override
  public String name() {
    return "categorical_crossentropy";
  }

  /** A class index becomes a one-hot row when there are several classes. */
  @Override
  public TargetEncoding targetEncoding(int outputs) {
    return targetWidth(outputs) > 1 ? TargetEncoding.ONE_HOT : TargetEncoding.AS_GIVEN;
  }

  @Override
  double example(float[] p, int pOff, int width, float[] t, int tOff, float[] dP, float g) {
    double sum = 0;
    for (int j = 0; j < width; j++) {
      float target = t[tOff + j];
      if (!(target >= 0f)) {
        throw new IllegalArgumentException("target " + target + " at column " + j + " is negative");
      }
      float raw = p[pOff + j];
      float prob = Math.max(raw, BinaryCrossEntropy.EPS);
      if (target != 0f) {
        sum -= target * Math.log(prob);
      }
      if (dP != null) {
        dP[pOff + j] = raw < BinaryCrossEntropy.EPS ? 0f : -g * target / prob; // flat where clamped
      }
    }
    return sum;
  }

  @Override
  public boolean fusesWith(Activation activation) {
    return activation instanceof Softmax;
  }

  @Override
  double fusedExample(float[] z, float[] y, int off, int width, float[] t, int tOff, float[] dZ, float g) {
    double sum = 0;
    double mass = 0;
    for (int j = 0; j < width; j++) {
      float target = t[tOff + j];
      if (!(target >= 0f)) {
        throw new IllegalArgumentException("target " + target + " at column " + j + " is negative");
      }
      mass += target;
      if (target != 0f) {
        sum -= target * Math.log(Math.max(y[off + j], BinaryCrossEntropy.EPS));
      }
    }
    float m = (float) mass;
    for (int j = 0; j < width; j++) {
      dZ[off + j] = g * (y[off + j] * m - t[tOff + j]);
    }
    return sum;
  }
}
