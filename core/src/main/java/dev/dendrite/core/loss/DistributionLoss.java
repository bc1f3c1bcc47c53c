package dev.dendrite.core.loss;

import dev.dendrite.core.activation.Activation;
import dev.dendrite.core.activation.Softmax;

/**
 * A loss between a target distribution {@code t} over the classes and the predicted one {@code p}
 * (p clipped below at 1e-7): categorical cross-entropy and KL divergence differ only in the per-class
 * {@link #term}, by the target's entropy, a constant. So they share everything else: non-negative
 * targets, the gradient {@code ∂ℓ/∂p_j = -t_j / p_j} (flat where p is clamped), the fused gradient
 * behind softmax {@code dZ = p Σt - t}, and one-hot targets for a class index.
 */
abstract class DistributionLoss extends AbstractLoss {

  /** Class j's share of the loss for target {@code t >= 0} and the (clamped) prediction {@code p}. */
  abstract double term(float t, float p);

  /** A class index becomes a one-hot row when there are several classes. */
  @Override
  public TargetEncoding targetEncoding(int outputs) {
    return targetWidth(outputs) > 1 ? TargetEncoding.ONE_HOT : TargetEncoding.AS_GIVEN;
  }

  @Override
  double example(float[] p, int pOff, int width, float[] t, int tOff, float[] dP, float g) {
    double sum = 0;
    for (int j = 0; j < width; j++) {
      float target = checked(t[tOff + j], j);
      float raw = p[pOff + j];
      float prob = Math.max(raw, BinaryCrossEntropy.EPS);
      sum += term(target, prob);
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
      float target = checked(t[tOff + j], j);
      mass += target;
      sum += term(target, Math.max(y[off + j], BinaryCrossEntropy.EPS));
    }
    float m = (float) mass;
    for (int j = 0; j < width; j++) {
      dZ[off + j] = g * (y[off + j] * m - t[tOff + j]);
    }
    return sum;
  }

  private static float checked(float target, int column) {
    if (!(target >= 0f)) {
      throw new IllegalArgumentException("target " + target + " at column " + column + " is negative");
    }
    return target;
  }
}
